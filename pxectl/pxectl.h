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


/* pxectl: the request, its reply, and how the reply is printed. */

#ifndef PXECTL_H
#define PXECTL_H

#include <stddef.h>
#include <stdint.h>

#include "pxed.h"

enum ctl_cmd {
	CMD_SHOW_HOSTS,
	CMD_SHOW_STATS,
	CMD_SHOW_LEASES,
	CMD_SHOW_TRANSFERS,
	CMD_SHOW_UNKNOWN,
	CMD_RESULT,			/* answered with OK or ERROR */
};

struct request {
	enum ctl_cmd	 cmd;
	uint32_t	 type;
	const void	*data;
	size_t		 len;
	int32_t		 level;
	struct ctl_host_set set;
	uint8_t		 mac[6];		/* show unknown MAC */
	uint8_t		 uuid[PXED_UUIDLEN];	/* ... or UUID */
	int		 onemac;		/* 1: MAC, 2: UUID */
};

struct reply {
	struct ctl_host	*hosts;
	size_t		 nhosts;
	struct ctl_stat	*stats;
	size_t		 nstats;
	struct lease_msg *leases;
	size_t		 nleases;
	struct transfer_msg *xfers;
	size_t		 nxfers;
	struct unknown_msg *unknown;
	size_t		 nunknown;
	struct ctl_profile *profiles;
	size_t		 nprofiles;
	char		**errors;
	size_t		 nerrors;
	int		 ok;
};

extern int	 jflag;

/* print.c */
int		 print_reply(const struct request *, const struct reply *);

#endif /* PXECTL_H */
