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
 * The configuration stream (common/reconf.c) and config_reserve: a
 * configuration of many hosts sent in steps arrives whole, every host
 * found by name, MAC, address, IPv6 address and UUID, the subnets of
 * both families with it, and the receiver made room for it once (its
 * arrays never doubled on the way: each doubling rehashes every host, a
 * stall of its own in a worker serving DHCP).  A subnet out of bounds
 * ends the stream.
 */

#include <sys/socket.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pxed.h"
#include "reconf.h"
#include "test.h"

#define NHOSTS	20000

static void
make_host(struct host *h, size_t i)
{
	memset(h, 0, sizeof(*h));
	snprintf(h->conf.name, sizeof(h->conf.name), "h%zu", i);
	h->conf.profile = -1;
	h->conf.nmacs = i % 3 == 0 ? 2 : 1;
	h->conf.macs[0][0] = 0x52;
	h->conf.macs[0][2] = i >> 16;
	h->conf.macs[0][3] = i >> 8;
	h->conf.macs[0][4] = i;
	memcpy(h->conf.macs[1], h->conf.macs[0], 6);
	h->conf.macs[1][1] = 1;
	if (i % 2 == 0)
		h->conf.ip.s_addr = htonl(0x0a000000 | (uint32_t)i);
	if (i % 4 == 1) {
		inet_pton(AF_INET6, "fd00:1::", &h->conf.ip6);
		h->conf.ip6.s6_addr[13] = i >> 16;
		h->conf.ip6.s6_addr[14] = i >> 8;
		h->conf.ip6.s6_addr[15] = i;
	}
	if (i % 5 == 0) {
		h->conf.uuid[0] = 0x11;
		h->conf.uuid[6] = 0x40;
		h->conf.uuid[8] = 0x80;
		h->conf.uuid[12] = i >> 16;
		h->conf.uuid[13] = i >> 8;
		h->conf.uuid[14] = i;
	}
}

/* Every host of c is found by each of its keys, as host i. */
static int
all_found(const struct config *c, size_t n)
{
	struct host	 h;
	size_t		 i;

	if (c->nhosts != n)
		return 0;
	for (i = 0; i < n; i++) {
		make_host(&h, i);
		if (config_find_host(c, h.conf.name) != &c->hosts[i] ||
		    config_host_by_mac(c, h.conf.macs[0]) != &c->hosts[i] ||
		    config_host_by_mac(c, h.conf.macs[h.conf.nmacs - 1]) !=
		    &c->hosts[i] ||
		    (i % 2 == 0 &&
		    config_host_by_ip(c, h.conf.ip) != &c->hosts[i]) ||
		    (i % 4 == 1 &&
		    config_host_by_ip6(c, &h.conf.ip6) != &c->hosts[i]) ||
		    (i % 5 == 0 &&
		    config_host_by_uuid(c, h.conf.uuid) != &c->hosts[i]))
			return 0;
	}
	return 1;
}

/* Send conf over a socket pair in steps of 700 hosts; what arrives. */
static struct config *
stream(const struct config *conf, int *bad)
{
	struct imsgbuf		 tx, rx;
	struct reconf_tx	 t;
	struct reconf_rx	 r = { NULL };
	struct config		*done = NULL;
	struct imsg		 imsg;
	int			 sv[2], all = 0, turns = 0;
	ssize_t			 n;

	*bad = 0;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) == -1 ||
	    imsgbuf_init(&tx, sv[0]) == -1 || imsgbuf_init(&rx, sv[1]) == -1)
		return NULL;
	reconf_tx_begin(&t, &tx, conf);
	/* Bounded: 20,000 hosts are some 30 steps. */
	while (done == NULL && *bad == 0 && turns++ < 100000) {
		if (!all && reconf_tx_step(&t, &tx, conf, 700)) {
			imsg_compose(&tx, IMSG_RECONF_END, 0, 0, -1, NULL, 0);
			all = 1;
		}
		if (imsgbuf_write(&tx) == -1 || imsgbuf_read(&rx) == -1)
			*bad = 1;
		while (*bad == 0 && done == NULL &&
		    (n = imsg_get(&rx, &imsg)) != 0) {
			if (n == -1 || reconf_rx_msg(&r, &imsg, &done) != 1)
				*bad = 1;
			imsg_free(&imsg);
		}
	}
	reconf_rx_reset(&r);
	imsgbuf_clear(&tx);
	imsgbuf_clear(&rx);
	close(sv[0]);
	close(sv[1]);
	return done;
}

/* fd00:N::/64 with a pool, a router and two name servers. */
static void
make_subnet6(struct subnet6_conf *sn, int n)
{
	char	 s[32];

	memset(sn, 0, sizeof(*sn));
	snprintf(s, sizeof(s), "fd00:%d::", n);
	inet_pton(AF_INET6, s, &sn->network);
	sn->prefixlen = 64;
	snprintf(s, sizeof(s), "fd00:%d::1000", n);
	inet_pton(AF_INET6, s, &sn->range_lo);
	snprintf(s, sizeof(s), "fd00:%d::1fff", n);
	inet_pton(AF_INET6, s, &sn->range_hi);
	snprintf(s, sizeof(s), "fd00:%d::1", n);
	inet_pton(AF_INET6, s, &sn->router);
	sn->dns[0] = sn->router;
	inet_pton(AF_INET6, "2001:4860:4860::8888", &sn->dns[1]);
	sn->ndns = 2;
}

/* One IPv4 subnet and three dhcp6 ones.  1, or 0 if short of memory. */
static int
add_subnets(struct config *conf)
{
	struct subnet_conf	 sn;
	struct subnet6_conf	 sn6;
	int			 i, ok;

	memset(&sn, 0, sizeof(sn));
	inet_pton(AF_INET, "10.0.0.0", &sn.network);
	inet_pton(AF_INET, "255.0.0.0", &sn.netmask);
	sn.prefixlen = 8;
	ok = config_add_subnet(conf, &sn) == 0;
	for (i = 1; i <= 3 && ok; i++) {
		make_subnet6(&sn6, i);
		ok = config_add_subnet6(conf, &sn6) == 0;
	}
	CHECK(ok && conf->nsubnets6 == 3 && conf->subnets6_cap >= 3 &&
	    conf->subnets6[2].prefixlen == 64, "reconf: three dhcp6 subnets "
	    "added");
	return ok;
}

/* The subnets of both families arrive as sent, in order. */
static int
subnets_same(const struct config *a, const struct config *b)
{
	return a->nsubnets == b->nsubnets && a->nsubnets6 == b->nsubnets6 &&
	    memcmp(a->subnets, b->subnets, a->nsubnets *
	    sizeof(*a->subnets)) == 0 &&
	    memcmp(a->subnets6, b->subnets6, a->nsubnets6 *
	    sizeof(*a->subnets6)) == 0;
}

/* A stream of one subnet (of either family) past a bound is refused. */
static void
test_bad_subnets(void)
{
	struct config		 c;
	struct config		*got;
	struct subnet_conf	 sn;
	struct subnet6_conf	 sn6;
	int			 bad, i;

	for (i = 0; i < 4; i++) {
		config_init(&c);
		make_subnet6(&sn6, 1);
		if (i == 0)
			sn6.ndns = PXED_MAXDNS + 1;
		else if (i == 1)
			sn6.prefixlen = 129;
		else if (i == 2)
			sn6.range_hi.s6_addr[14] = 0;	/* below range_lo */
		if (i < 3)
			config_add_subnet6(&c, &sn6);
		else {
			memset(&sn, 0, sizeof(sn));
			sn.prefixlen = 24;
			sn.ndns = PXED_MAXDNS + 1;
			config_add_subnet(&c, &sn);
		}
		got = stream(&c, &bad);
		CHECK(bad && got == NULL, i == 0 ? "reconf: a dhcp6 subnet "
		    "with too many name servers is refused" : i == 1 ?
		    "reconf: a dhcp6 subnet /129 is refused" : i == 2 ?
		    "reconf: a dhcp6 range that ends before it starts is "
		    "refused" : "reconf: an IPv4 subnet with too many name "
		    "servers is refused");
		config_free(&c);
	}
}

/* A start message that told too few, or too many to believe. */
static void
test_reserve(void)
{
	struct config	 small;
	struct host	 h;
	size_t		 i;
	int		 ok;

	/* Told too few: the arrays grow as before. */
	config_init(&small);
	CHECK(config_reserve(&small, 100, 100, 0) == 0 &&
	    small.hosts_cap == 100, "reconf: reserve 100 hosts");
	for (i = 0, ok = 1; i < 5000 && ok; i++) {
		make_host(&h, i);
		ok = config_add_host(&small, &h) == 0;
	}
	CHECK(ok && all_found(&small, 5000) && small.hosts_cap >= 5000,
	    "reconf: more hosts than reserved still grow and are found");
	CHECK(config_reserve(&small, 10, 10, 10) == -1,
	    "reconf: no reserve on a configuration that has hosts");
	config_free(&small);
	/* An absurd count is not believed: nothing is reserved. */
	CHECK(config_reserve(&small, (size_t)1 << 40, 1, 1) == 0 &&
	    small.hosts == NULL && small.hosts_cap == 0 &&
	    small.byname == NULL,
	    "reconf: a count past the bound reserves nothing");
	config_free(&small);
}

int
main(void)
{
	struct config		 conf;
	struct config		*got;
	struct host		 h;
	struct in6_addr		 none;
	struct host_var		 hv;
	size_t			 i;
	int			 bad, ok;

	config_init(&conf);
	strlcpy(conf.server.ifnames[0], "pxe0", sizeof(conf.server.ifnames[0]));
	conf.server.dhcp6_mode = DHCP_MODE_FULL;
	inet_pton(AF_INET6, "fd00:1::2", &conf.server.address6);
	ok = add_subnets(&conf);
	for (i = 0; i < NHOSTS && ok; i++) {
		make_host(&h, i);
		ok = config_add_host(&conf, &h) == 0;
	}
	for (i = 0; i < NHOSTS && ok; i += 4) {
		memset(&hv, 0, sizeof(hv));
		hv.host = i;
		strlcpy(hv.key, "rack", sizeof(hv.key));
		snprintf(hv.value, sizeof(hv.value), "r%zu", i / 40);
		ok = config_add_var(&conf, &hv) == 0;
	}
	CHECK(ok && all_found(&conf, NHOSTS), "reconf: 20,000 hosts built "
	    "one by one are found by name, MAC, address, IPv6 address and "
	    "UUID");
	memset(&h.conf.ip6, 0, sizeof(h.conf.ip6));
	inet_pton(AF_INET6, "fd00:1::ffff", &none);
	CHECK(config_host_by_ip6(&conf, &h.conf.ip6) == NULL &&
	    config_host_by_ip6(&conf, &none) == NULL,
	    "reconf: by IPv6 address: :: and an address no host has are "
	    "no host's");
	/* One by one, the arrays double: room for more than is there. */
	CHECK(conf.hosts_cap == 32768, "reconf: built one by one, the hosts' "
	    "array doubled to 32,768");

	got = stream(&conf, &bad);
	CHECK(!bad && got != NULL, "reconf: the stream of 20,000 hosts in "
	    "steps arrives whole");
	if (got == NULL)
		return 1;
	CHECK(strcmp(got->server.ifnames[0], "pxe0") == 0 &&
	    got->server.dhcp6_mode == DHCP_MODE_FULL &&
	    memcmp(&got->server.address6, &conf.server.address6,
	    sizeof(conf.server.address6)) == 0 &&
	    got->nvars == conf.nvars && got->nmacs == conf.nmacs &&
	    strcmp(config_host_var(got, 400, "rack"), "r10") == 0,
	    "reconf: server (with its IPv6 keys), MACs and vars arrive");
	CHECK(subnets_same(got, &conf), "reconf: the IPv4 subnet and the "
	    "three dhcp6 subnets arrive");
	CHECK(all_found(got, NHOSTS), "reconf: every host arrives, found by "
	    "name, MAC, address, IPv6 address and UUID");
	/* Made once at the size the start message told: never doubled. */
	CHECK(got->hosts_cap == NHOSTS && got->vars_cap == conf.nvars,
	    "reconf: the receiver made room once (hosts and vars)");
	CHECK(got->idx_mask + 1 == 65536 && got->mac_mask + 1 == 65536,
	    "reconf: index tables made at their final size");
	config_free(got);
	free(got);
	config_free(&conf);
	test_reserve();
	test_bad_subnets();
	TEST_EXIT();
}
