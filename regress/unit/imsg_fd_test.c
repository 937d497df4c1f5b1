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
 * imsg descriptor passing: fds arrive once and are closed by whoever
 * holds them; truncated, hoarded or missing fds are refused, not leaked.
 */

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "imsg.h"
#include "imsg_pair.h"
#include "test.h"

static int	 send_raw(int, const void *, size_t, const int *, int);
static void	 test_fds(void);
static void	 test_ctrunc(void);
static void	 test_emfile(void);
static void	 test_fdflood(void);
static void	 test_hasfd_nofd(void);

/* Bytes and fds as a hostile peer might send them. */
static int
send_raw(int s, const void *buf, size_t len, const int *fds, int nfds)
{
	union {
		struct cmsghdr	 hdr;
		char		 buf[CMSG_SPACE(sizeof(int) * 64)];
	} cmsgbuf;
	struct msghdr	 msg;
	struct iovec	 iov;
	struct cmsghdr	*cmsg;

	memset(&msg, 0, sizeof(msg));
	memset(&cmsgbuf, 0, sizeof(cmsgbuf));
	iov.iov_base = (void *)(uintptr_t)buf;
	iov.iov_len = len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (nfds > 0) {
		msg.msg_control = cmsgbuf.buf;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		memcpy(CMSG_DATA(cmsg), fds, sizeof(int) * nfds);
	}
	return sendmsg(s, &msg, 0) == (ssize_t)len ? 0 : -1;
}

static void
test_fds(void)
{
	struct imsgbuf	 a, b;
	struct imsg	 im;
	int		 pr[3], pw[3], fd, sv[2], i, ok = 1, sent = 1;
	int		 unclaimed = -1;
	char		 c;

	if (pair_open(sv, &a, &b, "fds") == -1)
		return;
	for (i = 0; i < 3; i++) {
		int	 pp[2];

		if (pipe(pp) == -1) {
			CHECK(0, "fds: pipe");
			return;
		}
		pr[i] = pp[0];
		pw[i] = pp[1];
		ok &= imsg_compose(&a, 20, (uint32_t)i, 0, pw[i], &i,
		    sizeof(i)) == 0;
	}
	ok &= imsgbuf_flush(&a) == 0;
	for (i = 0; i < 3; i++)
		sent &= closed(pw[i]);
	CHECK(ok && sent, "fds: sender closed its copies after sending");

	for (i = 0; i < 3; i++) {
		ok = get_one(&b, &im) > 0 &&
		    imsg_get_peerid(&im) == (uint32_t)i && im.fd != -1;
		if (i < 2) {
			fd = imsg_get_fd(&im);
			ok &= imsg_get_fd(&im) == -1 && fd != -1 &&
			    write(fd, "x", 1) == 1 &&
			    read(pr[i], &c, 1) == 1 && c == 'x';
			close(fd);
			imsg_free(&im);
			CHECK(ok, i == 0 ? "fds: first fd is the pipe" :
			    "fds: second fd is the pipe");
		} else {
			unclaimed = im.fd;
			imsg_free(&im);
			CHECK(ok && closed(unclaimed),
			    "fds: imsg_free closes an unclaimed fd");
		}
	}
	/* EOF on every read end: no copy of a write end survives. */
	ok = 1;
	for (i = 0; i < 3; i++) {
		ok &= read(pr[i], &c, 1) == 0;
		close(pr[i]);
	}
	CHECK(ok, "fds: no stray copies");

	pair_close(sv, &a, &b);
}

static void
test_ctrunc(void)
{
	struct imsgbuf	 b;
	unsigned char	 wire[IMSG_HEADER_SIZE];
	int		 fds[64], pp[2], sv[2], before, r, i;

	if (mkpair(sv) == -1 || pipe(pp) == -1 ||
	    imsgbuf_init(&b, sv[1]) == -1) {
		CHECK(0, "ctrunc: setup");
		return;
	}
	for (i = 0; i < 64; i++)
		fds[i] = pp[0];
	put_hdr(wire, 1, IMSG_HEADER_SIZE | IMSGF_HASFD);
	CHECK(send_raw(sv[0], wire, sizeof(wire), fds, 64) == 0,
	    "ctrunc: 64 fds sent in one message");
	before = count_fds();
	errno = 0;
	r = imsgbuf_read(&b);
	CHECK(r == -1 && errno == EBADMSG, "ctrunc: read fails EBADMSG");
	CHECK(count_fds() == before, "ctrunc: fds that arrived are closed");

	imsgbuf_clear(&b);
	close(pp[0]);
	close(pp[1]);
	close(sv[0]);
	close(sv[1]);
}

/* A full descriptor table makes the kernel truncate: must not go unseen. */
static void
test_emfile(void)
{
	struct imsgbuf	 a, b;
	struct imsg	 im;
	struct rlimit	 old, lim;
	int		 fill[64], nfill = 0, sv[2], pp[2], before, r, e, i;

	if (mkpair(sv) == -1 || pipe(pp) == -1 ||
	    imsgbuf_init(&a, sv[0]) == -1 || imsgbuf_init(&b, sv[1]) == -1 ||
	    getrlimit(RLIMIT_NOFILE, &old) == -1) {
		CHECK(0, "emfile: setup");
		return;
	}
	imsg_compose(&a, 1, 0, 0, pp[0], NULL, 0);
	imsgbuf_flush(&a);
	before = count_fds();

	lim = old;
	lim.rlim_cur = (rlim_t)(pp[1] > sv[1] ? pp[1] : sv[1]) + 16;
	if (setrlimit(RLIMIT_NOFILE, &lim) == -1) {
		CHECK(0, "emfile: setrlimit");
		return;
	}
	while (nfill < 64 && (fill[nfill] = dup(0)) != -1)
		nfill++;
	errno = 0;
	r = imsgbuf_read(&b);
	e = errno;
	for (i = 0; i < nfill; i++)
		close(fill[i]);
	setrlimit(RLIMIT_NOFILE, &old);

	CHECK(nfill < 64, "emfile: descriptor table filled");
	if (r == 1 && imsg_get(&b, &im) > 0 &&
	    im.fd >= (int)lim.rlim_cur) {
		/* valgrind keeps RLIMIT_NOFILE from the kernel. */
		imsg_free(&im);
		printf("SKIP: emfile: read fails EBADMSG: "
		    "limit not enforced by the kernel\n");
	} else
		CHECK(r == -1 && e == EBADMSG, "emfile: read fails EBADMSG");
	CHECK(count_fds() == before, "emfile: nothing leaked");

	imsgbuf_clear(&a);
	imsgbuf_clear(&b);
	close(pp[1]);
	close(sv[0]);
	close(sv[1]);
}

/* fds passed but never claimed by a message are capped, not hoarded. */
static void
test_fdflood(void)
{
	struct imsgbuf	 b;
	struct imsg	 im;
	unsigned char	 wire[IMSG_HEADER_SIZE];
	int		 sv[2], pp[2], before, i, r = 1, e = 0;

	if (mkpair(sv) == -1 || pipe(pp) == -1 ||
	    imsgbuf_init(&b, sv[1]) == -1) {
		CHECK(0, "fdflood: setup");
		return;
	}
	before = count_fds();
	put_hdr(wire, 1, IMSG_HEADER_SIZE);
	for (i = 0; i < IMSG_MAXFDQ + 8; i++) {
		if (send_raw(sv[0], wire, sizeof(wire), &pp[0], 1) == -1)
			break;
		if ((r = imsgbuf_read(&b)) != 1) {
			e = errno;
			break;
		}
		while (imsg_get(&b, &im) > 0)
			imsg_free(&im);
	}
	CHECK(r == -1 && e == EBADMSG && i == IMSG_MAXFDQ,
	    "fdflood: refused past IMSG_MAXFDQ unclaimed fds");
	imsgbuf_clear(&b);
	CHECK(count_fds() == before, "fdflood: clear closes queued fds");

	close(pp[0]);
	close(pp[1]);
	close(sv[0]);
	close(sv[1]);
}

static void
test_hasfd_nofd(void)
{
	struct imsgbuf	 b;
	struct imsg	 im;
	unsigned char	 wire[IMSG_HEADER_SIZE];
	int		 sv[2];

	if (mkpair(sv) == -1 || imsgbuf_init(&b, sv[1]) == -1) {
		CHECK(0, "hasfd: setup");
		return;
	}
	put_hdr(wire, 1, IMSG_HEADER_SIZE | IMSGF_HASFD);
	errno = 0;
	CHECK(write(sv[0], wire, sizeof(wire)) == (ssize_t)sizeof(wire) &&
	    imsgbuf_read(&b) == 1 && imsg_get(&b, &im) == -1 &&
	    errno == EBADMSG, "hasfd: fd flag without an fd is EBADMSG");
	imsgbuf_clear(&b);
	close(sv[0]);
	close(sv[1]);
}

int
main(void)
{
	int	 start;

	start = count_fds();
	test_fds();
	test_ctrunc();
	test_emfile();
	test_fdflood();
	test_hasfd_nofd();
	CHECK(start > 0 && count_fds() == start, "no fd leaks overall");
	TEST_EXIT();
}
