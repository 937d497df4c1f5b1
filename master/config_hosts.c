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
 * The hosts section of the inventory: names, MACs, fixed addresses (IPv4
 * and IPv6), profiles, the install flag and per-host vars.
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

static void	 parse_host(struct yp *, yaml_node_t *, yaml_node_t *);
static void	 parse_macs(struct yp *, const struct kv *, const char *,
		    struct host *, struct conf_hostpos *);
static void	 parse_one_mac(struct yp *, yaml_node_t *, const char *,
		    struct host *, struct conf_hostpos *);
static void	 parse_uuid(struct yp *, const struct kv *, const char *,
		    struct host *, struct conf_hostpos *);
static void	 parse_host_ip(struct yp *, const struct kv *, const char *,
		    struct host *, struct conf_hostpos *);
static void	 parse_host_ip6(struct yp *, const struct kv *, const char *,
		    struct host *, struct conf_hostpos *);
static void	 parse_host_profile(struct yp *, const struct kv *,
		    const char *, struct host *, struct conf_hostpos *);
static void	 parse_install(struct yp *, const struct kv *, const char *,
		    struct host *, struct conf_hostpos *);
static void	 parse_vars(struct yp *, const struct kv *, const char *,
		    size_t);
static int	 var_key_valid(const char *);

static const char *const host_keys[] = {
	"mac", "uuid", "ip", "ip6", "profile", "install", "vars", NULL
};
enum { H_MAC, H_UUID, H_IP, H_IP6, H_PROFILE, H_INSTALL, H_VARS, H_N };

/* The parsers of host_keys before vars, each given "hosts.NAME.key". */
static void (*const host_parsers[H_VARS])(struct yp *, const struct kv *,
    const char *, struct host *, struct conf_hostpos *) = {
	parse_macs, parse_uuid, parse_host_ip, parse_host_ip6,
	parse_host_profile, parse_install
};

void
conf_parse_hosts(struct yp *yp, const struct kv *top)
{
	if ((yp->ld->hostpos = yp_map_alloc(yp, top, "hosts",
	    sizeof(*yp->ld->hostpos))) != NULL)
		yp_map_each(yp, top, parse_host);
}

/*
 * A host is added even when some of it is wrong, so that the checks
 * across hosts see it; duplicate names are found there too.
 */
static void
parse_host(struct yp *yp, yaml_node_t *k, yaml_node_t *v)
{
	struct host		 h;
	struct conf_hostpos	*hp;
	struct kv		 kv[H_N];
	char			 what[PXED_NAMELEN + 16];
	char			 field[PXED_NAMELEN + 32];
	size_t			 i, idx = yp->conf->nhosts;

	if (yp_node_name(yp, k, "host") == -1)
		return;
	memset(&h, 0, sizeof(h));
	strlcpy(h.conf.name, yp_node_str(k), sizeof(h.conf.name));
	h.conf.profile = -1;
	hp = &yp->ld->hostpos[idx];
	hp->name = yp_mark_pos(&k->start_mark);
	snprintf(what, sizeof(what), "hosts.%s", h.conf.name);
	if (yp_map_collect(yp, v, what, host_keys, kv) == 0) {
		if (kv[H_MAC].val == NULL)
			yp_yerr(yp, k, "missing key 'mac' in %s", what);
		for (i = 0; i < H_VARS; i++) {
			if (kv[i].val == NULL)
				continue;
			snprintf(field, sizeof(field), "%s.%s", what,
			    host_keys[i]);
			host_parsers[i](yp, &kv[i], field, &h, hp);
		}
	}
	if (config_add_host(yp->conf, &h) == -1) {
		yp_yerr(yp, k, "%s", strerror(errno));
		return;
	}
	parse_vars(yp, &kv[H_VARS], what, idx);
}

/* mac: one MAC, or a list of the host's NICs (at most PXED_HOSTMACS). */
static void
parse_macs(struct yp *yp, const struct kv *kv, const char *field,
    struct host *h, struct conf_hostpos *hp)
{
	yaml_node_item_t	*item;

	if (kv->val->type != YAML_SEQUENCE_NODE) {
		if (yp_get_scalar(yp, kv, field) != NULL)
			parse_one_mac(yp, kv->val, field, h, hp);
		return;
	}
	if (kv->val->data.sequence.items.start ==
	    kv->val->data.sequence.items.top)
		yp_yerr(yp, kv->val, "%s is an empty list", field);
	for (item = kv->val->data.sequence.items.start;
	    item < kv->val->data.sequence.items.top; item++)
		parse_one_mac(yp, yp_node_get(yp, *item), field, h, hp);
}

static void
parse_one_mac(struct yp *yp, yaml_node_t *n, const char *field,
    struct host *h, struct conf_hostpos *hp)
{
	uint8_t		 mac[6];
	const char	*s;
	uint32_t	 i;

	if (yp_node_want(yp, n, YAML_SCALAR_NODE, field) == -1)
		return;
	s = yp_node_str(n);
	if (strlen(s) != n->data.scalar.length || mac_parse(s, mac) == -1) {
		yp_yerr(yp, n, "bad MAC address '%s' for %s", s, field);
		return;
	}
	/* Zero is "no MAC" to DHCPv6 and who-is-asking: never a host's. */
	if ((mac[0] & 1) || memcmp(mac, "\0\0\0\0\0\0", 6) == 0) {
		yp_yerr(yp, n, "MAC %s of %s is %s, not a NIC's", s, field,
		    (mac[0] & 1) ? "a multicast address" : "all zero");
		return;
	}
	for (i = 0; i < h->conf.nmacs; i++)
		if (memcmp(h->conf.macs[i], mac, 6) == 0) {
			yp_yerr(yp, n, "MAC %s is listed twice in %s", s,
			    field);
			return;
		}
	if (h->conf.nmacs == PXED_HOSTMACS) {
		yp_yerr(yp, n, "%s has more than %d MACs", field,
		    PXED_HOSTMACS);
		return;
	}
	hp->mac[h->conf.nmacs] = yp_mark_pos(&n->start_mark);
	memcpy(h->conf.macs[h->conf.nmacs++], mac, 6);
}

/* uuid: as dmidecode -s system-uuid prints it. */
static void
parse_uuid(struct yp *yp, const struct kv *kv, const char *field,
    struct host *h, struct conf_hostpos *hp)
{
	const char	*s;

	if ((s = yp_get_scalar(yp, kv, field)) == NULL)
		return;
	if (uuid_parse(s, h->conf.uuid) == -1) {
		yp_yerr(yp, kv->val, "bad UUID '%s' for %s (want 8-4-4-4-12 "
		    "hex digits, as dmidecode -s system-uuid prints)", s,
		    field);
		return;
	}
	if (!uuid_usable(h->conf.uuid)) {
		yp_yerr(yp, kv->val, "UUID %s of %s is a board's \"no UUID\" "
		    "value, shared by every such board", s, h->conf.name);
		memset(h->conf.uuid, 0, sizeof(h->conf.uuid));
		return;
	}
	hp->uuid = yp_mark_pos(&kv->val->start_mark);
}

static void
parse_host_ip(struct yp *yp, const struct kv *kv, const char *field,
    struct host *h, struct conf_hostpos *hp)
{
	uint32_t	 a;

	if (yp_get_ip(yp, kv, field, &h->conf.ip) == -1)
		return;
	a = ntohl(h->conf.ip.s_addr);
	if (a == 0 || a >= 0xe0000000 || a >> 24 == 127) {
		yp_yerr(yp, kv->val, "ip %s of %s is not a unicast address",
		    yp_node_str(kv->val), h->conf.name);
		h->conf.ip.s_addr = INADDR_ANY;
	} else
		hp->ip = yp_mark_pos(&kv->val->start_mark);
}

/* Checked against the dhcp6 subnets in config6.c. */
static void
parse_host_ip6(struct yp *yp, const struct kv *kv, const char *field,
    struct host *h, struct conf_hostpos *hp)
{
	if (yp_get_ip6(yp, kv, field, &h->conf.ip6) == 0)
		hp->ip6 = yp_mark_pos(&kv->val->start_mark);
}

static void
parse_host_profile(struct yp *yp, const struct kv *kv, const char *field,
    struct host *h, struct conf_hostpos *hp)
{
	struct config	*conf = yp->conf;
	const char	*s;
	size_t		 i;

	if ((s = yp_get_scalar(yp, kv, field)) == NULL)
		return;
	hp->profile = yp_mark_pos(&kv->val->start_mark);
	for (i = 0; i < conf->nprofiles; i++) {
		if (strcmp(conf->profiles[i].name, s) == 0) {
			h->conf.profile = i;
			return;
		}
	}
	yp_yerr(yp, kv->val, "unknown profile '%s' for host %s", s,
	    h->conf.name);
}

static void
parse_install(struct yp *yp, const struct kv *kv, const char *field,
    struct host *h, struct conf_hostpos *hp)
{
	if (yp_get_bool(yp, kv, field, &h->conf.install) == 0)
		hp->install = yp_mark_pos(&kv->val->start_mark);
}

static void
parse_vars(struct yp *yp, const struct kv *top, const char *what,
    size_t idx)
{
	yaml_node_pair_t	*pair;
	struct host_var		 hv;
	struct kv		 kv;
	char			 field[PXED_NAMELEN + 32], vfield[160];
	const char		*key;
	size_t			 n;

	snprintf(field, sizeof(field), "%s.vars", what);
	if ((n = yp_map_size(yp, top, field)) == 0)
		return;
	/* Bounded, so that the duplicate check below stays cheap. */
	if (n > CONF_MAXVARS) {
		yp_yerr(yp, top->key, "%s has %zu vars, more than %d", field, n,
		    CONF_MAXVARS);
		return;
	}
	for (pair = top->val->data.mapping.pairs.start;
	    pair < top->val->data.mapping.pairs.top; pair++) {
		kv.key = yp_node_get(yp, pair->key);
		kv.val = yp_node_get(yp, pair->value);
		if (yp_node_want(yp, kv.key, YAML_SCALAR_NODE, "a var name") == -1)
			continue;
		key = yp_node_str(kv.key);
		if (!var_key_valid(key)) {
			yp_yerr(yp, kv.key, "bad var name '%s' in %s (1 to 63 "
			    "letters, digits, '_' or '.')", key, field);
			continue;
		}
		if (config_host_var(yp->conf, idx, key) != NULL) {
			yp_yerr(yp, kv.key, "duplicate key '%s' in %s", key,
			    field);
			continue;
		}
		memset(&hv, 0, sizeof(hv));
		hv.host = idx;
		strlcpy(hv.key, key, sizeof(hv.key));
		snprintf(vfield, sizeof(vfield), "%s.%s", field, key);
		if (yp_node_null(kv.val))
			kv.val = NULL;
		if (yp_get_str(yp, &kv, vfield, hv.value, sizeof(hv.value)) == 0 &&
		    config_add_var(yp->conf, &hv) == -1)
			yp_yerr(yp, kv.key, "%s", strerror(errno));
	}
}

/* What {{vars.KEY}} can name: 1-63 of [A-Za-z0-9_.], not starting with '.'. */
static int
var_key_valid(const char *s)
{
	size_t	 i;

	if (s[0] == '.')
		return 0;
	for (i = 0; s[i] != '\0'; i++) {
		if (i >= PXED_VARKEYLEN - 1 || !(isalnum((unsigned char)s[i]) ||
		    s[i] == '_' || s[i] == '.'))
			return 0;
	}
	return i > 0;
}
