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
 * The configuration's arrays, shared by the master's loader and the
 * workers' RECONF handlers.  Arrays grow by doubling at powers of two,
 * so they need no capacity field.
 */

#include <stdlib.h>
#include <string.h>

#include "pxed.h"

#define CONF_MINCAP	8
/* The most hosts, MACs or vars config_reserve believes. */
#define CONF_RESERVE_MAX	(1 << 22)
/* The host tables of idx_mask's size: by name, UUID, address, IPv6. */
#define IDX_NTABLES	4

static void	*conf_room(void *, size_t, size_t *, size_t);
static struct host *idx_lookup(const struct config *, const uint32_t *,
		    size_t, uint32_t, int (*)(const struct host *, const void *),
		    const void *);
static int	 match_name(const struct host *, const void *);
static int	 match_mac(const struct host *, const void *);
static int	 match_uuid(const struct host *, const void *);
static int	 match_ip(const struct host *, const void *);
static int	 match_ip6(const struct host *, const void *);
static void	 idx_put(uint32_t *, size_t, uint32_t, size_t);
static void	 idx_place(struct config *, size_t);
static void	 mac_place(struct config *, size_t);
static size_t	 idx_size(size_t);
static void	 idx_tables(struct config *, uint32_t **[IDX_NTABLES]);
static int	 idx_alloc(struct config *, size_t);
static void	 idx_drop(struct config *);
static int	 idx_insert(struct config *, size_t);

void
config_init(struct config *conf)
{
	memset(conf, 0, sizeof(*conf));
}

void
config_free(struct config *conf)
{
	size_t	 i;

	if (conf->templates != NULL) {
		for (i = 0; i < conf->nprofiles; i++)
			free(conf->templates[i]);
	}
	free(conf->subnets);
	free(conf->subnets6);
	free(conf->profiles);
	free(conf->templates);
	free(conf->hosts);
	idx_drop(conf);
	free(conf->bymac);
	free(conf->vars);
	config_init(conf);
}

/*
 * arr (n elements of size, room for *cap) with room for one more: it
 * doubles when full.  NULL when memory is short (arr is then still
 * valid).
 */
static void *
conf_room(void *arr, size_t n, size_t *cap, size_t size)
{
	size_t	 want;

	if (n < *cap)
		return arr;
	for (want = *cap ? *cap * 2 : CONF_MINCAP; want <= n; want *= 2)
		;
	if ((arr = reallocarray(arr, want, size)) != NULL)
		*cap = want;
	return arr;
}

/*
 * Hosts by name, by fixed address (of either family), by UUID and by
 * every one of their MACs: open-addressed tables of host indexes plus
 * one, kept at most half full as hosts are added, so that a DHCP
 * request, a menu, a done report, a lease check or a reload over
 * 100,000 hosts does not walk the inventory.  Names, MACs, UUIDs and
 * fixed addresses are unique in a valid inventory; of two equal keys the
 * first host wins.  A configuration made by hand (no tables) is searched
 * in order.
 */
/*
 * The first host that matches key: through table t when the
 * configuration has its tables, probing from hash, else in order.
 */
static struct host *
idx_lookup(const struct config *conf, const uint32_t *t, size_t mask,
    uint32_t hash, int (*match)(const struct host *, const void *),
    const void *key)
{
	size_t	 i, s;

	if (t == NULL) {
		for (i = 0; i < conf->nhosts; i++)
			if (match(&conf->hosts[i], key))
				return &conf->hosts[i];
		return NULL;
	}
	for (s = hash & mask; t[s] != 0; s = (s + 1) & mask) {
		i = t[s] - 1;
		if (match(&conf->hosts[i], key))
			return &conf->hosts[i];
	}
	return NULL;
}

static int
match_name(const struct host *h, const void *name)
{
	return strcmp(h->conf.name, name) == 0;
}

static int
match_mac(const struct host *h, const void *mac)
{
	return host_has_mac(h, mac);
}

static int
match_uuid(const struct host *h, const void *u)
{
	return memcmp(h->conf.uuid, u, PXED_UUIDLEN) == 0;
}

static int
match_ip(const struct host *h, const void *ip)
{
	return h->conf.ip.s_addr == ((const struct in_addr *)ip)->s_addr;
}

static int
match_ip6(const struct host *h, const void *ip6)
{
	return memcmp(&h->conf.ip6, ip6, sizeof(h->conf.ip6)) == 0;
}

struct host *
config_find_host(const struct config *conf, const char *name)
{
	return idx_lookup(conf, conf->byname, conf->idx_mask,
	    hash_fnv1a(name, strlen(name)), match_name, name);
}

int
host_has_mac(const struct host *h, const uint8_t mac[6])
{
	uint32_t	 i;

	for (i = 0; i < h->conf.nmacs && i < PXED_HOSTMACS; i++)
		if (memcmp(h->conf.macs[i], mac, 6) == 0)
			return 1;
	return 0;
}

struct host *
config_host_by_mac(const struct config *conf, const uint8_t mac[6])
{
	static const uint8_t	 zero[6];

	/* All zero: a client that named no MAC (DHCPv6), nobody. */
	if (memcmp(mac, zero, 6) == 0)
		return NULL;
	return idx_lookup(conf, conf->bymac, conf->mac_mask,
	    hash_fnv1a(mac, 6), match_mac, mac);
}

/* The host with this UUID, as written in the inventory. */
static struct host *
host_by_uuid_exact(const struct config *conf, const uint8_t u[PXED_UUIDLEN])
{
	if (!uuid_usable(u))
		return NULL;
	return idx_lookup(conf, conf->byuuid, conf->idx_mask,
	    hash_fnv1a(u, PXED_UUIDLEN), match_uuid, u);
}

/*
 * The host with a UUID as a client sent it: in the order dmidecode
 * prints, or with the first three fields swapped (GUID order).
 */
struct host *
config_host_by_uuid(const struct config *conf, const uint8_t u[PXED_UUIDLEN])
{
	struct host	*h;
	uint8_t		 sw[PXED_UUIDLEN];

	if ((h = host_by_uuid_exact(conf, u)) != NULL)
		return h;
	uuid_swap(u, sw);
	return host_by_uuid_exact(conf, sw);
}

/* A client: its MAC first, then its UUID (NULL or zero: none). */
struct host *
config_host_by_client(const struct config *conf, const uint8_t mac[6],
    const uint8_t uuid[PXED_UUIDLEN])
{
	struct host	*h;

	if ((h = config_host_by_mac(conf, mac)) != NULL || uuid == NULL)
		return h;
	return config_host_by_uuid(conf, uuid);
}

/* The host whose fixed address is ip; none for INADDR_ANY. */
struct host *
config_host_by_ip(const struct config *conf, struct in_addr ip)
{
	if (ip.s_addr == INADDR_ANY)
		return NULL;
	return idx_lookup(conf, conf->byip, conf->idx_mask,
	    hash_fnv1a(&ip.s_addr, 4), match_ip, &ip);
}

/* The host whose fixed IPv6 address is ip6; none for "::". */
struct host *
config_host_by_ip6(const struct config *conf, const struct in6_addr *ip6)
{
	if (IN6_IS_ADDR_UNSPECIFIED(ip6))
		return NULL;
	return idx_lookup(conf, conf->byip6, conf->idx_mask,
	    hash_fnv1a(ip6, sizeof(*ip6)), match_ip6, ip6);
}

/* The dhcp subnet that holds ip, -1 if none. */
int
subnet_find(const struct config *conf, struct in_addr ip)
{
	size_t	 i;

	for (i = 0; i < conf->nsubnets; i++)
		if ((ip.s_addr & conf->subnets[i].netmask.s_addr) ==
		    conf->subnets[i].network.s_addr)
			return (int)i;
	return -1;
}

/* The dhcp6 subnet that holds a, -1 if none. */
int
subnet6_of(const struct config *conf, const struct in6_addr *a)
{
	size_t	 i;

	for (i = 0; i < conf->nsubnets6; i++)
		if (prefix_eq(a, &conf->subnets6[i].network,
		    conf->subnets6[i].prefixlen))
			return (int)i;
	return -1;
}

static void
idx_put(uint32_t *t, size_t mask, uint32_t hash, size_t idx)
{
	size_t	 s;

	for (s = hash & mask; t[s] != 0; s = (s + 1) & mask)
		;
	t[s] = (uint32_t)idx + 1;
}

static void
idx_place(struct config *conf, size_t idx)
{
	const struct host_conf	*hc = &conf->hosts[idx].conf;

	idx_put(conf->byname, conf->idx_mask,
	    hash_fnv1a(hc->name, strlen(hc->name)), idx);
	if (hc->ip.s_addr != INADDR_ANY)
		idx_put(conf->byip, conf->idx_mask,
		    hash_fnv1a(&hc->ip.s_addr, 4), idx);
	if (uuid_usable(hc->uuid))
		idx_put(conf->byuuid, conf->idx_mask,
		    hash_fnv1a(hc->uuid, PXED_UUIDLEN), idx);
	if (!IN6_IS_ADDR_UNSPECIFIED(&hc->ip6))
		idx_put(conf->byip6, conf->idx_mask,
		    hash_fnv1a(&hc->ip6, sizeof(hc->ip6)), idx);
}

static void
mac_place(struct config *conf, size_t idx)
{
	const struct host_conf	*hc = &conf->hosts[idx].conf;
	uint32_t		 i;

	for (i = 0; i < hc->nmacs && i < PXED_HOSTMACS; i++)
		idx_put(conf->bymac, conf->mac_mask,
		    hash_fnv1a(hc->macs[i], 6), idx);
}

/* size slots for n keys, at most half full. */
static size_t
idx_size(size_t n)
{
	size_t	 size;

	for (size = 16; n * 2 > size; size *= 2)
		;
	return size;
}

/* Every table of idx_mask's size, so that none is missed. */
static void
idx_tables(struct config *conf, uint32_t **t[IDX_NTABLES])
{
	t[0] = &conf->byname;
	t[1] = &conf->byuuid;
	t[2] = &conf->byip;
	t[3] = &conf->byip6;
}

/* Those tables anew, empty, of size slots: all or none.  0, or -1. */
static int
idx_alloc(struct config *conf, size_t size)
{
	uint32_t	**t[IDX_NTABLES], *n[IDX_NTABLES];
	size_t		 i;

	for (i = 0; i < IDX_NTABLES; i++) {
		if ((n[i] = calloc(size, sizeof(*n[i]))) == NULL) {
			while (i > 0)
				free(n[--i]);
			return -1;
		}
	}
	idx_tables(conf, t);
	for (i = 0; i < IDX_NTABLES; i++) {
		free(*t[i]);
		*t[i] = n[i];
	}
	conf->idx_mask = size - 1;
	return 0;
}

static void
idx_drop(struct config *conf)
{
	uint32_t	**t[IDX_NTABLES];
	size_t		 i;

	idx_tables(conf, t);
	for (i = 0; i < IDX_NTABLES; i++) {
		free(*t[i]);
		*t[i] = NULL;
	}
	conf->idx_mask = 0;
}

/* Host idx into the tables, rebuilt twice as big when half full. */
static int
idx_insert(struct config *conf, size_t idx)
{
	uint32_t	*m;
	size_t		 size, i, nm;

	nm = conf->nmacs + conf->hosts[idx].conf.nmacs;
	if (conf->bymac == NULL || nm * 2 > conf->mac_mask + 1) {
		size = idx_size(nm);
		if ((m = calloc(size, sizeof(*m))) == NULL)
			return -1;
		free(conf->bymac);
		conf->bymac = m;
		conf->mac_mask = size - 1;
		/* In index order: the first of two equal keys wins. */
		for (i = 0; i < idx; i++)
			mac_place(conf, i);
	}
	if (conf->byname == NULL || (idx + 1) * 2 > conf->idx_mask + 1) {
		if (idx_alloc(conf, idx_size(idx + 1)) == -1)
			return -1;
		for (i = 0; i < idx; i++)
			idx_place(conf, i);
	}
	idx_place(conf, idx);
	mac_place(conf, idx);
	conf->nmacs = nm;
	return 0;
}

/*
 * Room for nhosts hosts with nmacs MACs and nvars vars, told at the
 * start of a configuration stream, in an empty configuration: the
 * arrays and the index tables are made once at their size instead of
 * doubling (and rehashing) on the way, each a stall of its own with
 * 100,000 hosts.  Counts past CONF_RESERVE_MAX are not trusted: the
 * arrays then grow as hosts come.
 */
int
config_reserve(struct config *conf, size_t nhosts, size_t nmacs,
    size_t nvars)
{
	size_t	 size, msize;

	if (conf->nhosts != 0 || conf->hosts != NULL || conf->vars != NULL ||
	    conf->byname != NULL || conf->bymac != NULL)
		return -1;
	if (nhosts > CONF_RESERVE_MAX || nmacs > CONF_RESERVE_MAX ||
	    nvars > CONF_RESERVE_MAX || nhosts == 0)
		return 0;
	size = idx_size(nhosts);
	msize = idx_size(nmacs);
	if ((conf->hosts = reallocarray(NULL, nhosts, sizeof(*conf->hosts)))
	    == NULL ||
	    (nvars > 0 && (conf->vars = reallocarray(NULL, nvars,
	    sizeof(*conf->vars))) == NULL) ||
	    idx_alloc(conf, size) == -1 ||
	    (conf->bymac = calloc(msize, sizeof(uint32_t))) == NULL) {
		free(conf->hosts);
		free(conf->vars);
		idx_drop(conf);
		conf->hosts = NULL;
		conf->vars = NULL;
		return -1;
	}
	conf->hosts_cap = nhosts;
	conf->vars_cap = conf->vars != NULL ? nvars : 0;
	conf->mac_mask = msize - 1;
	return 0;
}

int
config_add_subnet(struct config *conf, const struct subnet_conf *sc)
{
	struct subnet_conf	*p;

	if ((p = conf_room(conf->subnets, conf->nsubnets,
	    &conf->subnets_cap, sizeof(*p))) == NULL)
		return -1;
	conf->subnets = p;
	conf->subnets[conf->nsubnets++] = *sc;
	return 0;
}

int
config_add_subnet6(struct config *conf, const struct subnet6_conf *sc)
{
	struct subnet6_conf	*p;

	if ((p = conf_room(conf->subnets6, conf->nsubnets6,
	    &conf->subnets6_cap, sizeof(*p))) == NULL)
		return -1;
	conf->subnets6 = p;
	conf->subnets6[conf->nsubnets6++] = *sc;
	return 0;
}

/* Adds the profile with no template (a NULL slot in templates). */
int
config_add_profile(struct config *conf, const struct profile_conf *pc)
{
	struct profile_conf	*p;
	char			**t;
	size_t			 cap;

	/* templates is parallel to profiles: grown first, to its size. */
	cap = conf->profiles_cap;
	if ((t = conf_room(conf->templates, conf->nprofiles, &cap,
	    sizeof(*t))) == NULL)
		return -1;
	conf->templates = t;
	if ((p = conf_room(conf->profiles, conf->nprofiles,
	    &conf->profiles_cap, sizeof(*p))) == NULL)
		return -1;
	conf->profiles = p;
	conf->profiles[conf->nprofiles] = *pc;
	conf->templates[conf->nprofiles] = NULL;
	conf->nprofiles++;
	return 0;
}

int
config_add_host(struct config *conf, const struct host *h)
{
	struct host	*p;

	if ((p = conf_room(conf->hosts, conf->nhosts, &conf->hosts_cap,
	    sizeof(*p))) == NULL)
		return -1;
	conf->hosts = p;
	conf->hosts[conf->nhosts] = *h;
	if (idx_insert(conf, conf->nhosts) == -1)
		return -1;
	conf->nhosts++;
	return 0;
}

/*
 * Vars stay sorted by host index, so that config_host_var can search;
 * adding them host by host, as the loader and the RECONF stream do,
 * only appends.
 */
int
config_add_var(struct config *conf, const struct host_var *v)
{
	struct host_var	*p;
	size_t		 pos;

	if ((p = conf_room(conf->vars, conf->nvars, &conf->vars_cap,
	    sizeof(*p))) == NULL)
		return -1;
	conf->vars = p;
	pos = conf->nvars;
	while (pos > 0 && conf->vars[pos - 1].host > v->host)
		pos--;
	memmove(&conf->vars[pos + 1], &conf->vars[pos],
	    (conf->nvars - pos) * sizeof(*v));
	conf->vars[pos] = *v;
	conf->nvars++;
	return 0;
}

/* The value of host hostidx's var key, or NULL. */
const char *
config_host_var(const struct config *conf, size_t hostidx, const char *key)
{
	size_t	 lo = 0, hi = conf->nvars, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (conf->vars[mid].host < hostidx)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < conf->nvars && conf->vars[lo].host == hostidx; lo++) {
		if (strcmp(conf->vars[lo].key, key) == 0)
			return conf->vars[lo].value;
	}
	return NULL;
}
