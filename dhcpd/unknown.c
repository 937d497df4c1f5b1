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
 * PXE clients the inventory does not list, reported to the master so
 * pxectl can show them.  Each MAC at most once a minute, and at most
 * UNKNOWN_BURST reports a second in all: a flood of random MACs costs
 * the master a bounded trickle of messages.
 */

#include <string.h>

#include "dhcpd.h"
#include "ev.h"
#include "proc.h"

#define UNKNOWN_CACHE	256		/* MACs remembered, direct-mapped */
#define UNKNOWN_EVERY	60000		/* ms between reports of a MAC */
#define UNKNOWN_BURST	32		/* reports a second, all MACs */

struct unknown_slot {
	uint8_t		 mac[6];
	uint8_t		 used;
	uint64_t	 sent;		/* ev_now() */
};

static struct unknown_slot	 cache[UNKNOWN_CACHE];
static uint64_t			 window;	/* this second, ev_now() */
static unsigned int		 nwindow;	/* reports in it */

/* A request from a MAC that is not in the inventory; 1 if reported. */
/*
 * Report one booting machine the inventory does not list, unless its MAC
 * was reported in the last minute or the second's reports are spent.
 * vendor is its vendor class (DHCPv4 60, DHCPv6 16's data), or NULL.
 */
int
unknown_report(const uint8_t *mac, const uint8_t *uuid, uint16_t arch,
    const uint8_t *vendor, size_t vlen)
{
	struct unknown_slot	*s;
	struct unknown_msg	 um;
	char			 abuf[16];
	uint64_t		 now = ev_now();

	s = &cache[hash_fnv1a(mac, 6) % UNKNOWN_CACHE];
	if (s->used && memcmp(s->mac, mac, 6) == 0 &&
	    now - s->sent < UNKNOWN_EVERY)
		return 0;
	if (now - window >= 1000) {
		window = now;
		nwindow = 0;
	}
	if (nwindow >= UNKNOWN_BURST)
		return 0;
	nwindow++;
	memcpy(s->mac, mac, 6);
	s->used = 1;
	s->sent = now;

	memset(&um, 0, sizeof(um));
	memcpy(um.mac, mac, 6);
	if (uuid != NULL)
		memcpy(um.uuid, uuid, sizeof(um.uuid));
	um.arch = arch;
	strlcpy(um.archname, pxe_arch_name(arch, abuf, sizeof(abuf)),
	    sizeof(um.archname));
	if (vendor != NULL)
		dhcp_sanitize(vendor, vlen, um.vendor, sizeof(um.vendor));
	imsgev_compose(worker_master(), IMSG_UNKNOWN_SEEN, 0, 0, -1, &um,
	    sizeof(um));
	return 1;
}

int
unknown_seen(const struct dhcp_msg *m)
{
	const uint8_t		*vc;
	size_t			 vclen = 0;
	int			 pxe = 0;

	vc = dhcp_opt(m, OPT_CLASSID, &vclen);
	if (vc != NULL && ((vclen >= 9 && memcmp(vc, "PXEClient", 9) == 0) ||
	    (vclen >= 10 && memcmp(vc, "HTTPClient", 10) == 0)))
		pxe = 1;
	if (!pxe && !pxe_is_ipxe(m))
		return 0;
	return unknown_report(m->chaddr, dhcp_client_uuid(m),
	    pxe_arch(m, vc, vclen), vc, vclen);
}
