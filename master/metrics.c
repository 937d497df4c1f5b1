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
 * /metrics for httpd: the master's own counters and those of dhcpd and
 * tftpd, asked through the one fan-out (fanout.c) that "pxectl show
 * stats" uses too, relayed to httpd as they come, then the end.
 */

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "master.h"

#define METRICS_TIMEOUT		1000	/* ms */
#define METRICS_MAXPENDING	16	/* pxectl's share of the fan-out stays */

/* A request of httpd's: its id, and which httpd asked. */
struct metrics_ask {
	uint32_t	 reqid;
	pid_t		 httpd;
};

static size_t	 npending;

static void	 metrics_stat(void *, enum proc_id, pid_t,
		    const struct stat_entry *);
static void	 metrics_end(void *);

static const struct fanout_ops	 metrics_ops = {
	.stat = metrics_stat,
	.end = metrics_end,
};

/*
 * To the httpd that asked: a restarted one numbers its requests afresh,
 * and an old answer must not complete a new request (a /done, say).
 */
static void
metrics_stat(void *arg, enum proc_id proc, pid_t pid,
    const struct stat_entry *se)
{
	const struct metrics_ask	*ask = arg;
	struct proc_slot	*h = master_proc(PROC_HTTPD);
	struct ctl_stat		 cs;

	if (!h->connected || h->pid != ask->httpd)
		return;
	memset(&cs, 0, sizeof(cs));
	strlcpy(cs.proc, proc_name(proc), sizeof(cs.proc));
	cs.pid = pid;
	cs.entry = *se;
	imsgev_compose(&h->iev, IMSG_METRICS_STAT, ask->reqid, 0, -1, &cs,
	    sizeof(cs));
}

static void
metrics_end(void *arg)
{
	struct metrics_ask	*ask = arg;
	struct proc_slot	*h = master_proc(PROC_HTTPD);

	if (h->connected && h->pid == ask->httpd)
		imsgev_compose(&h->iev, IMSG_METRICS_END, ask->reqid, 0, -1,
		    NULL, 0);
	npending--;
	free(ask);
}

/* httpd asks; the master answers for itself and asks dhcpd and tftpd. */
void
metrics_request(uint32_t reqid)
{
	struct metrics_ask	*ask;
	struct proc_slot	*h = master_proc(PROC_HTTPD);

	if (npending >= METRICS_MAXPENDING ||
	    (ask = malloc(sizeof(*ask))) == NULL) {
		imsgev_compose(&h->iev, IMSG_METRICS_END, reqid, 0, -1, NULL,
		    0);
		return;
	}
	ask->reqid = reqid;
	ask->httpd = h->pid;
	npending++;
	fanout_start(1U << PROC_MASTER | 1U << PROC_DHCPD | 1U << PROC_TFTPD,
	    IMSG_STATS_REQ, METRICS_TIMEOUT, &metrics_ops, ask);
}
