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
 * Once per source per interval.  A direct-mapped table: a source that
 * takes another's slot starts afresh, so many sources can still write a
 * line each, but no one source more than one every RATELOG_INTERVAL.
 */

#include "ratelog.h"

/*
 * Whether to write the line for ip now; *quiet is then how many lines
 * of that source were left out since its last one.
 */
int
ratelog_ok(struct ratelog *rl, struct in_addr ip, uint64_t now,
    uint32_t *quiet)
{
	struct ratelog_slot	*s;

	s = &rl->slot[(ntohl(ip.s_addr) * 2654435761u) >> 24];
	if (s->ip != ip.s_addr || s->last == 0 ||
	    now - s->last >= RATELOG_INTERVAL) {
		*quiet = s->ip == ip.s_addr ? s->quiet : 0;
		s->ip = ip.s_addr;
		s->quiet = 0;
		s->last = now != 0 ? now : 1;
		return 1;
	}
	s->quiet++;
	return 0;
}
