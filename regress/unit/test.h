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
 * The unit-test convention of regress/run.sh: one line per check,
 * "PASS: name" or "FAIL: name: why", and exit 1 if any failed.
 */

#ifndef TEST_H
#define TEST_H

#include <stdio.h>

static int test_failures;

#define CHECK(cond, name) do {						\
	if (cond)							\
		printf("PASS: %s\n", (name));				\
	else {								\
		printf("FAIL: %s: %s (%s:%d)\n", (name), #cond,		\
		    __FILE__, __LINE__);				\
		test_failures++;					\
	}								\
	fflush(stdout);							\
} while (0)

#define TEST_EXIT()	return (test_failures ? 1 : 0)

#endif /* TEST_H */
