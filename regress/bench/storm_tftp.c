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
 * storm: TFTP as EDK2 does it.  The loader: RRQ with "tsize 0 blksize
 * 1468" for its size, ERROR 8 on the OACK, then RRQ with "blksize 1468
 * windowsize 4", acking the last block of each window.  The menu: RRQ
 * with blksize 1468, kept to be parsed.
 */

#include <sys/epoll.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "storm.h"

#define TFTP_RRQ	1
#define TFTP_DATA	3
#define TFTP_ACK	4
#define TFTP_ERROR	5
#define TFTP_OACK	6
#define TFTP_TIMEOUT	1000.0
#define TFTP_BATCH	16	/* datagrams read per system call */
#define TFTP_PKTMAX	2048	/* blksize 1468 and its header fit */

/* ERROR 8, option negotiation refused: how EDK2 ends its size probe. */
static const char e8[] = "\0\5\0\10tsize probe";

static void	 tftp_rrq(struct mach *);
static void	 tftp_send(struct mach *, const void *, size_t,
		    const struct sockaddr_in *);
static void	 tftp_ack(struct mach *, uint16_t);
static void	 tftp_oack(struct mach *, const uint8_t *, size_t);
static void	 tftp_data(struct mach *, const uint8_t *, size_t);

static void
tftp_send(struct mach *m, const void *p, size_t len,
    const struct sockaddr_in *to)
{
	ssize_t	 n;

	memcpy(m->last, p, len);
	m->lastlen = len;
	m->lastto = *to;
	/* To the transfer's server port the socket is connected. */
	if (m->have_tid && to->sin_port == m->tid.sin_port &&
	    to->sin_addr.s_addr == m->tid.sin_addr.s_addr)
		n = send(m->tfd, p, len, 0);
	else
		n = sendto(m->tfd, p, len, 0, (const struct sockaddr *)to,
		    sizeof(*to));
	if (n == -1 && errno != EAGAIN && errno != ENOBUFS)
		warn("tftp send");
	m->timer = S.now + TFTP_TIMEOUT;
}

static void
tftp_rrq(struct mach *m)
{
	uint8_t			 p[600];
	struct sockaddr_in	 to = S.srv;
	struct sockaddr		 un;
	int			 i, l;

	p[0] = 0;
	p[1] = TFTP_RRQ;
	/* The options, NUL-separated: snprintf writes them with '|'. */
	l = snprintf((char *)p + 2, sizeof(p) - 2, "%s|octet|%s", m->tname,
	    m->probe ? "tsize|0|blksize|1468|" :
	    m->stage == ST_LOADER ? "blksize|1468|windowsize|4|" :
	    "blksize|1468|");
	if (l < 0 || (size_t)l >= sizeof(p) - 2) {
		mach_fail(m, "tftp name too long");
		return;
	}
	for (i = 2; i < l + 2; i++)
		if (p[i] == '|')
			p[i] = '\0';
	if (m->have_tid) {
		/* A new transfer, from a new port, to port 69 again. */
		memset(&un, 0, sizeof(un));
		un.sa_family = AF_UNSPEC;
		connect(m->tfd, &un, sizeof(un));
	}
	m->have_tid = 0;
	m->expect = 1;
	m->blksize = 512;
	m->window = 1;
	m->inwin = 0;
	to.sin_port = htons(69);
	tftp_send(m, p, l + 2, &to);
}

/* probe: first ask for the size only, as EDK2 does before the download. */
void
tftp_start(struct mach *m, const char *name, int probe)
{
	struct sockaddr_in	 sin;
	struct epoll_event	 ev;

	if (strlcpy(m->tname, name, sizeof(m->tname)) >= sizeof(m->tname)) {
		mach_fail(m, "tftp name too long");
		return;
	}
	if (m->tfd == -1) {
		if ((m->tfd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, 0)) == -1) {
			mach_fail(m, "tftp socket");
			return;
		}
		/* From the leased address, as a real machine speaks. */
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_addr = m->yiaddr;
		ev.events = EPOLLIN;
		ev.data.u64 = (uint64_t)m->idx << 2 | 1;
		if (bind(m->tfd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
		    epoll_ctl(S.ep, EPOLL_CTL_ADD, m->tfd, &ev) == -1) {
			mach_fail(m, "tftp bind");
			return;
		}
	}
	m->probe = probe;
	m->bodylen = 0;
	m->tries = 0;
	tftp_rrq(m);
}

void
tftp_close(struct mach *m)
{
	fd_close(&m->tfd);
}

void
tftp_timeout(struct mach *m)
{
	if (++m->tries > 5) {
		mach_fail(m, m->have_tid ? "tftp timeout" : "tftp no answer");
		return;
	}
	tftp_send(m, m->last, m->lastlen, &m->lastto);
}

static void
tftp_ack(struct mach *m, uint16_t blk)
{
	uint8_t	p[4] = { 0, TFTP_ACK, blk >> 8, blk & 0xff };

	m->inwin = 0;
	tftp_send(m, p, sizeof(p), &m->tid);
}

static void
tftp_oack(struct mach *m, const uint8_t *p, size_t len)
{
	const char		*k, *v, *end = (const char *)p + len;

	if (m->probe) {
		/* The size is known: end this transfer, ask for the file. */
		tftp_send(m, e8, sizeof(e8), &m->tid);
		m->probe = 0;
		tftp_rrq(m);
		return;
	}
	k = (const char *)p + 2;
	while (k < end) {
		v = k + strnlen(k, end - k) + 1;
		if (v >= end)
			break;
		if (strcasecmp(k, "blksize") == 0)
			m->blksize = strtonum(v, 8, 65464, NULL);
		else if (strcasecmp(k, "windowsize") == 0)
			m->window = strtonum(v, 1, 65535, NULL);
		k = v + strnlen(v, end - v) + 1;
	}
	if (m->blksize == 0 || m->window == 0) {
		mach_fail(m, "tftp bad oack");
		return;
	}
	tftp_ack(m, 0);
}

static void
tftp_data(struct mach *m, const uint8_t *p, size_t len)
{
	uint16_t	blk = p[2] << 8 | p[3];

	if (m->probe) {
		/* No OACK: the server ignored the options; stop it. */
		tftp_send(m, e8, sizeof(e8), &m->tid);
		m->probe = 0;
		tftp_rrq(m);
		return;
	}
	if (blk != m->expect) {
		/* Lost or reordered: ask again from the last in order. */
		if ((uint16_t)(blk - m->expect) < 0x8000 || m->inwin == 0)
			tftp_ack(m, m->expect - 1);
		return;
	}
	if (m->stage == ST_MENU && body_add(m, p + 4, len - 4) == -1) {
		mach_fail(m, "menu too large");
		return;
	}
	m->expect++;
	m->inwin++;
	if (len - 4 < m->blksize) {
		tftp_ack(m, blk);
		mach_next(m);
		return;
	}
	if (m->inwin >= m->window)
		tftp_ack(m, blk);
}

/*
 * What the socket holds, a window's worth per system call: the client
 * shares the two cores with the servers, so its own cost is kept low.
 */
void
tftp_input(struct mach *m)
{
	static uint8_t		 bufs[TFTP_BATCH][TFTP_PKTMAX];
	static struct sockaddr_in froms[TFTP_BATCH];
	static struct iovec	 iov[TFTP_BATCH];
	static struct mmsghdr	 msgs[TFTP_BATCH];
	static int		 ready;
	const uint8_t		*p;
	size_t			 n;
	int			 i, got;

	for (i = 0; !ready && i < TFTP_BATCH; i++) {
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = sizeof(bufs[i]);
		msgs[i].msg_hdr.msg_name = &froms[i];
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	ready = 1;
	for (i = 0; i < TFTP_BATCH; i++)	/* the kernel sets it each time */
		msgs[i].msg_hdr.msg_namelen = sizeof(froms[i]);
	if ((got = recvmmsg(m->tfd, msgs, TFTP_BATCH, MSG_DONTWAIT, NULL))
	    == -1) {
		if (errno != EAGAIN && errno != EINTR)
			mach_fail(m, "tftp recv");
		return;
	}
	for (i = 0; i < got && m->tfd != -1 && m->state == M_RUN; i++) {
		p = bufs[i];
		n = msgs[i].msg_len;
		if (n < 4 || (msgs[i].msg_hdr.msg_flags & MSG_TRUNC) ||
		    froms[i].sin_addr.s_addr != S.srv.sin_addr.s_addr)
			continue;
		if (!m->have_tid) {
			/*
			 * Connected to it from now on, as a firmware's UDP
			 * instance is: the kernel keeps the route and finds
			 * the socket without a lookup per packet, for the
			 * reference servers as for pxed.
			 */
			m->tid = froms[i];
			m->have_tid = 1;
			connect(m->tfd, (struct sockaddr *)&m->tid,
			    sizeof(m->tid));
		} else if (froms[i].sin_port != m->tid.sin_port)
			continue;	/* an old transfer's stray packet */
		m->tries = 0;
		switch (p[1]) {
		case TFTP_OACK:
			if (m->expect == 1 && m->inwin == 0)
				tftp_oack(m, p, n);
			break;
		case TFTP_DATA:
			tftp_data(m, p, n);
			break;
		case TFTP_ERROR:
			mach_fail(m, m->stage == ST_MENU ? "tftp error on menu" :
			    "tftp error on loader");
			return;
		default:
			break;
		}
	}
}
