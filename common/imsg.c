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

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imsg.h"

/* Descriptors one recvmsg may carry; our peers send one per sendmsg. */
#define IMSG_CMSGFDS	8
/* Messages gathered into one sendmsg. */
#define IMSG_IOVMAX	64

/* A queued outgoing message: header and data, ready for the wire. */
struct imsg_wmsg {
	TAILQ_ENTRY(imsg_wmsg)	 entry;
	size_t			 len;
	size_t			 off;	/* bytes already written */
	int			 fd;	/* to pass with the first byte, or -1 */
	unsigned char		 buf[];
};

static struct imsg_wmsg *wmsg_new(uint32_t, uint32_t, pid_t, int, size_t);
static void	 wmsg_free(struct imsg_wmsg *);
static void	 wq_enqueue(struct imsgbuf *, struct imsg_wmsg *);
static int	 wq_iov(struct imsgbuf *, struct iovec *);
static void	 wq_advance(struct imsgbuf *, size_t);
static int	 cmsg_fds(struct msghdr *, int *, int);
static void	 close_fds(int *, int);
static int	 rfd_push(struct imsgbuf *, int *, int);
static int	 rfd_pop(struct imsgbuf *);
static int	 wait_writable(int);

int
imsgbuf_init(struct imsgbuf *ibuf, int fd)
{
	memset(ibuf, 0, sizeof(*ibuf));
	ibuf->fd = fd;
	TAILQ_INIT(&ibuf->wq);
	if ((ibuf->rbuf = malloc(IMSG_MAXSIZE)) == NULL)
		return -1;
	return 0;
}

/* Free everything and close queued fds; the socket stays the caller's. */
void
imsgbuf_clear(struct imsgbuf *ibuf)
{
	struct imsg_wmsg	*m;
	int			 fd;

	while ((m = TAILQ_FIRST(&ibuf->wq)) != NULL) {
		TAILQ_REMOVE(&ibuf->wq, m, entry);
		wmsg_free(m);
	}
	ibuf->wqlen = 0;
	ibuf->wqbytes = 0;
	while ((fd = rfd_pop(ibuf)) != -1)
		close(fd);
	free(ibuf->rbuf);
	ibuf->rbuf = NULL;
	ibuf->rpos = ibuf->rlen = 0;
}

/*
 * Read what the socket has: 1 if data came or none was ready, 0 on EOF,
 * -1 on error.  A truncated control message means fds were lost and the
 * stream can no longer be matched to them, so it is fatal (EBADMSG).
 */
int
imsgbuf_read(struct imsgbuf *ibuf)
{
	union {
		struct cmsghdr	 hdr;
		char		 buf[CMSG_SPACE(sizeof(int) * IMSG_CMSGFDS)];
	} cmsgbuf;
	struct msghdr	 msg;
	struct iovec	 iov;
	int		 fds[IMSG_CMSGFDS], nfds;
	ssize_t		 n;

	if (ibuf->rpos > 0) {
		memmove(ibuf->rbuf, ibuf->rbuf + ibuf->rpos,
		    ibuf->rlen - ibuf->rpos);
		ibuf->rlen -= ibuf->rpos;
		ibuf->rpos = 0;
	}
	if (ibuf->rlen == IMSG_MAXSIZE) {
		/* A whole message is waiting: imsg_get it first. */
		errno = ENOBUFS;
		return -1;
	}

	memset(&msg, 0, sizeof(msg));
	memset(&cmsgbuf, 0, sizeof(cmsgbuf));
	iov.iov_base = ibuf->rbuf + ibuf->rlen;
	iov.iov_len = IMSG_MAXSIZE - ibuf->rlen;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cmsgbuf.buf;
	msg.msg_controllen = sizeof(cmsgbuf.buf);

	while ((n = recvmsg(ibuf->fd, &msg, MSG_CMSG_CLOEXEC)) == -1) {
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 1;
		if (errno != EINTR)
			return -1;
	}

	nfds = cmsg_fds(&msg, fds, IMSG_CMSGFDS);
	if (msg.msg_flags & MSG_CTRUNC) {
		close_fds(fds, nfds);
		errno = EBADMSG;
		return -1;
	}
	if (rfd_push(ibuf, fds, nfds) == -1)
		return -1;
	if (n == 0)
		return 0;
	ibuf->rlen += (size_t)n;
	return 1;
}

/*
 * Write as much of the queue as the socket takes.  A message with an fd
 * starts its own sendmsg so the fd rides on its first byte.  0 when all
 * or part was written or the socket is full, -1 on error.
 */
int
imsgbuf_write(struct imsgbuf *ibuf)
{
	union {
		struct cmsghdr	 hdr;
		char		 buf[CMSG_SPACE(sizeof(int))];
	} cmsgbuf;
	struct iovec		 iov[IMSG_IOVMAX];
	struct msghdr		 msg;
	struct cmsghdr		*cmsg;
	struct imsg_wmsg	*head;
	ssize_t			 n;

	if ((head = TAILQ_FIRST(&ibuf->wq)) == NULL)
		return 0;

	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = iov;
	msg.msg_iovlen = (size_t)wq_iov(ibuf, iov);
	if (head->fd != -1) {
		memset(&cmsgbuf, 0, sizeof(cmsgbuf));
		msg.msg_control = cmsgbuf.buf;
		msg.msg_controllen = sizeof(cmsgbuf.buf);
		cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_len = CMSG_LEN(sizeof(int));
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		memcpy(CMSG_DATA(cmsg), &head->fd, sizeof(int));
	}

	/* MSG_NOSIGNAL: a dead peer is EPIPE, not a SIGPIPE. */
	while ((n = sendmsg(ibuf->fd, &msg, MSG_NOSIGNAL)) == -1) {
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		if (errno != EINTR)
			return -1;
	}

	/* The kernel holds its own reference now. */
	if (head->fd != -1) {
		close(head->fd);
		head->fd = -1;
	}
	wq_advance(ibuf, (size_t)n);
	return 0;
}

/* The one blocking call: write until the queue is empty. */
int
imsgbuf_flush(struct imsgbuf *ibuf)
{
	while (ibuf->wqlen > 0) {
		if (imsgbuf_write(ibuf) == -1)
			return -1;
		if (ibuf->wqlen > 0 && wait_writable(ibuf->fd) == -1)
			return -1;
	}
	return 0;
}

uint32_t
imsgbuf_queuelen(struct imsgbuf *ibuf)
{
	return ibuf->wqlen;
}

/*
 * Queue a message.  The fd (-1 for none) is closed once sent; if this
 * fails the caller still owns it.
 */
int
imsg_compose(struct imsgbuf *ibuf, uint32_t type, uint32_t peerid, pid_t pid,
    int fd, const void *data, size_t datalen)
{
	struct imsg_wmsg	*m;

	if (data == NULL && datalen > 0) {
		errno = EINVAL;
		return -1;
	}
	if ((m = wmsg_new(type, peerid, pid, fd, datalen)) == NULL)
		return -1;
	if (datalen > 0)
		memcpy(m->buf + IMSG_HEADER_SIZE, data, datalen);
	wq_enqueue(ibuf, m);
	return 0;
}

int
imsg_composev(struct imsgbuf *ibuf, uint32_t type, uint32_t peerid,
    pid_t pid, int fd, const struct iovec *iov, int iovcnt)
{
	struct imsg_wmsg	*m;
	size_t			 datalen = 0, off;
	int			 i;

	if (iovcnt < 0 || (iov == NULL && iovcnt > 0)) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < iovcnt; i++) {
		if (iov[i].iov_len > IMSG_MAXSIZE - datalen) {
			errno = ERANGE;
			return -1;
		}
		datalen += iov[i].iov_len;
	}
	if ((m = wmsg_new(type, peerid, pid, fd, datalen)) == NULL)
		return -1;
	off = IMSG_HEADER_SIZE;
	for (i = 0; i < iovcnt; i++) {
		if (iov[i].iov_len == 0)
			continue;
		memcpy(m->buf + off, iov[i].iov_base, iov[i].iov_len);
		off += iov[i].iov_len;
	}
	wq_enqueue(ibuf, m);
	return 0;
}

/*
 * Take the next complete message: its length, 0 if none is complete yet,
 * -1 on error.  A bad header (EBADMSG) leaves the stream unusable; it
 * stays in the buffer so every later call fails the same way.
 */
ssize_t
imsg_get(struct imsgbuf *ibuf, struct imsg *imsg)
{
	struct imsg_hdr	 hdr;
	size_t		 avail, len, datalen;
	int		 hasfd;
	void		*data = NULL;

	avail = ibuf->rlen - ibuf->rpos;
	if (avail < IMSG_HEADER_SIZE)
		return 0;
	memcpy(&hdr, ibuf->rbuf + ibuf->rpos, sizeof(hdr));
	hasfd = (hdr.len & IMSGF_HASFD) != 0;
	len = hdr.len & ~IMSGF_HASFD;
	if (len < IMSG_HEADER_SIZE || len > IMSG_MAXSIZE) {
		errno = EBADMSG;
		return -1;
	}
	if (avail < len)
		return 0;
	/* fds arrive no later than the first byte of their message. */
	if (hasfd && ibuf->rfdcnt == 0) {
		errno = EBADMSG;
		return -1;
	}

	datalen = len - IMSG_HEADER_SIZE;
	if (datalen > 0) {
		if ((data = malloc(datalen)) == NULL)
			return -1;
		memcpy(data, ibuf->rbuf + ibuf->rpos + IMSG_HEADER_SIZE,
		    datalen);
	}
	imsg->hdr = hdr;
	imsg->hdr.len = (uint32_t)len;
	imsg->data = data;
	imsg->fd = hasfd ? rfd_pop(ibuf) : -1;

	ibuf->rpos += len;
	if (ibuf->rpos == ibuf->rlen)
		ibuf->rpos = ibuf->rlen = 0;
	return (ssize_t)len;
}

uint32_t
imsg_get_type(struct imsg *imsg)
{
	return imsg->hdr.type;
}

uint32_t
imsg_get_peerid(struct imsg *imsg)
{
	return imsg->hdr.peerid;
}

pid_t
imsg_get_pid(struct imsg *imsg)
{
	return (pid_t)imsg->hdr.pid;
}

size_t
imsg_get_len(struct imsg *imsg)
{
	return imsg->hdr.len - IMSG_HEADER_SIZE;
}

/* Copy out exactly len bytes: the peer's data must be that size. */
int
imsg_get_data(struct imsg *imsg, void *buf, size_t len)
{
	if (len != imsg_get_len(imsg)) {
		errno = EBADMSG;
		return -1;
	}
	if (len > 0)
		memcpy(buf, imsg->data, len);
	return 0;
}

/* Hand the fd to the caller, who must close it. */
int
imsg_get_fd(struct imsg *imsg)
{
	int	 fd = imsg->fd;

	imsg->fd = -1;
	return fd;
}

void
imsg_free(struct imsg *imsg)
{
	free(imsg->data);
	imsg->data = NULL;
	if (imsg->fd != -1)
		close(imsg->fd);
	imsg->fd = -1;
}

/* A message with its header filled in, data left to the caller. */
static struct imsg_wmsg *
wmsg_new(uint32_t type, uint32_t peerid, pid_t pid, int fd, size_t datalen)
{
	struct imsg_wmsg	*m;
	struct imsg_hdr		 hdr;
	size_t			 len;

	if (fd < -1) {
		errno = EBADF;
		return NULL;
	}
	if (datalen > IMSG_MAXSIZE - IMSG_HEADER_SIZE) {
		errno = ERANGE;
		return NULL;
	}
	len = IMSG_HEADER_SIZE + datalen;
	if ((m = malloc(sizeof(*m) + len)) == NULL)
		return NULL;
	hdr.type = type;
	hdr.len = (uint32_t)len | (fd != -1 ? IMSGF_HASFD : 0);
	hdr.peerid = peerid;
	hdr.pid = (uint32_t)pid;
	memcpy(m->buf, &hdr, sizeof(hdr));
	m->len = len;
	m->off = 0;
	m->fd = fd;
	return m;
}

static void
wmsg_free(struct imsg_wmsg *m)
{
	if (m->fd != -1)
		close(m->fd);
	free(m);
}

static void
wq_enqueue(struct imsgbuf *ibuf, struct imsg_wmsg *m)
{
	TAILQ_INSERT_TAIL(&ibuf->wq, m, entry);
	ibuf->wqlen++;
	ibuf->wqbytes += m->len;
}

/* Gather queued messages up to the next one that carries an fd. */
static int
wq_iov(struct imsgbuf *ibuf, struct iovec *iov)
{
	struct imsg_wmsg	*m;
	int			 n = 0;

	TAILQ_FOREACH(m, &ibuf->wq, entry) {
		if (n == IMSG_IOVMAX || (n > 0 && m->fd != -1))
			break;
		iov[n].iov_base = m->buf + m->off;
		iov[n].iov_len = m->len - m->off;
		n++;
	}
	return n;
}

/* Drop what sendmsg took: whole messages, then part of the next. */
static void
wq_advance(struct imsgbuf *ibuf, size_t n)
{
	struct imsg_wmsg	*m;
	size_t			 left;

	while (n > 0 && (m = TAILQ_FIRST(&ibuf->wq)) != NULL) {
		left = m->len - m->off;
		if (n < left) {
			m->off += n;
			ibuf->wqbytes -= n;
			return;
		}
		n -= left;
		TAILQ_REMOVE(&ibuf->wq, m, entry);
		ibuf->wqlen--;
		ibuf->wqbytes -= left;
		wmsg_free(m);
	}
}

/* Collect passed fds; any beyond max cannot be queued and are closed. */
static int
cmsg_fds(struct msghdr *msg, int *fds, int max)
{
	struct cmsghdr	*cmsg;
	size_t		 i, n;
	int		 fd, nfds = 0;

	for (cmsg = CMSG_FIRSTHDR(msg); cmsg != NULL;
	    cmsg = CMSG_NXTHDR(msg, cmsg)) {
		if (cmsg->cmsg_level != SOL_SOCKET ||
		    cmsg->cmsg_type != SCM_RIGHTS ||
		    cmsg->cmsg_len < CMSG_LEN(0))
			continue;
		n = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < n; i++) {
			memcpy(&fd, CMSG_DATA(cmsg) + i * sizeof(int),
			    sizeof(int));
			if (nfds < max)
				fds[nfds++] = fd;
			else
				close(fd);
		}
	}
	return nfds;
}

static void
close_fds(int *fds, int nfds)
{
	int	 i;

	for (i = 0; i < nfds; i++)
		close(fds[i]);
}

/*
 * Queue received fds for imsg_get.  A peer that passes more than we
 * hold unclaimed is trying to exhaust our descriptors: EBADMSG.
 */
static int
rfd_push(struct imsgbuf *ibuf, int *fds, int nfds)
{
	int	 i;

	if (nfds > IMSG_MAXFDQ - (int)ibuf->rfdcnt) {
		close_fds(fds, nfds);
		errno = EBADMSG;
		return -1;
	}
	for (i = 0; i < nfds; i++) {
		ibuf->rfds[(ibuf->rfdhead + ibuf->rfdcnt) % IMSG_MAXFDQ] =
		    fds[i];
		ibuf->rfdcnt++;
	}
	return 0;
}

static int
rfd_pop(struct imsgbuf *ibuf)
{
	int	 fd;

	if (ibuf->rfdcnt == 0)
		return -1;
	fd = ibuf->rfds[ibuf->rfdhead];
	ibuf->rfdhead = (ibuf->rfdhead + 1) % IMSG_MAXFDQ;
	ibuf->rfdcnt--;
	return fd;
}

static int
wait_writable(int fd)
{
	struct pollfd	 pfd;

	pfd.fd = fd;
	pfd.events = POLLOUT;
	while (poll(&pfd, 1, -1) == -1) {
		if (errno != EINTR)
			return -1;
	}
	return 0;
}
