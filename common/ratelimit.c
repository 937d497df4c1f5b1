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
 * A direct-mapped table of sources: a source that takes another's slot
 * starts afresh, so many sources can still each have their burst, but
 * no one source more than its burst an interval.  Nothing is allocated.
 */

#include "addr.h"
#include "pxed.h"
#include "ratelimit.h"

/*
 * Whether the event of a source of either family (IPv4 mapped, addr.h)
 * may happen now; when it may, *quiet is how many of that source's
 * events were left out before it.
 */
int
ratelimit_addr(struct ratelimit *rl, const struct in6_addr *ip,
    uint64_t now, uint32_t *quiet)
{
	struct ratelimit_slot	*s;
	int			 same;

	s = &rl->slot[hash_fnv1a(ip, sizeof(*ip)) % RATELIMIT_SLOTS];
	same = IN6_ARE_ADDR_EQUAL(&s->ip, ip);
	*quiet = 0;
	if (!same || s->start == 0 || now - s->start >= rl->interval) {
		if (same)
			*quiet = s->quiet;
		s->ip = *ip;
		s->start = now != 0 ? now : 1;
		s->count = 1;
		s->quiet = 0;
		return 1;
	}
	if (s->count < rl->burst) {
		s->count++;
		return 1;
	}
	s->quiet++;
	return 0;
}

/* The same for an IPv4 source. */
int
ratelimit_ok(struct ratelimit *rl, struct in_addr ip, uint64_t now,
    uint32_t *quiet)
{
	struct in6_addr	 a;

	addr_map4(ip, &a);
	return ratelimit_addr(rl, &a, now, quiet);
}
