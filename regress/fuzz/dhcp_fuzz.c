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
 * libFuzzer: any datagram through the DHCP parser, then every option
 * accessor and the boot-architecture naming, as dhcpd uses them.
 */

#include <sys/types.h>
#include <netinet/in.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dhcpd.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dhcp_msg	 m;
	const char		*why;
	const uint8_t		*p;
	uint8_t			*pkt;
	char			 name[64];
	size_t			 len;
	struct in_addr		 a;
	int			 code;

	/* an exact-size copy, so reading past the datagram is caught */
	if ((pkt = malloc(size > 0 ? size : 1)) == NULL)
		return 0;
	memcpy(pkt, data, size);
	if (dhcp_parse(&m, pkt, size, &why) == 0) {
		for (code = 0; code < 256; code++) {
			if ((p = dhcp_opt(&m, code, &len)) == NULL)
				continue;
			dhcp_sanitize(p, len, name, sizeof(name));
			dhcp_opt_addr(&m, code, &a);
		}
		if ((p = dhcp_opt(&m, OPT_ARCH, &len)) != NULL && len >= 2)
			pxe_arch_name((uint16_t)(p[0] << 8 | p[1]), name,
			    sizeof(name));
	}
	free(pkt);
	return 0;
}
