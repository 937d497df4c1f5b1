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
 * The configuration as a stream of fixed-size imsgs (IMSG_RECONF_START
 * ... IMSG_RECONF_END): sent by the master to each worker, and by the
 * master's parser child to the master.  See reconf.c.
 */

#ifndef RECONF_H
#define RECONF_H

#include "imsg.h"
#include "pxed.h"

/* Hosts and vars go many to a message, each message under IMSG_MAXSIZE. */
#define RECONF_HOSTS_MAX	(32 * 1024 / sizeof(struct host))
#define RECONF_VARS_MAX		(32 * 1024 / sizeof(struct host_var))

/* The stream's first message: the server, and how much will follow. */
struct reconf_start {
	struct server_conf	 server;
	uint32_t		 nhosts;	/* so the receiver makes room */
	uint32_t		 nmacs;		/* once (config_reserve) */
	uint32_t		 nvars;
	uint32_t		 pad;
};

struct reconf_rx {
	struct config	*shadow;	/* being received */
};

/* A stream being sent in steps: how far the hosts and vars have got. */
struct reconf_tx {
	int		 active;
	size_t		 host;
	size_t		 var;
};

void	 reconf_send(struct imsgbuf *, const struct config *);
void	 reconf_tx_begin(struct reconf_tx *, struct imsgbuf *,
	    const struct config *);
int	 reconf_tx_step(struct reconf_tx *, struct imsgbuf *,
	    const struct config *, size_t);
int	 reconf_rx_msg(struct reconf_rx *, struct imsg *, struct config **);
void	 reconf_rx_reset(struct reconf_rx *);

#endif /* RECONF_H */
