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
 * One transfer: its own UDP socket on an ephemeral port of the address
 * the request came to (of its family, IPv4 or IPv6), the OACK, DATA
 * windows (RFC 7440), ACKs compared with 16-bit wraparound,
 * retransmission on timeout only with backoff, and the end of it.  The
 * file stays open and is read with pread, a window at a time, so a
 * transfer's memory does not grow with the file.
 * The socket is not connected, so that packets from anyone else reach
 * us and get ERROR 5 while the transfer goes on.
 */

#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/udp.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addrcap.h"
#include "log.h"
#include "proc.h"
#include "tftpd.h"

#define XFER_RTO		1000	/* ms, without a timeout option */
#define XFER_RTO_MAX		16000
#define XFER_GIVEUP		60000	/* ms without progress */
#define XFER_FINAL_RETRIES	2	/* then the last ACK is deemed lost */
#define XFER_GSO_BYTES		65000	/* one UDP super-packet at most */
#define XFER_GSO_SEGS		64

struct tftp_xfer {
	TAILQ_ENTRY(tftp_xfer)	 entry;
	int			 sock;
	struct ev_io		 io;
	struct ev_timer		 timer;
	union sockaddr46	 peer;
	struct in6_addr		 addr;		/* the peer's, as a key */
	char			 peerstr[ADDR_PEERLEN];
	char			 path[PXED_PATHLEN];
	char			 what[PXED_NAMELEN + 16];
	struct tftp_src		 src;
	struct tftp_req		 asked;		/* as requested */
	struct tftp_req		 req;		/* as negotiated */
	struct tftp_nacur	 base;		/* at block acked + 1 */
	uint8_t			*ra;		/* the next DATA, read ahead */
	uint64_t		 ra_block;	/* its block, 0: none */
	uint32_t		 ra_len;
	uint32_t		 rto;		/* ms, backing off */
	uint32_t		 retries;
	int			 oack;		/* waiting for ACK 0 */
	int			 dead;
	uint64_t		 acked;		/* absolute blocks */
	uint64_t		 sent;
	uint64_t		 last;		/* the final block, 0: not yet */
	uint64_t		 started;	/* ev_now() */
	uint64_t		 progress;
};

struct tftp_stats	 tftp_stats;

static struct tftp_xfers	 xfers = TAILQ_HEAD_INITIALIZER(xfers);
static struct tftp_xfers	 dead = TAILQ_HEAD_INITIALIZER(dead);
static struct ev_timer		 reaper;
static int			 reaper_init;
static struct addrcap		 percap;	/* transfers per client address */
static uint8_t			 pkt[TFTP_PKTMAX];
static uint8_t			 nabuf[TFTP_BLKSIZE_MAX];
static uint8_t			 wbuf[TFTP_WINDOW_MAX * TFTP_PKTMAX];
static uint8_t			 rbuf[TFTP_WINDOW_MAX * TFTP_BLKSIZE_MAX];
static int			 gso_ok = 1;

static int	 req_same(const struct tftp_req *, const struct tftp_req *);
static void	 xfer_negotiate(struct tftp_xfer *, uint32_t);
static void	 xfer_log_rrq(struct tftp_xfer *);
static void	 xfer_send(struct tftp_xfer *, const void *, size_t);
static void	 xfer_send_oack(struct tftp_xfer *);
static int	 xfer_fill(struct tftp_xfer *, uint32_t *);
static void	 xfer_sendv(struct tftp_xfer *, int, uint32_t);
static void	 xfer_window(struct tftp_xfer *);
static void	 xfer_readahead(struct tftp_xfer *);
static void	 xfer_ack(struct tftp_xfer *, uint16_t);
static void	 xfer_advance(struct tftp_xfer *, uint64_t);
static void	 xfer_packet(struct tftp_xfer *, const uint8_t *, size_t);
static void	 xfer_read(int, int, void *);
static void	 xfer_timeout(void *);
static void	 xfer_arm(struct tftp_xfer *);
static void	 xfer_stranger(struct tftp_xfer *, const union sockaddr46 *);
static void	 xfer_end(struct tftp_xfer *, int, const char *);
static void	 xfer_reap(void *);
static ssize_t	 src_read(const struct tftp_src *, uint64_t, uint8_t *,
		    size_t);
static ssize_t	 src_netascii(const struct tftp_src *, struct tftp_nacur *,
		    uint32_t, uint8_t *);

static ssize_t
src_read(const struct tftp_src *src, uint64_t off, uint8_t *out, size_t len)
{
	ssize_t	 n;

	if (off >= src->size)
		return 0;
	if (len > src->size - off)
		len = src->size - off;
	if (src->fd == -1) {
		memcpy(out, src->data + off, len);
		return (ssize_t)len;
	}
	do {
		n = pread(src->fd, out, len, (off_t)off);
	} while (n == -1 && errno == EINTR);
	return n;
}

/*
 * netascii on the fly: LF becomes CR LF and CR becomes CR NUL; a pair
 * cut by the end of a block leaves its second byte pending.
 */
static ssize_t
src_netascii(const struct tftp_src *src, struct tftp_nacur *na,
    uint32_t blksize, uint8_t *out)
{
	ssize_t		 n, i;
	uint32_t	 o = 0;
	uint8_t		 c;

	if (na->pending != -1) {
		out[o++] = (uint8_t)na->pending;
		na->pending = -1;
	}
	if ((n = src_read(src, na->off, nabuf, blksize - o)) == -1)
		return -1;
	for (i = 0; i < n && o < blksize; i++) {
		c = nabuf[i];
		out[o++] = c == '\n' ? '\r' : c;
		if (c != '\n' && c != '\r')
			continue;
		if (o < blksize)
			out[o++] = c == '\n' ? '\n' : '\0';
		else
			na->pending = c == '\n' ? '\n' : '\0';
	}
	na->off += (uint64_t)i;
	na->out += o;
	na->block++;
	return o;
}

/*
 * The payload of absolute block b (1-based) into out.  netascii needs
 * na at block b, and leaves it at b + 1.
 */
ssize_t
tftp_src_block(const struct tftp_src *src, struct tftp_nacur *na,
    uint64_t b, uint32_t blksize, uint8_t *out)
{
	if (src->netascii) {
		if (na->block != b)
			return -1;
		return src_netascii(src, na, blksize, out);
	}
	return src_read(src, (b - 1) * blksize, out, blksize);
}

static int
req_same(const struct tftp_req *a, const struct tftp_req *b)
{
	return a->netascii == b->netascii && a->opts == b->opts &&
	    a->blksize == b->blksize && a->timeout == b->timeout &&
	    a->windowsize == b->windowsize;
}

size_t
tftp_xfer_count(void)
{
	return tftp_stats.active;
}

/* The transfers the client at ip (either family, addr.h) holds. */
uint32_t
tftp_xfer_of(const struct in6_addr *ip)
{
	return percap.slot != NULL ? addrcap_count(&percap, ip) : 0;
}

/*
 * A request from the same address and port as a live transfer: the
 * same request before any progress is the client repeating its RRQ (our
 * answer is on its way or lost, and the timer resends it), so it is
 * dropped.  Anything else replaces the old transfer; an OACK that asked
 * for the size and got only a new request back was the UEFI probe (its
 * ERROR 8 may arrive after the new RRQ, on the old transfer's port).
 */
int
tftp_xfer_dup(const union sockaddr46 *peer, const char *path,
    const struct tftp_req *req)
{
	struct tftp_xfer	*x;

	TAILQ_FOREACH(x, &xfers, entry) {
		if (!sa_same(&x->peer, peer))
			continue;
		if (strcmp(x->path, path) == 0 && x->acked == 0 &&
		    req_same(&x->asked, req))
			return 1;
		if (x->oack && (x->asked.opts & TFTP_OPT_TSIZE)) {
			tftp_stats.tsize_probes++;
			xfer_end(x, 2, NULL);
		} else
			xfer_end(x, 0, "superseded by a new request");
		return 0;
	}
	return 0;
}

/*
 * The options we answer: blksize within the interface MTU (less IPv6's
 * longer header over IPv6), a window cap.
 */
static void
xfer_negotiate(struct tftp_xfer *x, uint32_t mtu)
{
	struct tftp_req	*r = &x->req;
	uint32_t	 maxblk = TFTP_BLKSIZE_MAX, hdr = TFTP_IPUDP_HDR;

	if (x->peer.sa.sa_family == AF_INET6)
		hdr = TFTP_IP6UDP_HDR;
	if (mtu > hdr + TFTP_BLKSIZE_MIN && mtu - hdr < maxblk)
		maxblk = mtu - hdr;
	if ((r->opts & TFTP_OPT_BLKSIZE) && r->blksize > maxblk)
		r->blksize = maxblk;
	if (!(r->opts & TFTP_OPT_BLKSIZE))
		r->blksize = TFTP_SEGSIZE;
	if (r->windowsize > TFTP_WINDOW_MAX)
		r->windowsize = TFTP_WINDOW_MAX;
	if (!(r->opts & TFTP_OPT_WINDOWSIZE))
		r->windowsize = 1;
	/* The size of a netascii transfer is not known ahead. */
	if (r->netascii)
		r->opts &= ~TFTP_OPT_TSIZE;
	x->rto = (r->opts & TFTP_OPT_TIMEOUT) ? r->timeout * 1000 :
	    XFER_RTO;
}

int
tftp_xfer_start(struct tftp_start *st)
{
	struct tftp_xfer	*x;

	if (!reaper_init) {
		if (addrcap_init(&percap, TFTP_MAXTRANSFERS) == -1)
			return -1;
		ev_timer_init(&reaper, xfer_reap, NULL);
		reaper_init = 1;
	}
	if ((x = calloc(1, sizeof(*x))) == NULL)
		return -1;
	x->sock = socket(st->local.sa.sa_family, SOCK_DGRAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (x->sock == -1 ||
	    bind(x->sock, &st->local.sa, sa_len(&st->local)) == -1 ||
	    ev_io_add(&x->io, x->sock, EV_READ, xfer_read, x) == -1) {
		log_warn("tftp: transfer socket");
		if (x->sock != -1)
			close(x->sock);
		free(x);
		return -1;
	}
	ev_timer_init(&x->timer, xfer_timeout, x);
	x->peer = st->peer;
	x->addr = st->addr;
	sa_ntop(&st->peer, x->peerstr, sizeof(x->peerstr));
	strlcpy(x->path, st->path, sizeof(x->path));
	strlcpy(x->what, st->what, sizeof(x->what));
	x->src = st->src;
	x->src.netascii = st->req.netascii;
	x->asked = x->req = st->req;
	xfer_negotiate(x, st->mtu);
	x->base.block = 1;
	x->base.pending = -1;
	x->started = x->progress = ev_now();
	TAILQ_INSERT_TAIL(&xfers, x, entry);
	tftp_stats.active++;
	addrcap_take(&percap, &x->addr, UINT32_MAX);
	xfer_log_rrq(x);
	if (x->req.opts != 0) {
		x->oack = 1;
		xfer_send_oack(x);
	} else
		xfer_window(x);
	return 0;
}

static void
xfer_log_rrq(struct tftp_xfer *x)
{
	char	 extra[64] = "", addr[INET6_ADDRSTRLEN];

	if (x->req.opts & TFTP_OPT_WINDOWSIZE)
		snprintf(extra, sizeof(extra), " windowsize %u",
		    x->req.windowsize);
	if (x->req.opts & TFTP_OPT_TSIZE)
		strlcat(extra, " tsize", sizeof(extra));
	if (x->req.netascii)
		strlcat(extra, " netascii", sizeof(extra));
	log_info("tftp: RRQ from %s file %s%s%s%s blksize %u%s",
	    addr_ntop(&x->addr, addr, sizeof(addr)), x->path,
	    x->what[0] ? " (" : "",
	    x->what, x->what[0] ? ")" : "", x->req.blksize, extra);
}

static void
xfer_send(struct tftp_xfer *x, const void *p, size_t len)
{
	if (sendto(x->sock, p, len, 0, &x->peer.sa, sa_len(&x->peer)) == -1 &&
	    errno != EAGAIN && errno != ENOBUFS)
		log_debug("tftp: send to %s: %s", x->peerstr,
		    strerror(errno));
	tftp_stats.packets_sent++;
}

static void
xfer_send_oack(struct tftp_xfer *x)
{
	size_t	 n;

	n = tftp_build_oack(pkt, sizeof(pkt), &x->req, x->src.size);
	xfer_send(x, pkt, n);
	xfer_arm(x);
}

/*
 * The blocks of the window that starts after the last ACK, up to
 * windowsize of them and no further than the final (short) block, as
 * DATA packets laid end to end in wbuf.  A file in octet mode is read
 * with one pread.  Returns the number of packets, -1 on a read error.
 */
static int
xfer_fill(struct tftp_xfer *x, uint32_t *lastlen)
{
	struct tftp_nacur	 na = x->base;
	uint32_t		 i, nb, bs = x->req.blksize, step = bs + 4;
	uint64_t		 first = x->acked + 1, b, off, left = 0;
	ssize_t			 n;

	nb = x->req.windowsize;
	if (x->last != 0 && x->last - x->acked < nb)
		nb = (uint32_t)(x->last - x->acked);
	if (!x->src.netascii && x->src.fd != -1) {
		off = (first - 1) * bs;
		do {
			n = off >= x->src.size ? 0 : pread(x->src.fd, rbuf,
			    (size_t)nb * bs, (off_t)off);
		} while (n == -1 && errno == EINTR);
		if (n == -1)
			return -1;
		left = (uint64_t)n;
	}
	for (i = 0; i < nb; i++) {
		b = first + i;
		if (!x->src.netascii && x->src.fd != -1) {
			n = left < bs ? (ssize_t)left : (ssize_t)bs;
			memcpy(wbuf + (size_t)i * step + 4, rbuf + (size_t)i * bs,
			    (size_t)n);
			left -= (uint64_t)n;
		} else if ((n = tftp_src_block(&x->src, &na, b, bs,
		    wbuf + (size_t)i * step + 4)) == -1)
			return -1;
		wbuf[(size_t)i * step] = 0;
		wbuf[(size_t)i * step + 1] = TFTP_DATA;
		wbuf[(size_t)i * step + 2] = (uint8_t)(b >> 8);
		wbuf[(size_t)i * step + 3] = (uint8_t)b;
		tftp_stats.bytes_sent += (uint64_t)n;
		*lastlen = (uint32_t)n;
		if ((uint32_t)n < bs) {
			x->last = b;
			return (int)i + 1;
		}
	}
	return (int)nb;
}

/*
 * Full-size packets of equal length go out in as few sendmsg calls as
 * UDP segmentation offload allows; without it, one by one.
 */
static void
xfer_sendv(struct tftp_xfer *x, int npkt, uint32_t lastlen)
{
	union {
		struct cmsghdr	 hdr;
		char		 buf[CMSG_SPACE(sizeof(uint16_t))];
	}		 cm;
	struct msghdr	 msg;
	struct iovec	 iov;
	uint32_t	 step = x->req.blksize + 4;
	int		 i = 0, k, per;

	per = (int)(XFER_GSO_BYTES / step);
	if (per > XFER_GSO_SEGS)
		per = XFER_GSO_SEGS;
	while (gso_ok && per > 1 && npkt - i > 1) {
		k = npkt - i < per ? npkt - i : per;
		memset(&msg, 0, sizeof(msg));
		iov.iov_base = wbuf + (size_t)i * step;
		iov.iov_len = (size_t)(k - 1) * step +
		    (i + k == npkt ? lastlen + 4 : step);
		msg.msg_name = &x->peer;
		msg.msg_namelen = sa_len(&x->peer);
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = cm.buf;
		msg.msg_controllen = sizeof(cm.buf);
		cm.hdr.cmsg_level = SOL_UDP;
		cm.hdr.cmsg_type = UDP_SEGMENT;
		cm.hdr.cmsg_len = CMSG_LEN(sizeof(uint16_t));
		*(uint16_t *)(void *)CMSG_DATA(&cm.hdr) = (uint16_t)step;
		if (sendmsg(x->sock, &msg, 0) == -1) {
			/*
			 * Only the kernel's word that it cannot segment turns
			 * the offload off; a full queue or a route that is
			 * gone for one client does not.
			 */
			if (errno != EINVAL && errno != EIO &&
			    errno != EOPNOTSUPP && errno != ENOPROTOOPT)
				return;
			gso_ok = 0;
			log_debug("tftp: no UDP segmentation offload: %s",
			    strerror(errno));
			break;
		}
		tftp_stats.packets_sent += (uint64_t)k;
		i += k;
	}
	for (; i < npkt; i++)
		xfer_send(x, wbuf + (size_t)i * step,
		    i + 1 == npkt ? lastlen + 4 : step);
}

static void
xfer_window(struct tftp_xfer *x)
{
	uint32_t	 lastlen = 0;
	int		 npkt;

	if (x->ra != NULL && x->ra_block == x->acked + 1) {
		xfer_send(x, x->ra, x->ra_len + 4);
		tftp_stats.bytes_sent += x->ra_len;
		x->sent = x->ra_block;
		if (x->ra_len < x->req.blksize)
			x->last = x->sent;
	} else {
		if ((npkt = xfer_fill(x, &lastlen)) == -1) {
			xfer_end(x, 0, "read error");
			return;
		}
		x->sent = x->acked + (uint64_t)npkt;
		xfer_sendv(x, npkt, lastlen);
	}
	xfer_arm(x);
	xfer_readahead(x);
}

/*
 * In lockstep, the next block is read while the client answers, as
 * tftp-hpa does, so that an ACK is answered at once.  One block per
 * transfer: its memory does not grow with the file.
 */
static void
xfer_readahead(struct tftp_xfer *x)
{
	uint64_t	 b = x->sent + 1;
	ssize_t		 n;

	if (x->req.windowsize != 1 || x->src.netascii || x->src.fd == -1 ||
	    x->last != 0 || (x->ra != NULL && x->ra_block == b))
		return;
	if (x->ra == NULL &&
	    (x->ra = malloc((size_t)x->req.blksize + 4)) == NULL)
		return;
	x->ra_block = 0;
	if ((n = src_read(&x->src, (b - 1) * x->req.blksize, x->ra + 4,
	    x->req.blksize)) == -1)
		return;
	x->ra[0] = 0;
	x->ra[1] = TFTP_DATA;
	x->ra[2] = (uint8_t)(b >> 8);
	x->ra[3] = (uint8_t)b;
	x->ra_len = (uint32_t)n;
	x->ra_block = b;
}

/* The ACK of absolute block k moves the window's start past it. */
static void
xfer_advance(struct tftp_xfer *x, uint64_t k)
{
	while (x->src.netascii && x->base.block <= k)
		if (src_netascii(&x->src, &x->base, x->req.blksize, pkt + 4)
		    == -1)
			break;
	if (!x->src.netascii) {
		x->base.block = k + 1;
		x->base.out = k * x->req.blksize;
		if (x->base.out > x->src.size)
			x->base.out = x->src.size;
	}
	x->acked = k;
	x->retries = 0;
	x->rto = (x->req.opts & TFTP_OPT_TIMEOUT) ? x->req.timeout * 1000 :
	    XFER_RTO;
	x->progress = ev_now();
}

/*
 * A duplicate or stale ACK changes nothing: answering it would double
 * the traffic (the Sorcerer's Apprentice bug).  An ACK inside the
 * window starts the next window right after it.
 */
static void
xfer_ack(struct tftp_xfer *x, uint16_t wire)
{
	uint64_t	 k;

	if (x->oack) {
		if (wire != 0)
			return;
		x->oack = 0;
		x->progress = ev_now();
		xfer_window(x);
		return;
	}
	k = tftp_block_abs(x->acked, wire);
	if (k == x->acked || k > x->sent)
		return;
	xfer_advance(x, k);
	if (x->last != 0 && k == x->last) {
		xfer_end(x, 1, NULL);
		return;
	}
	xfer_window(x);
}

static void
xfer_packet(struct tftp_xfer *x, const uint8_t *p, size_t n)
{
	char		 msg[128], why[192];
	uint16_t	 op, code;
	size_t		 i, ml;

	if (n < 4)
		return;
	op = (uint16_t)(p[0] << 8 | p[1]);
	code = (uint16_t)(p[2] << 8 | p[3]);
	if (op == TFTP_ACK) {
		xfer_ack(x, code);
		return;
	}
	if (op != TFTP_ERROR) {
		n = tftp_build_error(pkt, sizeof(pkt), TFTP_EBADOP,
		    "illegal operation");
		xfer_send(x, pkt, n);
		tftp_stats.errors_sent++;
		xfer_end(x, 0, "illegal operation from the client");
		return;
	}
	if (x->oack && code == TFTP_EOPTNEG) {
		tftp_stats.tsize_probes++;
		xfer_end(x, 2, NULL);
		return;
	}
	/* The message may lack its NUL: take what is there, printable. */
	for (i = 4, ml = 0; i < n && p[i] != '\0' && ml < sizeof(msg) - 1;
	    i++)
		msg[ml++] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
	msg[ml] = '\0';
	snprintf(why, sizeof(why), "client error %u \"%s\"", code, msg);
	xfer_end(x, 0, why);
}

static void
xfer_stranger(struct tftp_xfer *x, const union sockaddr46 *from)
{
	size_t	 n;

	n = tftp_build_error(pkt, sizeof(pkt), TFTP_EBADID,
	    "unknown transfer ID");
	if (sendto(x->sock, pkt, n, 0, &from->sa, sa_len(from)) != -1)
		tftp_stats.errors_sent++;
	tftp_stats.strangers++;
}

/* One datagram per wake-up: the loop is level-triggered. */
static void
xfer_read(int fd, int what, void *arg)
{
	struct tftp_xfer	*x = arg;
	union sockaddr46	 from;
	struct in6_addr		 a;
	socklen_t		 fl = sizeof(from);
	uint8_t			 buf[1024];
	ssize_t			 n;

	(void)what;
	n = recvfrom(fd, buf, sizeof(buf), 0, &from.sa, &fl);
	if (n == -1 || sa_addr(&from, fl, &a) == -1)
		return;
	if (!sa_same(&from, &x->peer)) {
		if (n >= 4 && buf[1] != TFTP_ERROR)
			xfer_stranger(x, &from);
		return;
	}
	xfer_packet(x, buf, (size_t)n);
}

/*
 * The retransmission timer, never past the minute without progress
 * after which the transfer is dropped, whatever timeout the client
 * negotiated (255 s would hold a slot four times as long).
 */
static void
xfer_arm(struct tftp_xfer *x)
{
	uint64_t	 idle = ev_now() - x->progress, left;

	left = idle >= XFER_GIVEUP ? 0 : XFER_GIVEUP - idle;
	ev_timer_add(&x->timer, x->rto < left ? x->rto : left);
}

/*
 * Retransmit from the last ACK with exponential backoff; give up after
 * a minute without progress.  When the final block went out and only
 * its ACK is missing, a few tries are enough: the client has the file.
 */
static void
xfer_timeout(void *arg)
{
	struct tftp_xfer	*x = arg;
	uint32_t		 cap;

	if (x->last != 0 && x->sent == x->last &&
	    x->retries >= XFER_FINAL_RETRIES) {
		tftp_stats.final_ack_missing++;
		xfer_end(x, 3, NULL);
		return;
	}
	if (ev_now() - x->progress >= XFER_GIVEUP) {
		xfer_end(x, 0, "timed out");
		return;
	}
	x->retries++;
	tftp_stats.retransmits++;
	cap = x->rto > XFER_RTO_MAX ? x->rto : XFER_RTO_MAX;
	x->rto = x->rto * 2 > cap ? cap : x->rto * 2;
	if (x->oack)
		xfer_send_oack(x);
	else
		xfer_window(x);
}

/*
 * The end of a transfer: how 0 failed, 1 done, 2 options refused (the
 * UEFI tsize probe), 3 done with the final ACK missing.  The memory
 * goes later, from a timer, since the loop may still hold our io.
 */
static void
xfer_end(struct tftp_xfer *x, int how, const char *why)
{
	uint64_t	 ms = ev_now() - x->started, bytes;

	if (x->dead)
		return;
	x->dead = 1;
	addrcap_put(&percap, &x->addr);
	ev_io_del(&x->io);
	ev_timer_del(&x->timer);
	close(x->sock);
	if (x->src.fd != -1)
		close(x->src.fd);
	bytes = x->base.out;
	if (how == 3)
		bytes = x->src.netascii ? bytes : x->src.size;
	if (how == 2)
		log_info("tftp: %s refused the options for %s (tsize probe)",
		    x->peerstr, x->path);
	else if (how == 0)
		log_info("tftp: %s%s%s%s to %s failed: %s, %llu bytes in "
		    "%llu.%03llu s, blksize %u windowsize %u", x->path,
		    x->what[0] ? " (" : "", x->what, x->what[0] ? ")" : "",
		    x->peerstr, why, (unsigned long long)bytes,
		    (unsigned long long)(ms / 1000),
		    (unsigned long long)(ms % 1000), x->req.blksize,
		    x->req.windowsize);
	else
		log_info("tftp: sent %s%s%s%s to %s: %llu bytes in "
		    "%llu.%03llu s, blksize %u windowsize %u%s", x->path,
		    x->what[0] ? " (" : "", x->what, x->what[0] ? ")" : "",
		    x->peerstr, (unsigned long long)bytes,
		    (unsigned long long)(ms / 1000),
		    (unsigned long long)(ms % 1000), x->req.blksize,
		    x->req.windowsize, how == 3 ? ", final ACK missing" : "");
	if (how == 0)
		tftp_stats.transfers_failed++;
	else if (how != 2)
		tftp_stats.transfers_done++;
	tftp_stats.active--;
	TAILQ_REMOVE(&xfers, x, entry);
	TAILQ_INSERT_TAIL(&dead, x, entry);
	ev_timer_add(&reaper, 0);
}

static void
xfer_reap(void *arg)
{
	struct tftp_xfer	*x;

	(void)arg;
	while ((x = TAILQ_FIRST(&dead)) != NULL) {
		TAILQ_REMOVE(&dead, x, entry);
		free(x->src.data);
		free(x->ra);
		free(x);
	}
}

/* pxectl show transfers: one message per live transfer, then the end. */
void
tftp_xfer_report(uint32_t peerid)
{
	struct tftp_xfer	*x;
	struct transfer_msg	 tm;

	TAILQ_FOREACH(x, &xfers, entry) {
		memset(&tm, 0, sizeof(tm));
		strlcpy(tm.proc, "tftpd", sizeof(tm.proc));
		strlcpy(tm.peer, x->peerstr, sizeof(tm.peer));
		strlcpy(tm.file, x->path, sizeof(tm.file));
		tm.bytes = x->base.out;
		tm.size = x->src.netascii ? 0 : x->src.size;
		tm.blksize = x->req.blksize;
		tm.windowsize = x->req.windowsize;
		tm.started_ms = ev_now() - x->started;
		imsgev_compose(worker_master(), IMSG_TRANSFER, peerid, 0, -1,
		    &tm, sizeof(tm));
	}
	imsgev_compose(worker_master(), IMSG_TRANSFERS_END, peerid, 0, -1,
	    NULL, 0);
}
