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
 * tftpload: N TFTP downloads of one file at once from one process with
 * one epoll loop, for the TFTP benchmark (regress/bench/tftp.sh).  A
 * process per transfer (atftp) spends more of a small machine than the
 * server it measures; one loop leaves the cores to the servers.  Every
 * DATA is compared with the local copy of the file (-c), so a transfer
 * counts as done only when it arrived byte-exact.  Bounded: N transfers,
 * 5 retransmits of 1 s each, and a deadline (-t).
 *
 *	tftpload [-b blksize] [-n count] [-t seconds] [-w windowsize]
 *	    -c localcopy server port file
 */

#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define RTO		1.0	/* s before the last packet is sent again */
#define TRIES		5
#define PKTMAX		65468

struct xfer {
	int			 fd;
	struct sockaddr_in	 tid;	/* the server's transfer port */
	int			 have_tid;
	uint64_t		 got;	/* blocks received in order */
	unsigned		 bs, win;	/* as the server granted */
	uint32_t		 inwin;	/* of the current window */
	uint8_t			 last[512];
	size_t			 lastlen;
	struct sockaddr_in	 lastto;
	double			 timer;
	int			 tries;
	int			 done;	/* 1 ok, -1 failed */
	const char		*why;
};

/* The command line, once getopt is through with it. */
struct args {
	const char	*copy;		/* the file as it must arrive */
	const char	*server;
	const char	*port;
	const char	*file;		/* as the server names it */
	double		 limit;		/* s for all transfers */
};

static const uint8_t	*want;	/* the file, as it must arrive */
static size_t		 wantlen;
static unsigned		 blksize = 512, window = 1;
static struct xfer	*xs;
static int		 nx, left, failed;

static double	 now(void);
static void	 xsend(struct xfer *, const void *, size_t,
		    const struct sockaddr_in *);
static void	 finish(struct xfer *, int, const char *);
static void	 ack(struct xfer *, uint64_t);
static void	 rrq(struct xfer *, const char *, const struct sockaddr_in *);
static void	 data(struct xfer *, uint16_t, const uint8_t *, size_t);
static void	 oack(struct xfer *, const char *, const char *);
static void	 packet(struct xfer *, const uint8_t *, size_t,
		    struct sockaddr_in *);
static void	 timeouts(double);
static __attribute__((noreturn)) void usage(void);
static void	 getargs(int, char *[], struct args *);
static int	 setup(const struct args *, struct sockaddr_in *);
static void	 start(int, const char *, const struct sockaddr_in *);
static void	 run(int, double);
static void	 report(double);

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
xsend(struct xfer *x, const void *p, size_t len, const struct sockaddr_in *to)
{
	if (len <= sizeof(x->last)) {
		memcpy(x->last, p, len);
		x->lastlen = len;
		x->lastto = *to;
	}
	sendto(x->fd, p, len, 0, (const struct sockaddr *)to, sizeof(*to));
	x->timer = now() + RTO;
}

static void
finish(struct xfer *x, int how, const char *why)
{
	if (x->done)
		return;
	x->done = how;
	x->why = why;
	close(x->fd);
	left--;
	if (how < 0)
		failed++;
}

static void
ack(struct xfer *x, uint64_t blk)
{
	uint8_t	 p[4] = { 0, 4, (uint8_t)(blk >> 8), (uint8_t)blk };

	x->inwin = 0;
	xsend(x, p, sizeof(p), &x->tid);
}

static void
rrq(struct xfer *x, const char *file, const struct sockaddr_in *srv)
{
	char	 p[512];
	int	 n;

	n = snprintf(p, sizeof(p), "%s%coctet%cblksize%c%u%c", file, 0, 0, 0,
	    blksize, 0);
	if (window > 1)
		n += snprintf(p + n, sizeof(p) - (size_t)n, "windowsize%c%u%c",
		    0, window, 0);
	memmove(p + 2, p, (size_t)n);
	p[0] = 0;
	p[1] = 1;
	xsend(x, p, (size_t)n + 2, srv);
}

/* A DATA: in order and right, or the window starts again after got. */
static void
data(struct xfer *x, uint16_t wire, const uint8_t *d, size_t len)
{
	uint64_t	 blk = x->got + 1, off = x->got * x->bs;

	if (wire != (uint16_t)blk) {
		if (x->inwin > 0)
			ack(x, x->got);
		return;
	}
	if (len > x->bs || off + len > wantlen ||
	    (len < x->bs && off + len != wantlen) ||
	    memcmp(want + off, d, len) != 0) {
		finish(x, -1, "wrong bytes");
		return;
	}
	x->got = blk;
	x->tries = 0;
	if (len < x->bs) {
		ack(x, blk);
		finish(x, 1, NULL);
		return;
	}
	if (++x->inwin >= x->win)
		ack(x, blk);
	else
		x->timer = now() + RTO;
}

/* The options the server granted; those it left out are off. */
static void
oack(struct xfer *x, const char *k, const char *end)
{
	const char	*v;

	x->win = 1;
	while (k < end) {
		v = k + strnlen(k, (size_t)(end - k)) + 1;
		if (v >= end)
			break;
		if (strcasecmp(k, "blksize") == 0)
			x->bs = (unsigned)atoi(v);
		else if (strcasecmp(k, "windowsize") == 0)
			x->win = (unsigned)atoi(v);
		k = v + strnlen(v, (size_t)(end - v)) + 1;
	}
	if (x->bs < 8 || x->bs > blksize)
		x->bs = 512;
	if (x->win < 1 || x->win > window)
		x->win = 1;
}

static void
packet(struct xfer *x, const uint8_t *p, size_t n, struct sockaddr_in *from)
{
	if (n < 4)
		return;
	if (!x->have_tid) {
		x->tid = *from;
		x->have_tid = 1;
	} else if (from->sin_port != x->tid.sin_port)
		return;
	switch (p[1]) {
	case 3:
		data(x, (uint16_t)(p[2] << 8 | p[3]), p + 4, n - 4);
		break;
	case 6:
		if (x->got == 0) {
			oack(x, (const char *)p + 2, (const char *)p + n);
			ack(x, 0);
		}
		break;
	case 5:
		finish(x, -1, "error from the server");
		break;
	}
}

static void
timeouts(double t)
{
	int	 i;

	for (i = 0; i < nx; i++) {
		struct xfer	*x = &xs[i];

		if (x->done || t < x->timer)
			continue;
		if (++x->tries > TRIES) {
			finish(x, -1, "timed out");
			continue;
		}
		sendto(x->fd, x->last, x->lastlen, 0,
		    (struct sockaddr *)&x->lastto, sizeof(x->lastto));
		x->timer = t + RTO;
	}
}

static __attribute__((noreturn)) void
usage(void)
{
	fprintf(stderr, "usage: tftpload [-b blksize] [-n count] [-t seconds] "
	    "[-w windowsize] -c localcopy server port file\n");
	exit(2);
}

/* The options, checked; the server, its port and the file. */
static void
getargs(int argc, char *argv[], struct args *a)
{
	int	 ch;

	a->copy = NULL;
	a->limit = 300;
	nx = 1;
	while ((ch = getopt(argc, argv, "b:c:n:t:w:")) != -1) {
		switch (ch) {
		case 'b':
			blksize = (unsigned)atoi(optarg);
			break;
		case 'c':
			a->copy = optarg;
			break;
		case 'n':
			nx = atoi(optarg);
			break;
		case 't':
			a->limit = atof(optarg);
			break;
		case 'w':
			window = (unsigned)atoi(optarg);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 3 || a->copy == NULL || nx < 1 || nx > 10000 ||
	    blksize < 8 || blksize > PKTMAX || window < 1 || window > 65535 ||
	    a->limit <= 0)
		usage();
	a->server = argv[0];
	a->port = argv[1];
	a->file = argv[2];
}

/* The local copy mapped, the server's address, the transfers, epoll. */
static int
setup(const struct args *a, struct sockaddr_in *srv)
{
	struct stat	 st;
	int		 ep, fd;

	if ((fd = open(a->copy, O_RDONLY)) == -1 || fstat(fd, &st) == -1)
		err(1, "%s", a->copy);
	wantlen = (size_t)st.st_size;
	if (wantlen > 0 && (want = mmap(NULL, wantlen, PROT_READ, MAP_SHARED,
	    fd, 0)) == MAP_FAILED)
		err(1, "mmap %s", a->copy);
	memset(srv, 0, sizeof(*srv));
	srv->sin_family = AF_INET;
	srv->sin_port = htons((uint16_t)atoi(a->port));
	if (inet_pton(AF_INET, a->server, &srv->sin_addr) != 1)
		errx(1, "%s: not an IPv4 address", a->server);
	if ((xs = calloc((size_t)nx, sizeof(*xs))) == NULL)
		err(1, NULL);
	if ((ep = epoll_create1(0)) == -1)
		err(1, "epoll_create1");
	return ep;
}

/* A socket and an RRQ for every transfer. */
static void
start(int ep, const char *file, const struct sockaddr_in *srv)
{
	struct epoll_event	 ee;
	int			 i;

	for (i = 0; i < nx; i++) {
		if ((xs[i].fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0))
		    == -1)
			err(1, "socket");
		memset(&ee, 0, sizeof(ee));
		ee.events = EPOLLIN;
		ee.data.u32 = (uint32_t)i;
		xs[i].bs = 512;	/* until an OACK says otherwise */
		xs[i].win = 1;
		if (epoll_ctl(ep, EPOLL_CTL_ADD, xs[i].fd, &ee) == -1)
			err(1, "epoll_ctl");
		rrq(&xs[i], file, srv);
	}
	left = nx;
}

/* The loop, until every transfer is done or the deadline passes. */
static void
run(int ep, double deadline)
{
	struct epoll_event	 evs[256];
	struct sockaddr_in	 from;
	double			 t;
	uint8_t			*buf;
	socklen_t		 fl;
	ssize_t			 n;
	int			 k, nev;

	if ((buf = malloc(PKTMAX + 4)) == NULL)
		err(1, NULL);
	while (left > 0 && (t = now()) < deadline) {
		timeouts(t);
		if ((nev = epoll_wait(ep, evs, 256, 100)) == -1) {
			if (errno == EINTR)
				continue;
			err(1, "epoll_wait");
		}
		for (k = 0; k < nev; k++) {
			struct xfer	*x = &xs[evs[k].data.u32];

			/* Drain the socket: a window arrives in a burst. */
			while (!x->done) {
				fl = sizeof(from);
				n = recvfrom(x->fd, buf, PKTMAX + 4, 0,
				    (struct sockaddr *)&from, &fl);
				if (n == -1)
					break;
				packet(x, buf, (size_t)n, &from);
			}
		}
	}
	free(buf);
}

/* The first ten failures on stderr, the totals on stdout. */
static void
report(double t0)
{
	int	 i, k;

	for (i = 0; i < nx; i++)
		if (!xs[i].done)
			finish(&xs[i], -1, "deadline");
	for (i = 0, k = 0; i < nx && k < 10; i++)
		if (xs[i].done < 0 && ++k)
			fprintf(stderr, "tftpload: transfer %d: %s after %llu "
			    "blocks\n", i, xs[i].why,
			    (unsigned long long)xs[i].got);
	printf("transfers %d ok %d failed %d seconds %.3f\n", nx, nx - failed,
	    failed, now() - t0);
}

int
main(int argc, char *argv[])
{
	struct args		 a;
	struct sockaddr_in	 srv;
	double			 t0;
	int			 ep;

	getargs(argc, argv, &a);
	ep = setup(&a, &srv);
	t0 = now();
	start(ep, a.file, &srv);
	run(ep, t0 + a.limit);
	report(t0);
	return failed ? 1 : 0;
}
