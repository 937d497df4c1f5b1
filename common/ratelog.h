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
 * Log lines that a client can make us write at will (a refused token, a
 * menu asked from the wrong address): once per source address per
 * interval, with a count of those left out.  See ratelog.c.
 */

#ifndef RATELOG_H
#define RATELOG_H

#include <netinet/in.h>

#include <stdint.h>

#define RATELOG_SLOTS		256
#define RATELOG_INTERVAL	10000	/* ms */

struct ratelog_slot {
	uint32_t	 ip;
	uint32_t	 quiet;		/* lines left out since the last */
	uint64_t	 last;		/* ev_now() of the last line */
};

struct ratelog {
	struct ratelog_slot	 slot[RATELOG_SLOTS];
};

int	 ratelog_ok(struct ratelog *, struct in_addr, uint64_t, uint32_t *);

#endif /* RATELOG_H */
