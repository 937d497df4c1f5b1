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
 * storm: DHCP DORA as PXE firmware sends it, with the broadcast flag so
 * every machine's replies reach the one shared socket on port 68.
 */

#include <sys/epoll.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "storm.h"

#define DHCP_FIXED	236
#define DHCP_MAGIC	0x63825363

static size_t	 dhcp_build(struct mach *, uint8_t *, int);
static void	 dhcp_send(struct mach *);
static void	 dhcp_reply(struct mach *, const uint8_t *, size_t);

void
dhcp_open(const char *ifname)
{
	struct sockaddr_in	 sin;
	struct epoll_event	 ev;
	int			 one = 1, sz = 4 << 20;

	if ((S.dfd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1)
		err(1, "socket");
	if (setsockopt(S.dfd, SOL_SOCKET, SO_BROADCAST, &one,
	    sizeof(one)) == -1 ||
	    setsockopt(S.dfd, SOL_SOCKET, SO_REUSEADDR, &one,
	    sizeof(one)) == -1)
		err(1, "setsockopt");
	/* A storm of replies: a deep receive queue. */
	setsockopt(S.dfd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz));
	if (ifname != NULL && setsockopt(S.dfd, SOL_SOCKET, SO_BINDTODEVICE,
	    ifname, strlen(ifname)) == -1)
		err(1, "SO_BINDTODEVICE %s", ifname);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(68);
	if (bind(S.dfd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		err(1, "bind udp/68");
	ev.events = EPOLLIN;
	ev.data.u64 = UINT64_MAX;
	if (epoll_ctl(S.ep, EPOLL_CTL_ADD, S.dfd, &ev) == -1)
		err(1, "epoll_ctl");
}

/* DISCOVER or REQUEST with the options EDK2 and iPXE put in theirs. */
static size_t
dhcp_build(struct mach *m, uint8_t *p, int type)
{
	static const uint8_t	 prl[] = { 1, 3, 6, 12, 15, 17, 43, 54, 60,
	    66, 67, 97, 128, 129, 130, 131, 132, 133, 134, 135 };
	static const uint16_t	 arch[] = { 0, 7, 16, 7 };
	char			 vc[40];
	size_t			 o = DHCP_FIXED, l;
	uint32_t		 v;

	memset(p, 0, 548);
	p[0] = 1;
	p[1] = 1;
	p[2] = 6;
	v = htonl(m->xid);
	memcpy(p + 4, &v, 4);
	p[10] = 0x80;		/* broadcast: we have no address yet */
	memcpy(p + 28, m->mac, 6);
	v = htonl(DHCP_MAGIC);
	memcpy(p + o, &v, 4);
	o += 4;
	p[o++] = 53; p[o++] = 1; p[o++] = type;
	p[o++] = 57; p[o++] = 2; p[o++] = 0x05; p[o++] = 0xc0;
	p[o++] = 93; p[o++] = 2; p[o++] = 0; p[o++] = arch[m->kind];
	p[o++] = 94; p[o++] = 3; p[o++] = 1; p[o++] = 3; p[o++] = 16;
	p[o++] = 97; p[o++] = 17; p[o++] = 0;
	memset(p + o, 0x5a, 10);
	memcpy(p + o + 10, m->mac, 6);
	o += 16;
	l = snprintf(vc, sizeof(vc), "%s:Arch:%05u:UNDI:003016",
	    m->kind == K_HTTP ? "HTTPClient" : "PXEClient", arch[m->kind]);
	p[o++] = 60; p[o++] = l;
	memcpy(p + o, vc, l);
	o += l;
	if (m->kind == K_IPXE) {
		p[o++] = 77; p[o++] = 4;
		memcpy(p + o, "iPXE", 4);
		o += 4;
	}
	p[o++] = 55; p[o++] = sizeof(prl);
	memcpy(p + o, prl, sizeof(prl));
	o += sizeof(prl);
	if (type == 3) {
		p[o++] = 50; p[o++] = 4;
		memcpy(p + o, &m->yiaddr, 4);
		o += 4;
		p[o++] = 54; p[o++] = 4;
		memcpy(p + o, &m->srvid, 4);
		o += 4;
	}
	p[o++] = 255;
	return o < 300 ? 300 : o;
}

static void
dhcp_send(struct mach *m)
{
	struct sockaddr_in	 to;
	uint8_t			 pkt[548];
	size_t			 len;

	len = dhcp_build(m, pkt, m->dstate == D_DISCOVER ? 1 : 3);
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_port = htons(67);
	to.sin_addr.s_addr = INADDR_BROADCAST;
	if (sendto(S.dfd, pkt, len, 0, (struct sockaddr *)&to,
	    sizeof(to)) == -1 && errno != EAGAIN && errno != ENOBUFS)
		warn("dhcp sendto");
	/* EDK2 waits 4, 8, 16, 32 s; a storm should not need that long. */
	m->timer = S.now + 1000.0 * (1 << m->tries);
}

void
dhcp_start(struct mach *m)
{
	m->dstate = D_DISCOVER;
	m->tries = 0;
	dhcp_send(m);
}

void
dhcp_timeout(struct mach *m)
{
	if (++m->tries > 4) {
		mach_fail(m, m->dstate == D_DISCOVER ? "no offer" : "no ack");
		return;
	}
	dhcp_send(m);
}

/* One OFFER or ACK, already matched to its machine. */
static void
dhcp_reply(struct mach *m, const uint8_t *p, size_t len)
{
	size_t		 o = DHCP_FIXED + 4;
	int		 type = 0;
	const uint8_t	*file = NULL;
	size_t		 filelen = 0;

	memset(&m->srvid, 0, sizeof(m->srvid));
	while (o < len && p[o] != 255) {
		if (p[o] == 0) {
			o++;
			continue;
		}
		if (o + 2 > len || o + 2 + p[o + 1] > len)
			break;
		if (p[o] == 53 && p[o + 1] == 1)
			type = p[o + 2];
		else if (p[o] == 54 && p[o + 1] == 4)
			memcpy(&m->srvid, p + o + 2, 4);
		else if (p[o] == 67) {
			file = p + o + 2;
			filelen = p[o + 1];
		}
		o += 2 + p[o + 1];
	}
	if (type == 2 && m->dstate == D_DISCOVER) {
		memcpy(&m->yiaddr, p + 16, 4);
		m->dstate = D_REQUEST;
		m->tries = 0;
		dhcp_send(m);
		return;
	}
	if (type == 6 && m->dstate == D_REQUEST) {
		mach_fail(m, "nak");
		return;
	}
	if (type != 5 || m->dstate != D_REQUEST)
		return;
	if (file == NULL) {
		file = p + 108;
		filelen = strnlen((const char *)file, 128);
	}
	if (filelen == 0 || filelen >= sizeof(m->file)) {
		mach_fail(m, "ack without a boot file");
		return;
	}
	memcpy(m->file, file, filelen);
	m->file[filelen] = '\0';
	mach_next(m);
}

void
dhcp_input(void)
{
	uint8_t		 pkt[1500];
	ssize_t		 n;
	uint32_t	 xid, magic;
	struct mach	*m;
	int		 i;

	for (i = 0; i < 64; i++) {
		if ((n = recv(S.dfd, pkt, sizeof(pkt), 0)) == -1) {
			if (errno != EAGAIN && errno != EINTR)
				warn("dhcp recv");
			return;
		}
		if (n < DHCP_FIXED + 4 || pkt[0] != 2)
			continue;
		memcpy(&xid, pkt + 4, 4);
		memcpy(&magic, pkt + DHCP_FIXED, 4);
		xid = ntohl(xid) - S.xid0;
		if (xid >= (uint32_t)S.n || ntohl(magic) != DHCP_MAGIC)
			continue;
		m = &S.m[xid];
		if (m->state != M_RUN || m->stage != ST_DHCP ||
		    memcmp(pkt + 28, m->mac, 6) != 0)
			continue;
		dhcp_reply(m, pkt, n);
	}
}
