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
 * dhcpload: a load client for the DHCP benchmarks (regress/bench/dhcp.sh,
 * dhcp6.sh) where perfdhcp saturates its own core near 12,000 exchanges
 * a second.  For SECS seconds, RATE 4-way exchanges a second, a new
 * client each (MAC BASE + exchange number; DHCPv6: a DUID-LLT of it),
 * the REQUEST sent as the OFFER or ADVERTISE comes; USEC for stragglers,
 * then perfdhcp's statistics lines.  perfdhcp's packets: a relay agent
 * on port 67, a client on port 546.  One socket, one poll loop, batches
 * of 64 each way, an exchange's state a byte found by its xid.
 *
 *	dhcpload -4|-6 -l iface -r rate -p secs -b mac=XX:XX:XX:XX:XX:XX
 *	    [-W usec]
 */

#include <sys/resource.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>

#include <err.h>
#include <errno.h>
#include <ifaddrs.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BATCH		64
#define PKTMAX		1500
#define SOCKBUF		(4 * 1024 * 1024)
#define CATCHUP		1024	/* exchanges a turn, then the replies */
#define V6REQ		0x800000u	/* xid bit: a DHCPv6 REQUEST's */

/* An exchange's state, a byte each in st[]. */
enum { ST_NONE, ST_SENT1, ST_GOT1, ST_SENT2, ST_DONE };

static struct {
	int		 fam;		/* 4 or 6 */
	const char	*ifname;
	uint32_t	 rate, secs, total;
	double		 wait;		/* s for the stragglers */
	uint8_t		 base[6];
	uint32_t	 runid;		/* DHCPv4 xid, high byte */
	uint32_t	 duidtime;
	struct in_addr	 ip4;
	struct sockaddr_storage dst;
	socklen_t	 dstlen;
} cf;

static uint8_t	*st;
static uint32_t	 next;		/* exchanges started */
static uint64_t	 sent1, recv1, sent2, recv2, rejected, senderr, noaddr;

static uint8_t		 obuf[BATCH][PKTMAX], ibuf[BATCH][PKTMAX];
static struct iovec	 oiov[BATCH], iiov[BATCH];
static struct mmsghdr	 omsg[BATCH], imsg[BATCH];
static uint32_t		 oidx[BATCH];	/* the exchange of each slot */

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static __attribute__((noreturn)) void
usage(void)
{
	fprintf(stderr, "usage: dhcpload -4|-6 -l iface -r rate -p secs "
	    "-b mac=XX:XX:XX:XX:XX:XX [-W usec]\n");
	exit(1);
}

/* A whole number in [lo, hi], or the usage. */
static uint32_t
num(const char *s, uint32_t lo, uint32_t hi)
{
	unsigned long long	 v;
	char			*end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 || v < lo ||
	    v > hi)
		usage();
	return (uint32_t)v;
}

static void
getargs(int argc, char *argv[])
{
	unsigned int	 m[6];
	int		 ch, n, havemac = 0;

	cf.wait = 1.0;
	while ((ch = getopt(argc, argv, "46b:l:p:r:W:")) != -1) {
		switch (ch) {
		case '4':
		case '6':
			if (cf.fam != 0)
				usage();
			cf.fam = ch - '0';
			break;
		case 'b':
			if (sscanf(optarg, "mac=%2x:%2x:%2x:%2x:%2x:%2x%n",
			    &m[0], &m[1], &m[2], &m[3], &m[4], &m[5], &n) !=
			    6 || optarg[n] != '\0')
				usage();
			for (n = 0; n < 6; n++)
				cf.base[n] = (uint8_t)m[n];
			havemac = 1;
			break;
		case 'l':
			cf.ifname = optarg;
			break;
		case 'p':
			cf.secs = num(optarg, 1, 3600);
			break;
		case 'r':
			cf.rate = num(optarg, 1, 1000000);
			break;
		case 'W':
			cf.wait = num(optarg, 0, 600000000) / 1e6;
			break;
		default:
			usage();
		}
	}
	if (optind != argc || cf.fam == 0 || cf.ifname == NULL ||
	    cf.rate == 0 || cf.secs == 0 || !havemac)
		usage();
	/* The MAC's low 3 bytes count exchanges, as do 23 of DHCPv6's xid. */
	if ((uint64_t)cf.rate * cf.secs > (cf.fam == 4 ? 1u << 24 : V6REQ)) {
		fprintf(stderr, "dhcpload: rate x secs over %u exchanges\n",
		    cf.fam == 4 ? 1u << 24 : V6REQ);
		usage();
	}
	cf.total = cf.rate * cf.secs;
}

/* The MAC of exchange n: BASE counted up in its low 3 bytes. */
static void
mac_of(uint32_t n, uint8_t *mac)
{
	uint32_t	 low = ((uint32_t)cf.base[3] << 16 |
	    (uint32_t)cf.base[4] << 8 | cf.base[5]) + n;

	memcpy(mac, cf.base, 3);
	mac[3] = (uint8_t)(low >> 16);
	mac[4] = (uint8_t)(low >> 8);
	mac[5] = (uint8_t)low;
}

/* The interface's IPv4 address, or (DHCPv6) its link-local one. */
static void
ifaddr(void)
{
	struct ifaddrs		*ifa, *i;
	struct sockaddr_in6	*s6;
	int			 found = 0;

	if (if_nametoindex(cf.ifname) == 0)
		errx(1, "%s: no such interface", cf.ifname);
	if (getifaddrs(&ifa) == -1)
		err(1, "getifaddrs");
	for (i = ifa; i != NULL && !found; i = i->ifa_next) {
		if (i->ifa_addr == NULL || strcmp(i->ifa_name, cf.ifname) != 0)
			continue;
		if (cf.fam == 4 && i->ifa_addr->sa_family == AF_INET) {
			cf.ip4 = ((struct sockaddr_in *)(void *)i->ifa_addr)->
			    sin_addr;
			found = 1;
		} else if (cf.fam == 6 && i->ifa_addr->sa_family == AF_INET6) {
			s6 = (struct sockaddr_in6 *)(void *)i->ifa_addr;
			if (!IN6_IS_ADDR_LINKLOCAL(&s6->sin6_addr))
				continue;
			memcpy(&cf.dst, s6, sizeof(*s6));
			found = 1;
		}
	}
	freeifaddrs(ifa);
	if (!found)
		errx(1, "%s: no %s address", cf.ifname,
		    cf.fam == 4 ? "IPv4" : "link-local IPv6");
}

/* Bound to our address and the interface, big buffers, blocking sends. */
static int
opensock(void)
{
	struct sockaddr_in	 s4, *d4 = (struct sockaddr_in *)&cf.dst;
	struct sockaddr_in6	 s6, *d6 = (struct sockaddr_in6 *)&cf.dst;
	unsigned int		 idx = if_nametoindex(cf.ifname);
	int			 fd, on = 1, bs = SOCKBUF;

	if ((fd = socket(cf.fam == 4 ? AF_INET : AF_INET6, SOCK_DGRAM, 0)) ==
	    -1)
		err(1, "socket");
	/* Forced past rmem_max/wmem_max when we may: bursts of replies. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bs, sizeof(bs)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &bs, sizeof(bs)) == -1) {
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bs, sizeof(bs));
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bs, sizeof(bs));
	}
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, cf.ifname,
	    (socklen_t)strlen(cf.ifname)) == -1)
		err(1, "SO_BINDTODEVICE %s", cf.ifname);
	if (cf.fam == 4) {
		if (setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &on,
		    sizeof(on)) == -1)
			err(1, "SO_BROADCAST");
		s4 = (struct sockaddr_in){ .sin_family = AF_INET,
		    .sin_port = htons(67), .sin_addr = cf.ip4 };
		if (bind(fd, (struct sockaddr *)&s4, sizeof(s4)) == -1)
			err(1, "bind %s:67", inet_ntoa(cf.ip4));
		*d4 = (struct sockaddr_in){ .sin_family = AF_INET,
		    .sin_port = htons(67),
		    .sin_addr.s_addr = htonl(INADDR_BROADCAST) };
		cf.dstlen = sizeof(*d4);
		return fd;
	}
	s6 = *d6;	/* ifaddr left the link-local address there */
	s6.sin6_port = htons(546);
	s6.sin6_scope_id = idx;
	/* A tentative address (duplicate address detection) fails here. */
	if (bind(fd, (struct sockaddr *)&s6, sizeof(s6)) == -1)
		err(1, "bind to %s's link-local address, port 546 (still "
		    "tentative?)", cf.ifname);
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &idx,
	    sizeof(idx)) == -1)
		err(1, "IPV6_MULTICAST_IF");
	*d6 = (struct sockaddr_in6){ .sin6_family = AF_INET6,
	    .sin6_port = htons(547), .sin6_scope_id = idx };
	inet_pton(AF_INET6, "ff02::1:2", &d6->sin6_addr);
	cf.dstlen = sizeof(*d6);
	return fd;
}

/*
 * A DHCPDISCOVER (type 1) or DHCPREQUEST (3, for the OFFER of yiaddr by
 * server sid) of exchange n as perfdhcp -4 relays it: hops 1, giaddr
 * ours, its parameter list and a client id of the MAC.
 */
static size_t
dhcp4(uint32_t n, uint8_t type, const uint8_t *yiaddr, const uint8_t *sid,
    uint8_t *p)
{
	static const uint8_t	 prl[] = { 55, 7, 1, 28, 2, 3, 15, 6, 12 };
	uint32_t		 xid = htonl(cf.runid | n);
	uint8_t			*o = p + 240;

	memset(p, 0, 240);
	memcpy(p, "\1\1\6\1", 4);	/* BOOTREQUEST, Ethernet, hops 1 */
	memcpy(p + 4, &xid, 4);
	memcpy(p + 24, &cf.ip4, 4);
	mac_of(n, p + 28);
	memcpy(p + 236, "\x63\x82\x53\x63", 4);
	*o++ = 53, *o++ = 1, *o++ = type;
	if (type == 3) {
		*o++ = 50, *o++ = 4;
		memcpy(o, yiaddr, 4);
		o += 4;
		*o++ = 54, *o++ = 4;
		memcpy(o, sid, 4);
		o += 4;
	}
	memcpy(o, prl, sizeof(prl));
	o += sizeof(prl);
	*o++ = 61, *o++ = 7, *o++ = 1;
	mac_of(n, o);
	o += 6;
	*o++ = 255;
	return (size_t)(o - p);
}

/* An answer to exchange n's first or second message, counted once. */
static int
answer(uint32_t n, int first)
{
	if (first && st[n] == ST_SENT1) {
		recv1++;
		st[n] = ST_GOT1;
		return 1;
	}
	if (!first && st[n] == ST_SENT2) {
		recv2++;
		st[n] = ST_DONE;
		return 0;
	}
	rejected++;
	return 0;
}

/*
 * A DHCPv4 reply: an OFFER of an exchange waiting for one makes its
 * REQUEST in out (its length returned, its exchange in *xn); an ACK ends
 * the exchange.  Anything else, or a second answer, is rejected.
 */
static size_t
reply4(const uint8_t *p, size_t len, uint8_t *out, uint32_t *xn)
{
	const uint8_t	*o, *end = p + len, *sid = NULL;
	uint8_t		 mac[6];
	uint32_t	 xid, n;
	int		 type = 0;

	if (len < 241 || p[0] != 2 || memcmp(p + 236, "\x63\x82\x53\x63",
	    4) != 0)
		goto bad;
	xid = (uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 |
	    (uint32_t)p[6] << 8 | p[7];
	n = xid & 0xffffff;
	mac_of(n, mac);
	if ((xid & 0xff000000) != cf.runid || n >= next ||
	    memcmp(p + 28, mac, 6) != 0)
		goto bad;
	o = p + 240;
	while (o < end && *o != 255) {
		if (*o == 0) {	/* a pad is one byte */
			o++;
			continue;
		}
		if (o + 2 > end || o + 2 + o[1] > end)
			goto bad;
		if (*o == 53 && o[1] == 1)
			type = o[2];
		else if (*o == 54 && o[1] == 4)
			sid = o + 2;
		o += 2 + o[1];
	}
	if ((type == 2 || type == 5) && answer(n, type == 2) && sid != NULL) {
		*xn = n;
		return dhcp4(n, 3, p + 16, sid, out);
	}
	return 0;
bad:
	rejected++;
	return 0;
}

/* A SOLICIT as perfdhcp -6 sends it: DUID-LLT, IA_NA 1, ORO 23 24. */
static size_t
solicit(uint32_t n, uint8_t *p)
{
	static const uint8_t	 tail[] = { 0, 3, 0, 12, 0, 0, 0, 1, 0, 0,
	    0x0e, 0x10, 0, 0, 0x15, 0x18, 0, 6, 0, 4, 0, 23, 0, 24, 0, 8, 0, 2,
	    0, 0 };
	uint32_t	 t = htonl(cf.duidtime);

	p[0] = 1, p[1] = (uint8_t)(n >> 16), p[2] = (uint8_t)(n >> 8);
	p[3] = (uint8_t)n;
	memcpy(p + 4, "\0\1\0\16\0\1\0\1", 8);	/* client id: DUID-LLT */
	memcpy(p + 12, &t, 4);
	mac_of(n, p + 16);
	memcpy(p + 22, tail, sizeof(tail));
	return 22 + sizeof(tail);
}

/* The REQUEST for an ADVERTISE: its server id and IA_NA as they came. */
static size_t
request6(uint32_t n, const uint8_t *sid, const uint8_t *ia, uint8_t *p)
{
	size_t	 sl = 4 + (size_t)(sid[2] << 8 | sid[3]);
	size_t	 il = ia == NULL ? 0 : 4 + (size_t)(ia[2] << 8 | ia[3]);
	size_t	 len;

	if (22 + sl + il + 6 > PKTMAX)
		return 0;
	solicit(n, p);
	p[0] = 3;
	p[1] |= V6REQ >> 16;	/* a new transaction, as RFC 8415 asks */
	memcpy(p + 22, sid, sl);
	len = 22 + sl;
	if (il > 0)
		memcpy(p + len, ia, il);
	len += il;
	memcpy(p + len, "\0\10\0\2\0\0", 6);
	return len + 6;
}

/* An IA_NA with an address in it (option 5 past IAID, T1 and T2). */
static int
has_addr(const uint8_t *ia)
{
	size_t	 end, off;

	if (ia == NULL)
		return 0;
	end = 4 + (size_t)(ia[2] << 8 | ia[3]);
	for (off = 16; off + 4 <= end;
	    off += 4 + (size_t)(ia[off + 2] << 8 | ia[off + 3]))
		if (ia[off] == 0 && ia[off + 1] == 5)
			return 1;
	return 0;
}

/* A DHCPv6 reply, as reply4: ADVERTISE -> REQUEST, REPLY ends it. */
static size_t
reply6(const uint8_t *p, size_t len, uint8_t *out, uint32_t *xn)
{
	const uint8_t	*o, *sid = NULL, *ia = NULL, *cid = NULL;
	uint8_t		 mine[64];
	uint32_t	 xid, n;
	size_t		 ol;

	if (len < 4 || (p[0] != 2 && p[0] != 7))
		goto bad;
	xid = (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	n = xid & (V6REQ - 1);
	if (n >= next || (p[0] == 2) != ((xid & V6REQ) == 0))
		goto bad;
	for (o = p + 4; o + 4 <= p + len; o += ol) {
		ol = 4 + (size_t)(o[2] << 8 | o[3]);
		if (o + ol > p + len)
			goto bad;
		if (o[0] == 0 && o[1] == 1)
			cid = o;
		else if (o[0] == 0 && o[1] == 2)
			sid = o;
		else if (o[0] == 0 && o[1] == 3)
			ia = o;
	}
	solicit(n, mine);	/* for its client id */
	if (cid == NULL || memcmp(cid, mine + 4, 18) != 0)
		goto bad;
	if (answer(n, p[0] == 2) && sid != NULL) {
		/* perfdhcp asks for no address the server has not got. */
		if (!has_addr(ia)) {
			noaddr++;
			return 0;
		}
		*xn = n;
		return request6(n, sid, ia, out);
	}
	return 0;
bad:
	rejected++;
	return 0;
}

/* obuf's first k slots by sendmmsg; one that fails is never sent again. */
static void
flush(int fd, int k, int ok)
{
	uint64_t	*count = ok == ST_SENT1 ? &sent1 : &sent2;
	int		 i = 0, r;

	while (i < k) {
		r = sendmmsg(fd, omsg + i, (unsigned int)(k - i), 0);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0) {	/* the first failed; on with the rest */
			senderr++;
			st[oidx[i++]] = ok == ST_SENT1 ? ST_NONE : ST_GOT1;
			continue;
		}
		*count += (uint64_t)r;
		while (r-- > 0)
			st[oidx[i++]] = (uint8_t)ok;
	}
}

/* Every exchange due by t (exchange n is due at t0 + n / rate). */
static void
send_due(int fd, double t0, double t)
{
	uint64_t	 due;
	uint32_t	 stop;
	int		 k;

	due = (uint64_t)((t - t0) * cf.rate) + 1;
	if (due > cf.total)
		due = cf.total;
	stop = next + CATCHUP < due ? next + CATCHUP : (uint32_t)due;
	while (next < stop) {
		for (k = 0; k < BATCH && next < stop; k++, next++) {
			oidx[k] = next;
			oiov[k].iov_len = cf.fam == 4 ?
			    dhcp4(next, 1, NULL, NULL, obuf[k]) :
			    solicit(next, obuf[k]);
		}
		flush(fd, k, ST_SENT1);
	}
}

/* The replies waiting, a recvmmsg at a time; their REQUESTs in one go. */
static void
drain(int fd)
{
	size_t	 len;
	int	 i, k, r;

	do {
		r = recvmmsg(fd, imsg, BATCH, MSG_DONTWAIT, NULL);
		if (r == -1) {
			if (errno != EAGAIN && errno != EINTR)
				warn("recvmmsg");
			return;
		}
		for (i = 0, k = 0; i < r; i++) {
			len = (cf.fam == 4 ? reply4 : reply6)(ibuf[i],
			    imsg[i].msg_len, obuf[k], &oidx[k]);
			if (len > 0)
				oiov[k++].iov_len = len;
		}
		if (k > 0)
			flush(fd, k, ST_SENT2);
	} while (r == BATCH);	/* short: the queue was empty */
}

static void
block(const char *name, uint64_t s, uint64_t r)
{
	printf("***Statistics for: %s***\n", name);
	printf("sent packets: %llu\n", (unsigned long long)s);
	printf("received packets: %llu\n", (unsigned long long)r);
	printf("drops: %llu\n\n", (unsigned long long)(s - r));
}

/* perfdhcp's lines, then ours in words its parsers do not match. */
static void
report(double tsend)
{
	struct rusage	 ru;

	block(cf.fam == 4 ? "DISCOVER-OFFER" : "SOLICIT-ADVERTISE", sent1,
	    recv1);
	block(cf.fam == 4 ? "REQUEST-ACK" : "REQUEST-REPLY", sent2, recv2);
	printf("send time %.3f s, offered %.0f exchanges/s (asked %u/s)\n",
	    tsend, tsend > 0 ? sent1 / tsend : 0.0, cf.rate);
	printf("completed %llu 4-way exchanges, %.0f/s over the send time\n",
	    (unsigned long long)recv2, tsend > 0 ? recv2 / tsend : 0.0);
	printf("rejected replies %llu, send errors %llu\n",
	    (unsigned long long)rejected, (unsigned long long)senderr);
	if (cf.fam == 6)
		printf("ADVERTISEs without an address %llu (not requested)\n",
		    (unsigned long long)noaddr);
	getrusage(RUSAGE_SELF, &ru);
	printf("cpu %.3f s user, %.3f s system\n",
	    ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
	    ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
}

/* The exchanges' states, the run's ids, the batches' headers. */
static void
setup(void)
{
	int	 i;

	if ((st = calloc(cf.total, 1)) == NULL)
		err(1, NULL);
	arc4random_buf(&cf.runid, sizeof(cf.runid));
	cf.runid &= 0xff000000;
	cf.duidtime = (uint32_t)(time(NULL) - 946684800);	/* since 2000 */
	for (i = 0; i < BATCH; i++) {
		oiov[i].iov_base = obuf[i];
		omsg[i].msg_hdr.msg_iov = &oiov[i];
		omsg[i].msg_hdr.msg_iovlen = 1;
		omsg[i].msg_hdr.msg_name = &cf.dst;
		omsg[i].msg_hdr.msg_namelen = cf.dstlen;
		iiov[i].iov_base = ibuf[i];
		iiov[i].iov_len = PKTMAX;
		imsg[i].msg_hdr.msg_iov = &iiov[i];
		imsg[i].msg_hdr.msg_iovlen = 1;
	}
}

int
main(int argc, char *argv[])
{
	struct pollfd	 pfd;
	double		 t0, t, tsend = 0, tnext, deadline = 0;
	int		 fd, ms;

	getargs(argc, argv);
	ifaddr();
	fd = opensock();
	setup();
	pfd.fd = fd;
	pfd.events = POLLIN;
	t0 = now();
	for (;;) {
		t = now();
		if (next < cf.total) {
			send_due(fd, t0, t);
			if (next == cf.total) {
				tsend = now() - t0;
				deadline = t + cf.wait;
			}
		} else if (t >= deadline || (recv1 == sent1 && recv2 == sent2))
			break;
		/* Sleep until the next exchange is due, at 1 ms steps. */
		tnext = next < cf.total ? t0 + (double)next / cf.rate :
		    deadline;
		t = now();
		ms = tnext > t ? (int)((tnext - t) * 1000) + 1 : 0;
		if (poll(&pfd, 1, ms) == -1 && errno != EINTR)
			err(1, "poll");
		if (pfd.revents & POLLIN)
			drain(fd);
	}
	report(tsend + 1.0 / cf.rate);
	return 0;
}
