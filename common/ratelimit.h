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
 * Per source address: at most a burst of events an interval (INFORMs a
 * second, log lines a client can make us write at will), with a count
 * of those left out.  See ratelimit.c.
 */

#ifndef RATELIMIT_H
#define RATELIMIT_H

#include <netinet/in.h>

#include <stdint.h>

#define RATELIMIT_SLOTS		256
#define RATELIMIT_LOG		10000	/* ms: a log line a source */

struct ratelimit_slot {
	struct in6_addr	 ip;		/* either family, IPv4 mapped */
	uint32_t	 count;		/* events in this interval */
	uint32_t	 quiet;		/* left out since */
	uint64_t	 start;		/* ev_now() of the interval, 0: none */
};

struct ratelimit {
	uint64_t		 interval;	/* ms */
	uint32_t		 burst;
	struct ratelimit_slot	 slot[RATELIMIT_SLOTS];
};

int	 ratelimit_ok(struct ratelimit *, struct in_addr, uint64_t, uint32_t *);
int	 ratelimit_addr(struct ratelimit *, const struct in6_addr *, uint64_t,
	    uint32_t *);

#endif /* RATELIMIT_H */
