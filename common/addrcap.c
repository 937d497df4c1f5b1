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
 * Per-client shares.  An open-addressed table of (address, count), of
 * either family (IPv4 mapped, addr.h), with linear probing, sized once
 * for the most holders the caller allows (at most half full), so that
 * taking and giving back a slot cost O(1) and nothing is allocated per
 * client.  An entry whose count drops to 0 is deleted by shifting back
 * the entries after it.
 */

#include <stdlib.h>
#include <string.h>

#include "addrcap.h"
#include "pxed.h"

static size_t
addrcap_home(const struct addrcap *ac, const struct in6_addr *ip)
{
	return hash_fnv1a(ip, sizeof(*ip)) & ac->mask;
}

/* Room for max holders at once; -1 when out of memory. */
int
addrcap_init(struct addrcap *ac, size_t max)
{
	size_t	 n = 16;

	while (n < 2 * max)
		n *= 2;
	free(ac->slot);
	if ((ac->slot = calloc(n, sizeof(*ac->slot))) == NULL)
		return -1;
	ac->mask = n - 1;
	return 0;
}

static struct addrcap_slot *
addrcap_find(const struct addrcap *ac, const struct in6_addr *ip)
{
	size_t	 i;

	for (i = addrcap_home(ac, ip); ac->slot[i].n != 0;
	    i = (i + 1) & ac->mask)
		if (IN6_ARE_ADDR_EQUAL(&ac->slot[i].ip, ip))
			return &ac->slot[i];
	return NULL;
}

uint32_t
addrcap_count(const struct addrcap *ac, const struct in6_addr *ip)
{
	const struct addrcap_slot	*s = addrcap_find(ac, ip);

	return s != NULL ? s->n : 0;
}

/* One more for ip: 0, or -1 (nothing counted) when it holds cap already. */
int
addrcap_take(struct addrcap *ac, const struct in6_addr *ip, uint32_t cap)
{
	struct addrcap_slot	*s;
	size_t			 i;

	if ((s = addrcap_find(ac, ip)) != NULL) {
		if (s->n >= cap)
			return -1;
		s->n++;
		return 0;
	}
	if (cap == 0)
		return -1;
	for (i = addrcap_home(ac, ip); ac->slot[i].n != 0;
	    i = (i + 1) & ac->mask)
		;
	ac->slot[i].ip = *ip;
	ac->slot[i].n = 1;
	return 0;
}

/* One less for ip; the entry goes when it holds nothing. */
void
addrcap_put(struct addrcap *ac, const struct in6_addr *ip)
{
	struct addrcap_slot	*s;
	size_t			 i, j, k;

	if ((s = addrcap_find(ac, ip)) == NULL || --s->n > 0)
		return;
	i = (size_t)(s - ac->slot);
	for (j = (i + 1) & ac->mask; ac->slot[j].n != 0;
	    j = (j + 1) & ac->mask) {
		k = addrcap_home(ac, &ac->slot[j].ip);
		/* Stays if its home lies cyclically in (i, j]. */
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		ac->slot[i] = ac->slot[j];
		i = j;
	}
	ac->slot[i].n = 0;
	memset(&ac->slot[i].ip, 0, sizeof(ac->slot[i].ip));
}
