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
 * The options of a reply: the lease and subnet options, the PXE boot
 * fields, the echoes (97, and 82 last), and what option 55 asks for.
 */

#include <sys/types.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

#include "dhcpd.h"

static int	 asked(const struct dhcp_msg *, int);
static void	 boot_fields(struct dhcp_reply *, const struct dhcp_msg *,
		    const struct dhcp_ctx *);
static void	 subnet_options(struct dhcp_reply *, const struct dhcp_msg *,
		    const struct dhcp_ctx *);
static void	 echoes(struct dhcp_reply *, const struct dhcp_msg *);

static int
asked(const struct dhcp_msg *m, int code)
{
	const uint8_t	*p;
	size_t		 len;

	if ((p = dhcp_opt(m, OPT_PARAMS, &len)) == NULL)
		return 0;
	return memchr(p, code, len) != NULL;
}

/* siaddr and the NUL-terminated file field, then 66 and 67. */
static void
boot_fields(struct dhcp_reply *r, const struct dhcp_msg *m,
    const struct dhcp_ctx *c)
{
	const struct pxe_boot	*b = &c->pxe;
	char			 addr[INET_ADDRSTRLEN];
	size_t			 len = strlen(b->file);

	if (!b->boot)
		return;
	dhcp_reply_set(r, DHCP_OFF_SIADDR, &c->conf->server.address, 4);
	if (len < DHCP_FILE_LEN)
		dhcp_reply_set(r, DHCP_OFF_FILE, b->file, len);
	if (b->http)
		dhcp_reply_opt(r, OPT_CLASSID, "HTTPClient", 10);
	if (asked(m, OPT_TFTPSERVER) && !b->http) {
		inet_ntop(AF_INET, &c->conf->server.address, addr,
		    sizeof(addr));
		dhcp_reply_opt(r, OPT_TFTPSERVER, addr, strlen(addr));
	}
	dhcp_reply_opt(r, OPT_BOOTFILE, b->file, len);
}

static void
subnet_options(struct dhcp_reply *r, const struct dhcp_msg *m,
    const struct dhcp_ctx *c)
{
	const struct subnet_conf	*s = c->subnet;
	struct in_addr			 bc;

	dhcp_reply_addr(r, OPT_NETMASK, s->netmask);
	if (s->router.s_addr != INADDR_ANY)
		dhcp_reply_addr(r, OPT_ROUTER, s->router);
	if (s->ndns > 0)
		dhcp_reply_opt(r, OPT_DNS, s->dns, 4 * s->ndns);
	if (s->domain[0] != '\0')
		dhcp_reply_opt(r, OPT_DOMAIN, s->domain, strlen(s->domain));
	bc.s_addr = s->network.s_addr | ~s->netmask.s_addr;
	dhcp_reply_addr(r, OPT_BROADCAST, bc);
	if (c->host != NULL && asked(m, OPT_HOSTNAME))
		dhcp_reply_opt(r, OPT_HOSTNAME, c->host->conf.name,
		    strlen(c->host->conf.name));
}

/*
 * Option 97 for PXE clients (a well-formed one only), and the relay's
 * option 82, whole and last.
 */
static void
echoes(struct dhcp_reply *r, const struct dhcp_msg *m)
{
	const uint8_t	*p;
	size_t		 len;

	if ((p = dhcp_uuid_opt(m)) != NULL)
		dhcp_reply_opt(r, OPT_UUID, p, 17);
	if ((p = dhcp_opt(m, OPT_RELAY, &len)) != NULL)
		dhcp_reply_opt(r, OPT_RELAY, p, len);
}

/*
 * A full-mode OFFER, ACK or NAK.  lease is 0 for an ACK to INFORM,
 * which carries no lease time (RFC 2131 3.4).
 */
void
dhcp_options(struct dhcp_reply *r, const struct dhcp_msg *m,
    const struct dhcp_ctx *c, uint8_t type, uint32_t lease)
{
	dhcp_reply_addr(r, OPT_SERVERID, c->server);
	if (type == DHCPNAK) {
		echoes(r, m);
		return;
	}
	if (lease != 0) {
		dhcp_reply_u32(r, OPT_LEASE, lease);
		dhcp_reply_u32(r, OPT_RENEWAL, lease / 2);
		dhcp_reply_u32(r, OPT_REBINDING, lease / 8 * 7);
	}
	if (c->subnet != NULL)
		subnet_options(r, m, c);
	boot_fields(r, m, c);
	echoes(r, m);
}

/*
 * ProxyDHCP (PXE 2.1): no address, only the boot fields.  On udp/67 a
 * BIOS client gets discovery control 8 (boot the file of this offer);
 * UEFI menus are unreliable, so UEFI clients get none and ask udp/4011.
 */
void
dhcp_options_proxy(struct dhcp_reply *r, const struct dhcp_msg *m,
    const struct dhcp_ctx *c, int on4011)
{
	static const uint8_t	 discovery[] = { 6, 1, 8, 255 };
	const struct pxe_boot	*b = &c->pxe;

	dhcp_reply_addr(r, OPT_SERVERID, c->server);
	if (b->http)
		dhcp_reply_opt(r, OPT_CLASSID, "HTTPClient", 10);
	else
		dhcp_reply_opt(r, OPT_CLASSID, "PXEClient", 9);
	if (!on4011 && !b->http && (b->arch == 0 || b->ipxe))
		dhcp_reply_opt(r, OPT_VENDOR, discovery, sizeof(discovery));
	dhcp_reply_set(r, DHCP_OFF_SIADDR, &c->conf->server.address, 4);
	if (strlen(b->file) < DHCP_FILE_LEN)
		dhcp_reply_set(r, DHCP_OFF_FILE, b->file, strlen(b->file));
	dhcp_reply_opt(r, OPT_BOOTFILE, b->file, strlen(b->file));
	echoes(r, m);
}
