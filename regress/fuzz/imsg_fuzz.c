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

/* libFuzzer: any byte stream from a peer through the imsg reader. */

#include <sys/socket.h>

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imsg.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct imsgbuf	 ibuf;
	struct imsg	 imsg;
	uint8_t		 small[8];
	int		 sp[2], fd;
	ssize_t		 n;

	if (size > 200000)
		return 0;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == -1)
		abort();
	fcntl(sp[0], F_SETFL, O_NONBLOCK);
	fcntl(sp[1], F_SETFL, O_NONBLOCK);
	imsgbuf_init(&ibuf, sp[1]);
	while (size > 0) {
		n = write(sp[0], data, size);
		if (n <= 0)
			break;
		data += n;
		size -= n;
		if (size == 0)
			close(sp[0]);
		while (imsgbuf_read(&ibuf) == 1) {
			while (imsg_get(&ibuf, &imsg) > 0) {
				imsg_get_data(&imsg, small, sizeof(small));
				if ((fd = imsg_get_fd(&imsg)) != -1)
					close(fd);
				imsg_free(&imsg);
			}
			if (imsg_get(&ibuf, &imsg) == -1)
				break;
		}
	}
	if (size > 0)
		close(sp[0]);
	imsgbuf_clear(&ibuf);
	close(sp[1]);
	return 0;
}
