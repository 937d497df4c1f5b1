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
 * A client's address of either family is one key, a struct in6_addr:
 * an IPv4 address is kept as ::ffff:a.b.c.d (RFC 4291 2.5.5.2), a
 * source no IPv6 packet carries (the kernel drops it).  So who is asking
 * (ident.c), the per-client shares (addrcap.c) and the log's rate limits
 * (ratelimit.c) hold both families in one table, and tftpd and httpd
 * ask them one question whichever family a request came over.  Socket
 * addresses of either family travel as union sockaddr46.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdio.h>
#include <string.h>

#include "addr.h"

/* ip as a key. */
void
addr_map4(struct in_addr ip, struct in6_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->s6_addr[10] = a->s6_addr[11] = 0xff;
	memcpy(&a->s6_addr[12], &ip, sizeof(ip));
}

/* 1 for an IPv4 address (put in ip unless NULL), 0 for an IPv6 one. */
int
addr_is4(const struct in6_addr *a, struct in_addr *ip)
{
	if (!IN6_IS_ADDR_V4MAPPED(a))
		return 0;
	if (ip != NULL)
		memcpy(ip, &a->s6_addr[12], sizeof(*ip));
	return 1;
}

/*
 * Whether a can name one client: not unspecified, not the IPv4
 * broadcast, not an IPv6 multicast group.
 */
int
addr_usable(const struct in6_addr *a)
{
	struct in_addr	 ip;

	if (addr_is4(a, &ip))
		return ip.s_addr != INADDR_ANY &&
		    ip.s_addr != INADDR_BROADCAST;
	return !IN6_IS_ADDR_UNSPECIFIED(a) && !IN6_IS_ADDR_MULTICAST(a);
}

/* "10.1.0.5" or "fd00:1::5", for the log. */
const char *
addr_ntop(const struct in6_addr *a, char *out, size_t len)
{
	struct in_addr	 ip;
	const char	*s;

	if (addr_is4(a, &ip))
		s = inet_ntop(AF_INET, &ip, out, len);
	else
		s = inet_ntop(AF_INET6, a, out, len);
	if (s == NULL && len > 0)
		strlcpy(out, "?", len);
	return out;
}

/*
 * The key of a socket address of len bytes; -1 for another family or
 * length, and for an IPv4-mapped IPv6 source, which would pass for the
 * IPv4 client it maps.
 */
int
sa_addr(const union sockaddr46 *sa, socklen_t len, struct in6_addr *a)
{
	if (sa->sa.sa_family == AF_INET && len == sizeof(sa->sin)) {
		addr_map4(sa->sin.sin_addr, a);
		return 0;
	}
	if (sa->sa.sa_family == AF_INET6 && len == sizeof(sa->sin6) &&
	    !IN6_IS_ADDR_V4MAPPED(&sa->sin6.sin6_addr)) {
		*a = sa->sin6.sin6_addr;
		return 0;
	}
	return -1;
}

socklen_t
sa_len(const union sockaddr46 *sa)
{
	return sa->sa.sa_family == AF_INET6 ? sizeof(sa->sin6) :
	    sizeof(sa->sin);
}

uint16_t
sa_port(const union sockaddr46 *sa)
{
	return ntohs(sa->sa.sa_family == AF_INET6 ? sa->sin6.sin6_port :
	    sa->sin.sin_port);
}

/* The same peer: family, address (and link) and port. */
int
sa_same(const union sockaddr46 *a, const union sockaddr46 *b)
{
	if (a->sa.sa_family != b->sa.sa_family)
		return 0;
	if (a->sa.sa_family == AF_INET6)
		return a->sin6.sin6_port == b->sin6.sin6_port &&
		    a->sin6.sin6_scope_id == b->sin6.sin6_scope_id &&
		    IN6_ARE_ADDR_EQUAL(&a->sin6.sin6_addr, &b->sin6.sin6_addr);
	return a->sin.sin_port == b->sin.sin_port &&
	    a->sin.sin_addr.s_addr == b->sin.sin_addr.s_addr;
}

/* The address of sa alone: "10.1.0.5" or "fd00:1::5". */
const char *
sa_host(const union sockaddr46 *sa, char *out, size_t len)
{
	const void	*a = &sa->sin.sin_addr;

	if (sa->sa.sa_family == AF_INET6)
		a = &sa->sin6.sin6_addr;
	if (inet_ntop(sa->sa.sa_family, a, out, len) == NULL && len > 0)
		strlcpy(out, "?", len);
	return out;
}

/* "10.1.0.5:2070" or "[fd00:1::5]:2070", len at least ADDR_PEERLEN. */
const char *
sa_ntop(const union sockaddr46 *sa, char *out, size_t len)
{
	char	 a[INET6_ADDRSTRLEN];
	int	 v6 = sa->sa.sa_family == AF_INET6;

	snprintf(out, len, "%s%s%s:%u", v6 ? "[" : "",
	    sa_host(sa, a, sizeof(a)), v6 ? "]" : "", sa_port(sa));
	return out;
}
