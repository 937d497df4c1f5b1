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
 * Asking every worker at once, for "pxectl show stats", "pxectl show
 * transfers" and httpd's /metrics: one request to each live worker of a
 * set, with our id as its peerid; each answer item goes to the asker's
 * callback as it comes; the asker's end callback runs once, when every
 * worker asked has answered, died, or the time is up.  One mechanism
 * keyed by who asked, as bgpd's control relay.  Also the master's own
 * counters, the same for every view.
 */

#include <sys/queue.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "master.h"

/*
 * Requests in flight: more than the askers' own caps together (64
 * control connections, 16 /metrics), so that neither starves the other.
 */
#define FANOUT_MAX	128

struct fanout {
	TAILQ_ENTRY(fanout)	 entry;
	uint32_t		 id;
	uint32_t		 pending;	/* bit per proc_id awaited */
	const struct fanout_ops	*ops;
	void			*arg;
	struct ev_timer		 timeout;
};

static TAILQ_HEAD(, fanout)	 fanouts = TAILQ_HEAD_INITIALIZER(fanouts);
static size_t			 nfanouts;
static uint32_t			 fanout_nextid;

static struct fanout	*fanout_find(uint32_t);
static struct fanout	*fanout_due(uint32_t, enum proc_id);
static void		 fanout_master_stats(const struct fanout_ops *, void *);
static void		 fanout_end(struct fanout *);
static void		 fanout_timeout(void *);

/*
 * Send type to the live workers of procs (a bit per proc_id); the
 * PROC_MASTER bit adds the master's own counters, given at once.
 * Returns the request's id; 0 when no worker was asked, in which case
 * end has already run.
 */
uint32_t
fanout_start(uint32_t procs, uint32_t type, uint64_t ms,
    const struct fanout_ops *ops, void *arg)
{
	struct fanout		*f;
	struct proc_slot	*p;
	int			 id;

	if (procs & 1U << PROC_MASTER)
		fanout_master_stats(ops, arg);
	if (nfanouts >= FANOUT_MAX || (f = calloc(1, sizeof(*f))) == NULL) {
		ops->end(arg);
		return 0;
	}
	/* Never 0: that means "none" to the askers. */
	if ((f->id = ++fanout_nextid) == 0)
		f->id = ++fanout_nextid;
	f->ops = ops;
	f->arg = arg;
	ev_timer_init(&f->timeout, fanout_timeout, f);
	for (id = PROC_DHCPD; id < PROC_MAX; id++) {
		p = master_proc(id);
		if (!(procs & (1U << id)) || !p->connected)
			continue;
		if (imsgev_compose(&p->iev, type, f->id, 0, -1, NULL, 0) == 0)
			f->pending |= 1U << id;
	}
	if (f->pending == 0) {
		free(f);
		ops->end(arg);
		return 0;
	}
	TAILQ_INSERT_TAIL(&fanouts, f, entry);
	nfanouts++;
	ev_timer_add(&f->timeout, ms);
	return f->id;
}

static struct fanout *
fanout_find(uint32_t id)
{
	struct fanout	*f;

	TAILQ_FOREACH(f, &fanouts, entry)
		if (f->id == id)
			return f;
	return NULL;
}

/* Request id, if it still waits for proc. */
static struct fanout *
fanout_due(uint32_t id, enum proc_id proc)
{
	struct fanout	*f;

	if ((f = fanout_find(id)) == NULL || !(f->pending & (1U << proc)))
		return NULL;
	return f;
}

/* Forgotten first: the end callback may free what arg points to. */
static void
fanout_end(struct fanout *f)
{
	const struct fanout_ops	*ops = f->ops;
	void			*arg = f->arg;

	ev_timer_del(&f->timeout);
	TAILQ_REMOVE(&fanouts, f, entry);
	nfanouts--;
	free(f);
	ops->end(arg);
}

static void
fanout_timeout(void *arg)
{
	fanout_end(arg);
}

/* The asker is gone: forget the request without calling it back. */
void
fanout_cancel(uint32_t id)
{
	struct fanout	*f;

	if ((f = fanout_find(id)) == NULL)
		return;
	ev_timer_del(&f->timeout);
	TAILQ_REMOVE(&fanouts, f, entry);
	nfanouts--;
	free(f);
}

/* A counter from proc, for request id if it asked proc. */
void
fanout_stat(uint32_t id, enum proc_id proc, pid_t pid,
    const struct stat_entry *se)
{
	struct fanout		*f;
	struct stat_entry	 e;

	if ((f = fanout_due(id, proc)) == NULL || f->ops->stat == NULL)
		return;
	e = *se;
	e.name[sizeof(e.name) - 1] = '\0';
	e.metric[sizeof(e.metric) - 1] = '\0';
	e.help[sizeof(e.help) - 1] = '\0';
	f->ops->stat(f->arg, proc, pid, &e);
}

/* A transfer in flight at proc, its strings terminated. */
void
fanout_transfer(uint32_t id, enum proc_id proc,
    const struct transfer_msg *tm)
{
	struct fanout		*f;
	struct transfer_msg	 t;

	if ((f = fanout_due(id, proc)) == NULL || f->ops->transfer == NULL)
		return;
	t = *tm;
	strlcpy(t.proc, proc_name(proc), sizeof(t.proc));
	t.peer[sizeof(t.peer) - 1] = '\0';
	t.file[sizeof(t.file) - 1] = '\0';
	f->ops->transfer(f->arg, proc, &t);
}

/* proc has answered request id in full. */
void
fanout_done(uint32_t id, enum proc_id proc)
{
	struct fanout	*f;

	if ((f = fanout_due(id, proc)) == NULL)
		return;
	f->pending &= ~(1U << proc);
	if (f->pending == 0)
		fanout_end(f);
}

/* A worker died: nobody waits for it any more. */
void
fanout_proc_gone(enum proc_id proc)
{
	struct fanout	*f, *next;

	for (f = TAILQ_FIRST(&fanouts); f != NULL; f = next) {
		next = TAILQ_NEXT(f, entry);
		if (f->pending & (1U << proc)) {
			f->pending &= ~(1U << proc);
			if (f->pending == 0)
				fanout_end(f);
		}
	}
}

/* The master's own counters, its table, to the asker's stat callback. */
static void
fanout_master_stats(const struct fanout_ops *ops, void *arg)
{
	static uint64_t			 v[4 + PROC_MAX];
	static const struct stat_def	 defs[] = {
		{ "uptime_seconds", "uptime_seconds", 1,
		    "Seconds since pxed started", &v[0] },
		{ "reloads", "reloads_total", 0, "Inventory reloads taken",
		    &v[1] },
		{ "hosts", "hosts", 1, "Hosts of the inventory the process has",
		    &v[2] },
		{ "host_macs", "host_macs", 1, "MACs of the inventory's hosts",
		    &v[3] },
		{ "dhcpd_restarts", "worker_restarts_total{worker=\"dhcpd\"}", 0,
		    "Workers restarted after they died", &v[4 + PROC_DHCPD] },
		{ "tftpd_restarts", "worker_restarts_total{worker=\"tftpd\"}", 0,
		    "Workers restarted after they died", &v[4 + PROC_TFTPD] },
		{ "httpd_restarts", "worker_restarts_total{worker=\"httpd\"}", 0,
		    "Workers restarted after they died", &v[4 + PROC_HTTPD] },
	};
	struct stat_entry		 se;
	size_t				 i;
	int				 id;

	v[0] = master_uptime();
	v[1] = master_reloads();
	v[2] = master_conf->nhosts;
	v[3] = master_conf->nmacs;
	for (id = PROC_DHCPD; id < PROC_MAX; id++)
		v[4 + id] = master_proc(id)->restarts;
	for (i = 0; i < nitems(defs); i++) {
		stat_entry_set(&se, &defs[i]);
		if (ops->stat != NULL)
			ops->stat(arg, PROC_MASTER, getpid(), &se);
	}
}
