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
 * The dhcp6 section of the inventory: its mode, lease, router
 * advertisements and subnets.  What it shares with the dhcp section
 * (the list of subnets, ranges, routers, name servers) is config.c's;
 * server.address6 and a host's ip6 are read with the rest of their
 * sections, and config_check.c checks both families alike.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "pxed.h"
#include "config.h"

static void	 parse_subnet6(struct yp *, yaml_node_t *, size_t);
static int	 parse_network6(struct yp *, const struct kv *, const char *,
		    const char *, struct subnet6_conf *);

static const char *const dhcp6_keys[] = {
	"mode", "lease", "ra", "subnets", NULL
};
enum { D6_MODE, D6_LEASE, D6_RA, D6_SUBNETS, D6_N };

/* network first, for conf_subnet_begin */
static const char *const subnet6_keys[] = {
	"network", "range", "router6", "dns", "slaac", NULL
};
enum { SN6_NETWORK, SN6_RANGE, SN6_ROUTER, SN6_DNS, SN6_SLAAC, SN6_N };

/* In enum dhcp_mode order: there is no ProxyDHCP for IPv6. */
static const char *const mode6_names[] = { "off", "full", NULL };

void
conf_parse_dhcp6(struct yp *yp, const struct kv *top)
{
	struct server_conf	*sc = &yp->conf->server;
	struct kv		 kv[D6_N];

	if (top->key != NULL)
		yp->ld->mode6 = yp_mark_pos(&top->key->start_mark);
	if (yp_map_collect(yp, top->val, "dhcp6", dhcp6_keys, kv) == -1)
		return;
	conf_parse_mode(yp, &kv[D6_MODE], "dhcp6.mode", mode6_names,
	    &yp->ld->mode6, &sc->dhcp6_mode);
	yp_get_duration(yp, &kv[D6_LEASE], "dhcp6.lease", &sc->lease6_secs);
	yp_get_bool(yp, &kv[D6_RA], "dhcp6.ra", &sc->ra);
	conf_parse_subnets(yp, &kv[D6_SUBNETS], "dhcp6.subnets",
	    &yp->ld->netpos6, &yp->ld->badsubnet6, &yp->conf->nsubnets6,
	    parse_subnet6);
}

static void
parse_subnet6(struct yp *yp, yaml_node_t *node, size_t idx)
{
	struct subnet6_conf	 sn;
	struct kv		 kv[SN6_N];
	const char		*s;
	char			 what[64], key[80];

	memset(&sn, 0, sizeof(sn));
	if ((s = conf_subnet_begin(yp, node, idx, "dhcp6", subnet6_keys, kv,
	    what, sizeof(what))) == NULL ||
	    parse_network6(yp, &kv[SN6_NETWORK], what, s, &sn) == -1)
		return;
	conf_parse_range(yp, &kv[SN6_RANGE], what, AF_INET6, &sn.network,
	    sn.prefixlen, &sn.range_lo, &sn.range_hi);
	conf_parse_router(yp, &kv[SN6_ROUTER], what, "router6", AF_INET6,
	    &sn.network, sn.prefixlen, s, &sn.router);
	conf_parse_dns(yp, &kv[SN6_DNS], what, AF_INET6, sn.dns, &sn.ndns);
	snprintf(key, sizeof(key), "%s.slaac", what);
	/* SLAAC makes 64-bit interface identifiers (RFC 4862, 4291). */
	if (yp_get_bool(yp, &kv[SN6_SLAAC], key, &sn.slaac) == 0 &&
	    sn.slaac && sn.prefixlen != 64)
		yp_yerr(yp, kv[SN6_SLAAC].val, "%s is true but network %s "
		    "is not a /64, which SLAAC needs", key, s);
	yp->ld->netpos6[yp->conf->nsubnets6] =
	    yp_mark_pos(&kv[SN6_NETWORK].val->start_mark);
	if (config_add_subnet6(yp->conf, &sn) == -1)
		yp_yerr(yp, node, "%s", strerror(errno));
}

/*
 * A dhcp6 subnet's network s: a prefix of global or unique-local
 * addresses, CONF_NET6_MINLEN to CONF_NET6_MAXLEN long (a link is a /64;
 * longer ones for small labs, still with room for a pool).  0, or -1.
 */
static int
parse_network6(struct yp *yp, const struct kv *kv, const char *what,
    const char *s, struct subnet6_conf *sn)
{
	const char	*kind;

	if (yp_parse_cidr(s, AF_INET6, &sn->network, &sn->prefixlen) == -1)
		yp_yerr(yp, kv->val, "bad network '%s' for %s.network (want "
		    "an IPv6 prefix such as fd00:1::/64, with no bits set "
		    "past its length)", s, what);
	else if (sn->prefixlen < CONF_NET6_MINLEN ||
	    sn->prefixlen > CONF_NET6_MAXLEN)
		yp_yerr(yp, kv->val, "network %s of %s is a /%u: a dhcp6 "
		    "subnet is a /%d to a /%d", s, what, sn->prefixlen,
		    CONF_NET6_MINLEN, CONF_NET6_MAXLEN);
	else if ((kind = yp_ip6_kind(&sn->network)) != NULL)
		yp_yerr(yp, kv->val, "network %s of %s starts with %s (want a "
		    "global or unique-local prefix)", s, what, kind);
	else
		return 0;
	return -1;
}
