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
 * The boot decision: which first-stage loader a client gets, from its
 * vendor class (60), architecture (93), user class (77) and option 175.
 */

#include <sys/types.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dhcpd.h"
#include "log.h"
#include "tmpl.h"

struct anon_ctx {
	const struct config	*conf;
	const struct pxe_client	*pc;
	char			 scratch[PXED_STRLEN];
};

static int		 pxe_kind(const struct pxe_boot *,
			    const struct server_conf *);
static const char	*anon_lookup(const char *, size_t, void *);
static void		 pxe_render(struct pxe_boot *, const char *,
			    const struct config *, const struct host *,
			    const struct pxe_client *);

/* iPXE: option 77 "iPXE" raw or as an RFC 3004 entry, or option 175. */
int
pxe_is_ipxe(const struct dhcp_msg *m)
{
	const uint8_t	*p;
	size_t		 len, i;

	if (dhcp_has(m, OPT_IPXE))
		return 1;
	if ((p = dhcp_opt(m, OPT_USERCLASS, &len)) == NULL)
		return 0;
	if (len == 4 && memcmp(p, "iPXE", 4) == 0)
		return 1;
	for (i = 0; i < len; i += 1 + p[i])
		if (p[i] == 4 && i + 5 <= len && memcmp(p + i + 1, "iPXE",
		    4) == 0)
			return 1;
	return 0;
}

/* The first entry of option 93, else "Arch:NNNNN" in the vendor class. */
uint16_t
pxe_arch(const struct dhcp_msg *m, const uint8_t *vc, size_t vclen)
{
	const uint8_t	*p;
	size_t		 len;
	char		 num[6];
	const char	*err;
	long long	 v;

	if ((p = dhcp_opt(m, OPT_ARCH, &len)) != NULL && len >= 2)
		return (uint16_t)(p[0] << 8 | p[1]);
	if (vc != NULL && vclen >= 20 && memcmp(vc + 9, ":Arch:", 6) == 0 &&
	    (vc[0] == 'P' || vc[0] == 'H')) {
		memcpy(num, vc + 15, 5);
		num[5] = '\0';
		v = strtonum(num, 0, 65535, &err);
		if (err == NULL)
			return (uint16_t)v;
	}
	return 0;
}

const char *
pxe_arch_name(uint16_t arch, char *buf, size_t len)
{
	switch (arch) {
	case 0:
		return "bios";
	case 6:
		return "uefi-ia32";
	case 7:
	case 9:
		return "uefi-x64";
	case 10:
		return "uefi-arm32";
	case 11:
		return "uefi-arm64";
	case 15:
		return "http-ia32";
	case 16:
		return "http-x64";
	case 18:
		return "http-arm32";
	case 19:
		return "http-arm64";
	case 20:
		return "bios-http";
	}
	snprintf(buf, len, "%u", arch);
	return buf;
}

static int
pxe_kind(const struct pxe_boot *b, const struct server_conf *sc)
{
	if (b->ipxe && sc->boot[BOOT_IPXE][0] != '\0')
		return BOOT_IPXE;
	/* An x64 image is no use to an ARM machine: arm64 has its own. */
	if (b->http)
		return b->arch == 19 ? BOOT_HTTP_ARM64 : b->arch == 18 ? -1 :
		    BOOT_HTTP;
	switch (b->arch) {
	case 0:
		return BOOT_BIOS;
	case 6:
	case 7:
	case 9:
		return BOOT_UEFI;
	case 11:
		return BOOT_ARM64;
	}
	return -1;
}

/* Template variables for a host that is not in the inventory. */
static const char *
anon_lookup(const char *name, size_t len, void *arg)
{
	struct anon_ctx	*c = arg;

	if (len == 6 && memcmp(name, "server", 6) == 0)
		return tmpl_server(&c->conf->server, c->pc->v6, c->scratch,
		    sizeof(c->scratch));
	if (len == 4 && memcmp(name, "http", 4) == 0) {
		tmpl_http_base(&c->conf->server, c->pc->v6, c->scratch,
		    sizeof(c->scratch));
		return c->scratch;
	}
	if (len == 3 && memcmp(name, "mac", 3) == 0) {
		mac_format(c->pc->mac, c->scratch, sizeof(c->scratch));
		return c->scratch;
	}
	if (len == 2 && memcmp(name, "ip", 2) == 0 && c->pc->ip.s_addr != 0)
		return inet_ntop(AF_INET, &c->pc->ip, c->scratch,
		    sizeof(c->scratch));
	if (len == 3 && memcmp(name, "ip6", 3) == 0 &&
	    !IN6_IS_ADDR_UNSPECIFIED(&c->pc->ip6))
		return inet_ntop(AF_INET6, &c->pc->ip6, c->scratch,
		    sizeof(c->scratch));
	return "";
}

static void
pxe_render(struct pxe_boot *b, const char *tmpl, const struct config *conf,
    const struct host *h, const struct pxe_client *pc)
{
	struct tmpl_host_ctx	 hc;
	struct anon_ctx		 ac;
	struct tmpl_error	 err;
	struct buf		 out;
	int			 r;

	buf_init(&out);
	if (h != NULL) {
		memset(&hc, 0, sizeof(hc));
		hc.conf = conf;
		hc.host = (size_t)(h - conf->hosts);
		hc.client = pc->ip;
		hc.client6 = pc->ip6;
		hc.v6 = pc->v6;
		r = tmpl_render(tmpl, strlen(tmpl), tmpl_host_lookup, &hc,
		    &out, &err);
	} else {
		memset(&ac, 0, sizeof(ac));
		ac.conf = conf;
		ac.pc = pc;
		r = tmpl_render(tmpl, strlen(tmpl), anon_lookup, &ac, &out,
		    &err);
	}
	if (r == 0 && out.len > 0 && out.len < sizeof(b->file)) {
		memcpy(b->file, out.data, out.len);
		b->file[out.len] = '\0';
		b->boot = 1;
	} else
		log_debug("dhcp: boot file template: %s",
		    r == 0 ? "empty or too long" : err.msg);
	buf_free(&out);
}

/*
 * Decide for one client of either family: b->pxe, http, ipxe and arch
 * are already what it said it is.  h is the inventory host or NULL.
 */
void
pxe_choose(struct pxe_boot *b, const struct config *conf,
    const struct host *h, const struct pxe_client *pc)
{
	char	 abuf[16];
	int	 kind;

	b->pxe = 1;
	if (b->arch == 15 || b->arch == 16 || b->arch == 18 || b->arch == 19)
		b->http = 1;
	strlcpy(b->archname, pxe_arch_name(b->arch, abuf, sizeof(abuf)),
	    sizeof(b->archname));
	if (h == NULL && conf->server.unknown == UNKNOWN_IGNORE)
		return;
	if ((kind = pxe_kind(b, &conf->server)) == -1 ||
	    conf->server.boot[kind][0] == '\0')
		return;
	if (kind == BOOT_IPXE)
		b->http = 0;
	pxe_render(b, conf->server.boot[kind], conf, h, pc);
}

/*
 * Decide for one DHCPv4 request.  h is the inventory host or NULL, ip
 * the address the client gets (0 in proxy mode).
 */
void
pxe_decide(struct pxe_boot *b, const struct dhcp_msg *m,
    const struct config *conf, const struct host *h, struct in_addr ip)
{
	struct pxe_client	 pc;
	const uint8_t		*vc;
	size_t			 vclen = 0;

	memset(b, 0, sizeof(*b));
	vc = dhcp_opt(m, OPT_CLASSID, &vclen);
	if (vc != NULL && vclen >= 9 && memcmp(vc, "PXEClient", 9) == 0)
		b->pxe = 1;
	if (vc != NULL && vclen >= 10 && memcmp(vc, "HTTPClient", 10) == 0)
		b->pxe = b->http = 1;
	b->ipxe = pxe_is_ipxe(m);
	if (!b->pxe && !b->ipxe)
		return;
	b->arch = pxe_arch(m, vc, vclen);
	memset(&pc, 0, sizeof(pc));
	pc.mac = m->chaddr;
	pc.ip = ip;
	pxe_choose(b, conf, h, &pc);
	/*
	 * A host with an ip6 and no ip netboots over IPv6 (pxed.yaml(5)):
	 * no loader over IPv4, so that the firmware gives its IPv4
	 * attempt up (OVMF: after its four DHCP tries, about 60 s) and
	 * goes on to PXE or HTTP over IPv6.  It still gets an address,
	 * for the installed system's own DHCP client.
	 */
	if (h != NULL && b->boot && conf->server.dhcp6_mode == DHCP_MODE_FULL &&
	    h->conf.ip.s_addr == INADDR_ANY &&
	    !IN6_IS_ADDR_UNSPECIFIED(&h->conf.ip6)) {
		b->boot = 0;
		b->file[0] = '\0';
		b->v6only = 1;
	}
}
