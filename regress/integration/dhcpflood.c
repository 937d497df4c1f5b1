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
 * dhcpflood IFACE COUNT SECONDS [RATE]: send COUNT DHCPDISCOVERs from
 * random locally administered MACs out of IFACE, RATE a second or as
 * fast as the socket takes them, for SECONDS at most, counting the
 * OFFERs that come back.  For
 * regress/integration/floods.sh, inside the test's client namespace.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PKTLEN	300

static double	 now(void);
static void	 build(uint8_t *, uint32_t);
static size_t	 drain(int);

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A broadcast DISCOVER with a fresh random MAC and xid. */
static void
build(uint8_t *p, uint32_t xid)
{
	memset(p, 0, PKTLEN);
	p[0] = 1;			/* BOOTREQUEST */
	p[1] = 1;
	p[2] = 6;
	memcpy(p + 4, &xid, 4);
	p[10] = 0x80;			/* broadcast flag */
	arc4random_buf(p + 28, 6);
	p[28] = (p[28] & 0xfe) | 0x02;	/* unicast, locally administered */
	memcpy(p + 236, "\x63\x82\x53\x63", 4);
	memcpy(p + 240, "\x35\x01\x01\xff", 4);
}

/* Read every pending reply; the number of OFFERs among them. */
static size_t
drain(int s)
{
	uint8_t	 r[1500];
	ssize_t	 n;
	size_t	 offers = 0;

	while ((n = recv(s, r, sizeof(r), MSG_DONTWAIT)) > 0)
		if (n >= 243 && r[0] == 2 && memcmp(r + 240, "\x35\x01\x02",
		    3) == 0)
			offers++;
	return offers;
}

int
main(int argc, char *argv[])
{
	struct sockaddr_in	 sin;
	struct pollfd		 pfd;
	uint8_t			 pkt[PKTLEN];
	const char		*e;
	double			 t0, end;
	size_t			 count, sent = 0, offers = 0;
	int			 s, one = 1, secs, rate = 0;

	if (argc != 4 && argc != 5)
		errx(2, "usage: dhcpflood iface count seconds [rate]");
	count = strtonum(argv[2], 1, 10000000, &e);
	if (e != NULL)
		errx(2, "count %s", e);
	secs = strtonum(argv[3], 1, 600, &e);
	if (e != NULL)
		errx(2, "seconds %s", e);
	if (argc == 5) {
		rate = strtonum(argv[4], 1, 10000000, &e);
		if (e != NULL)
			errx(2, "rate %s", e);
	}
	if ((s = socket(AF_INET, SOCK_DGRAM, 0)) == -1)
		err(1, "socket");
	if (setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1 ||
	    setsockopt(s, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)) == -1 ||
	    setsockopt(s, SOL_SOCKET, SO_BINDTODEVICE, argv[1],
	    strlen(argv[1])) == -1)
		err(1, "setsockopt");
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(68);
	if (bind(s, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		err(1, "bind");
	sin.sin_port = htons(67);
	sin.sin_addr.s_addr = htonl(INADDR_BROADCAST);
	pfd.fd = s;
	t0 = now();
	end = t0 + secs;
	while (sent < count && now() < end) {
		if (rate > 0 && now() < t0 + (double)sent / rate) {
			pfd.events = POLLIN;
			poll(&pfd, 1, 1);
			offers += drain(s);
			continue;
		}
		build(pkt, arc4random());
		if (sendto(s, pkt, sizeof(pkt), MSG_DONTWAIT,
		    (struct sockaddr *)&sin, sizeof(sin)) == -1) {
			if (errno != EAGAIN && errno != ENOBUFS)
				err(1, "sendto");
			pfd.events = POLLOUT;
			poll(&pfd, 1, 10);
		} else
			sent++;
		if (sent % 64 == 0)
			offers += drain(s);
	}
	printf("sent %zu in %.2f s", sent, now() - t0);
	/* the last OFFERs, for a second */
	pfd.events = POLLIN;
	end = now() + 1;
	while (now() < end && poll(&pfd, 1, 100) >= 0)
		offers += drain(s);
	printf(", %zu offers\n", offers);
	return sent == count ? 0 : 1;
}
