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
 * The master's foreground log (common/log.c): buffered informational
 * lines leave at log_flush, an error flushes what waits and itself at
 * once, in order, and a buffer's worth of lines never loses one.
 */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "log.h"
#include "test.h"

static int	 rfd;

/* What reached stderr since the last call, as a string. */
static const char *
drain(void)
{
	static char	 out[1 << 20];
	static size_t	 len;
	ssize_t		 n;

	len = 0;
	while ((n = read(rfd, out + len, sizeof(out) - 1 - len)) > 0)
		len += (size_t)n;
	out[len] = '\0';
	return out;
}

int
main(void)
{
	const char	*s;
	char		 want[64];
	int		 p[2], i, ok;

	if (pipe(p) == -1 || fcntl(p[0], F_SETFL, O_NONBLOCK) == -1 ||
	    fcntl(p[1], F_SETFL, O_NONBLOCK) == -1 ||
	    dup2(p[1], STDERR_FILENO) == -1)
		abort();
	rfd = p[0];
	log_init(1, LOG_DAEMON);

	log_info("unbuffered");
	CHECK(strcmp(drain(), "unbuffered\n") == 0,
	    "unbuffered: a line is written at once");

	log_setbuffered(1);
	log_info("one");
	log_info("two");
	CHECK(*drain() == '\0', "buffered: info lines wait");
	log_warnx("three");
	s = drain();
	CHECK(strcmp(s, "one\ntwo\nthree\n") == 0,
	    "an error flushes what waits, then itself, in order");
	log_info("four");
	log_flush();
	CHECK(strcmp(drain(), "four\n") == 0, "log_flush writes what waits");
	log_flush();
	CHECK(*drain() == '\0', "log_flush with nothing waiting writes nothing");

	/* More than the buffer holds: every line, in order. */
	for (i = 0; i < 2000; i++)
		log_info("line %04d of many", i);
	log_flush();
	s = drain();
	ok = 1;
	for (i = 0; i < 2000 && ok; i++) {
		snprintf(want, sizeof(want), "line %04d of many\n", i);
		ok = strncmp(s, want, strlen(want)) == 0;
		s += strlen(want);
	}
	CHECK(ok && *s == '\0', "2000 lines past the buffer: all, in order");

	log_setbuffered(0);
	log_info("five");
	CHECK(strcmp(drain(), "five\n") == 0, "unbuffered again");
	TEST_EXIT();
}
