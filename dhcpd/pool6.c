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
 * The worker's IPv6 lease table: one entry per address handed out,
 * indexed by address and by the client's DUID (firmware draws a new
 * IAID each boot, so the DUID alone names the client).  Offers are
 * short reservations in a FIFO; an expired one is recycled before a new
 * entry is made.  Clients outside the inventory (strangers) hold at
 * most POOL6_STRANGERS entries of a subnet, offered or leased, and never
 * more than three quarters of its range: past that a stranger only gets
 * an address whose lease to another stranger has run out.  So a flood
 * of SOLICITs or rapid commits from random DUIDs costs bounded memory
 * and leaves room in the pool for inventory hosts.
 */

#include <sys/queue.h>
#include <sys/types.h>
#include <arpa/inet.h>

#include <stdlib.h>
#include <string.h>

#include "dhcp6.h"
#include "dhcpd.h"
#include "log.h"

#define L6_BUCKETS	(1 << 16)
#define L6_SLAB		256
#define POOL6_STRANGERS	65536		/* entries of strangers, a subnet */
#define POOL6_PROBES	64		/* addresses tried for one client */

TAILQ_HEAD(lease6_q, lease6);

static struct lease6	**by_addr, **by_duid;
static struct lease6	 *slab;
static size_t		  slab_used = L6_SLAB, nleases6;
static struct lease6_q	  offers = TAILQ_HEAD_INITIALIZER(offers);
static struct lease6_q	  spare = TAILQ_HEAD_INITIALIZER(spare);
struct pool6 {
	uint64_t	 cursor;	/* next offset to try */
	uint32_t	 strangers;	/* entries bound to strangers */
};

static struct pool6	 *pools;	/* one a subnet6 */
static size_t		  npools;

static uint32_t		 addr_hash(const struct in6_addr *);
static uint32_t		 duid_hash(const uint8_t *, size_t);
static struct lease6	*lease6_new(const struct in6_addr *);
static void		 lease6_unlink(struct lease6 *);
static void		 duid_unbind(struct lease6 *);
static void		 offer_recycle(int64_t);
static void		 pool6_tables(void);
static void		 stranger_count(const struct lease6 *, int);
static int		 addr_free(const struct config *,
			    const struct in6_addr *, int64_t);

static uint32_t
addr_hash(const struct in6_addr *a)
{
	return hash_fnv1a(a, sizeof(*a)) & (L6_BUCKETS - 1);
}

static uint32_t
duid_hash(const uint8_t *duid, size_t len)
{
	return hash_fnv1a(duid, len) & (L6_BUCKETS - 1);
}

static void
pool6_tables(void)
{
	if (by_addr == NULL && ((by_addr = calloc(L6_BUCKETS,
	    sizeof(*by_addr))) == NULL || (by_duid = calloc(L6_BUCKETS,
	    sizeof(*by_duid))) == NULL))
		fatal("pool6_init");
}

/*
 * A configuration, the first or a reload's: every lease learns its
 * subnet again (their list may have changed).
 */
void
pool6_init(const struct config *conf)
{
	struct lease6	*l;
	struct pool6	*p;
	size_t		 b;

	pool6_tables();
	/* A reload keeps the cursors of the subnets it keeps. */
	if (conf->nsubnets6 > npools) {
		if ((p = reallocarray(pools, conf->nsubnets6,
		    sizeof(*p))) == NULL)
			fatal("pool6_init");
		memset(p + npools, 0, (conf->nsubnets6 - npools) *
		    sizeof(*p));
		pools = p;
		npools = conf->nsubnets6;
	}
	for (b = 0; b < npools; b++)
		pools[b].strangers = 0;
	for (b = 0; b < L6_BUCKETS; b++)
		for (l = by_addr[b]; l != NULL; l = l->anext) {
			l->subnet = (int16_t)subnet6_of(conf, &l->addr);
			l->stranger = config_host_by_client(conf, l->mac,
			    l->uuid) == NULL;
			if (l->stranger && l->subnet >= 0)
				pools[l->subnet].strangers++;
		}
}

/* Counting the entries of strangers: in (+1) or out (-1) of its subnet. */
static void
stranger_count(const struct lease6 *l, int dir)
{
	if (!l->stranger || l->subnet < 0 || (size_t)l->subnet >= npools)
		return;
	pools[l->subnet].strangers += dir;
}

size_t
pool6_count(void)
{
	return nleases6;
}

static struct lease6 *
lease6_new(const struct in6_addr *a)
{
	struct lease6	*l;
	uint32_t	 b;

	if ((l = TAILQ_FIRST(&spare)) != NULL)
		TAILQ_REMOVE(&spare, l, q);
	else {
		if (slab_used == L6_SLAB) {
			if ((slab = calloc(L6_SLAB, sizeof(*slab))) == NULL)
				fatal("lease6 slab");
			slab_used = 0;
		}
		l = &slab[slab_used++];
	}
	memset(l, 0, sizeof(*l));
	l->addr = *a;
	l->subnet = -1;
	b = addr_hash(a);
	l->anext = by_addr[b];
	by_addr[b] = l;
	nleases6++;
	return l;
}

struct lease6 *
pool6_by_addr(const struct in6_addr *a)
{
	struct lease6	*l;

	for (l = by_addr[addr_hash(a)]; l != NULL; l = l->anext)
		if (memcmp(&l->addr, a, sizeof(*a)) == 0)
			return l;
	return NULL;
}

/* The client's lease in subnet sn (any subnet: -1), NULL if none. */
struct lease6 *
pool6_by_duid(const uint8_t *duid, size_t len, int sn)
{
	struct lease6	*l;

	for (l = by_duid[duid_hash(duid, len)]; l != NULL; l = l->dnext)
		if (l->duidlen == len && memcmp(l->duid, duid, len) == 0 &&
		    (sn == -1 || l->subnet == sn))
			return l;
	return NULL;
}

static void
duid_unbind(struct lease6 *l)
{
	struct lease6	**pp;

	if (!l->indexed)
		return;
	for (pp = &by_duid[duid_hash(l->duid, l->duidlen)]; *pp != NULL;
	    pp = &(*pp)->dnext)
		if (*pp == l) {
			*pp = l->dnext;
			break;
		}
	l->indexed = 0;
}

/* The entry leaves both indexes and waits in spare for its next use. */
static void
lease6_unlink(struct lease6 *l)
{
	struct lease6	**pp;

	duid_unbind(l);
	stranger_count(l, -1);
	for (pp = &by_addr[addr_hash(&l->addr)]; *pp != NULL;
	    pp = &(*pp)->anext)
		if (*pp == l) {
			*pp = l->anext;
			break;
		}
	if (l->offered)
		TAILQ_REMOVE(&offers, l, q);
	TAILQ_INSERT_TAIL(&spare, l, q);
	nleases6--;
}

/* Give l to the client duid (it may have had another owner). */
void
pool6_bind(struct lease6 *l, const uint8_t *duid, size_t len, int sn,
    int stranger)
{
	uint32_t	 b;

	duid_unbind(l);
	stranger_count(l, -1);
	memcpy(l->duid, duid, len);
	l->duidlen = (uint8_t)len;
	l->subnet = (int16_t)sn;
	l->stranger = stranger != 0;
	stranger_count(l, 1);
	b = duid_hash(duid, len);
	l->dnext = by_duid[b];
	by_duid[b] = l;
	l->indexed = 1;
}

/* The state an entry takes: an offer joins the FIFO, anything else leaves. */
void
pool6_set(struct lease6 *l, uint8_t state, int64_t expires)
{
	if (l->offered) {
		TAILQ_REMOVE(&offers, l, q);
		l->offered = 0;
	}
	l->state = state;
	l->expires = expires;
	if (state == LEASE_OFFERED) {
		TAILQ_INSERT_TAIL(&offers, l, q);
		l->offered = 1;
	}
}

/* Offers made long ago and never taken: their entries are spare again. */
static void
offer_recycle(int64_t now)
{
	struct lease6	*l;
	int		 i;

	for (i = 0; i < 8 && (l = TAILQ_FIRST(&offers)) != NULL &&
	    l->expires <= now; i++)
		lease6_unlink(l);
}

/* No live lease and no host's fixed address: a can be offered. */
static int
addr_free(const struct config *conf, const struct in6_addr *a, int64_t now)
{
	const struct lease6	*l;

	if (config_host_by_ip6(conf, a) != NULL)
		return 0;
	if ((l = pool6_by_addr(a)) == NULL)
		return 1;
	/*
	 * A released address stays its client's until the lease would have
	 * ended: firmware releases as soon as it has its loader, which goes
	 * on using the address.
	 */
	return l->expires <= now;
}

/*
 * A new address of subnet sn for a client without one: the next free
 * one after the subnet's cursor, a bounded number of tries.  stranger:
 * the client is not in the inventory; when strangers hold their share of
 * the subnet, only an entry another stranger let run out is given.
 */
struct lease6 *
pool6_pick(const struct config *conf, int sn, int stranger, int64_t now)
{
	const struct subnet6_conf	*s = &conf->subnets6[sn];
	struct lease6			*l;
	struct in6_addr			 a;
	uint64_t			 size, off;
	int				 i, full;

	offer_recycle(now);
	/* A subnet without a range serves fixed addresses only. */
	if (IN6_IS_ADDR_UNSPECIFIED(&s->range_lo) || (size_t)sn >= npools)
		return NULL;
	size = addr6_diff(&s->range_hi, &s->range_lo) + 1;
	full = stranger && (pools[sn].strangers >= POOL6_STRANGERS ||
	    pools[sn].strangers >= size - size / 4);
	for (i = 0; i < POOL6_PROBES && (uint64_t)i < size; i++) {
		off = pools[sn].cursor++ % size;
		addr6_add(&s->range_lo, off, &a);
		if (!addr_free(conf, &a, now))
			continue;
		l = pool6_by_addr(&a);
		if (full && (l == NULL || !l->stranger))
			continue;
		if (l == NULL)
			l = lease6_new(&a);
		return l;
	}
	return NULL;
}

/* An entry for a fixed address or a lease from the master. */
struct lease6 *
pool6_get(const struct in6_addr *a)
{
	struct lease6	*l;

	if ((l = pool6_by_addr(a)) == NULL)
		l = lease6_new(a);
	return l;
}

/*
 * A lease of the master's table, before the configuration it belongs to
 * (pool6_init then gives it its subnet).
 */
void
pool6_load(const struct lease_msg *lm)
{
	struct lease6	*l;

	if (lm->duidlen == 0 || lm->duidlen > PXED_DUIDMAX)
		return;
	pool6_tables();
	l = pool6_get(&lm->ip6);
	pool6_bind(l, lm->duid, lm->duidlen, -1, 0);
	pool6_set(l, (uint8_t)lm->state, lm->expires);
	l->iaid = lm->iaid;
	memcpy(l->mac, lm->mac, sizeof(l->mac));
	memcpy(l->uuid, lm->uuid, sizeof(l->uuid));
}

/* a - b, the low 64 bits: ranges are far smaller (pxed.yaml.5). */
uint64_t
addr6_diff(const struct in6_addr *a, const struct in6_addr *b)
{
	uint64_t	 x = 0, y = 0;
	int		 i;

	for (i = 8; i < 16; i++) {
		x = x << 8 | a->s6_addr[i];
		y = y << 8 | b->s6_addr[i];
	}
	return x - y;
}

/* base + off, carried through all 128 bits. */
void
addr6_add(const struct in6_addr *base, uint64_t off, struct in6_addr *out)
{
	unsigned int	 sum, carry = 0;
	int		 i;

	*out = *base;
	for (i = 15; i >= 0 && (off != 0 || carry != 0); i--) {
		sum = out->s6_addr[i] + (unsigned int)(off & 0xff) + carry;
		out->s6_addr[i] = (uint8_t)sum;
		carry = sum >> 8;
		off >>= 8;
	}
}
