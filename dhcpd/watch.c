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
 * Beside another DHCP server (proxy mode), pxed sees the broadcast
 * DHCPREQUESTs of the machines it boots: the address an inventory host
 * asks for, or renews, is the address it will fetch its menu and
 * kickstart from.  Each is told to the master, which keeps who holds
 * which address (master/bindings.c) for the token checks of tftpd and
 * httpd.  The master ignores what it already knows.  With dhcp mode off
 * (a switch or another machine is the DHCP server) the same requests
 * come through a packet socket that only watches (master/sockets.c).
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <linux/if_packet.h>
#include <netinet/in.h>

#include <errno.h>
#include <string.h>

#include "dhcpd.h"
#include "proc.h"

/*
 * The address a REQUEST is about: option 50 when selecting (54 set)
 * or in INIT-REBOOT, ciaddr when renewing or rebinding.
 */
int
dhcp_request_addr(const struct dhcp_msg *m, struct in_addr *ip,
    int *selecting)
{
	*selecting = dhcp_has(m, OPT_SERVERID);
	if (m->ciaddr.s_addr != INADDR_ANY && !*selecting) {
		*ip = m->ciaddr;
		return 0;
	}
	return dhcp_opt_addr(m, OPT_REQADDR, ip);
}

void
watch_request(const struct dhcp_msg *m, const struct host *h)
{
	struct ident_msg	 im;
	const uint8_t		*u;
	int			 selecting;

	memset(&im, 0, sizeof(im));
	if (h == NULL || m->type != DHCPREQUEST ||
	    dhcp_request_addr(m, &im.ip, &selecting) == -1 ||
	    im.ip.s_addr == INADDR_ANY || im.ip.s_addr == INADDR_BROADCAST)
		return;
	im.op = IDENT_BIND;
	memcpy(im.mac, m->chaddr, sizeof(im.mac));
	if ((u = dhcp_client_uuid(m)) != NULL)
		memcpy(im.uuid, u, sizeof(im.uuid));
	imsgev_compose(worker_master(), IMSG_IDENT_SEEN, 0, 0, -1, &im,
	    sizeof(im));
}

/*
 * The watching packet socket: an IPv4 datagram to udp/67, checked again
 * here (the filter is the master's, and a packet may have come in before
 * it was attached).  Nothing is ever sent back.
 */
void
watch_recv(int fd, int what, void *arg)
{
	static uint8_t		 pkt[DHCP_MAXLEN + 60 + 8];
	struct sockaddr_ll	 sll;
	struct dhcp_msg		 m;
	socklen_t		 sl;
	const char		*why;
	size_t			 ihl, ulen;
	ssize_t			 n;
	int			 i;

	(void)what;
	(void)arg;
	for (i = 0; i < 64; i++) {
		sl = sizeof(sll);
		n = recvfrom(fd, pkt, sizeof(pkt), MSG_TRUNC,
		    (struct sockaddr *)&sll, &sl);
		if (n == -1) {
			if (errno != EAGAIN && errno != EINTR)
				log_warn("dhcp: watch: recvfrom");
			return;
		}
		if ((size_t)n > sizeof(pkt) || sll.sll_pkttype ==
		    PACKET_OUTGOING || n < 20 || (pkt[0] >> 4) != 4 ||
		    pkt[9] != IPPROTO_UDP)
			continue;
		ihl = (size_t)(pkt[0] & 0x0f) * 4;
		if (ihl < 20 || (size_t)n < ihl + 8 ||
		    (pkt[ihl + 2] << 8 | pkt[ihl + 3]) != 67)
			continue;
		ulen = (size_t)(pkt[ihl + 4] << 8 | pkt[ihl + 5]);
		if (ulen < 8 || ulen > (size_t)n - ihl)
			continue;
		if (dhcp_parse(&m, pkt + ihl + 8, ulen - 8, &why) == -1) {
			log_debug("dhcp: watch: dropped: %s", why);
			continue;
		}
		if (m.htype == 1 && m.hlen == 6)
			watch_request(&m, leases_host(m.chaddr, dhcp_client_uuid(&m)));
	}
}
