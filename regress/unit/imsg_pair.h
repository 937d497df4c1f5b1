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
 * A connected pair of imsgbufs and the helpers around it, shared by
 * imsg_test.c (framing) and imsg_fd_test.c (descriptor passing).
 */

#ifndef IMSG_PAIR_H
#define IMSG_PAIR_H

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "imsg.h"
#include "test.h"

static int	 count_fds(void);
static int	 mkpair(int [2]);
static int	 pair_open(int [2], struct imsgbuf *, struct imsgbuf *,
		    const char *);
static void	 pair_close(int [2], struct imsgbuf *, struct imsgbuf *);
static int	 closed(int);
static ssize_t	 get_one(struct imsgbuf *, struct imsg *);
static void	 put_hdr(unsigned char *, uint32_t, uint32_t);

/* Open descriptors, counted the same way each time. */
static int
count_fds(void)
{
	DIR		*d;
	struct dirent	*de;
	int		 n = 0;

	if ((d = opendir("/proc/self/fd")) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static int
mkpair(int sv[2])
{
	int	 i;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		return -1;
	for (i = 0; i < 2; i++)
		if (fcntl(sv[i], F_SETFL, O_NONBLOCK) == -1)
			return -1;
	return 0;
}

/* A connected pair, a writing to b; CHECK fails "what: setup" if not. */
static int
pair_open(int sv[2], struct imsgbuf *a, struct imsgbuf *b, const char *what)
{
	char	 name[64];

	if (mkpair(sv) == -1 || imsgbuf_init(a, sv[0]) == -1 ||
	    imsgbuf_init(b, sv[1]) == -1) {
		snprintf(name, sizeof(name), "%s: setup", what);
		CHECK(0, name);
		return -1;
	}
	return 0;
}

static void
pair_close(int sv[2], struct imsgbuf *a, struct imsgbuf *b)
{
	imsgbuf_clear(a);
	imsgbuf_clear(b);
	close(sv[0]);
	close(sv[1]);
}

static int
closed(int fd)
{
	return fcntl(fd, F_GETFD) == -1 && errno == EBADF;
}

/* Next message, reading as needed; -1 on error or after 1s of silence. */
static ssize_t
get_one(struct imsgbuf *ib, struct imsg *im)
{
	struct pollfd	 pfd;
	ssize_t		 n;
	int		 r;

	for (;;) {
		if ((n = imsg_get(ib, im)) != 0)
			return n;
		pfd.fd = ib->fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 1000) != 1) {
			errno = ETIMEDOUT;
			return -1;
		}
		if ((r = imsgbuf_read(ib)) == 0) {
			errno = ECONNRESET;
			return -1;
		}
		if (r == -1)
			return -1;
	}
}

static void
put_hdr(unsigned char *p, uint32_t type, uint32_t len)
{
	struct imsg_hdr	 hdr;

	memset(&hdr, 0, sizeof(hdr));
	hdr.type = type;
	hdr.len = len;
	memcpy(p, &hdr, sizeof(hdr));
}

#endif /* IMSG_PAIR_H */
