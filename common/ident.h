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
 * Who is asking: the inventory host behind a requester's address.  The
 * one place that answers it, for the menus of tftpd, the scripts,
 * kickstarts and done reports of httpd, and the master's own check of a
 * done report.  See ident.c.
 */

#ifndef IDENT_H
#define IDENT_H

#include "addr.h"
#include "pxed.h"

/*
 * Addresses are of either family, IPv4 mapped (addr.h).  Bind: the
 * client now holds the address (and no other of its family); unbind: it
 * no longer does.
 */
int		 ident_bind(const struct in6_addr *, const uint8_t [6],
		    const uint8_t [PXED_UUIDLEN]);
int		 ident_unbind(const struct in6_addr *, const uint8_t [6]);
int		 ident_apply(const struct ident_msg *);
void		 ident_msg_addr(const struct ident_msg *, struct in6_addr *);
void		 ident_msg_set(struct ident_msg *, const struct in6_addr *);
struct host	*ident_fixed(const struct config *, const struct in6_addr *);
struct host	*ident_host(const struct config *, const struct in6_addr *);
struct host	*ident_host_by_mac(const struct config *, const uint8_t [6],
		    const struct in6_addr *);
int		 ident_is(const struct config *, const struct in6_addr *,
		    const struct host *);
size_t		 ident_count(void);
void		 ident_foreach(void (*)(const struct ident_msg *, void *),
		    void *);
void		 ident_clear(void);

#endif /* IDENT_H */
