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
 * found by name, MAC, address and UUID, and the receiver made room for
 * it once (its arrays never doubled on the way: each doubling rehashes
 * every host, a stall of its own in a worker serving DHCP).
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

int
main(void)
{
	struct config		 conf, small;
	struct config		*got;
	struct host		 h;
	struct host_var		 hv;
	size_t			 i;
	int			 bad, ok;

	config_init(&conf);
	strlcpy(conf.server.ifnames[0], "pxe0", sizeof(conf.server.ifnames[0]));
	ok = 1;
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
	    "one by one are found by name, MAC, address and UUID");
	/* One by one, the arrays double: room for more than is there. */
	CHECK(conf.hosts_cap == 32768, "reconf: built one by one, the hosts' "
	    "array doubled to 32,768");

	got = stream(&conf, &bad);
	CHECK(!bad && got != NULL, "reconf: the stream of 20,000 hosts in "
	    "steps arrives whole");
	if (got == NULL)
		return 1;
	CHECK(strcmp(got->server.ifnames[0], "pxe0") == 0 &&
	    got->nvars == conf.nvars && got->nmacs == conf.nmacs &&
	    strcmp(config_host_var(got, 400, "rack"), "r10") == 0,
	    "reconf: server, MACs and vars arrive");
	CHECK(all_found(got, NHOSTS), "reconf: every host arrives, found by "
	    "name, MAC, address and UUID");
	/* Made once at the size the start message told: never doubled. */
	CHECK(got->hosts_cap == NHOSTS && got->vars_cap == conf.nvars,
	    "reconf: the receiver made room once (hosts and vars)");
	CHECK(got->idx_mask + 1 == 65536 && got->mac_mask + 1 == 65536,
	    "reconf: index tables made at their final size");
	config_free(got);
	free(got);

	/* A start message that told too few: the arrays grow as before. */
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
	config_free(&conf);
	TEST_EXIT();
}
