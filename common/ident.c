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
 * Who is asking.  A host is known at its fixed address (the inventory's
 * index) and at the address bound to one of its MACs: the lease pxed
 * gave it, or in proxy and off modes the address its DHCPREQUEST asked
 * the other server for.  The master keeps the bindings (master/bindings.c)
 * and streams every change to tftpd and httpd, so all three answer the
 * same.  Bindings are by MAC, not by host: a reload that moves a MAC to
 * another host moves its address with it.  A MAC holds one address, the
 * last one bound.  A binding also keeps the SMBIOS UUID the client sent
 * (DHCP option 97), so that a machine the inventory knows by its UUID is
 * itself from a NIC the inventory does not list.
 */

#include <sys/types.h>
#include <sys/tree.h>

#include <stdlib.h>
#include <string.h>

#include "ident.h"

struct binding {
	RB_ENTRY(binding)	 byip;
	RB_ENTRY(binding)	 bymac;
	struct in_addr		 ip;
	uint8_t			 mac[6];
	uint8_t			 uuid[PXED_UUIDLEN];	/* zero: none */
};

RB_HEAD(ident_ips, binding);
RB_HEAD(ident_macs, binding);

static int	 binding_ipcmp(const struct binding *, const struct binding *);
static int	 binding_maccmp(const struct binding *, const struct binding *);

RB_PROTOTYPE(ident_ips, binding, byip, binding_ipcmp)
RB_PROTOTYPE(ident_macs, binding, bymac, binding_maccmp)

static struct ident_ips		 ips = RB_INITIALIZER(&ips);
static struct ident_macs	 macs = RB_INITIALIZER(&macs);
static size_t			 nbindings;

static int
binding_ipcmp(const struct binding *a, const struct binding *b)
{
	uint32_t	 x = ntohl(a->ip.s_addr), y = ntohl(b->ip.s_addr);

	return x < y ? -1 : x > y;
}

static int
binding_maccmp(const struct binding *a, const struct binding *b)
{
	return memcmp(a->mac, b->mac, sizeof(a->mac));
}

RB_GENERATE(ident_ips, binding, byip, binding_ipcmp)
RB_GENERATE(ident_macs, binding, bymac, binding_maccmp)

static const struct binding *ident_find(struct in_addr);

static void
binding_drop(struct binding *b)
{
	RB_REMOVE(ident_ips, &ips, b);
	RB_REMOVE(ident_macs, &macs, b);
	free(b);
	nbindings--;
}

/*
 * mac holds ip from now on; whoever held ip before, and whatever mac
 * held before, is forgotten.  1 if anything changed, 0 if not, -1 when
 * out of memory or for an address that names nobody.
 */
int
ident_bind(struct in_addr ip, const uint8_t mac[6],
    const uint8_t uuid[PXED_UUIDLEN])
{
	static const uint8_t	 none[PXED_UUIDLEN];
	struct binding		 key, *b;

	if (ip.s_addr == INADDR_ANY || ip.s_addr == INADDR_BROADCAST)
		return -1;
	if (uuid == NULL || !uuid_usable(uuid))
		uuid = none;
	key.ip = ip;
	memcpy(key.mac, mac, sizeof(key.mac));
	if ((b = RB_FIND(ident_ips, &ips, &key)) != NULL) {
		if (memcmp(b->mac, mac, sizeof(b->mac)) == 0 &&
		    memcmp(b->uuid, uuid, sizeof(b->uuid)) == 0)
			return 0;
		binding_drop(b);
	}
	if ((b = RB_FIND(ident_macs, &macs, &key)) != NULL)
		binding_drop(b);
	if ((b = calloc(1, sizeof(*b))) == NULL)
		return -1;
	b->ip = ip;
	memcpy(b->mac, mac, sizeof(b->mac));
	memcpy(b->uuid, uuid, sizeof(b->uuid));
	RB_INSERT(ident_ips, &ips, b);
	RB_INSERT(ident_macs, &macs, b);
	nbindings++;
	return 1;
}

/* ip is no longer mac's (a release, a decline); 1 if it was. */
int
ident_unbind(struct in_addr ip, const uint8_t mac[6])
{
	struct binding	 key, *b;

	key.ip = ip;
	if ((b = RB_FIND(ident_ips, &ips, &key)) == NULL ||
	    memcmp(b->mac, mac, sizeof(b->mac)) != 0)
		return 0;
	binding_drop(b);
	return 1;
}

/* A change from the master; -1 for a malformed one. */
int
ident_apply(const struct ident_msg *im)
{
	switch (im->op) {
	case IDENT_BIND:
		return ident_bind(im->ip, im->mac, im->uuid) == -1 ? -1 : 0;
	case IDENT_UNBIND:
		ident_unbind(im->ip, im->mac);
		return 0;
	default:
		return -1;
	}
}

/* The binding of ip, NULL if none. */
static const struct binding *
ident_find(struct in_addr ip)
{
	struct binding	 key;

	key.ip = ip;
	return RB_FIND(ident_ips, &ips, &key);
}

/* The inventory host a requester at ip is, NULL for a stranger. */
struct host *
ident_host(const struct config *conf, struct in_addr ip)
{
	struct host		*h;
	const struct binding	*b;

	if (ip.s_addr == INADDR_ANY)
		return NULL;
	if ((h = config_host_by_ip(conf, ip)) != NULL)
		return h;
	if ((b = ident_find(ip)) == NULL)
		return NULL;
	return config_host_by_client(conf, b->mac, b->uuid);
}

/*
 * The host a per-MAC name (pxelinux.cfg/01-<mac>, /ipxe/<mac>) names,
 * asked from ip: the inventory's host of that MAC, else, for a NIC the
 * inventory does not list, the host the requester is when its own
 * address is bound to that MAC (it was known by its UUID).
 */
struct host *
ident_host_by_mac(const struct config *conf, const uint8_t mac[6],
    struct in_addr ip)
{
	struct host		*h;
	const struct binding	*b;

	if ((h = config_host_by_mac(conf, mac)) != NULL)
		return h;
	if ((b = ident_find(ip)) == NULL || memcmp(b->mac, mac, 6) != 0)
		return NULL;
	return ident_host(conf, ip);
}

/* Whether the requester at ip is host h. */
int
ident_is(const struct config *conf, struct in_addr ip, const struct host *h)
{
	return h != NULL && ident_host(conf, ip) == h;
}

size_t
ident_count(void)
{
	return nbindings;
}

void
ident_foreach(void (*fn)(const struct ident_msg *, void *), void *arg)
{
	struct ident_msg	 im;
	struct binding		*b;

	memset(&im, 0, sizeof(im));
	im.op = IDENT_BIND;
	RB_FOREACH(b, ident_ips, &ips) {
		im.ip = b->ip;
		memcpy(im.mac, b->mac, sizeof(im.mac));
		memcpy(im.uuid, b->uuid, sizeof(im.uuid));
		fn(&im, arg);
	}
}

void
ident_clear(void)
{
	struct binding	*b;

	while ((b = RB_MIN(ident_ips, &ips)) != NULL)
		binding_drop(b);
}
