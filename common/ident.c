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
 * Who is asking.  A host is known at its fixed addresses (ip, ip6: the
 * inventory's indexes) and at the addresses bound to one of its MACs:
 * the leases pxed gave it, IPv4 and IPv6, or in proxy and off modes the
 * address its DHCPREQUEST asked the other server for.  The master keeps
 * the bindings (master/bindings.c) and streams every change to tftpd and
 * httpd, so all three answer the same.  Bindings are by MAC, not by
 * host: a reload that moves a MAC to another host moves its addresses
 * with it.  A MAC holds one address of each family, the last one bound.
 * A binding also keeps the SMBIOS UUID the client sent (DHCP option 97,
 * a DUID-UUID), so that a machine the inventory knows by its UUID is
 * itself from a NIC the inventory does not list; an IPv6 client that
 * named no MAC is its UUID alone.  Addresses of both families are one
 * key (addr.c), so one table and one lookup serve both.
 */

#include <sys/types.h>
#include <sys/tree.h>

#include <stdlib.h>
#include <string.h>

#include "ident.h"

struct binding {
	RB_ENTRY(binding)	 byip;
	RB_ENTRY(binding)	 byclient;
	struct in6_addr		 ip;			/* either family */
	uint8_t			 mac[6];		/* zero: none named */
	uint8_t			 uuid[PXED_UUIDLEN];	/* zero: none */
};

RB_HEAD(ident_ips, binding);
RB_HEAD(ident_clients, binding);

static int	 binding_ipcmp(const struct binding *, const struct binding *);
static int	 binding_clientcmp(const struct binding *,
		    const struct binding *);

RB_PROTOTYPE(ident_ips, binding, byip, binding_ipcmp)
RB_PROTOTYPE(ident_clients, binding, byclient, binding_clientcmp)

static struct ident_ips		 ips = RB_INITIALIZER(&ips);
static struct ident_clients	 clients = RB_INITIALIZER(&clients);
static size_t			 nbindings;

static int
binding_ipcmp(const struct binding *a, const struct binding *b)
{
	return memcmp(&a->ip, &b->ip, sizeof(a->ip));
}

/* The client: the family, then its MAC, or its UUID when it named none. */
static int
binding_clientcmp(const struct binding *a, const struct binding *b)
{
	static const uint8_t	 none[6];
	int			 fa = addr_is4(&a->ip, NULL);
	int			 fb = addr_is4(&b->ip, NULL), r;

	if (fa != fb)
		return fa - fb;
	if ((r = memcmp(a->mac, b->mac, sizeof(a->mac))) != 0 ||
	    memcmp(a->mac, none, sizeof(none)) != 0)
		return r;
	return memcmp(a->uuid, b->uuid, sizeof(a->uuid));
}

RB_GENERATE(ident_ips, binding, byip, binding_ipcmp)
RB_GENERATE(ident_clients, binding, byclient, binding_clientcmp)

static const struct binding *ident_find(const struct in6_addr *);

static void
binding_drop(struct binding *b)
{
	RB_REMOVE(ident_ips, &ips, b);
	RB_REMOVE(ident_clients, &clients, b);
	free(b);
	nbindings--;
}

/*
 * The client (mac, or uuid when mac is zero) holds ip from now on;
 * whoever held ip before, and whatever address of that family the
 * client held before, is forgotten.  1 if anything changed, 0 if not,
 * -1 when out of memory or for an address that names nobody.
 */
int
ident_bind(const struct in6_addr *ip, const uint8_t mac[6],
    const uint8_t uuid[PXED_UUIDLEN])
{
	static const uint8_t	 none[PXED_UUIDLEN];
	struct binding		 key, *b;

	if (!addr_usable(ip))
		return -1;
	if (uuid == NULL || !uuid_usable(uuid))
		uuid = none;
	memset(&key, 0, sizeof(key));
	key.ip = *ip;
	memcpy(key.mac, mac, sizeof(key.mac));
	memcpy(key.uuid, uuid, sizeof(key.uuid));
	if ((b = RB_FIND(ident_ips, &ips, &key)) != NULL) {
		if (memcmp(b->mac, mac, sizeof(b->mac)) == 0 &&
		    memcmp(b->uuid, uuid, sizeof(b->uuid)) == 0)
			return 0;
		binding_drop(b);
	}
	if ((b = RB_FIND(ident_clients, &clients, &key)) != NULL)
		binding_drop(b);
	if ((b = calloc(1, sizeof(*b))) == NULL)
		return -1;
	*b = key;
	RB_INSERT(ident_ips, &ips, b);
	RB_INSERT(ident_clients, &clients, b);
	nbindings++;
	return 1;
}

/* ip is no longer mac's (a release, a decline); 1 if it was. */
int
ident_unbind(const struct in6_addr *ip, const uint8_t mac[6])
{
	struct binding	 key, *b;

	key.ip = *ip;
	if ((b = RB_FIND(ident_ips, &ips, &key)) == NULL ||
	    memcmp(b->mac, mac, sizeof(b->mac)) != 0)
		return 0;
	binding_drop(b);
	return 1;
}

/* The address a message names, as a key. */
void
ident_msg_addr(const struct ident_msg *im, struct in6_addr *a)
{
	if (im->v6)
		*a = im->ip6;
	else
		addr_map4(im->ip, a);
}

/* A message's address from a key: ip, or v6 and ip6. */
void
ident_msg_set(struct ident_msg *im, const struct in6_addr *a)
{
	im->v6 = !addr_is4(a, &im->ip);
	if (im->v6) {
		im->ip.s_addr = INADDR_ANY;
		im->ip6 = *a;
	} else
		memset(&im->ip6, 0, sizeof(im->ip6));
}

/* A change from the master; -1 for a malformed one. */
int
ident_apply(const struct ident_msg *im)
{
	struct in6_addr	 a;

	if (im->v6 > 1)
		return -1;
	ident_msg_addr(im, &a);
	switch (im->op) {
	case IDENT_BIND:
		return ident_bind(&a, im->mac, im->uuid) == -1 ? -1 : 0;
	case IDENT_UNBIND:
		ident_unbind(&a, im->mac);
		return 0;
	default:
		return -1;
	}
}

/* The binding of ip, NULL if none. */
static const struct binding *
ident_find(const struct in6_addr *ip)
{
	struct binding	 key;

	key.ip = *ip;
	return RB_FIND(ident_ips, &ips, &key);
}

/* The host whose fixed address, ip or ip6, is a; NULL if none. */
struct host *
ident_fixed(const struct config *conf, const struct in6_addr *a)
{
	struct in_addr	 ip;

	if (!addr_usable(a))
		return NULL;
	if (addr_is4(a, &ip))
		return config_host_by_ip(conf, ip);
	return config_host_by_ip6(conf, a);
}

/* The inventory host a requester at ip is, NULL for a stranger. */
struct host *
ident_host(const struct config *conf, const struct in6_addr *ip)
{
	struct host		*h;
	const struct binding	*b;

	if (!addr_usable(ip))
		return NULL;
	if ((h = ident_fixed(conf, ip)) != NULL)
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
    const struct in6_addr *ip)
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
ident_is(const struct config *conf, const struct in6_addr *ip,
    const struct host *h)
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
		ident_msg_set(&im, &b->ip);
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
