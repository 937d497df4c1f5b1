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
 * master/unknown.c: the table of PXE clients not in the inventory.  It
 * refuses malformed reports, counts repeats, stays within 1024 entries
 * and forgets a MAC once a reload lists it.
 */

#include <sys/socket.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "master.h"
#include "test.h"

static struct unknown_msg	*shown;
static size_t			 nshown, nprofiles;

static void	 report(struct unknown_msg *, uint32_t);
static void	 show(const struct config *);

static void
report(struct unknown_msg *um, uint32_t n)
{
	memset(um, 0, sizeof(*um));
	um->mac[0] = 0x02;
	um->mac[2] = n >> 16;
	um->mac[3] = n >> 8;
	um->mac[4] = n;
	um->arch = 7;
	strlcpy(um->archname, "uefi-x64", sizeof(um->archname));
	strlcpy(um->vendor, "PXEClient:Arch:00007", sizeof(um->vendor));
}

/* What pxectl would get: the entries, then the profile names. */
static void
show(const struct config *conf)
{
	struct imsgev	 iev;
	struct imsgbuf	 in;
	struct imsg	 imsg;
	int		 sv[2], got;

	free(shown);
	shown = NULL;
	nshown = nprofiles = 0;
	/* Non-blocking both ways: write a little, read it, until done. */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) == -1 ||
	    imsgev_init(&iev, sv[0], NULL, NULL, NULL) == -1 ||
	    imsgbuf_init(&in, sv[1]) == -1)
		abort();
	unknown_show(&iev, conf);
	for (;;) {
		if (imsgbuf_write(&iev.ibuf) == -1)
			abort();
		if (imsgbuf_read(&in) != 1)
			abort();
		got = 0;
		while (imsg_get(&in, &imsg) > 0) {
			got = 1;
			if (imsg_get_type(&imsg) == IMSG_CTL_UNKNOWN) {
				shown = reallocarray(shown, nshown + 1,
				    sizeof(*shown));
				if (shown == NULL || imsg_get_data(&imsg,
				    &shown[nshown++], sizeof(*shown)) == -1)
					abort();
			} else if (imsg_get_type(&imsg) == IMSG_CTL_PROFILE)
				nprofiles++;
			imsg_free(&imsg);
		}
		if (!got && imsgbuf_queuelen(&iev.ibuf) == 0)
			break;
	}
	imsgbuf_clear(&in);
	ev_io_del(&iev.io);
	imsgbuf_clear(&iev.ibuf);
	close(sv[0]);
	close(sv[1]);
}

int
main(void)
{
	struct config		 conf;
	struct profile_conf	 pc;
	struct host		 h;
	struct unknown_msg	 um;
	uint32_t		 i;

	if (ev_init() == -1)
		abort();
	config_init(&conf);

	report(&um, 1);
	um.vendor[3] = '\033';
	CHECK(unknown_add(&um) == -1, "unknown: a control character refused");
	report(&um, 1);
	memset(um.archname, 'x', sizeof(um.archname));
	CHECK(unknown_add(&um) == -1, "unknown: an unterminated arch refused");
	show(&conf);
	CHECK(nshown == 0, "unknown: refused reports are not kept");

	report(&um, 1);
	CHECK(unknown_add(&um) == 0, "unknown: a report is taken");
	report(&um, 1);
	um.count = 1000;
	um.first = 1;
	CHECK(unknown_add(&um) == 0, "unknown: a repeat is taken");
	show(&conf);
	CHECK(nshown == 1 && shown[0].count == 2,
	    "unknown: a repeat counts, whatever dhcpd claims the count is");
	CHECK(nshown == 1 && shown[0].first > 1 &&
	    shown[0].first <= shown[0].last,
	    "unknown: the master keeps the times");
	CHECK(nshown == 1 && strcmp(shown[0].archname, "uefi-x64") == 0 &&
	    strcmp(shown[0].vendor, "PXEClient:Arch:00007") == 0,
	    "unknown: arch and vendor kept");

	for (i = 2; i <= 2000; i++) {
		report(&um, i);
		unknown_add(&um);
	}
	show(&conf);
	CHECK(nshown == 1024, "unknown: the table stays at 1024 entries");

	memset(&pc, 0, sizeof(pc));
	strlcpy(pc.name, "rocky9", sizeof(pc.name));
	config_add_profile(&conf, &pc);
	memset(&h, 0, sizeof(h));
	strlcpy(h.conf.name, "n1", sizeof(h.conf.name));
	h.conf.profile = -1;
	report(&um, 2000);
	memcpy(h.conf.macs[0], um.mac, sizeof(h.conf.macs[0]));
	h.conf.nmacs = 1;
	config_add_host(&conf, &h);
	unknown_reconf(&conf);
	show(&conf);
	CHECK(nshown == 1023, "unknown: a reload that lists a MAC drops it");
	for (i = 0; i < nshown; i++)
		if (memcmp(shown[i].mac, um.mac, sizeof(um.mac)) == 0)
			break;
	CHECK(i == nshown, "unknown: the listed MAC is gone");
	CHECK(nprofiles == 1, "unknown: the profile names follow the table");

	free(shown);
	config_free(&conf);
	TEST_EXIT();
}
