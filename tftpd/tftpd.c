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
 * The TFTP worker, chrooted into the TFTP root.  It holds the sockets the
 * master passed it and follows configuration and host-state updates.
 */

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "proc.h"

static const char	*tftpd_chroot(const struct config *);
static void		 tftpd_start(struct config *, struct worker_sock *, size_t);
static void		 tftpd_reconf(struct config *);
static void		 tftpd_stats(void);

const struct worker_ops tftpd_ops = {
	.id = PROC_TFTPD,
	.chroot_dir = tftpd_chroot,
	.start = tftpd_start,
	.reconf = tftpd_reconf,
	.stats = tftpd_stats,
};

static const struct config	*tftpd_conf;
static size_t			 tftpd_nsocks;

static const char *
tftpd_chroot(const struct config *conf)
{
	return conf->server.tftp_root;
}

static void
tftpd_start(struct config *conf, struct worker_sock *socks, size_t n)
{
	(void)socks;
	tftpd_conf = conf;
	tftpd_nsocks = n;
}

static void
tftpd_reconf(struct config *conf)
{
	tftpd_conf = conf;
}

static void
tftpd_stats(void)
{
	worker_stat("sockets", tftpd_nsocks);
	worker_stat("hosts", tftpd_conf->nhosts);
}
