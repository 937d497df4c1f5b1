/*
 * Copyright (c) 2026 The pxed developers
 *
 * Permission to use, copy, modify, and distribute this software for any
 * purpose with or without fee is hereby granted, provided that the above
 * copyright notice and this permission notice appear in all copies.
 *
 * THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
 * WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
 * MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
 * ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
 * WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
 * ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
 * OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
 */

/*
 * pxed -nv: the normalized inventory, as YAML that loads back the same.
 * The IPv6 keys are printed only when used, so that an IPv4 inventory
 * prints as it always has.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>

#include "pxed.h"
#include "config.h"

static void	 print_scalar(FILE *, const char *);
static void	 print_str(FILE *, int, const char *, const char *);
static void	 print_duration(FILE *, uint32_t);
static void	 print_addr(FILE *, const char *, const char *, const char *);
static void	 print_server(const struct config *, FILE *);
static void	 print_dhcp(const struct config *, FILE *);
static void	 print_dhcp6(const struct config *, FILE *);
static void	 print_subnet(FILE *, int, const void *, uint32_t,
		    const void *, const void *, const char *, const void *,
		    const void *, uint32_t);
static void	 print_profiles(const struct config *, FILE *);
static void	 print_hosts(const struct config *, FILE *);

/*
 * config_print: every key with its value or default, in one layout, so
 * that printing what it loads gives the same text again.
 */
void
config_print(const struct config *conf, FILE *fp)
{
	const struct server_conf	*sc = &conf->server;
	int				 k;

	print_server(conf, fp);
	print_dhcp(conf, fp);
	print_dhcp6(conf, fp);
	fprintf(fp, "\nboot:\n");
	for (k = 0; k < BOOT_NKINDS; k++)
		print_str(fp, 2, boot_kind_name(k), sc->boot[k]);
	print_str(fp, 2, "unknown", unknown_name(sc->unknown));
	print_profiles(conf, fp);
	print_hosts(conf, fp);
}

/*
 * A plain scalar when that reads back as the same string in any
 * context, a double-quoted one otherwise.
 */
static void
print_scalar(FILE *fp, const char *s)
{
	const char	*p;
	int		 plain;

	plain = isalnum((unsigned char)s[0]) || s[0] == '_' || s[0] == '/' ||
	    s[0] == '.';
	for (p = s; plain && *p != '\0'; p++)
		plain = isalnum((unsigned char)*p) ||
		    strchr("_./+=@%-", *p) != NULL;
	if (plain && strcasecmp(s, "null") != 0) {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	for (p = s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(fp, "\\%c", *p);
		else if ((unsigned char)*p < 0x20 || *p == 0x7f)
			fprintf(fp, "\\x%02x", (unsigned char)*p);
		else
			fputc(*p, fp);
	}
	fputc('"', fp);
}

/* "key: value" at indent; nothing for an empty value. */
static void
print_str(FILE *fp, int indent, const char *key, const char *val)
{
	if (val[0] == '\0')
		return;
	fprintf(fp, "%*s%s: ", indent, "", key);
	print_scalar(fp, val);
	fputc('\n', fp);
}

/*
 * An address (or range) s between pre and post: quoted when it ends in
 * ':', as an IPv6 address may, which YAML would read as a key.
 */
static void
print_addr(FILE *fp, const char *pre, const char *s, const char *post)
{
	size_t	 n = strlen(s);

	if (n > 0 && s[n - 1] == ':')
		fprintf(fp, "%s\"%s\"%s", pre, s, post);
	else
		fprintf(fp, "%s%s%s", pre, s, post);
}

/* In the largest unit that divides it. */
static void
print_duration(FILE *fp, uint32_t secs)
{
	static const struct {
		uint32_t	 secs;
		char		 unit;
	} units[] = {
		{ 7 * 86400, 'w' }, { 86400, 'd' }, { 3600, 'h' }, { 60, 'm' },
		{ 1, 's' }
	};
	size_t	 i;

	for (i = 0; secs % units[i].secs != 0; i++)
		;
	fprintf(fp, "%u%c", secs / units[i].secs, units[i].unit);
}

static void
print_server(const struct config *conf, FILE *fp)
{
	const struct server_conf	*sc = &conf->server;
	char				 addr[INET6_ADDRSTRLEN];
	uint32_t			 i;

	fprintf(fp, "server:\n  interfaces: [");
	for (i = 0; i < sc->nifs; i++) {
		fputs(i > 0 ? ", " : "", fp);
		print_scalar(fp, sc->ifnames[i]);
	}
	inet_ntop(AF_INET, &sc->address, addr, sizeof(addr));
	fprintf(fp, "]\n  address: %s\n", addr);
	if (!IN6_IS_ADDR_UNSPECIFIED(&sc->address6))
		print_addr(fp, "  address6: ", inet_ntop(AF_INET6,
		    &sc->address6, addr, sizeof(addr)), "\n");
	print_str(fp, 2, "user", sc->user);
	print_str(fp, 2, "state", sc->state);
	fprintf(fp, "  tftp:\n");
	print_str(fp, 4, "root", sc->tftp_root);
	fprintf(fp, "    port: %u\n    per_client: %u\n  http:\n",
	    sc->tftp_port, sc->tftp_per_client);
	print_str(fp, 4, "root", sc->http_root);
	fprintf(fp, "    port: %u\n    per_client: %u\n", sc->http_port,
	    sc->http_per_client);
	if (sc->http_cc[0] != '\0')
		print_str(fp, 4, "congestion", sc->http_cc);
}

static void
print_dhcp(const struct config *conf, FILE *fp)
{
	const struct subnet_conf	*sn;
	size_t				 i;

	fprintf(fp, "\ndhcp:\n  mode: %s\n  lease: ",
	    dhcp_mode_name(conf->server.dhcp_mode));
	print_duration(fp, conf->server.lease_secs);
	fprintf(fp, "\n  subnets:%s\n", conf->nsubnets == 0 ? " []" : "");
	for (i = 0; i < conf->nsubnets; i++) {
		sn = &conf->subnets[i];
		print_subnet(fp, AF_INET, &sn->network, sn->prefixlen,
		    &sn->range_lo, &sn->range_hi, "router", &sn->router,
		    sn->dns, sn->ndns);
		print_str(fp, 6, "domain", sn->domain);
	}
}

/* Only when set off its defaults (see set_defaults in config.c). */
static void
print_dhcp6(const struct config *conf, FILE *fp)
{
	const struct server_conf	*sc = &conf->server;
	const struct subnet6_conf	*sn;
	size_t				 i;

	if (sc->dhcp6_mode == DHCP_MODE_OFF && conf->nsubnets6 == 0 &&
	    sc->lease6_secs == 12 * 3600 && !sc->ra)
		return;
	fprintf(fp, "\ndhcp6:\n  mode: %s\n  lease: ",
	    dhcp_mode_name(sc->dhcp6_mode));
	print_duration(fp, sc->lease6_secs);
	fprintf(fp, "\n  ra: %s\n  subnets:%s\n", sc->ra ? "true" : "false",
	    conf->nsubnets6 == 0 ? " []" : "");
	for (i = 0; i < conf->nsubnets6; i++) {
		sn = &conf->subnets6[i];
		print_subnet(fp, AF_INET6, &sn->network, sn->prefixlen,
		    &sn->range_lo, &sn->range_hi, "router6", &sn->router,
		    sn->dns, sn->ndns);
		if (sn->slaac)
			fputs("      slaac: true\n", fp);
	}
}

/*
 * A subnet of af but its domain: network, range and router (rkey) when
 * set, name servers (ndns of dns).
 */
static void
print_subnet(FILE *fp, int af, const void *net, uint32_t plen,
    const void *lo, const void *hi, const char *rkey, const void *router,
    const void *dns, uint32_t ndns)
{
	char		 a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	char		 r[2 * INET6_ADDRSTRLEN];
	size_t		 alen = af == AF_INET ? 4 : 16;
	uint32_t	 j;

	fprintf(fp, "    - network: %s/%u\n", inet_ntop(af, net, a,
	    sizeof(a)), plen);
	/* zero: none */
	if (!yp_host_bits(lo, alen, 0, 0)) {
		snprintf(r, sizeof(r), "%s-%s", inet_ntop(af, lo, a,
		    sizeof(a)), inet_ntop(af, hi, b, sizeof(b)));
		print_addr(fp, "      range: ", r, "\n");
	}
	if (!yp_host_bits(router, alen, 0, 0)) {
		snprintf(r, sizeof(r), "      %s: ", rkey);
		print_addr(fp, r, inet_ntop(af, router, a, sizeof(a)), "\n");
	}
	for (j = 0; j < ndns; j++)
		print_addr(fp, j == 0 ? "      dns: [" : ", ", inet_ntop(af,
		    (const uint8_t *)dns + j * alen, a, sizeof(a)), "");
	fputs(ndns > 0 ? "]\n" : "", fp);
}

static void
print_profiles(const struct config *conf, FILE *fp)
{
	const struct profile_conf	*pc;
	size_t				 i;

	fprintf(fp, "\nprofiles:%s\n", conf->nprofiles == 0 ? " {}" : "");
	for (i = 0; i < conf->nprofiles; i++) {
		pc = &conf->profiles[i];
		fprintf(fp, "  %s:%s\n", pc->name, pc->kernel[0] == '\0' &&
		    pc->initrd[0] == '\0' && pc->append[0] == '\0' &&
		    pc->kickstart[0] == '\0' ? " {}" : "");
		print_str(fp, 4, "kernel", pc->kernel);
		print_str(fp, 4, "initrd", pc->initrd);
		print_str(fp, 4, "append", pc->append);
		print_str(fp, 4, "kickstart", pc->kickstart);
	}
}

static void
print_hosts(const struct config *conf, FILE *fp)
{
	const struct host_conf	*hc;
	char			 mac[18], ip[INET6_ADDRSTRLEN], uuid[37];
	size_t			 i, v, m;

	fprintf(fp, "\nhosts:%s\n", conf->nhosts == 0 ? " {}" : "");
	for (i = 0, v = 0; i < conf->nhosts; i++) {
		hc = &conf->hosts[i].conf;
		/* One MAC as a scalar, several as a list. */
		fprintf(fp, "  %s:\n    mac:%s", hc->name,
		    hc->nmacs == 1 ? "" : "\n");
		for (m = 0; m < hc->nmacs; m++) {
			mac_format(hc->macs[m], mac, sizeof(mac));
			fprintf(fp, "%s%s\n", hc->nmacs == 1 ? " " :
			    "      - ", mac);
		}
		if (uuid_usable(hc->uuid)) {
			uuid_format(hc->uuid, uuid, sizeof(uuid));
			fprintf(fp, "    uuid: %s\n", uuid);
		}
		if (hc->ip.s_addr != INADDR_ANY)
			fprintf(fp, "    ip: %s\n", inet_ntop(AF_INET, &hc->ip,
			    ip, sizeof(ip)));
		if (!IN6_IS_ADDR_UNSPECIFIED(&hc->ip6))
			print_addr(fp, "    ip6: ", inet_ntop(AF_INET6,
			    &hc->ip6, ip, sizeof(ip)), "\n");
		if (hc->profile >= 0)
			print_str(fp, 4, "profile",
			    conf->profiles[hc->profile].name);
		fprintf(fp, "    install: %s\n",
		    hc->install ? "true" : "false");
		for (; v < conf->nvars && conf->vars[v].host < i; v++)
			;
		for (; v < conf->nvars && conf->vars[v].host == i; v++) {
			if (v == 0 || conf->vars[v - 1].host != i)
				fprintf(fp, "    vars:\n");
			fprintf(fp, "      %s: ", conf->vars[v].key);
			print_scalar(fp, conf->vars[v].value);
			fputc('\n', fp);
		}
	}
}
