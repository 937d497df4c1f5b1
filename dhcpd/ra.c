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
 * Router advertisements (dhcp6.ra, RFC 4861) on the served interfaces:
 * M=1 and O=1, so that iPXE and the installers start DHCPv6 at all, and
 * the link's dhcp6 prefix with L=1, and A=0 (addresses come from DHCPv6
 * only) unless the subnet says slaac.  Firmware waits for the next RA
 * before it routes, so they go every 3 to 10 s (RFC 4861's 200 s
 * default would stall a boot) and
 * answer a router solicitation at once: unicast to a solicitor with an
 * address, at most RA_UNICAST a second on a link (a rack booting at
 * once), multicast to one without, at most once a second.
 */

#include <sys/socket.h>
#include <sys/types.h>
#include <arpa/inet.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dhcp6.h"
#include "dhcpd.h"
#include "log.h"
#include "proc.h"

#define RA_MIN_MS	3000
#define RA_MAX_MS	10000
#define RA_UNICAST	64		/* solicited RAs a second, a link */
#define RA_ROUTER_SECS	1800		/* with router6 */
#define RA_LEN		(16 + 32)	/* header, one prefix option */

struct ra_sock {
	struct ev_io	 io;
	struct ev_timer	 timer;
	int		 fd;
	uint32_t	 ifindex;
	struct in6_addr	 ifaddr6;
	uint64_t	 window;	/* ev_now() this second began */
	unsigned int	 unicast;	/* unicast answers in it */
	int		 multicast;	/* a multicast answer in it */
};

static const struct config	*conf;
static struct ra_sock		 ras[PXED_MAXIFS];
static size_t			 nras;

static void	 ra_tick(void *);
static void	 ra_recv(int, int, void *);
static ssize_t	 ra_recv_one(int, uint8_t *, size_t, struct sockaddr_in6 *);
static size_t	 ra_build(const struct ra_sock *, uint8_t *);
static void	 ra_send(struct ra_sock *, const struct in6_addr *);

void
ra_start(const struct config *c, struct worker_sock *ws, size_t n)
{
	struct ra_sock	*r;
	size_t		 i;

	conf = c;
	for (i = 0; i < n && nras < PXED_MAXIFS; i++) {
		if (ws[i].rs.kind != SOCK_RA)
			continue;
		r = &ras[nras++];
		r->fd = ws[i].fd;
		r->ifindex = ws[i].rs.ifindex;
		r->ifaddr6 = ws[i].rs.ifaddr6;
		if (ev_io_add(&r->io, r->fd, EV_READ, ra_recv, r) == -1)
			fatal("ev_io_add");
		ev_timer_init(&r->timer, ra_tick, r);
		/* The first at once: a machine may be booting already. */
		ev_timer_add(&r->timer, 0);
	}
}

void
ra_reconf(const struct config *c)
{
	conf = c;
}

size_t
ra_nsocks(void)
{
	return nras;
}

/*
 * The RA of one link: its subnet is the dhcp6 subnet holding the
 * interface's address (with a single subnet, that one); the router
 * lifetime is 0 unless that subnet names a router6.
 */
static size_t
ra_build(const struct ra_sock *r, uint8_t *b)
{
	const struct subnet6_conf	*sn = NULL;
	uint32_t			 life = conf->server.lease6_secs;
	uint16_t			 router = 0;
	size_t				 i, len = 16;

	if ((i = (size_t)subnet6_of(conf, &r->ifaddr6)) < conf->nsubnets6)
		sn = &conf->subnets6[i];
	else if (conf->nsubnets6 == 1)
		sn = &conf->subnets6[0];
	if (sn != NULL && !IN6_IS_ADDR_UNSPECIFIED(&sn->router))
		router = RA_ROUTER_SECS;
	memset(b, 0, RA_LEN);
	b[0] = ND_ROUTER_ADVERT;
	b[4] = 64;			/* current hop limit */
	b[5] = ND_RA_FLAG_MANAGED | ND_RA_FLAG_OTHER;
	b[6] = router >> 8;
	b[7] = router & 0xff;
	if (sn == NULL)
		return len;
	b[16] = ND_OPT_PREFIX_INFORMATION;
	b[17] = 4;			/* 32 bytes */
	b[18] = (uint8_t)sn->prefixlen;
	b[19] = ND_OPT_PI_FLAG_ONLINK;
	if (sn->slaac)
		b[19] |= ND_OPT_PI_FLAG_AUTO;
	for (i = 0; i < 8; i++)		/* valid, then preferred lifetime */
		b[20 + i] = (uint8_t)(life >> (24 - 8 * (i % 4)));
	memcpy(b + 32, &sn->network, 16);
	return len + 32;
}

/*
 * One ICMPv6 message: its length, 0 when its hop limit is not 255 (it
 * was routed here from off the link: RFC 4861 6.1.1), -1 when there is
 * nothing more to read.
 */
static ssize_t
ra_recv_one(int fd, uint8_t *b, size_t len, struct sockaddr_in6 *from)
{
	union {
		struct cmsghdr	 hdr;
		uint8_t		 buf[CMSG_SPACE(sizeof(int))];
	}			 cm;
	struct iovec		 iov = { b, len };
	struct msghdr		 mh;
	struct cmsghdr		*c;
	ssize_t			 n;
	int			 hops = -1;

	memset(&mh, 0, sizeof(mh));
	mh.msg_name = from;
	mh.msg_namelen = sizeof(*from);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cm.buf;
	mh.msg_controllen = sizeof(cm.buf);
	if ((n = recvmsg(fd, &mh, 0)) == -1) {
		if (errno != EAGAIN && errno != EINTR)
			log_warn("ra: recvmsg");
		return -1;
	}
	for (c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == IPPROTO_IPV6 &&
		    c->cmsg_type == IPV6_HOPLIMIT &&
		    c->cmsg_len >= CMSG_LEN(sizeof(int)))
			memcpy(&hops, CMSG_DATA(c), sizeof(hops));
	return hops == 255 ? n : 0;
}

/* To all nodes (to NULL), or to one solicitor. */
static void
ra_send(struct ra_sock *r, const struct in6_addr *to)
{
	static const struct in6_addr	 all = {{{ 0xff, 0x02, 0, 0, 0, 0, 0,
	    0, 0, 0, 0, 0, 0, 0, 0, 1 }}};
	struct sockaddr_in6		 sin6;
	uint8_t				 b[RA_LEN];
	size_t				 len;

	if (conf == NULL)
		return;
	len = ra_build(r, b);
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_addr = to != NULL ? *to : all;
	sin6.sin6_scope_id = r->ifindex;
	if (sendto(r->fd, b, len, 0, (struct sockaddr *)&sin6,
	    sizeof(sin6)) == -1) {
		dhcp_stats.send_failed++;
		log_debug("ra: sendto: %s", strerror(errno));
		return;
	}
	dhcp_stats.ra6_sent++;
}

static void
ra_tick(void *arg)
{
	struct ra_sock	*r = arg;

	ra_send(r, NULL);
	ev_timer_add(&r->timer, RA_MIN_MS +
	    arc4random_uniform(RA_MAX_MS - RA_MIN_MS));
}

/*
 * Router solicitations (the socket's filter lets nothing else in): a
 * solicitor with an address gets its RA unicast, one from :: (it has
 * none yet) a multicast one.
 */
static void
ra_recv(int fd, int what, void *arg)
{
	struct ra_sock		*r = arg;
	struct sockaddr_in6	 from;
	uint8_t			 b[1500];
	ssize_t			 n;
	int			 i;

	(void)what;
	for (i = 0; i < 64; i++) {
		if ((n = ra_recv_one(fd, b, sizeof(b), &from)) == -1)
			return;
		/* RFC 4861 6.1.1: hop limit 255, code 0, 8 bytes or more. */
		if (n < 8 || b[0] != ND_ROUTER_SOLICIT || b[1] != 0) {
			dhcp_stats.dropped6_malformed++;
			continue;
		}
		dhcp_stats.rs6_received++;
		if (ev_now() - r->window >= 1000) {
			r->window = ev_now();
			r->unicast = r->multicast = 0;
		}
		if (IN6_IS_ADDR_UNSPECIFIED(&from.sin6_addr)) {
			if (!r->multicast++)
				ra_send(r, NULL);
		} else if (r->unicast++ < RA_UNICAST)
			ra_send(r, &from.sin6_addr);
	}
}
