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
 * Install-done reports from httpd.  Each one flips a host to local boot,
 * which must be durable before the installer is told "ok".  Writing the
 * host states once per report would serialize a rack's worth of
 * installers behind one fsync each, so the reports of a short window
 * share one write: every host of the batch changes in memory, their
 * lines go to the host-state journal in one append, then every report
 * is answered (and on a failed write, every host of the batch is put
 * back and told so).
 */

#include <sys/queue.h>

#include <arpa/inet.h>
#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "ident.h"
#include "log.h"
#include "master.h"

#define DONE_WINDOW	2	/* ms that reports may wait for company */

struct done_req {
	TAILQ_ENTRY(done_req)	 entry;
	struct host_done_msg	 msg;
	struct host_runtime	 saved;		/* to put back on failure */
	int			 repeat;	/* of a report still queued */
};

static TAILQ_HEAD(, done_req)	 done_queue = TAILQ_HEAD_INITIALIZER(done_queue);
static struct ev_timer		 done_timer;
static int			 done_timer_init;

static int	 done_queue_repeat(struct host_done_msg *);
static void	 done_flush(void *);
static int	 done_save(void);
static void	 done_reply(struct host_done_msg *);

/*
 * A report from httpd: -1 malformed (the worker is killed), 0 answered
 * at once (refused), 1 queued for the next durable write.
 */
int
master_host_done(struct host_done_msg *hd)
{
	struct done_req	*d;
	struct host	*h;
	char		 from[INET6_ADDRSTRLEN];

	if (memchr(hd->name, '\0', sizeof(hd->name)) == NULL ||
	    memchr(hd->token, '\0', sizeof(hd->token)) == NULL)
		return -1;
	addr_ntop(&hd->from, from, sizeof(from));
	h = config_find_host(master_conf, hd->name);
	/* httpd checked it too; the master trusts no worker. */
	if (h != NULL && !ident_is(master_conf, &hd->from, h)) {
		log_warnx("host %s: done from %s refused: not the host's "
		    "address", hd->name, from);
		hd->result = EPERM;
		return 0;
	}
	/*
	 * The same report again before the first is durable (an installer
	 * retrying): it shares the first one's fate, since the old token
	 * comes back if the write fails.
	 */
	TAILQ_FOREACH(d, &done_queue, entry)
		if (!d->repeat && h != NULL &&
		    strcmp(d->msg.name, hd->name) == 0 &&
		    strlen(hd->token) == PXED_TOKENLEN &&
		    sodium_memcmp(hd->token, d->saved.done,
		    PXED_TOKENLEN) == 0)
			return done_queue_repeat(hd);
	if (h == NULL || strlen(hd->token) != PXED_TOKENLEN ||
	    sodium_memcmp(hd->token, h->rt.done, PXED_TOKENLEN) != 0 ||
	    h->rt.state != HOST_INSTALL) {
		log_warnx("host %s: done from %s refused: stale or wrong "
		    "token", hd->name, from);
		hd->result = EPERM;
		return 0;
	}
	if ((d = calloc(1, sizeof(*d))) == NULL) {
		hd->result = ENOMEM;
		return 0;
	}
	log_info("host %s: installer reported done from %s", hd->name, from);
	d->msg = *hd;
	d->saved = h->rt;
	/* The old token dies now: a second report of it is refused. */
	state_host_change(h, HOST_LOCAL);
	TAILQ_INSERT_TAIL(&done_queue, d, entry);
	if (!done_timer_init) {
		ev_timer_init(&done_timer, done_flush, NULL);
		done_timer_init = 1;
	}
	if (!ev_timer_pending(&done_timer))
		ev_timer_add(&done_timer, DONE_WINDOW);
	return 1;
}

static int
done_queue_repeat(struct host_done_msg *hd)
{
	struct done_req	*d;

	if ((d = calloc(1, sizeof(*d))) == NULL) {
		hd->result = ENOMEM;
		return 0;
	}
	d->msg = *hd;
	d->repeat = 1;
	TAILQ_INSERT_TAIL(&done_queue, d, entry);
	return 1;
}

/* The batch's hosts, in one append to the host-state journal. */
static int
done_save(void)
{
	struct host	**hosts;
	struct done_req	*d;
	size_t		 n = 0;
	int		 r;

	TAILQ_FOREACH(d, &done_queue, entry)
		n++;
	if ((hosts = calloc(n + 1, sizeof(*hosts))) == NULL)
		return -1;
	n = 0;
	TAILQ_FOREACH(d, &done_queue, entry)
		if (!d->repeat && (hosts[n] = config_find_host(master_conf,
		    d->msg.name)) != NULL)
			n++;
	r = state_journal(master_conf, hosts, n);
	free(hosts);
	return r;
}

static void
done_flush(void *arg)
{
	struct host_state_msg	 hs;
	struct done_req		*d;
	struct host		*h;
	int			 ok;

	(void)arg;
	ok = done_save() == 0;
	if (!ok)
		log_warnx("install done: host states not saved; the "
		    "installers are told to retry");
	while ((d = TAILQ_FIRST(&done_queue)) != NULL) {
		TAILQ_REMOVE(&done_queue, d, entry);
		/* A reload may have dropped the host meanwhile. */
		h = config_find_host(master_conf, d->msg.name);
		if (!ok && h != NULL && !d->repeat)
			h->rt = d->saved;
		d->msg.result = ok && h != NULL ? 0 : EIO;
		if (d->msg.result == 0 && !d->repeat) {
			memset(&hs, 0, sizeof(hs));
			strlcpy(hs.name, h->conf.name, sizeof(hs.name));
			hs.rt = h->rt;
			supervise_broadcast(IMSG_HOST_STATE, &hs, sizeof(hs));
			log_info("host %s: state local, generation %u",
			    h->conf.name, h->rt.generation);
		}
		done_reply(&d->msg);
		free(d);
	}
	if (master_proc(PROC_HTTPD)->connected)
		imsgev_flush(&master_proc(PROC_HTTPD)->iev);
}

static void
done_reply(struct host_done_msg *hd)
{
	struct proc_slot	*p = master_proc(PROC_HTTPD);

	if (p->connected)
		imsgev_compose(&p->iev, IMSG_HOST_DONE_RESULT, 0, 0, -1, hd,
		    sizeof(*hd));
}
