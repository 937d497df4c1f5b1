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
 * Who is asking (common/ident.c): a host is known at its fixed addresses
 * and at the addresses bound to one of its MACs; a MAC holds one address
 * of each family; an address one MAC; bindings follow a MAC into a new
 * inventory; and the menus built on it go to the host only, over either
 * family (common/menu.c).
 */

#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ident.h"
#include "menu.h"
#include "test.h"

#include "../../tftpd/tftpd.h"

static const struct in6_addr *ip(const char *);
static struct in_addr	 ip4(const char *);
static void	 add_host(struct config *, const char *, uint8_t, const char *,
		    const char *, int32_t, enum host_state);
static void	 inventory(struct config *, int);
static const char *name_at(const struct config *, const char *);
static char	*menu(const struct config *, const char *, const char *);
static void	 machine_uuid(uint8_t [PXED_UUIDLEN]);
static void	 machine_hosts(struct config *, const uint8_t [PXED_UUIDLEN]);
static void	 machine_lookup(struct config *, const uint8_t [PXED_UUIDLEN],
		    uint8_t [PXED_UUIDLEN]);
static void	 machine_nics(const struct config *,
		    const uint8_t [PXED_UUIDLEN]);
static void	 machine_duid(const struct config *,
		    const uint8_t [PXED_UUIDLEN]);
static void	 machine(void);
static void	 bindings(const struct config *);
static void	 bindings6(const struct config *);
static void	 count6(const struct ident_msg *, void *);
static void	 menus(const struct config *);
static void	 menus6(const struct config *);

/* An address of either family as a key (addr.h), from a ring of them. */
static const struct in6_addr *
ip(const char *s)
{
	static struct in6_addr	 ring[8];
	static size_t		 n;
	struct in6_addr		*a = &ring[n++ % 8];

	if (strchr(s, ':') == NULL)
		addr_map4(ip4(s), a);
	else if (inet_pton(AF_INET6, s, a) != 1)
		abort();
	return a;
}

static struct in_addr
ip4(const char *s)
{
	struct in_addr	 a;

	if (inet_pton(AF_INET, s, &a) != 1)
		abort();
	return a;
}

static void
add_host(struct config *c, const char *name, uint8_t last, const char *fixed,
    const char *fixed6, int32_t profile, enum host_state st)
{
	struct host	 h;

	memset(&h, 0, sizeof(h));
	strlcpy(h.conf.name, name, sizeof(h.conf.name));
	h.conf.macs[0][0] = 0x52;
	h.conf.macs[0][1] = 0x54;
	h.conf.macs[0][5] = last;
	h.conf.nmacs = 1;
	if (fixed != NULL)
		h.conf.ip = ip4(fixed);
	if (fixed6 != NULL)
		h.conf.ip6 = *ip(fixed6);
	h.conf.profile = profile;
	h.rt.state = st;
	strlcpy(h.rt.token, "0123456789abcdef0123456789abcdef",
	    sizeof(h.rt.token));
	strlcpy(h.rt.done, "fedcba9876543210fedcba9876543210",
	    sizeof(h.rt.done));
	if (config_add_host(c, &h) == -1)
		abort();
}

static void
inventory(struct config *c, int swapped)
{
	struct profile_conf	 p;

	config_init(c);
	c->server.address = ip4("10.0.0.2");
	c->server.address6 = *ip("fd00::2");
	c->server.http_port = 80;
	memset(&p, 0, sizeof(p));
	strlcpy(p.name, "tiny", sizeof(p.name));
	strlcpy(p.kernel, "vmlinuz", sizeof(p.kernel));
	strlcpy(p.append, "ks={{kickstart}} done={{done}}", sizeof(p.append));
	if (config_add_profile(c, &p) == -1)
		abort();
	/* swapped: the two pool hosts trade MACs, as after an edit. */
	add_host(c, "fixed", 1, "10.0.0.11", "fd00::11", 0, HOST_INSTALL);
	add_host(c, swapped ? "poolb" : "poola", 2, NULL, NULL, 0,
	    HOST_INSTALL);
	add_host(c, swapped ? "poola" : "poolb", 3, NULL, NULL, 0, HOST_LOCAL);
}

static const char *
name_at(const struct config *c, const char *addr)
{
	const struct host	*h = ident_host(c, ip(addr));

	return h != NULL ? h->conf.name : "-";
}

/* A generated menu as seen from addr: its text, or NULL if not found. */
static char *
menu(const struct config *c, const char *path, const char *addr)
{
	static char	 text[4096];
	struct buf	 out;
	char		 what[96];
	int		 r;

	buf_init(&out);
	r = menu_generate(c, path, ip(addr), &menu_via_tftp, &out, what,
	    sizeof(what));
	if (r != 1) {
		buf_free(&out);
		return NULL;
	}
	strlcpy(text, buf_cstr(&out), sizeof(text));
	buf_free(&out);
	return text;
}

/* twonic's two NICs, and one the inventory does not list. */
static const uint8_t	 mac_a[6] = { 0x52, 0x54, 0, 0, 0x20, 1 };
static const uint8_t	 mac_b[6] = { 0x52, 0x54, 0, 0, 0x20, 2 };
static const uint8_t	 mac_x[6] = { 0x52, 0x54, 0, 0, 0x20, 9 };

/* UUIDs as text; leaves u holding dmidecode's 4c4c4544-... */
static void
machine_uuid(uint8_t u[PXED_UUIDLEN])
{
	char		 s[40];

	CHECK(uuid_parse("4C4C4544-0051-3810-8035-B8C04F443531", u) == 0,
	    "uuid: parses as dmidecode prints it");
	uuid_format(u, s, sizeof(s));
	CHECK(strcmp(s, "4c4c4544-0051-3810-8035-b8c04f443531") == 0,
	    "uuid: printed lowercase");
	CHECK(uuid_parse("4c4c4544-0051-3810-8035-b8c04f44353", u) == -1 &&
	    uuid_parse("4c4c45440-051-3810-8035-b8c04f443531", u) == -1 &&
	    uuid_parse("4c4c4544-0051-3810-8035-b8c04f44353g", u) == -1,
	    "uuid: wrong length, hyphen or digit refused");
	uuid_parse("4c4c4544-0051-3810-8035-b8c04f443531", u);
}

/* The inventory, then twonic (hosts[3]) with UUID u, then 300 more. */
static void
machine_hosts(struct config *c, const uint8_t u[PXED_UUIDLEN])
{
	struct host	 h;
	size_t		 i;

	inventory(c, 0);
	memset(&h, 0, sizeof(h));
	strlcpy(h.conf.name, "twonic", sizeof(h.conf.name));
	memcpy(h.conf.macs[0], mac_a, 6);
	memcpy(h.conf.macs[1], mac_b, 6);
	h.conf.nmacs = 2;
	memcpy(h.conf.uuid, u, PXED_UUIDLEN);
	h.conf.profile = 0;
	h.rt.state = HOST_INSTALL;
	strlcpy(h.rt.token, "aaaa", sizeof(h.rt.token));
	config_add_host(c, &h);
	/* Many more hosts: the MAC table grows and still finds them. */
	for (i = 0; i < 300; i++) {
		memset(&h, 0, sizeof(h));
		snprintf(h.conf.name, sizeof(h.conf.name), "bulk%zu", i);
		h.conf.macs[0][0] = 0x02;
		h.conf.macs[0][4] = (uint8_t)(i >> 8);
		h.conf.macs[0][5] = (uint8_t)i;
		memcpy(h.conf.macs[1], h.conf.macs[0], 6);
		h.conf.macs[1][0] = 0x06;
		h.conf.nmacs = 2;
		h.conf.profile = -1;
		config_add_host(c, &h);
	}
}

/* The MAC table, and the UUID in both byte orders; sw gets GUID order. */
static void
machine_lookup(struct config *c, const uint8_t u[PXED_UUIDLEN],
    uint8_t sw[PXED_UUIDLEN])
{
	const uint8_t	 bulk299_b[6] = { 0x06, 0, 0, 0, 1, 43 };
	uint8_t		 other[PXED_UUIDLEN];
	char		 s[40];

	CHECK(c->nmacs == 3 + 2 + 600 && c->mac_mask + 1 >= 2 * c->nmacs,
	    "every MAC in the table, at most half full");
	CHECK(config_host_by_mac(c, mac_a) == &c->hosts[3] &&
	    config_host_by_mac(c, mac_b) == &c->hosts[3],
	    "either NIC's MAC is the host");
	CHECK(config_host_by_mac(c, bulk299_b) != NULL &&
	    strcmp(config_host_by_mac(c, bulk299_b)->conf.name,
	    "bulk299") == 0, "the last host's second MAC");
	uuid_swap(u, sw);
	uuid_format(sw, s, sizeof(s));
	CHECK(strcmp(s, "44454c4c-5100-1038-8035-b8c04f443531") == 0,
	    "uuid: GUID order swaps the first three fields");
	CHECK(config_host_by_uuid(c, u) == &c->hosts[3] &&
	    config_host_by_uuid(c, sw) == &c->hosts[3],
	    "the UUID in either byte order is the host");
	memcpy(other, u, sizeof(other));
	other[15] ^= 1;
	CHECK(config_host_by_uuid(c, other) == NULL, "another UUID is not");
	memset(other, 0, sizeof(other));
	CHECK(config_host_by_uuid(c, other) == NULL && !uuid_usable(other),
	    "the all-zero UUID names nobody");
	memset(other, 0xff, sizeof(other));
	CHECK(!uuid_usable(other), "nor does all-FF");
	CHECK(config_host_by_client(c, mac_x, sw) == &c->hosts[3] &&
	    config_host_by_client(c, mac_x, NULL) == NULL,
	    "an unlisted MAC is the host only with its UUID");
}

/* Bindings from an unlisted NIC and the second NIC, and their menus. */
static void
machine_nics(const struct config *c, const uint8_t sw[PXED_UUIDLEN])
{
	char		*m;

	ident_bind(ip("10.0.0.130"), mac_x, NULL);
	CHECK(strcmp(name_at(c, "10.0.0.130"), "-") == 0,
	    "an unlisted NIC without a UUID is a stranger");
	ident_bind(ip("10.0.0.130"), mac_x, sw);
	CHECK(strcmp(name_at(c, "10.0.0.130"), "twonic") == 0,
	    "an unlisted NIC that sent the host's UUID is the host");
	m = menu(c, "pxelinux.cfg/44454c4c-5100-1038-8035-b8c04f443531",
	    "10.0.0.130");
	CHECK(m != NULL && strstr(m, "/ks/twonic?t=aaaa") != NULL,
	    "pxelinux.cfg/<uuid>: the host's menu, option 97's order");
	m = menu(c, "pxelinux.cfg/4c4c4544-0051-3810-8035-b8c04f443531",
	    "10.0.0.130");
	CHECK(m != NULL && strstr(m, "/ks/twonic?t=aaaa") != NULL,
	    "pxelinux.cfg/<uuid>: and dmidecode's order");
	CHECK(menu(c, "pxelinux.cfg/4c4c4544-0051-3810-8035-b8c04f443531",
	    "10.0.0.102") == NULL, "... for the host only");
	ident_bind(ip("10.0.0.131"), mac_b, NULL);
	m = menu(c, "grub.cfg-01-52:54:00:00:20:01", "10.0.0.131");
	CHECK(m != NULL && strstr(m, "/ks/twonic?t=aaaa") != NULL,
	    "from its second NIC, the menu of its first MAC");
	m = menu(c, "pxelinux.cfg/01-52-54-00-00-20-02", "10.0.0.130");
	CHECK(m != NULL && strstr(m, "/ks/twonic?t=aaaa") != NULL,
	    "one token for the host, whichever NIC asks");
}

/*
 * IPv6 clients that name no MAC (a DUID-UUID, no EUI-64 source): the
 * UUID is the client, one address each.
 */
static void
machine_duid(const struct config *c, const uint8_t sw[PXED_UUIDLEN])
{
	static const uint8_t	 none[6];
	uint8_t			 other[PXED_UUIDLEN];

	memcpy(other, sw, sizeof(other));
	other[15] ^= 1;
	ident_bind(ip("fd00::130"), none, sw);
	CHECK(strcmp(name_at(c, "fd00::130"), "twonic") == 0,
	    "an IPv6 client known by its DUID-UUID alone is the host");
	ident_bind(ip("fd00::131"), none, other);
	CHECK(strcmp(name_at(c, "fd00::131"), "-") == 0 &&
	    strcmp(name_at(c, "fd00::130"), "twonic") == 0,
	    "clients without a MAC are told apart by their UUIDs");
	ident_bind(ip("fd00::132"), none, sw);
	CHECK(strcmp(name_at(c, "fd00::130"), "-") == 0 &&
	    strcmp(name_at(c, "fd00::132"), "twonic") == 0,
	    "... and hold one address each");
}

/*
 * A host is a machine: two NICs and an SMBIOS UUID.  Either MAC finds
 * it, so does its UUID in either byte order, and a NIC the inventory
 * does not list is the host when the binding carries its UUID.
 */
static void
machine(void)
{
	struct config	 c;
	uint8_t		 u[PXED_UUIDLEN], sw[PXED_UUIDLEN];

	machine_uuid(u);
	machine_hosts(&c, u);
	machine_lookup(&c, u, sw);
	machine_nics(&c, sw);
	machine_duid(&c, sw);
	config_free(&c);
}

/* Addresses bound to MACs name the hosts of those MACs. */
static void
bindings(const struct config *c)
{
	struct ident_msg im;
	uint8_t		 mac2[6] = { 0x52, 0x54, 0, 0, 0, 2 };
	uint8_t		 mac3[6] = { 0x52, 0x54, 0, 0, 0, 3 };
	uint8_t		 mac9[6] = { 0x52, 0x54, 0, 0, 0, 9 };

	CHECK(strcmp(name_at(c, "10.0.0.11"), "fixed") == 0,
	    "a fixed address names its host");
	CHECK(strcmp(name_at(c, "10.0.0.100"), "-") == 0,
	    "an unbound address names nobody");
	CHECK(strcmp(name_at(c, "0.0.0.0"), "-") == 0,
	    "0.0.0.0 names nobody");
	CHECK(ident_bind(ip("10.0.0.100"), mac2, NULL) == 1, "bind: a change");
	CHECK(ident_bind(ip("10.0.0.100"), mac2, NULL) == 0,
	    "bind again: no change");
	CHECK(strcmp(name_at(c, "10.0.0.100"), "poola") == 0,
	    "a bound address names the host of its MAC");
	CHECK(ident_bind(ip("10.0.0.101"), mac2, NULL) == 1 &&
	    strcmp(name_at(c, "10.0.0.100"), "-") == 0 &&
	    strcmp(name_at(c, "10.0.0.101"), "poola") == 0,
	    "a MAC holds one address: the last one bound");
	CHECK(ident_bind(ip("10.0.0.101"), mac3, NULL) == 1 &&
	    strcmp(name_at(c, "10.0.0.101"), "poolb") == 0 &&
	    ident_count() == 1,
	    "an address holds one MAC: the last one bound");
	CHECK(ident_unbind(ip("10.0.0.101"), mac2) == 0 &&
	    strcmp(name_at(c, "10.0.0.101"), "poolb") == 0,
	    "another MAC's release leaves the binding");
	CHECK(ident_unbind(ip("10.0.0.101"), mac3) == 1 &&
	    ident_count() == 0, "the holder's release ends it");
	CHECK(ident_bind(ip("0.0.0.0"), mac2, NULL) == -1 &&
	    ident_bind(ip("255.255.255.255"), mac2, NULL) == -1,
	    "0.0.0.0 and the broadcast address cannot be bound");
	ident_bind(ip("10.0.0.120"), mac9, NULL);
	CHECK(strcmp(name_at(c, "10.0.0.120"), "-") == 0,
	    "a MAC the inventory does not list names nobody");
	ident_bind(ip("10.0.0.11"), mac3, NULL);
	CHECK(strcmp(name_at(c, "10.0.0.11"), "fixed") == 0,
	    "a fixed address wins over a binding");
	memset(&im, 0, sizeof(im));
	im.op = 7;
	CHECK(ident_apply(&im) == -1, "an unknown operation is refused");
	im.op = IDENT_BIND;
	im.ip = ip4("10.0.0.102");
	memcpy(im.mac, mac2, 6);
	CHECK(ident_apply(&im) == 0 &&
	    strcmp(name_at(c, "10.0.0.102"), "poola") == 0,
	    "a message binds");
}

static void
count6(const struct ident_msg *im, void *arg)
{
	if (im->v6 && IN6_ARE_ADDR_EQUAL(&im->ip6, ip("fd00::102")) &&
	    im->ip.s_addr == INADDR_ANY)
		(*(int *)arg)++;
}

/* IPv6: the fixed ip6, a MAC's leases of both families, no MAC at all. */
static void
bindings6(const struct config *c)
{
	struct ident_msg im;
	uint8_t		 mac2[6] = { 0x52, 0x54, 0, 0, 0, 2 };
	uint8_t		 none[6] = { 0 };
	size_t		 n;
	int		 found = 0;

	CHECK(strcmp(name_at(c, "fd00::11"), "fixed") == 0,
	    "a fixed ip6 names its host");
	CHECK(strcmp(name_at(c, "fd00::100"), "-") == 0 &&
	    strcmp(name_at(c, "::"), "-") == 0,
	    "an unbound IPv6 address, and ::, name nobody");
	CHECK(ident_bind(ip("fd00::100"), mac2, NULL) == 1 &&
	    strcmp(name_at(c, "fd00::100"), "poola") == 0 &&
	    strcmp(name_at(c, "10.0.0.102"), "poola") == 0,
	    "a MAC holds an address of each family");
	n = ident_count();
	CHECK(ident_bind(ip("fd00::101"), mac2, NULL) == 1 &&
	    strcmp(name_at(c, "fd00::100"), "-") == 0 &&
	    strcmp(name_at(c, "fd00::101"), "poola") == 0 &&
	    strcmp(name_at(c, "10.0.0.102"), "poola") == 0 &&
	    ident_count() == n,
	    "a new IPv6 address replaces the IPv6 one only");
	CHECK(ident_bind(ip("::"), mac2, NULL) == -1 &&
	    ident_bind(ip("ff02::1:2"), mac2, NULL) == -1,
	    ":: and multicast groups cannot be bound");
	CHECK(ident_bind(ip("fd00::101"), none, NULL) == 1 &&
	    strcmp(name_at(c, "fd00::101"), "-") == 0,
	    "an address taken by a client that names no MAC names nobody");
	memset(&im, 0, sizeof(im));
	im.op = IDENT_BIND;
	memcpy(im.mac, mac2, 6);
	ident_msg_set(&im, ip("fd00::102"));
	CHECK(im.v6 == 1 && ident_apply(&im) == 0 &&
	    strcmp(name_at(c, "fd00::102"), "poola") == 0,
	    "an IPv6 message binds");
	im.v6 = 2;
	CHECK(ident_apply(&im) == -1, "a message of neither family is refused");
	ident_foreach(count6, &found);
	CHECK(found == 1, "the whole table goes out with its IPv6 bindings");
}

/* The menus: per-host names for the host only; bare names per host. */
static void
menus(const struct config *c)
{
	char		*m;

	m = menu(c, "pxelinux.cfg/01-52-54-00-00-00-01", "10.0.0.11");
	CHECK(m != NULL && strstr(m, "ks=http://10.0.0.2/ks/fixed?t=0123") !=
	    NULL && strstr(m, "done=http://10.0.0.2/done/fixed?t=fedc") != NULL,
	    "the host's menu carries its kickstart and done tokens");
	CHECK(menu(c, "pxelinux.cfg/01-52-54-00-00-00-01", "10.0.0.102") ==
	    NULL, "another host cannot read it");
	CHECK(menu(c, "grub/grub.cfg-0A00000B", "10.0.0.200") == NULL,
	    "a stranger cannot read it by hex address");
	m = menu(c, "pxelinux.cfg/0A000066", "10.0.0.102");
	CHECK(m != NULL && strstr(m, "/ks/poola?t=") != NULL,
	    "a pool host's hex name of the address it asks from");
	CHECK(menu(c, "pxelinux.cfg/0A000066", "10.0.0.200") == NULL,
	    "... which is nobody's for another requester");
	m = menu(c, "grub/grub.cfg-01-52:54:00:00:00:01", "10.0.0.11");
	CHECK(m != NULL && strstr(m, "menuentry 'install fixed'") != NULL,
	    "the GRUB menu by a colon MAC ($net_default_mac)");
	m = menu(c, "grub/grub.cfg", "10.0.0.102");
	CHECK(m != NULL && strstr(m, "/ks/poola?t=") != NULL,
	    "grub.cfg is the requester's own menu");
	m = menu(c, "boot/pxelinux.cfg/default", "10.0.0.11");
	CHECK(m != NULL && strstr(m, "/ks/fixed?t=") != NULL,
	    "pxelinux.cfg/default is the requester's own menu");
	m = menu(c, "grub.cfg", "10.0.0.200");
	CHECK(m != NULL && strstr(m, "unknown client") != NULL &&
	    strstr(m, "?t=") == NULL, "a stranger gets the unknown menu");
}

/*
 * GRUB's IPv6 names and what IPv6 requesters are sent: path asked from
 * an address, served with want in it, or not found (want NULL).
 */
static const struct {
	const char	*path;
	const char	*from;
	const char	*want;
	const char	*name;
} menu6_cases[] = {
	{ "grub/grub.cfg-fd00-0-0-0-0-0-0-11", "fd00::11",
	    "ks=http://[fd00::2]/ks/fixed?t=0123",
	    "grub.cfg-<8 groups> of a fixed ip6, from it, in IPv6" },
	{ "grub.cfg-fd00-0-0-0-0-0-0-11", "fd00::11",
	    "done=http://[fd00::2]/done/fixed?t=", "... {{done}} in IPv6 too" },
	{ "grub.cfg-fd00-0-0-0-0-0-0-11", "fd00::200", NULL,
	    "... for no stranger" },
	{ "grub.cfg-fd00-0-0-0-0-0-0-11", "10.0.0.102", NULL,
	    "... nor another host" },
	{ "grub.cfg-fd00-0-0-0-0-0-0-11", "10.0.0.11",
	    "ks=http://10.0.0.2/ks/fixed",
	    "... but the host at its IPv4 address, in IPv4" },
	{ "grub.cfg-0A00000B", "fd00::11", "http://[fd00::2]/ks/fixed",
	    "the hex name from the host's IPv6 address" },
	{ "grub.cfg", "fd00::11", "http://[fd00::2]/ks/fixed",
	    "grub.cfg of a requester known by its fixed ip6" },
	{ "boot/pxelinux.cfg/default", "fd00::102", "http://[fd00::2]/ks/poola",
	    "pxelinux.cfg/default of one known by its IPv6 lease" },
	{ "grub.cfg-fd00-0-0-0-0-0-0-102", "fd00::102", "/ks/poola?t=",
	    "a pool host's IPv6 name of the address it asks from" },
	{ "grub.cfg-fd00-0-0-0-0-0-0-102", "fd00::103", NULL,
	    "... which is nobody's for another requester" },
	{ "grub.cfg", "fd00::200", "unknown client",
	    "an IPv6 stranger gets the unknown menu" },
	{ "grub.cfg-fd00-0-0-0-0-0-0-011", "fd00::11", NULL,
	    "a leading zero: not a name" },
	{ "grub.cfg-FD00-0-0-0-0-0-0-11", "fd00::11", NULL,
	    "uppercase: not a name" },
	{ "grub.cfg-fd00--11", "fd00::11", NULL, "'::': not a name" },
	{ "grub.cfg-fd00-0-0-0-0-0-11", "fd00::11", NULL,
	    "7 groups: not a name" },
	{ "grub.cfg-fd00-0-0-0-0-0-0-0-11", "fd00::11", NULL,
	    "9 groups: not a name" },
	{ "grub.cfg-fd00-0-0-0-0-0-0-10011", "fd00::11", NULL,
	    "5 digits: not a name" },
	{ "grub.cfg-fd00-0-0-0-0-0-0-", "fd00::11", NULL,
	    "an empty group: not a name" },
	{ "pxelinux.cfg/fd00-0-0-0-0-0-0-11", "fd00::11", NULL,
	    "pxelinux has no IPv6 name" },
	{ "grub.cfg-0-0-0-0-0-ffff-a00-b", "10.0.0.11", NULL,
	    "an IPv4-mapped address is no IPv6 name" },
};

static void
menus6(const struct config *c)
{
	const char	*m, *want;
	size_t		 i;

	for (i = 0; i < nitems(menu6_cases); i++) {
		m = menu(c, menu6_cases[i].path, menu6_cases[i].from);
		want = menu6_cases[i].want;
		CHECK(want == NULL ? m == NULL : m != NULL &&
		    strstr(m, want) != NULL, menu6_cases[i].name);
	}
}

int
main(void)
{
	struct config	 c, c2;

	inventory(&c, 0);
	bindings(&c);
	menus(&c);
	bindings6(&c);
	menus6(&c);

	/* A new inventory: the binding follows the MAC to its new host. */
	inventory(&c2, 1);
	CHECK(strcmp(name_at(&c2, "10.0.0.102"), "poolb") == 0,
	    "after a reload the address names the MAC's new host");
	config_free(&c);
	config_free(&c2);
	ident_clear();
	CHECK(ident_count() == 0, "clear");
	machine();
	ident_clear();
	TEST_EXIT();
}
