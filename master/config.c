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
 * The YAML inventory, pxed.yaml(5): libyaml's document API into a
 * struct config.  Each section is parsed on its own and every problem
 * found is recorded (conf_err) with its position, so that one run of
 * "pxed -n" shows them all; config_check.c then checks what spans
 * sections.  A YAML syntax error ends the parse.  The dhcp6 section is
 * config6.c's; what both dhcp sections' subnets share is here.
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

#define CONF_MAXSIZE	(16 * 1024 * 1024)	/* largest inventory */


static void	 set_defaults(struct config *);
static int	 parse_root(struct yp *, yaml_node_t *);
static void	 parse_server(struct yp *, const struct kv *);
static void	 parse_ifs(struct yp *, const struct kv *);
static int	 ifname_valid(const char *);
static void	 parse_service(struct yp *, const struct kv *, const char *,
		    char *, uint16_t *, uint32_t *, char *);
static void	 parse_congestion(struct yp *, const struct kv *, char *);
static void	 parse_dhcp(struct yp *, const struct kv *);
static void	 parse_subnet(struct yp *, yaml_node_t *, size_t);
static int	 range_large(int, const void *, const void *);
static void	 parse_boot(struct yp *, const struct kv *);
static void	 set_src(struct yp *, const yaml_node_t *,
		    struct conf_src *);
static void	 parse_profiles(struct yp *, const struct kv *);
static void	 parse_profile(struct yp *, yaml_node_t *, yaml_node_t *);
static void	 load_kickstart(struct yp *, size_t, const struct kv *,
		    const char *);

static const char *const top_keys[] = {
	"server", "dhcp", "dhcp6", "boot", "profiles", "hosts", NULL
};
enum {
	TOP_SERVER, TOP_DHCP, TOP_DHCP6, TOP_BOOT, TOP_PROFILES, TOP_HOSTS,
	TOP_N
};

static const char *const server_keys[] = {
	"interfaces", "address", "address6", "user", "state", "tftp", "http",
	NULL
};
enum {
	SRV_IFS, SRV_ADDR, SRV_ADDR6, SRV_USER, SRV_STATE, SRV_TFTP, SRV_HTTP,
	SRV_N
};

static const char *const service_keys[] = {
	"root", "port", "congestion", "per_client", NULL
};
enum { SVC_ROOT, SVC_PORT, SVC_CC, SVC_PERCLIENT, SVC_N };

static const char *const dhcp_keys[] = { "mode", "lease", "subnets", NULL };
enum { DHCP_MODE, DHCP_LEASE, DHCP_SUBNETS, DHCP_N };

static const char *const subnet_keys[] = {
	"network", "range", "router", "dns", "domain", NULL
};
enum { SN_NETWORK, SN_RANGE, SN_ROUTER, SN_DNS, SN_DOMAIN, SN_N };

/* In enum boot_kind order, then "unknown". */
static const char *const boot_keys[] = {
	"bios", "uefi", "arm64", "http", "http_arm64", "ipxe", "unknown",
	NULL
};

static const char *const profile_keys[] = {
	"kernel", "initrd", "append", "kickstart", NULL
};
enum { PR_KERNEL, PR_INITRD, PR_APPEND, PR_KICKSTART, PR_N };

/* In enum order. */
const char *const conf_mode_names[] = { "off", "full", "proxy", NULL };
const char *const conf_unknown_names[] = {
	"local", "menu", "ignore", NULL
};

int
config_load(const char *path, struct config *conf, struct buf *errs)
{
	struct conf_loader	 ld;
	struct yp		 yp;
	yaml_parser_t		 parser;
	yaml_node_t		*root;
	struct conf_pos		 top = { 0, 1, 1 };
	char			*text = NULL;
	size_t			 len;
	int			 n;

	memset(&ld, 0, sizeof(ld));
	memset(&yp, 0, sizeof(yp));
	ld.path = path;
	ld.conf = conf;
	ld.mode = top;
	yp.ld = &ld;
	yp.conf = conf;
	set_defaults(conf);
	yp_inventory_dir(path, yp.dir, sizeof(yp.dir));

	if (yp_read_file(path, CONF_MAXSIZE, &text, &len) == -1) {
		if (errno == EFBIG)
			conf_err(&ld, &top, "the inventory is larger than %d "
			    "MiB", CONF_MAXSIZE / (1024 * 1024));
		else
			conf_err(&ld, &top, "%s", strerror(errno));
		return conf_err_flush(&ld, errs);
	}
	yp.text = text;
	yp.textlen = len;
	if (yp_prescan(&yp) == -1) {
		free(text);
		return conf_err_flush(&ld, errs);
	}
	if (!yaml_parser_initialize(&parser)) {
		conf_err(&ld, &top, "%s", strerror(ENOMEM));
		free(text);
		return conf_err_flush(&ld, errs);
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text,
	    len);
	if (!yaml_parser_load(&parser, &yp.doc))
		yp_syntax(&yp, &parser);
	else {
		if ((root = yaml_document_get_root_node(&yp.doc)) == NULL ||
		    yp_node_null(root))
			conf_err(&ld, &top, "the inventory is empty");
		else if (yp_one_document(&yp, &parser) == 0 &&
		    parse_root(&yp, root) == 0)
			config_check(&ld);
		yaml_document_delete(&yp.doc);
	}
	yaml_parser_delete(&parser);
	free(text);
	n = conf_err_flush(&ld, errs);
	free(ld.hostpos);
	free(ld.profpos);
	free(ld.netpos);
	free(ld.netpos6);
	return n;
}

static void
set_defaults(struct config *conf)
{
	struct server_conf	*sc = &conf->server;

	sc->address.s_addr = INADDR_ANY;
	strlcpy(sc->user, PXED_USER, sizeof(sc->user));
	strlcpy(sc->state, PXED_STATEDIR, sizeof(sc->state));
	strlcpy(sc->tftp_root, PXED_TFTPROOT, sizeof(sc->tftp_root));
	sc->tftp_port = 69;
	sc->tftp_per_client = PXED_TFTP_PER_CLIENT;
	strlcpy(sc->http_root, PXED_HTTPROOT, sizeof(sc->http_root));
	sc->http_port = 80;
	sc->http_per_client = PXED_HTTP_PER_CLIENT;
	sc->dhcp_mode = DHCP_MODE_FULL;
	sc->lease_secs = 12 * 3600;
	sc->dhcp6_mode = DHCP_MODE_OFF;
	sc->lease6_secs = 12 * 3600;
	sc->unknown = UNKNOWN_LOCAL;
}

/*
 * Sections in an order that lets hosts name profiles defined after them.
 * Returns -1 when the inventory is no map at all.
 */
static int
parse_root(struct yp *yp, yaml_node_t *root)
{
	struct kv	 kv[TOP_N];

	if (yp_map_collect(yp, root, NULL, top_keys, kv) == -1)
		return -1;
	if (kv[TOP_DHCP].key != NULL)
		yp->ld->mode = yp_mark_pos(&kv[TOP_DHCP].key->start_mark);
	if (kv[TOP_SERVER].key == NULL)
		yp_yerr(yp, root, "missing section 'server'");
	parse_server(yp, &kv[TOP_SERVER]);
	parse_dhcp(yp, &kv[TOP_DHCP]);
	conf_parse_dhcp6(yp, &kv[TOP_DHCP6]);
	parse_boot(yp, &kv[TOP_BOOT]);
	parse_profiles(yp, &kv[TOP_PROFILES]);
	conf_parse_hosts(yp, &kv[TOP_HOSTS]);
	return 0;
}

static void
parse_server(struct yp *yp, const struct kv *top)
{
	struct server_conf	*sc = &yp->conf->server;
	struct kv		 kv[SRV_N];

	if (top->key == NULL ||
	    yp_map_collect(yp, top->val, "server", server_keys, kv) == -1)
		return;
	if (kv[SRV_IFS].val == NULL)
		yp_yerr(yp, top->key, "missing key 'interfaces' in server");
	else
		parse_ifs(yp, &kv[SRV_IFS]);
	if (kv[SRV_ADDR].val != NULL &&
	    yp_get_ip(yp, &kv[SRV_ADDR], "server.address", &sc->address) == 0 &&
	    (ntohl(sc->address.s_addr) >= 0xe0000000 ||
	    (ntohl(sc->address.s_addr) >> 24) == 127))
		yp_yerr(yp, kv[SRV_ADDR].val, "server.address must be a unicast "
		    "address of this machine");
	yp_get_ip6(yp, &kv[SRV_ADDR6], "server.address6", &sc->address6);
	/* Where a user that is not there is reported; line 0: bad already. */
	yp->ld->user = yp_mark_pos(&(kv[SRV_USER].val != NULL ?
	    kv[SRV_USER].val : top->key)->start_mark);
	if (yp_get_str(yp, &kv[SRV_USER], "server.user", sc->user,
	    sizeof(sc->user)) != 0)
		yp->ld->user.line = 0;
	else if (sc->user[0] == '\0')
		yp_yerr(yp, kv[SRV_USER].val, "server.user is empty");
	yp_get_path(yp, &kv[SRV_STATE], "server.state", sc->state,
	    sizeof(sc->state));
	parse_service(yp, &kv[SRV_TFTP], "server.tftp", sc->tftp_root,
	    &sc->tftp_port, &sc->tftp_per_client, NULL);
	parse_service(yp, &kv[SRV_HTTP], "server.http", sc->http_root,
	    &sc->http_port, &sc->http_per_client, sc->http_cc);
}

static void
parse_ifs(struct yp *yp, const struct kv *kv)
{
	struct server_conf	*sc = &yp->conf->server;
	yaml_node_item_t	*item;
	yaml_node_t		*n;
	const char		*s;
	uint32_t		 i;

	if (yp_node_want(yp, kv->val, YAML_SEQUENCE_NODE,
	    "server.interfaces") == -1)
		return;
	if (kv->val->data.sequence.items.start ==
	    kv->val->data.sequence.items.top)
		yp_yerr(yp, kv->val, "server.interfaces is empty");
	for (item = kv->val->data.sequence.items.start;
	    item < kv->val->data.sequence.items.top; item++) {
		n = yp_node_get(yp, *item);
		if (yp_node_want(yp, n, YAML_SCALAR_NODE,
		    "an interface") == -1)
			continue;
		s = yp_node_str(n);
		if (strlen(s) >= IF_NAMESIZE) {
			yp_yerr(yp, n, "interface name '%s' is too long (at most "
			    "%d bytes)", s, IF_NAMESIZE - 1);
			continue;
		}
		if (!ifname_valid(s)) {
			yp_yerr(yp, n, "bad interface name '%s'", s);
			continue;
		}
		for (i = 0; i < sc->nifs; i++) {
			if (strcmp(sc->ifnames[i], s) == 0)
				break;
		}
		if (i < sc->nifs)
			yp_yerr(yp, n, "interface %s is listed twice", s);
		else if (sc->nifs == PXED_MAXIFS)
			yp_yerr(yp, n, "too many interfaces (at most %d)",
			    PXED_MAXIFS);
		else
			strlcpy(sc->ifnames[sc->nifs++], s, IF_NAMESIZE);
	}
}

/* What Linux takes as a network interface name. */
static int
ifname_valid(const char *s)
{
	if (s[0] == '\0' || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return 0;
	for (; *s != '\0'; s++) {
		if (*s == '/' || *s == ':' || isspace((unsigned char)*s) ||
		    !isprint((unsigned char)*s))
			return 0;
	}
	return 1;
}

/*
 * server.tftp or server.http; only HTTP has a congestion control (cc).
 * per_client: the transfers or connections one address may hold.
 */
static void
parse_service(struct yp *yp, const struct kv *top, const char *what,
    char *root, uint16_t *port, uint32_t *per_client, char *cc)
{
	struct kv	 kv[SVC_N];
	char		 name[32];

	if (yp_map_collect(yp, top->val, what, service_keys, kv) == -1)
		return;
	snprintf(name, sizeof(name), "%s.root", what);
	yp_get_path(yp, &kv[SVC_ROOT], name, root, PXED_PATHLEN);
	snprintf(name, sizeof(name), "%s.port", what);
	yp_get_port(yp, &kv[SVC_PORT], name, port);
	snprintf(name, sizeof(name), "%s.per_client", what);
	yp_get_num(yp, &kv[SVC_PERCLIENT], name, 1, 65535, per_client);
	if (cc != NULL)
		parse_congestion(yp, &kv[SVC_CC], cc);
	else if (kv[SVC_CC].key != NULL)
		yp_yerr(yp, kv[SVC_CC].key, "unknown key 'congestion' in %s "
		    "(only server.http has one)", what);
}

/*
 * The TCP congestion control of HTTP connections: a kernel algorithm's
 * name, or "system" for the kernel's default.  Whether the kernel has
 * it is known only when the socket is opened (sockets.c).
 */
static void
parse_congestion(struct yp *yp, const struct kv *kv, char *cc)
{
	const char	*s;
	size_t		 i;

	if (yp_get_str(yp, kv, "server.http.congestion", cc, PXED_CCLEN) != 0
	    || kv->val == NULL)
		return;
	for (i = 0, s = cc; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			break;
	if (i == 0 || s[i] != '\0')
		yp_yerr(yp, kv->val, "bad congestion control '%s' for "
		    "server.http.congestion (want an algorithm's name such "
		    "as cubic or bbr, or system)", s);
}

static void
parse_dhcp(struct yp *yp, const struct kv *top)
{
	struct server_conf	*sc = &yp->conf->server;
	struct kv		 kv[DHCP_N];

	if (yp_map_collect(yp, top->val, "dhcp", dhcp_keys, kv) == -1)
		return;
	conf_parse_mode(yp, &kv[DHCP_MODE], "dhcp.mode", conf_mode_names,
	    &yp->ld->mode, &sc->dhcp_mode);
	yp_get_duration(yp, &kv[DHCP_LEASE], "dhcp.lease", &sc->lease_secs);
	conf_parse_subnets(yp, &kv[DHCP_SUBNETS], "dhcp.subnets",
	    &yp->ld->netpos, &yp->ld->badsubnet, &yp->conf->nsubnets,
	    parse_subnet);
}

/* dhcp.mode or dhcp6.mode, and where it is. */
void
conf_parse_mode(struct yp *yp, const struct kv *kv, const char *what,
    const char *const *names, struct conf_pos *pos, uint32_t *mode)
{
	if (kv->val == NULL)
		return;
	*pos = yp_mark_pos(&kv->val->start_mark);
	/* checked as off: nothing more about subnets to say */
	if (yp_get_enum(yp, kv, what, names, mode) == -1)
		*mode = DHCP_MODE_OFF;
}

/*
 * The list kv of dhcp or dhcp6 (what) subnets: each parsed by fn, which
 * adds it to the *count of the configuration and puts its network's
 * place in *netpos.  *bad is set when one was left out.
 */
void
conf_parse_subnets(struct yp *yp, const struct kv *kv, const char *what,
    struct conf_pos **netpos, int *bad, const size_t *count,
    void (*fn)(struct yp *, yaml_node_t *, size_t))
{
	yaml_node_item_t	*start, *item;
	size_t			 n, before;

	if (kv->val == NULL)
		return;
	/* one left out: no "outside every subnet" for its hosts */
	*bad = 1;
	if (yp_node_want(yp, kv->val, YAML_SEQUENCE_NODE, what) == -1)
		return;
	start = kv->val->data.sequence.items.start;
	n = kv->val->data.sequence.items.top - start;
	if (n > 0 && (*netpos = calloc(n, sizeof(**netpos))) == NULL) {
		yp_yerr(yp, kv->val, "%s", strerror(errno));
		return;
	}
	before = *count;
	for (item = start; item < start + n; item++)
		fn(yp, yp_node_get(yp, *item), item - start);
	*bad = *count - before != n;
}

/*
 * The start of subnet idx of section (dhcp, dhcp6): its keys (network
 * first) into kv, its name into what.  Its network's text, or NULL.
 */
const char *
conf_subnet_begin(struct yp *yp, yaml_node_t *node, size_t idx,
    const char *section, const char *const *keys, struct kv *kv,
    char *what, size_t size)
{
	char	 field[80];

	snprintf(what, size, "%s.subnets[%zu]", section, idx);
	if (yp_map_collect(yp, node, what, keys, kv) == -1)
		return NULL;
	if (kv[0].val == NULL) {
		yp_yerr(yp, node, "missing key 'network' in %s", what);
		return NULL;
	}
	snprintf(field, sizeof(field), "%s.network", what);
	return yp_get_scalar(yp, &kv[0], field);
}

static void
parse_subnet(struct yp *yp, yaml_node_t *node, size_t idx)
{
	struct subnet_conf	 sn;
	struct kv		 kv[SN_N];
	const char		*s;
	char			 what[64], field[80];

	memset(&sn, 0, sizeof(sn));
	if ((s = conf_subnet_begin(yp, node, idx, "dhcp", subnet_keys, kv,
	    what, sizeof(what))) == NULL)
		return;
	if (yp_parse_cidr(s, AF_INET, &sn.network, &sn.prefixlen) == -1) {
		yp_yerr(yp, kv[SN_NETWORK].val, "bad network '%s' for "
		    "%s.network (want a.b.c.d/len, the address with no host "
		    "bits set)", s, what);
		return;
	}
	sn.netmask.s_addr = htonl(0xffffffffU << (32 - sn.prefixlen));
	conf_parse_range(yp, &kv[SN_RANGE], what, AF_INET, &sn.network,
	    sn.prefixlen, &sn.range_lo, &sn.range_hi);
	conf_parse_router(yp, &kv[SN_ROUTER], what, "router", AF_INET,
	    &sn.network, sn.prefixlen, s, &sn.router);
	conf_parse_dns(yp, &kv[SN_DNS], what, AF_INET, sn.dns, &sn.ndns);
	snprintf(field, sizeof(field), "%s.domain", what);
	yp_get_str(yp, &kv[SN_DOMAIN], field, sn.domain, sizeof(sn.domain));
	yp->ld->netpos[yp->conf->nsubnets] =
	    yp_mark_pos(&kv[SN_NETWORK].val->start_mark);
	if (config_add_subnet(yp->conf, &sn) == -1)
		yp_yerr(yp, node, "%s", strerror(errno));
}

/*
 * A subnet's range, "lo-hi" of af: inside net/plen, short of what no
 * host may have (yp_reserved), and for IPv6 at most CONF_POOL6_MAX
 * addresses.  lo and hi are left zero when it is bad.
 */
void
conf_parse_range(struct yp *yp, const struct kv *kv, const char *what,
    int af, const void *net, uint32_t plen, void *lo, void *hi)
{
	char		 field[80], str[INET6_ADDRSTRLEN];
	const char	*s, *rest, *why;
	size_t		 alen = af == AF_INET ? 4 : 16;

	snprintf(field, sizeof(field), "%s.range", what);
	if ((s = yp_get_scalar(yp, kv, field)) == NULL)
		return;
	if (yp_addr_before(s, '-', af, lo, &rest) == -1 ||
	    inet_pton(af, rest, hi) != 1) {
		yp_yerr(yp, kv->val, "bad range '%s' for %s (want %s)", s,
		    field, af == AF_INET ? "a.b.c.d-a.b.c.d" :
		    "two IPv6 addresses joined by '-'");
		goto bad;
	}
	inet_ntop(af, net, str, sizeof(str));
	if ((why = yp_reserved(af, lo, plen)) == NULL)
		why = yp_reserved(af, hi, plen);
	if (memcmp(lo, hi, alen) > 0)
		yp_yerr(yp, kv->val, "range %s starts after its end", s);
	else if (!prefix_eq(lo, net, plen) || !prefix_eq(hi, net, plen))
		yp_yerr(yp, kv->val, "range %s is outside %s/%u", s, str, plen);
	else if (why != NULL)
		yp_yerr(yp, kv->val, "range %s holds the %s of %s/%u", s, why,
		    str, plen);
	else if (range_large(af, lo, hi))
		yp_yerr(yp, kv->val, "range %s has more than %u addresses, "
		    "the most a dhcp6 pool has", s, CONF_POOL6_MAX);
	else
		return;
 bad:
	/* no pool, rather than one that other checks would trip over */
	memset(lo, 0, alen);
	memset(hi, 0, alen);
}

/*
 * Whether an IPv6 range (lo <= hi) holds more than CONF_POOL6_MAX
 * addresses: dhcpd indexes a pool by the offset from its first.
 */
static int
range_large(int af, const void *lo, const void *hi)
{
	const uint8_t	*l = lo, *h = hi;
	uint64_t	 a = 0, b = 0;
	int		 i;

	if (af != AF_INET6)
		return 0;
	if (memcmp(l, h, 8) != 0)
		return 1;
	for (i = 8; i < 16; i++) {
		a = a << 8 | l[i];
		b = b << 8 | h[i];
	}
	return b - a >= CONF_POOL6_MAX;
}

/* A subnet's router of af (key "router", "router6"), inside it (netstr). */
void
conf_parse_router(struct yp *yp, const struct kv *kv, const char *what,
    const char *key, int af, const void *net, uint32_t plen,
    const char *netstr, void *router)
{
	char	 field[80];

	snprintf(field, sizeof(field), "%s.%s", what, key);
	if (kv->val != NULL &&
	    yp_get_unicast(yp, kv, field, af, router) == 0 &&
	    !prefix_eq(router, net, plen))
		yp_yerr(yp, kv->val, "%s %s is outside %s", key,
		    yp_node_str(kv->val), netstr);
}

/* A subnet's name servers of af, into dns (PXED_MAXDNS of them). */
void
conf_parse_dns(struct yp *yp, const struct kv *kv, const char *what, int af,
    void *dns, uint32_t *ndns)
{
	yaml_node_item_t	*item;
	struct kv		 one;
	char			 field[80];
	size_t			 alen = af == AF_INET ? 4 : 16;

	snprintf(field, sizeof(field), "%s.dns", what);
	if (kv->val == NULL ||
	    yp_node_want(yp, kv->val, YAML_SEQUENCE_NODE, field) == -1)
		return;
	one.key = kv->key;
	for (item = kv->val->data.sequence.items.start;
	    item < kv->val->data.sequence.items.top; item++) {
		one.val = yp_node_get(yp, *item);
		if (*ndns == PXED_MAXDNS) {
			yp_yerr(yp, one.val, "too many servers in %s (at most %d)",
			    field, PXED_MAXDNS);
			break;
		}
		if (yp_get_unicast(yp, &one, field, af,
		    (uint8_t *)dns + *ndns * alen) == 0)
			(*ndns)++;
	}
}

static void
parse_boot(struct yp *yp, const struct kv *top)
{
	struct server_conf	*sc = &yp->conf->server;
	struct kv		 kv[BOOT_NKINDS + 1];
	char			 what[32];
	int			 k;

	if (yp_map_collect(yp, top->val, "boot", boot_keys, kv) == -1)
		return;
	for (k = 0; k < BOOT_NKINDS; k++) {
		snprintf(what, sizeof(what), "boot.%s", boot_keys[k]);
		if (kv[k].val != NULL && yp_get_str(yp, &kv[k], what,
		    sc->boot[k], sizeof(sc->boot[k])) == 0)
			set_src(yp, kv[k].val, &yp->ld->boot[k]);
	}
	if (kv[BOOT_NKINDS].val != NULL)
		yp_get_enum(yp, &kv[BOOT_NKINDS], "boot.unknown", conf_unknown_names,
		    &sc->unknown);
}

/*
 * Where the text of a templated scalar starts.  A block scalar's text
 * starts on the next line that is not blank, after its indentation.
 */
static void
set_src(struct yp *yp, const yaml_node_t *node, struct conf_src *src)
{
	const char	*p = yp->text, *end = yp->text + yp->textlen;
	uint32_t	 line;

	src->pos = yp_mark_pos(&node->start_mark);
	src->indent = 0;
	switch (node->data.scalar.style) {
	case YAML_LITERAL_SCALAR_STYLE:
	case YAML_FOLDED_SCALAR_STYLE:
		src->style = CONF_BLOCK;
		break;
	case YAML_SINGLE_QUOTED_SCALAR_STYLE:
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
		src->style = CONF_QUOTED;
		return;
	default:
		src->style = CONF_PLAIN;
		return;
	}
	for (line = 1; p < end && line <= src->pos.line; p++) {
		if (*p == '\n')
			line++;
	}
	for (;;) {
		while (p < end && *p == ' ') {
			src->indent++;
			p++;
		}
		if (p == end || *p != '\n')
			break;
		src->indent = 0;
		p++;
	}
}

static void
parse_profiles(struct yp *yp, const struct kv *top)
{
	if ((yp->ld->profpos = yp_map_alloc(yp, top, "profiles",
	    sizeof(*yp->ld->profpos))) != NULL)
		yp_map_each(yp, top, parse_profile);
}

/* A profile whose body is wrong is still added: hosts may name it. */
static void
parse_profile(struct yp *yp, yaml_node_t *k, yaml_node_t *v)
{
	struct config		*conf = yp->conf;
	struct profile_conf	 pc;
	struct conf_profpos	*pp;
	struct kv		 kv[PR_N];
	char			 what[PXED_NAMELEN + 16];
	char			 field[PXED_NAMELEN + 32];
	size_t			 i, idx = conf->nprofiles;

	if (yp_node_name(yp, k, "profile") == -1)
		return;
	for (i = 0; i < conf->nprofiles; i++) {
		if (strcmp(conf->profiles[i].name, yp_node_str(k)) == 0) {
			yp_yerr(yp, k, "duplicate profile '%s' (first at line %u)",
			    yp_node_str(k), yp->ld->profpos[i].name.line);
			return;
		}
	}
	memset(&pc, 0, sizeof(pc));
	strlcpy(pc.name, yp_node_str(k), sizeof(pc.name));
	pp = &yp->ld->profpos[idx];
	pp->name = yp_mark_pos(&k->start_mark);
	snprintf(what, sizeof(what), "profiles.%s", pc.name);
	if (yp_map_collect(yp, v, what, profile_keys, kv) == 0) {
		snprintf(field, sizeof(field), "%s.kernel", what);
		yp_get_str(yp, &kv[PR_KERNEL], field, pc.kernel,
		    sizeof(pc.kernel));
		snprintf(field, sizeof(field), "%s.initrd", what);
		yp_get_str(yp, &kv[PR_INITRD], field, pc.initrd,
		    sizeof(pc.initrd));
		snprintf(field, sizeof(field), "%s.append", what);
		if (kv[PR_APPEND].val != NULL && yp_get_str(yp, &kv[PR_APPEND],
		    field, pc.append, sizeof(pc.append)) == 0)
			set_src(yp, kv[PR_APPEND].val, &pp->append);
	}
	if (config_add_profile(conf, &pc) == -1) {
		yp_yerr(yp, k, "%s", strerror(errno));
		return;
	}
	snprintf(field, sizeof(field), "%s.kickstart", what);
	load_kickstart(yp, idx, &kv[PR_KICKSTART], field);
}

/*
 * Read the kickstart template of profile idx.  A relative path is
 * relative to the inventory's directory, and named so in errors; the
 * configuration keeps the absolute path.
 */
static void
load_kickstart(struct yp *yp, size_t idx, const struct kv *kv,
    const char *what)
{
	struct conf_profpos	*pp = &yp->ld->profpos[idx];
	struct profile_conf	*pc = &yp->conf->profiles[idx];
	char			 abs[PATH_MAX], *text;
	const char		*s;
	size_t			 len, size = sizeof(pp->ksfile);
	int			 n;

	if ((s = yp_get_scalar(yp, kv, what)) == NULL || s[0] == '\0')
		return;
	if (s[0] == '/' || yp->dir[0] == '\0')
		n = snprintf(pp->ksfile, size, "%s", s);
	else
		n = snprintf(pp->ksfile, size, "%s%s%s", yp->dir,
		    yp->dir[strlen(yp->dir) - 1] == '/' ? "" : "/", s);
	if (n < 0 || (size_t)n >= size) {
		yp_yerr(yp, kv->val, "%s is too long (at most %zu bytes)", what,
		    size - 1);
		return;
	}
	if (realpath(pp->ksfile, abs) == NULL ||
	    yp_read_file(abs, PXED_TMPLMAX, &text, &len) == -1) {
		if (errno == EFBIG)
			yp_yerr(yp, kv->val, "kickstart %s is too large (at most "
			    "%d bytes)", pp->ksfile, PXED_TMPLMAX);
		else
			yp_yerr(yp, kv->val, "cannot read kickstart %s: %s",
			    pp->ksfile, strerror(errno));
		return;
	}
	if (strlen(text) != len)
		yp_yerr(yp, kv->val, "kickstart %s contains a NUL byte",
		    pp->ksfile);
	else if (strlcpy(pc->kickstart, abs, sizeof(pc->kickstart)) >=
	    sizeof(pc->kickstart))
		yp_yerr(yp, kv->val, "kickstart path %s is too long (at most "
		    "%zu bytes)", abs, sizeof(pc->kickstart) - 1);
	else {
		yp->conf->templates[idx] = text;
		return;
	}
	free(text);
}
