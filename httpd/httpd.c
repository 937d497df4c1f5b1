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
 * The HTTP worker, chrooted into the HTTP root.  It holds the sockets the
 * master passed it and follows configuration and host-state updates.
 */

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "proc.h"

static const char	*httpd_chroot(const struct config *);
static void		 httpd_start(struct config *, struct worker_sock *, size_t);
static void		 httpd_reconf(struct config *);
static void		 httpd_stats(void);

const struct worker_ops httpd_ops = {
	.id = PROC_HTTPD,
	.chroot_dir = httpd_chroot,
	.start = httpd_start,
	.reconf = httpd_reconf,
	.stats = httpd_stats,
};

static const struct config	*httpd_conf;
static size_t			 httpd_nsocks;

static const char *
httpd_chroot(const struct config *conf)
{
	return conf->server.http_root;
}

static void
httpd_start(struct config *conf, struct worker_sock *socks, size_t n)
{
	(void)socks;
	httpd_conf = conf;
	httpd_nsocks = n;
}

static void
httpd_reconf(struct config *conf)
{
	httpd_conf = conf;
}

static void
httpd_stats(void)
{
	worker_stat("sockets", httpd_nsocks);
	worker_stat("hosts", httpd_conf->nhosts);
}
