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
 * Per-client shares: how many transfers or connections each IPv4
 * address holds, so that one client cannot take every slot (tftpd's
 * transfers, httpd's connections).  See addrcap.c.
 */

#ifndef ADDRCAP_H
#define ADDRCAP_H

#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>

/* Addresses of either family, IPv4 mapped (addr.h). */
struct addrcap_slot {
	struct in6_addr	 ip;		/* n 0: empty */
	uint32_t	 n;
};

struct addrcap {
	struct addrcap_slot	*slot;
	size_t			 mask;
};

int		 addrcap_init(struct addrcap *, size_t);
uint32_t	 addrcap_count(const struct addrcap *,
		    const struct in6_addr *);
int		 addrcap_take(struct addrcap *, const struct in6_addr *,
		    uint32_t);
void		 addrcap_put(struct addrcap *, const struct in6_addr *);

#endif /* ADDRCAP_H */
