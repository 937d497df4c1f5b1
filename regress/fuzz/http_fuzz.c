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
 * libFuzzer: any bytes a client sends, fed to httpd's head scanner in
 * two reads as a connection would, then the parser and the Range and
 * date parsers on what it found.
 */

#include <sys/types.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pxed.h"
#include "httpd.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_request	 r;
	struct http_range	 rg;
	char			*in;
	size_t			 scanned = 0, len;
	ssize_t			 end;
	time_t			 t;

	/* the connection's buffer holds HTTP_HEADMAX bytes, no NUL */
	len = size < HTTP_HEADMAX ? size : HTTP_HEADMAX;
	if ((in = malloc(len > 0 ? len : 1)) == NULL)
		return 0;
	memcpy(in, data, len);
	if ((end = http_head_end(in, len / 2, &scanned)) == 0)
		end = http_head_end(in, len, &scanned);
	if (end > 0 && http_parse(in, end, &r) == 0) {
		http_range_parse(r.range, 1000, &rg);
		http_range_parse(r.ifrange, 0, &rg);
		if (r.ims != NULL)
			http_date_parse(r.ims, &t);
	}
	free(in);
	return 0;
}
