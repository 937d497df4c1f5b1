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
 * libFuzzer: any datagram through the DHCP parser, every option
 * accessor, the host lookup by MAC and option 97 UUID, the boot decision, and the OFFER, ACK and ProxyDHCP replies
 * built for it as dhcpd builds them.  A reply that fits must parse
 * again: an abort() here is a malformed packet we would have sent.
 */

#include <sys/types.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pxed.h"
#include "dhcpd.h"
#include "../unit/dhcp_fixture.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void	 setup(void);
static void	 reply(const struct dhcp_msg *, struct dhcp_ctx *, uint8_t,
		    int);

static struct config	 conf;

static void
setup(void)
{
	dhcp_fixture(&conf, 8080);
}

static void
reply(const struct dhcp_msg *m, struct dhcp_ctx *c, uint8_t type, int proxy)
{
	static struct dhcp_reply r;
	static struct dhcp_msg	 back;
	const char		*why;

	dhcp_reply_init(&r, m, type);
	if (proxy)
		dhcp_options_proxy(&r, m, c, type == DHCPACK);
	else
		dhcp_options(&r, m, c, type, 3600);
	if (dhcp_reply_finish(&r) == -1)
		return;
	r.buf[0] = 1;		/* read it back as a request would be */
	if (r.buf[28] == 0)
		r.buf[28] = 2;	/* the parser drops a zero chaddr */
	if (dhcp_parse(&back, r.buf, r.len, &why) == -1 &&
	    strcmp(why, "zero or broadcast chaddr") != 0 &&
	    strcmp(why, "hlen over 16") != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dhcp_msg	 m;
	struct dhcp_ctx		 c;
	const char		*why;
	const uint8_t		*p;
	uint8_t			*pkt;
	char			 name[64];
	size_t			 len;
	struct in_addr		 a;
	int			 code;

	if (conf.nsubnets == 0)
		setup();
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
		memset(&c, 0, sizeof(c));
		c.conf = &conf;
		c.subnet = &conf.subnets[0];
		/* Who the client is, by MAC or by option 97's UUID. */
		c.host = config_host_by_client(&conf, m.chaddr,
		    dhcp_client_uuid(&m));
		if (c.host == NULL && m.xid & 1)
			c.host = &conf.hosts[0];
		c.server = conf.server.address;
		pxe_decide(&c.pxe, &m, &conf, c.host, conf.hosts[0].conf.ip);
		reply(&m, &c, DHCPOFFER, 0);
		reply(&m, &c, DHCPACK, 0);
		reply(&m, &c, DHCPOFFER, 1);
		reply(&m, &c, DHCPACK, 1);
	}
	free(pkt);
	return 0;
}
