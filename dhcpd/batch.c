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
 * Datagrams in batches.  Requests come in with recvmmsg(2), up to
 * BATCH_RX a system call.  The replies of one loop turn go together:
 * the DHCP worker queues each datagram here (DHCP and DHCPv6, UDP and
 * raw) and the loop, before it waits again, sends every run of them on
 * one socket with one sendmmsg(2).  Under load a turn
 * answers tens of requests, and a system call per datagram was the
 * worker's largest cost (BENCHMARKS.md, "DHCPv6").  The queue holds
 * BATCH_TXMAX datagrams; a full queue is sent at once.
 */

#include <sys/socket.h>
#include <sys/types.h>

#include <errno.h>
#include <string.h>

#include "dhcpd.h"
#include "log.h"

#define BATCH_TXMAX		64
#define BATCH_TXBUFLEN	1500

struct txq_ent {
	int			 fd;
	socklen_t		 tolen;
	struct sockaddr_storage	 to;
	size_t			 len;
	uint8_t			 buf[BATCH_TXBUFLEN];
};

static struct txq_ent	 txq[BATCH_TXMAX];
static size_t		 ntxq;

static struct batch_rx	 rx;

static void	 batch_sendmmsg(size_t, size_t);

/*
 * Up to BATCH_RX datagrams of fd into the batch: their number, 0 when
 * there are none (or on an error, logged unless EAGAIN or EINTR).
 */
struct batch_rx *
batch_recv(int fd, int *n, const char *what)
{
	int	 i;

	memset(rx.mm, 0, sizeof(rx.mm));
	for (i = 0; i < BATCH_RX; i++) {
		rx.iov[i].iov_base = rx.buf[i];
		rx.iov[i].iov_len = sizeof(rx.buf[i]);
		rx.mm[i].msg_hdr.msg_name = &rx.from[i];
		rx.mm[i].msg_hdr.msg_namelen = sizeof(rx.from[i]);
		rx.mm[i].msg_hdr.msg_iov = &rx.iov[i];
		rx.mm[i].msg_hdr.msg_iovlen = 1;
	}
	if ((*n = recvmmsg(fd, rx.mm, BATCH_RX, 0, NULL)) == -1) {
		if (errno != EAGAIN && errno != EINTR)
			log_warn("%s: recvmmsg", what);
		*n = 0;
	}
	return &rx;
}

/*
 * Queue len bytes of buf for to on fd.  A datagram too large for a slot
 * goes at once.  0, or -1 when that direct send failed.
 */
int
batch_send(int fd, const void *to, socklen_t tolen, const void *buf,
    size_t len)
{
	struct txq_ent	*e;

	if (len > BATCH_TXBUFLEN || tolen > sizeof(e->to))
		return sendto(fd, buf, len, 0, to, tolen) == -1 ? -1 : 0;
	if (ntxq == BATCH_TXMAX)
		batch_flush();
	e = &txq[ntxq++];
	e->fd = fd;
	e->tolen = tolen;
	memcpy(&e->to, to, tolen);
	e->len = len;
	memcpy(e->buf, buf, len);
	return 0;
}

/* Send the queue: a sendmmsg for each run of one socket. */
void
batch_flush(void)
{
	size_t	 i, j;

	for (i = 0; i < ntxq; i = j) {
		for (j = i + 1; j < ntxq && txq[j].fd == txq[i].fd; j++)
			;
		batch_sendmmsg(i, j);
	}
	ntxq = 0;
}

/*
 * Entries [from, to) share a socket.  A datagram the kernel refuses is
 * counted as send_failed and skipped; the rest still go.
 */
static void
batch_sendmmsg(size_t from, size_t to)
{
	struct mmsghdr	 mm[BATCH_TXMAX];
	struct iovec	 iov[BATCH_TXMAX];
	size_t		 i, n = to - from;
	int		 r;

	memset(mm, 0, n * sizeof(mm[0]));
	for (i = 0; i < n; i++) {
		iov[i].iov_base = txq[from + i].buf;
		iov[i].iov_len = txq[from + i].len;
		mm[i].msg_hdr.msg_name = &txq[from + i].to;
		mm[i].msg_hdr.msg_namelen = txq[from + i].tolen;
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	for (i = 0; i < n; ) {
		r = sendmmsg(txq[from].fd, mm + i, (unsigned int)(n - i), 0);
		if (r > 0) {
			i += (size_t)r;
			continue;
		}
		if (r == -1 && errno == EINTR)
			continue;
		/* as a sendto before: counted, logged only when debugging */
		dhcp_stats.send_failed++;
		log_debug("dhcp: send: %s", strerror(errno));
		i++;
	}
}
