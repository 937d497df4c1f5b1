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
 * imsg over socketpairs: framing, reassembly, limits, hostile input.
 * Descriptor passing is in imsg_fd_test.c.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imsg.h"
#include "imsg_pair.h"
#include "test.h"

#define BIGLEN		60000
#define NBIG		20

static void	 test_roundtrip(void);
static void	 test_batch(void);
static void	 test_bytewise(void);
static void	 test_oversize(void);
static void	 test_partial_write(void);
static void	 test_badhdr(void);
static void	 test_getdata(void);
static void	 test_eof_epipe(void);
static void	 test_nobufs(void);
static void	 test_garbage(void);

static void
test_roundtrip(void)
{
	struct imsgbuf	 a, b;
	struct imsg	 im;
	struct iovec	 iov[3];
	const char	*s1 = "hello", *s2 = ", ", *s3 = "world";
	uint64_t	 v = 0x0123456789abcdefULL, got64;
	char		 str[16];
	int		 sv[2], ok = 1, ok2 = 1;

	if (pair_open(sv, &a, &b, "roundtrip") == -1)
		return;
	ok &= imsg_compose(&a, 7, 42, 1234, -1, &v, sizeof(v)) == 0;
	ok &= imsg_compose(&a, 8, 0, 0, -1, NULL, 0) == 0;
	ok &= imsg_compose(&a, 0xffffffffU, 0xfffffffeU, 99999, -1,
	    "abc", 3) == 0;
	iov[0].iov_base = (void *)(uintptr_t)s1;
	iov[0].iov_len = strlen(s1);
	iov[1].iov_base = (void *)(uintptr_t)s2;
	iov[1].iov_len = strlen(s2);
	iov[2].iov_base = (void *)(uintptr_t)s3;
	iov[2].iov_len = strlen(s3) + 1;
	ok &= imsg_composev(&a, 9, 1, 2, -1, iov, 3) == 0;
	CHECK(ok && imsgbuf_queuelen(&a) == 4, "roundtrip: 4 queued");
	CHECK(imsgbuf_flush(&a) == 0 && imsgbuf_queuelen(&a) == 0,
	    "roundtrip: flushed");

	ok = get_one(&b, &im) == (ssize_t)(IMSG_HEADER_SIZE + sizeof(v)) &&
	    imsg_get_type(&im) == 7 && imsg_get_peerid(&im) == 42 &&
	    imsg_get_pid(&im) == 1234 && imsg_get_len(&im) == sizeof(v) &&
	    imsg_get_data(&im, &got64, sizeof(got64)) == 0 && got64 == v &&
	    imsg_get_fd(&im) == -1;
	imsg_free(&im);
	CHECK(ok, "roundtrip: fixed struct");

	ok = get_one(&b, &im) == (ssize_t)IMSG_HEADER_SIZE &&
	    imsg_get_type(&im) == 8 && imsg_get_len(&im) == 0 &&
	    im.data == NULL && imsg_get_data(&im, NULL, 0) == 0;
	imsg_free(&im);
	CHECK(ok, "roundtrip: empty message");

	ok = get_one(&b, &im) > 0 && imsg_get_type(&im) == 0xffffffffU &&
	    imsg_get_peerid(&im) == 0xfffffffeU &&
	    imsg_get_pid(&im) == 99999 && imsg_get_len(&im) == 3 &&
	    memcmp(im.data, "abc", 3) == 0;
	imsg_free(&im);
	CHECK(ok, "roundtrip: extreme type and peerid");

	ok2 = get_one(&b, &im) > 0 && imsg_get_type(&im) == 9 &&
	    imsg_get_len(&im) == sizeof("hello, world") &&
	    imsg_get_data(&im, str, sizeof("hello, world")) == 0 &&
	    strcmp(str, "hello, world") == 0;
	imsg_free(&im);
	CHECK(ok2, "roundtrip: composev gathers");
	CHECK(imsg_get(&b, &im) == 0, "roundtrip: nothing more");

	pair_close(sv, &a, &b);
}

static void
test_batch(void)
{
	struct imsgbuf	 a, b;
	struct imsg	 im;
	uint32_t	 i, x;
	int		 sv[2], ok = 1;

	if (pair_open(sv, &a, &b, "batch") == -1)
		return;
	for (i = 0; i < 10; i++)
		ok &= imsg_compose(&a, 100 + i, i, 0, -1, &i, sizeof(i)) == 0;
	ok &= imsgbuf_flush(&a) == 0;
	CHECK(ok && imsgbuf_read(&b) == 1, "batch: one read");
	ok = 1;
	for (i = 0; i < 10; i++) {
		if (imsg_get(&b, &im) <= 0) {
			ok = 0;
			break;
		}
		ok &= imsg_get_type(&im) == 100 + i &&
		    imsg_get_peerid(&im) == i &&
		    imsg_get_data(&im, &x, sizeof(x)) == 0 && x == i;
		imsg_free(&im);
	}
	CHECK(ok, "batch: 10 messages from one read, in order");
	CHECK(imsg_get(&b, &im) == 0, "batch: then none");

	pair_close(sv, &a, &b);
}

static void
test_bytewise(void)
{
	struct imsgbuf	 a, b;
	struct imsg	 im;
	unsigned char	 wire[256];
	char		 data[100];
	ssize_t		 wlen, n = 0;
	size_t		 i;
	int		 p[2], q[2], early = 0, ok;

	memset(data, 'z', sizeof(data));
	if (mkpair(p) == -1 || mkpair(q) == -1 ||
	    imsgbuf_init(&a, p[0]) == -1 || imsgbuf_init(&b, q[1]) == -1) {
		CHECK(0, "bytewise: setup");
		return;
	}
	/* Serialize through the writer, then dribble the bytes. */
	imsg_compose(&a, 5, 6, 7, -1, data, sizeof(data));
	imsgbuf_flush(&a);
	wlen = read(p[1], wire, sizeof(wire));
	CHECK(wlen == (ssize_t)(IMSG_HEADER_SIZE + sizeof(data)),
	    "bytewise: wire length");
	for (i = 0; wlen > 0 && i < (size_t)wlen; i++) {
		if (write(q[0], wire + i, 1) != 1 || imsgbuf_read(&b) != 1)
			break;
		n = imsg_get(&b, &im);
		if (n != 0 && i + 1 < (size_t)wlen)
			early = 1;
		if (n != 0)
			break;
	}
	CHECK(!early, "bytewise: nothing until the last byte");
	ok = n == wlen && imsg_get_type(&im) == 5 &&
	    imsg_get_peerid(&im) == 6 && imsg_get_pid(&im) == 7 &&
	    imsg_get_len(&im) == sizeof(data) &&
	    memcmp(im.data, data, sizeof(data)) == 0;
	if (n > 0)
		imsg_free(&im);
	CHECK(ok, "bytewise: reassembled");

	imsgbuf_clear(&a);
	imsgbuf_clear(&b);
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
}

static void
test_oversize(void)
{
	struct imsgbuf	 a, b;
	struct imsg	 im;
	struct iovec	 iov[2];
	unsigned char	*big;
	size_t		 max = IMSG_MAXSIZE - IMSG_HEADER_SIZE;
	int		 sv[2], r, ok;

	if ((big = calloc(1, max + 1)) == NULL || mkpair(sv) == -1 ||
	    imsgbuf_init(&a, sv[0]) == -1 || imsgbuf_init(&b, sv[1]) == -1) {
		CHECK(0, "oversize: setup");
		return;
	}
	big[0] = 0xa5;
	big[max - 1] = 0x5a;
	errno = 0;
	r = imsg_compose(&a, 1, 0, 0, -1, big, max + 1);
	CHECK(r == -1 && errno == ERANGE && imsgbuf_queuelen(&a) == 0,
	    "oversize: compose refused with ERANGE");
	iov[0].iov_base = big;
	iov[0].iov_len = max;
	iov[1].iov_base = big;
	iov[1].iov_len = 1;
	errno = 0;
	r = imsg_composev(&a, 1, 0, 0, -1, iov, 2);
	CHECK(r == -1 && errno == ERANGE, "oversize: composev refused");
	iov[1].iov_len = SIZE_MAX;
	errno = 0;
	r = imsg_composev(&a, 1, 0, 0, -1, iov, 2);
	CHECK(r == -1 && errno == ERANGE, "oversize: composev no overflow");

	ok = imsg_compose(&a, 2, 0, 0, -1, big, max) == 0 &&
	    imsgbuf_flush(&a) == 0 && get_one(&b, &im) == IMSG_MAXSIZE &&
	    imsg_get_len(&im) == max && memcmp(im.data, big, max) == 0;
	if (ok)
		imsg_free(&im);
	CHECK(ok, "oversize: exactly IMSG_MAXSIZE goes through");

	free(big);
	pair_close(sv, &a, &b);
}

/* More than the socket holds: the writer must resume mid-message. */
static void
test_partial_write(void)
{
	struct imsgbuf	 a, b;
	struct imsg	 im;
	unsigned char	*pat;
	int		 sv[2], sndbuf = 4096, got = 0, partial = 0;
	int		 ok = 1, spins = 0, i;

	if ((pat = malloc(BIGLEN)) == NULL || mkpair(sv) == -1 ||
	    imsgbuf_init(&a, sv[0]) == -1 || imsgbuf_init(&b, sv[1]) == -1) {
		CHECK(0, "partial: setup");
		return;
	}
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	for (i = 0; i < NBIG; i++) {
		memset(pat, 'a' + i, BIGLEN);
		ok &= imsg_compose(&a, 3, (uint32_t)i, 0, -1, pat, BIGLEN) == 0;
	}
	while (got < NBIG && ok && spins++ < 100000) {
		if (imsgbuf_write(&a) == -1 || imsgbuf_read(&b) == -1)
			ok = 0;
		if (imsgbuf_queuelen(&a) > 0)
			partial = 1;
		while (ok && imsg_get(&b, &im) > 0) {
			memset(pat, 'a' + got, BIGLEN);
			ok &= imsg_get_peerid(&im) == (uint32_t)got &&
			    imsg_get_len(&im) == BIGLEN &&
			    memcmp(im.data, pat, BIGLEN) == 0;
			imsg_free(&im);
			got++;
		}
	}
	CHECK(partial, "partial: socket filled, writes resumed");
	CHECK(ok && got == NBIG, "partial: 20 x 60000 bytes intact, in order");

	free(pat);
	pair_close(sv, &a, &b);
}

static void
test_badhdr(void)
{
	struct imsgbuf	 b;
	struct imsg	 im;
	unsigned char	 wire[IMSG_HEADER_SIZE];
	uint32_t	 lens[] = { 0x7fff0000, 4, 0, IMSG_MAXSIZE + 1 };
	char		 name[80];
	int		 sv[2], ok;
	size_t		 i;

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		if (mkpair(sv) == -1 || imsgbuf_init(&b, sv[1]) == -1) {
			CHECK(0, "badhdr: setup");
			return;
		}
		put_hdr(wire, 1, lens[i]);
		snprintf(name, sizeof(name), "badhdr: len 0x%x refused with "
		    "EBADMSG, and stays refused", lens[i]);
		ok = write(sv[0], wire, sizeof(wire)) ==
		    (ssize_t)sizeof(wire) && imsgbuf_read(&b) == 1;
		errno = 0;
		ok &= imsg_get(&b, &im) == -1 && errno == EBADMSG;
		errno = 0;
		ok &= imsg_get(&b, &im) == -1 && errno == EBADMSG;
		CHECK(ok, name);
		imsgbuf_clear(&b);
		close(sv[0]);
		close(sv[1]);
	}
}

static void
test_getdata(void)
{
	struct imsgbuf	 a, b;
	struct imsg	 im;
	uint32_t	 v = 77, small;
	uint64_t	 large;
	int		 sv[2], ok;

	if (pair_open(sv, &a, &b, "getdata") == -1)
		return;
	imsg_compose(&a, 1, 0, 0, -1, &v, sizeof(v));
	imsgbuf_flush(&a);
	if (get_one(&b, &im) <= 0) {
		CHECK(0, "getdata: receive");
		return;
	}
	errno = 0;
	CHECK(imsg_get_data(&im, &large, sizeof(large)) == -1 &&
	    errno == EBADMSG, "getdata: longer than sent is EBADMSG");
	errno = 0;
	CHECK(imsg_get_data(&im, &small, 2) == -1 && errno == EBADMSG,
	    "getdata: shorter than sent is EBADMSG");
	ok = imsg_get_data(&im, &small, sizeof(small)) == 0 && small == 77;
	CHECK(ok, "getdata: exact size copies");
	imsg_free(&im);

	pair_close(sv, &a, &b);
}

static void
test_eof_epipe(void)
{
	struct imsgbuf	 a, b;
	int		 sv[2], pp[2], before, r, e;

	if (mkpair(sv) == -1 || imsgbuf_init(&a, sv[0]) == -1 ||
	    imsgbuf_init(&b, sv[1]) == -1 || pipe(pp) == -1) {
		CHECK(0, "eof: setup");
		return;
	}
	close(sv[0]);
	CHECK(imsgbuf_read(&b) == 0, "eof: read returns 0");
	imsgbuf_clear(&a);
	imsgbuf_clear(&b);
	close(sv[1]);

	/* Writing to a dead peer: EPIPE, no SIGPIPE, queued fd freed. */
	if (mkpair(sv) == -1 || imsgbuf_init(&a, sv[0]) == -1) {
		CHECK(0, "epipe: setup");
		return;
	}
	close(sv[1]);
	close(pp[1]);
	before = count_fds();
	imsg_compose(&a, 1, 0, 0, pp[0], "x", 1);
	errno = 0;
	r = imsgbuf_write(&a);
	e = errno;
	CHECK(r == -1 && e == EPIPE, "epipe: write fails EPIPE");
	imsgbuf_clear(&a);
	CHECK(count_fds() == before - 1 && closed(pp[0]),
	    "epipe: clear closes the queued fd");
	close(sv[0]);
}

static void
test_nobufs(void)
{
	struct imsgbuf	 a, b;
	struct imsg	 im;
	unsigned char	*big;
	size_t		 max = IMSG_MAXSIZE - IMSG_HEADER_SIZE;
	int		 sv[2], r = 1, e = 0, spins = 0, ok;

	if ((big = calloc(1, max)) == NULL || mkpair(sv) == -1 ||
	    imsgbuf_init(&a, sv[0]) == -1 || imsgbuf_init(&b, sv[1]) == -1) {
		CHECK(0, "nobufs: setup");
		return;
	}
	imsg_compose(&a, 1, 0, 0, -1, big, max);
	imsg_compose(&a, 2, 0, 0, -1, NULL, 0);
	while (r == 1 && spins++ < 10000) {
		imsgbuf_write(&a);
		r = imsgbuf_read(&b);
		e = errno;
	}
	CHECK(r == -1 && e == ENOBUFS, "nobufs: full buffer not read into");
	ok = imsg_get(&b, &im) == IMSG_MAXSIZE;
	if (ok)
		imsg_free(&im);
	ok &= get_one(&b, &im) == IMSG_HEADER_SIZE && imsg_get_type(&im) == 2;
	CHECK(ok, "nobufs: drains, then reads on");
	imsg_free(&im);

	free(big);
	pair_close(sv, &a, &b);
}

/* Random streams, some with plausible headers: never crash or leak. */
static void
test_garbage(void)
{
	struct imsgbuf	 b;
	struct imsg	 im;
	unsigned char	 wire[512];
	uint32_t	 seed = 12345;
	size_t		 i, n;
	int		 sv[2], round, msgs = 0, bad = 0;
	ssize_t		 r;

	for (round = 0; round < 300; round++) {
		if (mkpair(sv) == -1 || imsgbuf_init(&b, sv[1]) == -1) {
			CHECK(0, "garbage: setup");
			return;
		}
		seed = seed * 1103515245 + 12345;
		n = 1 + (seed >> 8) % sizeof(wire);
		for (i = 0; i < n; i++) {
			seed = seed * 1103515245 + 12345;
			wire[i] = (unsigned char)(seed >> 16);
		}
		/* Half the rounds: a believable length, maybe the fd flag. */
		for (i = 0; round % 2 == 0 && i + IMSG_HEADER_SIZE <= n;
		    i += 40)
			put_hdr(wire + i, (uint32_t)round, (uint32_t)(16 +
			    (seed >> (i % 8)) % 40) | (round % 6 == 0 ?
			    IMSGF_HASFD : 0));
		if (write(sv[0], wire, n) != (ssize_t)n)
			break;
		close(sv[0]);
		while (imsgbuf_read(&b) == 1)
			while ((r = imsg_get(&b, &im)) > 0) {
				(void)imsg_get_data(&im, wire, 4);
				imsg_free(&im);
				msgs++;
			}
		if (imsg_get(&b, &im) == -1)
			bad++;
		imsgbuf_clear(&b);
		close(sv[1]);
	}
	printf("# garbage: %d messages, %d bad streams\n", msgs, bad);
	CHECK(round == 300 && msgs > 0 && bad > 0,
	    "garbage: 300 random streams survived");
}

int
main(void)
{
	int	 start;

	start = count_fds();
	test_roundtrip();
	test_batch();
	test_bytewise();
	test_oversize();
	test_partial_write();
	test_badhdr();
	test_getdata();
	test_eof_epipe();
	test_nobufs();
	test_garbage();
	CHECK(start > 0 && count_fds() == start, "no fd leaks overall");
	TEST_EXIT();
}
