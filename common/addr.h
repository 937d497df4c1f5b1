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
 * A client's address of either family.  See addr.c.
 */

#ifndef ADDR_H
#define ADDR_H

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stddef.h>
#include <stdint.h>

/* A socket address of either family. */
union sockaddr46 {
	struct sockaddr		 sa;
	struct sockaddr_in	 sin;
	struct sockaddr_in6	 sin6;
};

/* "[address]:port", with its NUL */
#define ADDR_PEERLEN	(INET6_ADDRSTRLEN + 8)

void		 addr_map4(struct in_addr, struct in6_addr *);
int		 addr_is4(const struct in6_addr *, struct in_addr *);
int		 addr_usable(const struct in6_addr *);
const char	*addr_ntop(const struct in6_addr *, char *, size_t);
int		 sa_addr(const union sockaddr46 *, socklen_t,
		    struct in6_addr *);
socklen_t	 sa_len(const union sockaddr46 *);
uint16_t	 sa_port(const union sockaddr46 *);
int		 sa_same(const union sockaddr46 *, const union sockaddr46 *);
const char	*sa_host(const union sockaddr46 *, char *, size_t);
const char	*sa_ntop(const union sockaddr46 *, char *, size_t);

#endif /* ADDR_H */
