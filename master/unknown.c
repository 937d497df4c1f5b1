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
 * PXE clients dhcpd saw booting that the inventory does not list, for
 * "pxectl show unknown".  A bounded table: when it is full the entry seen
 * least recently makes room.  dhcpd already rate-limits its reports; the
 * master trusts it no further than for the MAC, the UUID, the arch and
 * the vendor class, and keeps the times itself.  Rows are by MAC; pxectl
 * groups the MACs of one UUID into one machine.
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "master.h"

#define UNKNOWN_MAX	1024

static struct unknown_msg	 table[UNKNOWN_MAX];
static size_t			 ntable;

static int	 unknown_terminated(char *, size_t);

/* NUL-terminated and printable, or the message is refused. */
static int
unknown_terminated(char *s, size_t size)
{
	size_t	 i;

	for (i = 0; i < size && s[i] != '\0'; i++)
		if (!isprint((unsigned char)s[i]))
			return 0;
	if (i == size)
		return 0;
	memset(s + i, 0, size - i);
	return 1;
}

/* A report from dhcpd; -1 if it is malformed. */
int
unknown_add(struct unknown_msg *um)
{
	struct unknown_msg	*e = NULL;
	time_t			 now = time(NULL);
	size_t			 i, old = 0;

	if (!unknown_terminated(um->archname, sizeof(um->archname)) ||
	    !unknown_terminated(um->vendor, sizeof(um->vendor)))
		return -1;
	for (i = 0; i < ntable; i++) {
		if (memcmp(table[i].mac, um->mac, sizeof(um->mac)) == 0) {
			e = &table[i];
			break;
		}
		if (table[i].last < table[old].last)
			old = i;
	}
	if (e == NULL) {
		e = ntable < UNKNOWN_MAX ? &table[ntable++] : &table[old];
		memset(e, 0, sizeof(*e));
		memcpy(e->mac, um->mac, sizeof(e->mac));
		e->first = now;
	}
	/* A firmware that sent its UUID once is that machine. */
	if (uuid_usable(um->uuid))
		memcpy(e->uuid, um->uuid, sizeof(e->uuid));
	e->arch = um->arch;
	memcpy(e->archname, um->archname, sizeof(e->archname));
	memcpy(e->vendor, um->vendor, sizeof(e->vendor));
	e->last = now;
	e->count++;
	return 0;
}

/* The table, then the profile names for a ready-to-paste entry. */
void
unknown_show(struct imsgev *iev, const struct config *conf)
{
	struct ctl_profile	 cp;
	size_t			 i;

	for (i = 0; i < ntable; i++)
		imsgev_compose(iev, IMSG_CTL_UNKNOWN, 0, 0, -1, &table[i],
		    sizeof(table[i]));
	for (i = 0; i < conf->nprofiles; i++) {
		memset(&cp, 0, sizeof(cp));
		strlcpy(cp.name, conf->profiles[i].name, sizeof(cp.name));
		imsgev_compose(iev, IMSG_CTL_PROFILE, 0, 0, -1, &cp,
		    sizeof(cp));
	}
}

/*
 * After a reload: the machines the inventory now lists, by a MAC or by
 * their UUID, are known; each costs two index lookups.
 */
void
unknown_reconf(const struct config *conf)
{
	size_t	 i, j;

	for (i = j = 0; i < ntable; i++)
		if (config_host_by_client(conf, table[i].mac,
		    table[i].uuid) == NULL)
			table[j++] = table[i];
	ntable = j;
}
