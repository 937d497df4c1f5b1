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
 * The DHCP worker, chrooted into an empty directory.  It holds the sockets the
 * master passed it and follows configuration and host-state updates.
 */

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "proc.h"

static const char	*dhcpd_chroot(const struct config *);
static void		 dhcpd_start(struct config *, struct worker_sock *, size_t);
static void		 dhcpd_reconf(struct config *);
static void		 dhcpd_stats(void);

const struct worker_ops dhcpd_ops = {
	.id = PROC_DHCPD,
	.chroot_dir = dhcpd_chroot,
	.start = dhcpd_start,
	.reconf = dhcpd_reconf,
	.stats = dhcpd_stats,
};

static const struct config	*dhcpd_conf;
static size_t			 dhcpd_nsocks;

static const char *
dhcpd_chroot(const struct config *conf)
{
	static char path[PXED_PATHLEN + sizeof(PXED_EMPTYDIR) + 1];

	snprintf(path, sizeof(path), "%s/%s", conf->server.state,
	    PXED_EMPTYDIR);
	return path;
}

static void
dhcpd_start(struct config *conf, struct worker_sock *socks, size_t n)
{
	(void)socks;
	dhcpd_conf = conf;
	dhcpd_nsocks = n;
}

static void
dhcpd_reconf(struct config *conf)
{
	dhcpd_conf = conf;
}

static void
dhcpd_stats(void)
{
	worker_stat("sockets", dhcpd_nsocks);
	worker_stat("hosts", dhcpd_conf->nhosts);
}
