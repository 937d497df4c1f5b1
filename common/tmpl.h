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
 * {{var}} templates: kickstarts, append lines, loader URLs, menus.
 * One renderer serves the master (which renders every template against
 * every host at load time, so an unknown variable is a load-time error)
 * and the workers (which render on request).
 */

#ifndef TMPL_H
#define TMPL_H

#include <netinet/in.h>
#include <stddef.h>

#include "buf.h"
#include "pxed.h"

struct tmpl_error {
	unsigned int	 line;		/* 1-based, within the template text */
	unsigned int	 col;		/* 1-based */
	char		 msg[256];
};

/*
 * Returns the value of variable name[0..namelen), or NULL when the
 * variable is unknown.
 */
typedef const char *(*tmpl_lookup_fn)(const char *, size_t, void *);

/*
 * Append the rendering of text[0..len) to out.  Returns 0, or -1 with
 * err filled (unknown variable, unterminated "{{", out of memory).
 */
int	 tmpl_render(const char *, size_t, tmpl_lookup_fn, void *,
	    struct buf *, struct tmpl_error *);

/* The variables of SPEC.md for one host. */
struct tmpl_host_ctx {
	const struct config	*conf;
	size_t			 host;		/* index into conf->hosts */
	struct in_addr		 client;	/* {{ip}} for pool hosts, or 0 */
	struct in6_addr		 client6;	/* {{ip6}} alike, or :: */
	int			 v6;		/* asked over IPv6: {{server}},
						   {{http}} render in IPv6 */
	char			 scratch[PXED_STRLEN];
};

const char *tmpl_host_lookup(const char *, size_t, void *);
void	 tmpl_host_init(struct tmpl_host_ctx *, const struct config *, size_t,
	    const struct in6_addr *);

/*
 * {{http}}: "http://server" or "http://server:port"; tftp:// alike.  With
 * v6 set, the server's IPv6 address in brackets (its IPv4 one when it has
 * none); {{server}} alike (tmpl_server).
 */
void	 tmpl_http_base(const struct server_conf *, int, char *, size_t);
void	 tmpl_tftp_base(const struct server_conf *, int, char *, size_t);
const char *tmpl_server(const struct server_conf *, int, char *, size_t);

#endif /* TMPL_H */
