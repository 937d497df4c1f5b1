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
 * Where a reply goes (RFC 2131 section 4.1) and how it gets there: a
 * UDP send, or for a client that has no address yet and did not ask
 * for a broadcast, an IP/UDP packet of our own through the raw packet
 * socket the master opened for the interface.
 */

#include <sys/socket.h>
#include <sys/types.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>

#include <errno.h>
#include <string.h>

#include "dhcpd.h"
#include "log.h"

static uint16_t	 cksum(const void *, size_t, uint32_t);
static int	 raw_send(const struct dest *, const void *, size_t);

/* Where a reply goes (RFC 2131 4.1). */
void
dest_pick(struct dest *d, struct dsock *ds, const struct dhcp_msg *m,
    uint8_t type, struct in_addr yiaddr, struct in_addr src,
    const struct sockaddr_in *from)
{
	memset(d, 0, sizeof(*d));
	d->ds = ds;
	d->src = src;
	d->to.sin_family = AF_INET;
	d->to.sin_port = htons(DHCP_CLIENT_PORT);
	d->to.sin_addr.s_addr = INADDR_BROADCAST;
	if (from != NULL)
		d->to = *from;
	else if (m->giaddr.s_addr != INADDR_ANY) {
		d->to.sin_addr = m->giaddr;
		d->to.sin_port = htons(DHCP_SERVER_PORT);
	} else if (type == DHCPNAK)
		return;
	else if (m->ciaddr.s_addr != INADDR_ANY)
		d->to.sin_addr = m->ciaddr;
	else if (!(m->flags & DHCP_BROADCAST) && ds->rawfd != -1 &&
	    yiaddr.s_addr != INADDR_ANY) {
		d->raw = 1;
		d->to.sin_addr = yiaddr;
		memcpy(d->mac, m->chaddr, 6);
	}
}

/*
 * 0 sent by UDP, 1 sent through the raw socket, -1 not sent; queued
 * for the end of the loop turn (batch.c), which counts a failure then.
 */
int
deliver(const struct dest *d, const void *buf, size_t len)
{
	ssize_t	 n;

	if (d->raw)
		n = raw_send(d, buf, len);
	else
		n = batch_send(d->ds->fd, &d->to, sizeof(d->to), buf, len);
	if (n == -1) {
		log_debug("dhcp: send to %s: %s", inet_ntoa(d->to.sin_addr),
		    strerror(errno));
		return -1;
	}
	return d->raw;
}

static uint16_t
cksum(const void *data, size_t len, uint32_t sum)
{
	const uint8_t	*p = data;
	size_t		 i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)(p[len - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* Unicast to a client without an address: our own IP and UDP headers. */
static int
raw_send(const struct dest *d, const void *data, size_t len)
{
	static uint8_t		 pkt[sizeof(struct iphdr) +
	    sizeof(struct udphdr) + DHCP_REPLYMAX];
	struct iphdr		*ip = (struct iphdr *)(void *)pkt;
	struct udphdr		*udp = (struct udphdr *)(void *)(ip + 1);
	struct sockaddr_ll	 sll;
	uint32_t		 sum;
	uint16_t		 ulen = (uint16_t)(sizeof(*udp) + len);

	memset(pkt, 0, sizeof(*ip) + sizeof(*udp));
	ip->version = 4;
	ip->ihl = 5;
	ip->tot_len = htons(sizeof(*ip) + ulen);
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->saddr = d->src.s_addr;
	ip->daddr = d->to.sin_addr.s_addr;
	ip->check = htons(~cksum(ip, sizeof(*ip), 0));
	udp->source = htons(DHCP_SERVER_PORT);
	udp->dest = htons(DHCP_CLIENT_PORT);
	udp->len = htons(ulen);
	memcpy(udp + 1, data, len);
	sum = (ntohl(ip->saddr) >> 16) + (ntohl(ip->saddr) & 0xffff) +
	    (ntohl(ip->daddr) >> 16) + (ntohl(ip->daddr) & 0xffff) +
	    IPPROTO_UDP + ulen;
	udp->check = htons(~cksum(udp, ulen, sum));
	if (udp->check == 0)
		udp->check = 0xffff;
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_IP);
	sll.sll_ifindex = d->ds->ifindex;
	sll.sll_halen = 6;
	memcpy(sll.sll_addr, d->mac, 6);
	return batch_send(d->ds->rawfd, &sll, sizeof(sll), pkt,
	    sizeof(*ip) + ulen);
}
