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

/* libFuzzer: any template text through the {{var}} renderer. */

#include <stdint.h>
#include <string.h>

#include "tmpl.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *
lookup(const char *name, size_t len, void *arg)
{
	(void)arg;
	if (len == 4 && memcmp(name, "name", 4) == 0)
		return "node01";
	if (len > 5 && memcmp(name, "vars.", 5) == 0)
		return "{{name}}";	/* values are never re-rendered */
	return NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tmpl_error	 err;
	struct buf		 out;

	buf_init(&out);
	tmpl_render((const char *)data, size, lookup, NULL, &out, &err);
	buf_free(&out);
	return 0;
}
