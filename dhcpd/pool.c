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
 * The worker's lease table: one entry per address ever handed out,
 * indexed by address and by MAC, and per subnet three queues: used
 * (ACK'd or declined, by expiry), offered (short reservations) and free
 * (released or expired, oldest first).  The master keeps the durable
 * copy; this table is rebuilt from it when the worker starts.
 */

#include <sys/types.h>
#include <arpa/inet.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dhcpd.h"
#include "log.h"

#define LEASE_BUCKETS	(1 << 17)	/* sized for 100,000 leases */
#define LEASE_SLAB	1024
#define FLOOD_WINDOW	1000		/* ms */
#define FLOOD_MAX	16		/* requests per MAC per window */

enum { LQ_NONE = 0, LQ_USED, LQ_OFFER, LQ_FREE, LQ_MAX };

TAILQ_HEAD(lease_q, lease);

struct pool {
	struct lease_q	 q[LQ_MAX];
	uint32_t	 lo, hi;	/* host order */
	uint32_t	 cursor;	/* next never-used candidate */
};

static struct lease	**by_ip, **by_mac;
static struct lease	 *slab;
static size_t		  slab_used = LEASE_SLAB, nleases;
static struct pool	 *pools;
static size_t		  npools;
static const struct config *lconf;

static uint32_t		 ip_hash(struct in_addr);
static struct lease	*lease_new(struct in_addr);
static void		 mac_unbind(struct lease *);
static void		 queue_move(struct lease *, int);
static void		 pool_reclaim(struct pool *, int64_t);
static int		 in_pool(const struct pool *, struct in_addr);
static int		 pool_of(struct in_addr);
static int		 expires_cmp(const void *, const void *);

static uint32_t
ip_hash(struct in_addr ip)
{
	return ntohl(ip.s_addr) * 2654435761u;
}

void
leases_init(void)
{
	if (by_ip != NULL)
		return;
	by_ip = calloc(LEASE_BUCKETS, sizeof(*by_ip));
	by_mac = calloc(LEASE_BUCKETS, sizeof(*by_mac));
	if (by_ip == NULL || by_mac == NULL)
		fatal("leases_init");
}

size_t
leases_count(void)
{
	return nleases;
}

static struct lease *
lease_new(struct in_addr ip)
{
	struct lease	*l;
	uint32_t	 b;

	if (slab_used == LEASE_SLAB) {
		if ((slab = calloc(LEASE_SLAB, sizeof(*slab))) == NULL)
			fatal("lease slab");
		slab_used = 0;
	}
	l = &slab[slab_used++];
	l->ip = ip;
	l->subnet = -1;
	l->state = LEASE_FREE;
	b = ip_hash(ip) & (LEASE_BUCKETS - 1);
	l->ipnext = by_ip[b];
	by_ip[b] = l;
	nleases++;
	return l;
}

struct lease *
leases_by_ip(struct in_addr ip)
{
	struct lease	*l;

	for (l = by_ip[ip_hash(ip) & (LEASE_BUCKETS - 1)]; l != NULL;
	    l = l->ipnext)
		if (l->ip.s_addr == ip.s_addr)
			return l;
	return NULL;
}

struct lease *
leases_by_mac(const uint8_t *mac)
{
	struct lease	*l;

	for (l = by_mac[hash_fnv1a(mac, 6) & (LEASE_BUCKETS - 1)]; l != NULL;
	    l = l->macnext)
		if (memcmp(l->mac, mac, 6) == 0)
			return l;
	return NULL;
}

static void
mac_unbind(struct lease *l)
{
	struct lease	**pp;

	if (!l->indexed)
		return;
	for (pp = &by_mac[hash_fnv1a(l->mac, 6) & (LEASE_BUCKETS - 1)];
	    *pp != NULL; pp = &(*pp)->macnext)
		if (*pp == l) {
			*pp = l->macnext;
			break;
		}
	l->indexed = 0;
}

/* Make l the entry of mac, taking it from whichever entry had it. */
void
leases_bind(struct lease *l, const uint8_t *mac)
{
	struct lease	*old;
	uint32_t	 b;

	if (l->indexed && memcmp(l->mac, mac, 6) == 0)
		return;
	mac_unbind(l);
	if ((old = leases_by_mac(mac)) != NULL)
		mac_unbind(old);
	memcpy(l->mac, mac, 6);
	memset(l->uuid, 0, sizeof(l->uuid));	/* another NIC's no more */
	b = hash_fnv1a(mac, 6) & (LEASE_BUCKETS - 1);
	l->macnext = by_mac[b];
	by_mac[b] = l;
	l->indexed = 1;
}

static void
queue_move(struct lease *l, int q)
{
	struct pool	*p;

	if (l->subnet < 0 || (size_t)l->subnet >= npools) {
		l->queue = LQ_NONE;
		return;
	}
	p = &pools[l->subnet];
	if (l->queue != LQ_NONE)
		TAILQ_REMOVE(&p->q[l->queue], l, q);
	l->queue = q;
	if (q != LQ_NONE)
		TAILQ_INSERT_TAIL(&p->q[q], l, q);
}

/* Record a new state; the queue follows from it. */
void
leases_set(struct lease *l, const uint8_t *mac, uint32_t state,
    int64_t expires)
{
	if (mac != NULL && state != LEASE_DECLINED)
		leases_bind(l, mac);
	else if (state == LEASE_DECLINED)
		mac_unbind(l);
	l->state = state;
	l->expires = expires;
	switch (state) {
	case LEASE_ACTIVE:
	case LEASE_DECLINED:
		queue_move(l, LQ_USED);
		break;
	case LEASE_OFFERED:
		queue_move(l, LQ_OFFER);
		break;
	default:
		queue_move(l, LQ_FREE);
		break;
	}
}

/* A lease from the master's table, at start. */
void
leases_load(const struct lease_msg *lm)
{
	struct lease	*l;

	if ((l = leases_by_ip(lm->ip)) == NULL)
		l = lease_new(lm->ip);
	if (lm->state != LEASE_DECLINED)
		leases_bind(l, lm->mac);
	if (uuid_usable(lm->uuid))
		memcpy(l->uuid, lm->uuid, sizeof(l->uuid));
	l->state = lm->state;
	l->expires = lm->expires;
}

struct lease *
leases_get(struct in_addr ip, const uint8_t *mac)
{
	struct lease	*l;

	if ((l = leases_by_ip(ip)) == NULL) {
		l = lease_new(ip);
		l->subnet = pool_of(ip);
	}
	if (mac != NULL && l->state != LEASE_DECLINED)
		leases_bind(l, mac);
	return l;
}

static int
in_pool(const struct pool *p, struct in_addr ip)
{
	uint32_t	 h = ntohl(ip.s_addr);

	return h >= p->lo && h <= p->hi;
}

/* The pool an address belongs to, -1 for fixed and outside addresses. */
static int
pool_of(struct in_addr ip)
{
	int	 s;

	if (lconf == NULL || (s = subnet_find(lconf, ip)) == -1 ||
	    !in_pool(&pools[s], ip) || leases_fixed_ip(ip))
		return -1;
	return s;
}

static int
expires_cmp(const void *a, const void *b)
{
	int64_t	 x = (*(struct lease * const *)a)->expires;
	int64_t	 y = (*(struct lease * const *)b)->expires;

	return x < y ? -1 : x > y;
}

/* The host a client is: by its MAC, else by its UUID (NULL: none). */
const struct host *
leases_host(const uint8_t *mac, const uint8_t *uuid)
{
	return config_host_by_client(lconf, mac, uuid);
}

/* Whether ip is the fixed address of an inventory host. */
int
leases_fixed_ip(struct in_addr ip)
{
	return config_host_by_ip(lconf, ip) != NULL;
}

/*
 * Rebuild the pools for a new configuration, which indexes its hosts
 * itself.  The queues are filled in order of expiry, so that the free
 * queue keeps handing out the address that has been free longest.
 */
void
leases_reconf(const struct config *conf)
{
	struct lease	*l, **v;
	size_t		 i, q, n = 0;

	lconf = conf;
	free(pools);
	npools = conf->nsubnets;
	if ((pools = calloc(npools + 1, sizeof(*pools))) == NULL)
		fatal("pools");
	for (i = 0; i < npools; i++) {
		for (q = 0; q < LQ_MAX; q++)
			TAILQ_INIT(&pools[i].q[q]);
		pools[i].lo = ntohl(conf->subnets[i].range_lo.s_addr);
		pools[i].hi = ntohl(conf->subnets[i].range_hi.s_addr);
		pools[i].cursor = pools[i].lo;
	}
	if ((v = reallocarray(NULL, nleases + 1, sizeof(*v))) == NULL)
		fatal("leases_reconf");
	for (i = 0; i < LEASE_BUCKETS; i++)
		for (l = by_ip[i]; l != NULL; l = l->ipnext) {
			l->queue = LQ_NONE;
			l->subnet = pool_of(l->ip);
			v[n++] = l;
		}
	/* Not qsort: see sort_ptrs. */
	if (sort_ptrs((void **)v, n, expires_cmp) == -1)
		fatal("leases_reconf");
	for (i = 0; i < n; i++)
		leases_set(v[i], NULL, v[i]->state, v[i]->expires);
	free(v);
}

/* Move what has run out to the free queue, in the order it ran out. */
static void
pool_reclaim(struct pool *p, int64_t now)
{
	struct lease	*l;
	int		 q;

	for (q = LQ_USED; q <= LQ_OFFER; q++)
		while ((l = TAILQ_FIRST(&p->q[q])) != NULL &&
		    l->expires <= now) {
			l->state = LEASE_FREE;
			queue_move(l, LQ_FREE);
		}
}

/*
 * A pool address for mac in subnet sn: its own entry, else the one it
 * asked for if free, else one never handed out, else the free entry
 * that has been free longest.  Fixed addresses are never taken.
 */
struct lease *
leases_pick(const struct config *conf, size_t sn, const uint8_t *mac,
    struct in_addr want)
{
	struct pool	*p = &pools[sn];
	struct lease	*l;
	struct in_addr	 ip;

	(void)conf;
	pool_reclaim(p, time(NULL));
	if ((l = leases_by_mac(mac)) != NULL && l->subnet == (int32_t)sn &&
	    l->state != LEASE_DECLINED)
		return l;
	if (want.s_addr != INADDR_ANY && in_pool(p, want) &&
	    !leases_fixed_ip(want)) {
		if ((l = leases_by_ip(want)) == NULL)
			return leases_get(want, NULL);
		if (l->queue == LQ_FREE && !l->indexed)
			return l;
	}
	while (p->cursor <= p->hi && p->cursor >= p->lo) {
		ip.s_addr = htonl(p->cursor++);
		if (!leases_fixed_ip(ip) && leases_by_ip(ip) == NULL)
			return leases_get(ip, NULL);
	}
	if ((l = TAILQ_FIRST(&p->q[LQ_FREE])) != NULL) {
		mac_unbind(l);
		return l;
	}
	return NULL;
}

/*
 * Flood control: at most FLOOD_MAX requests a second from one client (a
 * MAC over DHCP, a DUID over DHCPv6), counted in its lease.  1: drop.
 */
int
flood_limit(uint8_t *count, uint32_t *window, uint64_t now)
{
	if ((uint32_t)now - *window >= FLOOD_WINDOW) {
		*window = (uint32_t)now;
		*count = 0;
	}
	if (*count <= FLOOD_MAX)
		(*count)++;
	return *count > FLOOD_MAX;
}
