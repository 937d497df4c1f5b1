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
 * The master's side of "who is asking" (common/ident.c): it learns which
 * MAC holds which address from the leases it makes durable and, in proxy
 * and off modes, from the DHCPREQUESTs dhcpd sees for inventory hosts,
 * and sends every change to tftpd and httpd, which render tokens only
 * for the host's own address.  A restarted worker gets the whole table.
 */

#include <sys/types.h>
#include <arpa/inet.h>

#include <string.h>
#include <time.h>

#include "ident.h"
#include "log.h"
#include "master.h"

static void	 bindings_tell(const struct ident_msg *);
static void	 bindings_put(const struct ident_msg *, void *);

/* Changes not yet told: a batch of lease commits is one message. */
static struct ident_msg	 told[IMSG_IDENT_MAX];
static size_t		 ntold;

static void
bindings_tell(const struct ident_msg *im)
{
	if (ntold == IMSG_IDENT_MAX)
		bindings_flush();
	told[ntold++] = *im;
}

/* The changes so far to every worker that renders tokens. */
void
bindings_flush(void)
{
	struct proc_slot	*p;
	int			 id;

	for (id = PROC_TFTPD; id <= PROC_HTTPD && ntold > 0; id++) {
		p = master_proc(id);
		if (p->connected &&
		    imsgev_compose(&p->iev, IMSG_IDENT, 0, 0, -1, told,
		    ntold * sizeof(told[0])) == 0)
			imsgev_flush(&p->iev);
	}
	ntold = 0;
}

/*
 * A lease of either family made durable: an active one binds, a release
 * or decline unbinds.  The caller flushes once its batch is done.
 */
void
bindings_lease(const struct lease_msg *lm)
{
	struct ident_msg	 im;
	struct in6_addr		 a;
	int			 r;

	/*
	 * Firmware releases its IPv6 lease as soon as it has loaded the
	 * boot file (OVMF does), and the loader it started asks for its
	 * menu from that same address: the binding stays until another
	 * client is bound there.
	 */
	if (lm->v6 && lm->state == LEASE_RELEASED)
		return;
	memset(&im, 0, sizeof(im));
	if (lm->v6)
		a = lm->ip6;
	else
		addr_map4(lm->ip, &a);
	ident_msg_set(&im, &a);
	memcpy(im.mac, lm->mac, sizeof(im.mac));
	if (lm->state == LEASE_ACTIVE) {
		im.op = IDENT_BIND;
		if (uuid_usable(lm->uuid))
			memcpy(im.uuid, lm->uuid, sizeof(im.uuid));
		r = ident_bind(&a, im.mac, im.uuid);
	} else {
		im.op = IDENT_UNBIND;
		r = ident_unbind(&a, im.mac);
	}
	if (r == 1)
		bindings_tell(&im);
}

/*
 * A DHCPREQUEST that dhcpd saw in proxy or off mode: the address another
 * server is giving to one of the inventory's MACs.  -1 for a message
 * that no dhcpd of ours sends (the worker is killed).
 */
int
bindings_seen(const struct ident_msg *im)
{
	const struct host	*h;
	struct in6_addr		 a;
	char			 mac[18];
	int			 r;

	/* dhcpd watches DHCP, IPv4 only. */
	ident_msg_addr(im, &a);
	if (im->op != IDENT_BIND || im->v6 || !addr_usable(&a) ||
	    master_conf->server.dhcp_mode == DHCP_MODE_FULL)
		return -1;
	/* A reload may have dropped the host since dhcpd saw it. */
	if ((h = config_host_by_client(master_conf, im->mac, im->uuid)) ==
	    NULL)
		return 0;
	if ((r = ident_bind(&a, im->mac, im->uuid)) == -1)
		return 0;
	if (r == 1) {
		mac_format(im->mac, mac, sizeof(mac));
		log_info("host %s: %s asked for %s (DHCPREQUEST to another "
		    "server)", h->conf.name, mac, inet_ntoa(im->ip));
		bindings_tell(im);
		bindings_flush();
	}
	return 0;
}

struct bindings_batch {
	struct imsgev		*iev;
	struct ident_msg	 msgs[IMSG_IDENT_MAX];
	size_t			 n;
};

static void
bindings_put(const struct ident_msg *im, void *arg)
{
	struct bindings_batch	*bb = arg;

	bb->msgs[bb->n++] = *im;
	if (bb->n == IMSG_IDENT_MAX) {
		imsgev_compose(bb->iev, IMSG_IDENT, 0, 0, -1, bb->msgs,
		    bb->n * sizeof(bb->msgs[0]));
		bb->n = 0;
	}
}

/* The whole table to a worker that has just (re)started. */
void
bindings_send(struct imsgev *iev)
{
	static struct bindings_batch	 bb;

	bb.iev = iev;
	bb.n = 0;
	ident_foreach(bindings_put, &bb);
	if (bb.n > 0)
		imsgev_compose(iev, IMSG_IDENT, 0, 0, -1, bb.msgs,
		    bb.n * sizeof(bb.msgs[0]));
}
