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
 * The generated pxelinux and GRUB menus, for tftpd and httpd.  See
 * menu.c.
 */

#ifndef MENU_H
#define MENU_H

#include "buf.h"
#include "pxed.h"

/*
 * The server a menu goes out on.  A loader resolves "/path" against
 * that server's root; has() says whether that root holds a file (NULL:
 * the TFTP root, where profiles name their kernels).
 */
struct menu_via {
	const char	*proto;			/* "tftp", "http": for the log */
	int		(*has)(const char *);
};

extern const struct menu_via	 menu_via_tftp;

/* The requester's address is of either family, IPv4 mapped (addr.h). */
int	 menu_generate(const struct config *, const char *,
	    const struct in6_addr *, const struct menu_via *, struct buf *,
	    char *, size_t);

#endif /* MENU_H */
