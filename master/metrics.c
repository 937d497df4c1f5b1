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
 * /metrics for httpd: the counters of the other workers and of the
 * master, relayed the way the control socket relays "show stats".  The
 * stats requests carry a peerid with METRICS_PEER set, so that their
 * answers come back here and not to a pxectl.  The relay ends when each
 * worker has answered, died, or a short timeout has passed.
 */

#include <sys/queue.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "master.h"

#define METRICS_TIMEOUT		1000	/* ms */
#define METRICS_MAXPENDING	16

struct metrics_req {
	TAILQ_ENTRY(metrics_req) entry;
	uint32_t		 id;		/* ours, with METRICS_PEER */
	uint32_t		 reqid;		/* httpd's */
	uint32_t		 pending;	/* bit per proc_id awaited */
	struct ev_timer		 timeout;
};

static TAILQ_HEAD(, metrics_req) mreqs = TAILQ_HEAD_INITIALIZER(mreqs);
static size_t			 nmreqs;
static uint32_t			 metrics_nextid;

static void	 metrics_end(struct metrics_req *);
static void	 metrics_timeout(void *);
static void	 metrics_send(uint32_t, enum proc_id, pid_t, const char *,
		    uint64_t);
static struct metrics_req *metrics_find(uint32_t);

static void
metrics_send(uint32_t reqid, enum proc_id proc, pid_t pid, const char *name,
    uint64_t value)
{
	struct proc_slot	*h = master_proc(PROC_HTTPD);
	struct ctl_stat		 cs;

	if (!h->connected)
		return;
	memset(&cs, 0, sizeof(cs));
	strlcpy(cs.proc, proc_name(proc), sizeof(cs.proc));
	cs.pid = pid;
	strlcpy(cs.entry.name, name, sizeof(cs.entry.name));
	cs.entry.value = value;
	imsgev_compose(&h->iev, IMSG_METRICS_STAT, reqid, 0, -1, &cs,
	    sizeof(cs));
}

/* httpd asks; the master answers for itself and asks dhcpd and tftpd. */
void
metrics_request(uint32_t reqid)
{
	struct metrics_req	*m;
	struct proc_slot	*p;
	int			 id;

	metrics_send(reqid, PROC_MASTER, getpid(), "uptime_seconds",
	    master_uptime());
	metrics_send(reqid, PROC_MASTER, getpid(), "reloads",
	    master_reloads());
	metrics_send(reqid, PROC_MASTER, getpid(), "hosts",
	    master_conf->nhosts);
	metrics_send(reqid, PROC_MASTER, getpid(), "host_macs",
	    master_conf->nmacs);
	if (nmreqs >= METRICS_MAXPENDING ||
	    (m = calloc(1, sizeof(*m))) == NULL) {
		imsgev_compose(&master_proc(PROC_HTTPD)->iev,
		    IMSG_METRICS_END, reqid, 0, -1, NULL, 0);
		return;
	}
	m->id = METRICS_PEER | (++metrics_nextid & ~METRICS_PEER);
	m->reqid = reqid;
	ev_timer_init(&m->timeout, metrics_timeout, m);
	for (id = PROC_DHCPD; id < PROC_MAX; id++) {
		p = master_proc(id);
		if (id == PROC_HTTPD || !p->connected)
			continue;
		if (imsgev_compose(&p->iev, IMSG_STATS_REQ, m->id, 0, -1,
		    NULL, 0) == 0)
			m->pending |= 1U << id;
	}
	TAILQ_INSERT_TAIL(&mreqs, m, entry);
	nmreqs++;
	if (m->pending == 0)
		metrics_end(m);
	else
		ev_timer_add(&m->timeout, METRICS_TIMEOUT);
}

static struct metrics_req *
metrics_find(uint32_t id)
{
	struct metrics_req	*m;

	TAILQ_FOREACH(m, &mreqs, entry)
		if (m->id == id)
			return m;
	return NULL;
}

static void
metrics_end(struct metrics_req *m)
{
	struct proc_slot	*h = master_proc(PROC_HTTPD);

	if (h->connected)
		imsgev_compose(&h->iev, IMSG_METRICS_END, m->reqid, 0, -1,
		    NULL, 0);
	ev_timer_del(&m->timeout);
	TAILQ_REMOVE(&mreqs, m, entry);
	nmreqs--;
	free(m);
}

static void
metrics_timeout(void *arg)
{
	metrics_end(arg);
}

void
metrics_stat(uint32_t id, enum proc_id proc, pid_t pid,
    const struct stat_entry *se)
{
	struct metrics_req	*m;
	char			 name[PXED_STATNAMELEN];

	if ((m = metrics_find(id)) == NULL || !(m->pending & (1U << proc)))
		return;
	memcpy(name, se->name, sizeof(name));
	name[sizeof(name) - 1] = '\0';
	metrics_send(m->reqid, proc, pid, name, se->value);
}

void
metrics_done(uint32_t id, enum proc_id proc)
{
	struct metrics_req	*m;

	if ((m = metrics_find(id)) == NULL || !(m->pending & (1U << proc)))
		return;
	m->pending &= ~(1U << proc);
	if (m->pending == 0)
		metrics_end(m);
}

/* A worker died: nobody waits for it; if it was httpd, for anything. */
void
metrics_proc_gone(enum proc_id proc)
{
	struct metrics_req	*m, *next;

	for (m = TAILQ_FIRST(&mreqs); m != NULL; m = next) {
		next = TAILQ_NEXT(m, entry);
		if (proc == PROC_HTTPD)
			metrics_end(m);
		else
			metrics_done(m->id, proc);
	}
}
