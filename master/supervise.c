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
 * Supervision: the master starts each worker, feeds it the
 * configuration and its sockets, listens to it (logs, stats), and
 * restarts it with backoff when it dies while its peers keep serving.
 * A worker is not trusted: a malformed or unexpected message kills it.
 */

#include <sys/types.h>
#include <sys/wait.h>
#include <arpa/inet.h>

#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "master.h"
#include "reconf.h"

#define BACKOFF_MIN	250	/* ms */
#define BACKOFF_MAX	30000
#define BACKOFF_RESET	60000	/* a worker up this long starts afresh */
#define SHUTDOWN_WAIT	2000
/*
 * The configuration goes to the workers in steps of this many hosts or
 * vars a loop turn, and no further while a worker has this much unread,
 * so that streaming 100,000 hosts to three workers neither stops the
 * master nor piles up a copy of the inventory per worker in its queue.
 */
#define STREAM_STEP	2048
#define STREAM_QUEUE	(2 * 1024 * 1024)
#define STREAM_WAIT	2	/* ms, while every stream waits on its queue */
#define TRIM_WAIT	100	/* ms, while the queues of first streams drain */
/* A reload's stream that has not moved this long holds nobody back. */
#define STREAM_STUCK	1000	/* ms */

static struct proc_slot	 procs[PROC_MAX];
static const char	*self_path;
static int		 sv_debug, sv_verbose, shutting_down;
static struct listener	*sv_listeners;
static size_t		 sv_nlisteners;
static struct ev_timer	 stream_timer;
static int		 stream_trim;	/* a first stream went out */

static void	 supervise_start(void *);
static void	 supervise_dispatch(struct imsgev *, struct imsg *);
static void	 supervise_fanout_answer(struct proc_slot *, struct imsg *);
static void	 supervise_closed(struct imsgev *);
static void	 supervise_kill(struct proc_slot *, const char *);
static void	 supervise_log(struct proc_slot *, struct imsg *);
static void	 supervise_send_config(struct proc_slot *, int);
static void	 supervise_stream(void *);
static void	 supervise_stream_end(struct proc_slot *);
static void	 supervise_exited(struct proc_slot *, int);

struct proc_slot *
master_proc(enum proc_id id)
{
	return &procs[id];
}

void
supervise_init(const char *self, int debug, int verbose)
{
	int	 id;

	self_path = self;
	sv_debug = debug;
	sv_verbose = verbose;
	for (id = PROC_DHCPD; id < PROC_MAX; id++) {
		procs[id].id = id;
		procs[id].backoff = BACKOFF_MIN;
		ev_timer_init(&procs[id].restart, supervise_start, &procs[id]);
	}
	ev_timer_init(&stream_timer, supervise_stream, NULL);
}

void
supervise_set_listeners(struct listener *l, size_t n)
{
	sv_listeners = l;
	sv_nlisteners = n;
}

void
supervise_start_all(void)
{
	int	 id;

	for (id = PROC_DHCPD; id < PROC_MAX; id++)
		supervise_start(&procs[id]);
}

static void
supervise_start(void *arg)
{
	struct proc_slot	*p = arg;
	int			 fd;

	if (shutting_down || p->pid != 0)
		return;
	p->pid = proc_exec(self_path, p->id, sv_debug, sv_verbose, &fd);
	if (p->pid == -1) {
		log_warn("cannot start %s", proc_name(p->id));
		p->pid = 0;
		ev_timer_add(&p->restart, p->backoff);
		return;
	}
	if (imsgev_init(&p->iev, fd, supervise_dispatch, supervise_closed,
	    p) == -1)
		fatal("imsgev_init");
	p->connected = 1;
	p->started = ev_now();
	p->planned = 0;
	supervise_send_config(p, 1);
	log_debug("started %s, pid %d", proc_name(p->id), p->pid);
}

/*
 * The configuration stream; with_sockets only on a worker's first
 * stream, since sockets never change under a running worker.  A stream
 * started again (a reload meanwhile) begins with IMSG_RECONF_START,
 * which makes the worker drop what it had received.
 */
static void
supervise_send_config(struct proc_slot *p, int with_sockets)
{
	/* A first stream started again is still the first: sockets too. */
	p->tx_sockets = with_sockets || (p->tx.active && p->tx_sockets);
	reconf_tx_begin(&p->tx, &p->iev.ibuf, master_conf);
	p->tx_reload = master_reloads();
	p->tx_moved = ev_now();
	imsgev_update(&p->iev);
	if (!ev_timer_pending(&stream_timer))
		ev_timer_add(&stream_timer, 0);
}

/* One step of every stream running; again next turn while any runs. */
static void
supervise_stream(void *arg)
{
	struct proc_slot	*p;
	int			 id, running = 0, moved = 0, trimming = 0;
	int			 reloading = 0;

	(void)arg;
	for (id = PROC_DHCPD; id < PROC_MAX; id++) {
		p = &procs[id];
		if (!p->tx.active)
			continue;
		if (!p->connected) {
			p->tx.active = 0;
			continue;
		}
		if (p->tx_reload != master_reloads()) {
			/* Another inventory: this stream's is gone. */
			supervise_send_config(p, p->tx_sockets);
			moved = 1;
		}
		running = 1;
		/*
		 * A reload's streams go one after the other, dhcpd's first:
		 * a worker rebuilding 100,000 hosts takes a core, and three
		 * at once leave none to the DHCP exchanges meanwhile.  The
		 * first streams of workers just started go together, and a
		 * worker that stops reading holds the others back no longer
		 * than STREAM_STUCK.
		 */
		if (reloading && !p->tx_sockets)
			continue;
		if (p->iev.ibuf.wqbytes > STREAM_QUEUE) {
			reloading |= !p->tx_sockets &&
			    ev_now() - p->tx_moved < STREAM_STUCK;
			continue;
		}
		moved = 1;
		p->tx_moved = ev_now();
		if (reconf_tx_step(&p->tx, &p->iev.ibuf, master_conf,
		    STREAM_STEP) == 1)
			supervise_stream_end(p);
		else
			reloading |= !p->tx_sockets;
		imsgev_update(&p->iev);
	}
	/*
	 * A worker's first stream carries the lease table or the address
	 * bindings, tens of MB in queue for 100,000 leases: once every
	 * queue is read, give that memory back to the system.
	 */
	if (!running && stream_trim) {
		for (id = PROC_DHCPD; id < PROC_MAX; id++)
			if (procs[id].connected && procs[id].iev.ibuf.wqlen > 0)
				trimming = 1;
		if (!trimming) {
			stream_trim = 0;
			malloc_trim(0);
		}
	}
	if ((running || trimming) && !ev_timer_pending(&stream_timer))
		ev_timer_add(&stream_timer, moved ? 0 : running ?
		    STREAM_WAIT : TRIM_WAIT);
}

/* The rest a worker needs with its configuration, and its end. */
static void
supervise_stream_end(struct proc_slot *p)
{
	struct imsgev	*iev = &p->iev;
	size_t		 i;
	int		 fd;

	stream_trim |= p->tx_sockets;
	if (p->tx_sockets && p->id == PROC_DHCPD)
		leasedb_send(iev);
	if (p->tx_sockets && (p->id == PROC_TFTPD || p->id == PROC_HTTPD))
		bindings_send(iev);
	for (i = 0; p->tx_sockets && i < sv_nlisteners; i++) {
		if (sockets_owner(sv_listeners[i].rs.kind) != p->id)
			continue;
		if ((fd = dup(sv_listeners[i].fd)) == -1) {
			log_warn("dup");
			continue;
		}
		imsgev_compose(iev, IMSG_RECONF_SOCKET, 0, 0, fd,
		    &sv_listeners[i].rs, sizeof(sv_listeners[i].rs));
	}
	imsgev_compose(iev, IMSG_RECONF_END, 0, 0, -1, NULL, 0);
}

void
supervise_reconf_all(void)
{
	int	 id;

	for (id = PROC_DHCPD; id < PROC_MAX; id++)
		if (procs[id].connected)
			supervise_send_config(&procs[id], 0);
}

/* For a reload that changes sockets, user or chroot. */
void
supervise_restart_all(void)
{
	int	 id;

	for (id = PROC_DHCPD; id < PROC_MAX; id++) {
		procs[id].planned = 1;
		if (procs[id].pid != 0)
			kill(procs[id].pid, SIGTERM);
		else
			supervise_start(&procs[id]);
	}
}

void
supervise_broadcast(uint32_t type, const void *data, size_t len)
{
	int	 id;

	for (id = PROC_DHCPD; id < PROC_MAX; id++)
		if (procs[id].connected)
			imsgev_compose(&procs[id].iev, type, 0, 0, -1, data,
			    len);
}

static void
supervise_kill(struct proc_slot *p, const char *why)
{
	log_warnx("%s: %s, killing it", proc_name(p->id), why);
	imsgev_close(&p->iev);
	if (p->pid != 0)
		kill(p->pid, SIGKILL);
}

/*
 * The channel is gone: EOF, or a framing error the imsg layer refused.
 * A worker we can no longer talk to must not go on holding its sockets.
 */
static void
supervise_closed(struct imsgev *iev)
{
	struct proc_slot	*p = iev->data;

	p->connected = 0;
	fanout_proc_gone(p->id);
	if (p->pid != 0)
		kill(p->pid, SIGKILL);
}

/* Reap every dead child and schedule its restart. */
void
supervise_reap(void)
{
	pid_t	 pid;
	int	 status, id;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (id = PROC_DHCPD; id < PROC_MAX; id++)
			if (procs[id].pid == pid)
				supervise_exited(&procs[id], status);
	}
}

static void
supervise_exited(struct proc_slot *p, int status)
{
	uint64_t	 delay;

	p->pid = 0;
	if (p->connected) {
		imsgev_close(&p->iev);
		supervise_closed(&p->iev);
	}
	if (shutting_down)
		return;
	if (p->planned) {
		supervise_start(p);
		return;
	}
	if (ev_now() - p->started >= BACKOFF_RESET)
		p->backoff = BACKOFF_MIN;
	delay = p->backoff;
	p->backoff = p->backoff * 2 > BACKOFF_MAX ? BACKOFF_MAX :
	    p->backoff * 2;
	p->restarts++;
	if (WIFSIGNALED(status))
		log_warnx("%s exited on signal %d; restarting in %llu ms",
		    proc_name(p->id), WTERMSIG(status),
		    (unsigned long long)delay);
	else
		log_warnx("%s exited with status %d; restarting in %llu ms",
		    proc_name(p->id), WEXITSTATUS(status),
		    (unsigned long long)delay);
	ev_timer_add(&p->restart, delay);
}

/* A worker's answer to a fan-out (fanout.c): a counter, a transfer, an end. */
static void
supervise_fanout_answer(struct proc_slot *p, struct imsg *imsg)
{
	struct stat_entry	 se;
	struct transfer_msg	 tm;
	uint32_t		 peer = imsg_get_peerid(imsg);

	switch (imsg_get_type(imsg)) {
	case IMSG_STATS:
		if (imsg_get_data(imsg, &se, sizeof(se)) == -1)
			supervise_kill(p, "bad IMSG_STATS");
		else
			fanout_stat(peer, p->id, p->pid, &se);
		break;
	case IMSG_TRANSFER:
		if (imsg_get_data(imsg, &tm, sizeof(tm)) == -1)
			supervise_kill(p, "bad IMSG_TRANSFER");
		else
			fanout_transfer(peer, p->id, &tm);
		break;
	default:	/* IMSG_STATS_END, IMSG_TRANSFERS_END */
		if (imsg_get_len(imsg) != 0)
			supervise_kill(p, "bad end of an answer");
		else
			fanout_done(peer, p->id);
		break;
	}
}

static void
supervise_dispatch(struct imsgev *iev, struct imsg *imsg)
{
	struct proc_slot	*p = iev->data;
	struct host_done_msg	 hd;
	struct lease_msg	 lm;
	char			 a[INET6_ADDRSTRLEN];
	int			 r;
	struct unknown_msg	 um;
	struct ident_msg	 im;
	uint32_t		 peer = imsg_get_peerid(imsg);

	switch (imsg_get_type(imsg)) {
	case IMSG_LEASE_COMMIT:
	case IMSG_LEASE_RELEASE:
		if (p->id != PROC_DHCPD ||
		    imsg_get_data(imsg, &lm, sizeof(lm)) == -1) {
			supervise_kill(p, "bad lease message");
			break;
		}
		lm.hostname[sizeof(lm.hostname) - 1] = '\0';
		if (imsg_get_type(imsg) == IMSG_LEASE_COMMIT)
			leasedb_commit(&lm, p->pid);
		else if (leasedb_release(&lm) == -1)
			log_debug("leases: ignored a release of %s",
			    lease_addr(&lm, a, sizeof(a)));
		break;
	case IMSG_LOG:
		supervise_log(p, imsg);
		break;
	case IMSG_STATS:
	case IMSG_STATS_END:
	case IMSG_TRANSFER:
	case IMSG_TRANSFERS_END:
		supervise_fanout_answer(p, imsg);
		break;
	case IMSG_HOST_DONE:
		if (p->id != PROC_HTTPD ||
		    imsg_get_data(imsg, &hd, sizeof(hd)) == -1 ||
		    (r = master_host_done(&hd)) == -1) {
			supervise_kill(p, "bad IMSG_HOST_DONE");
			break;
		}
		if (r == 0)	/* refused at once; else answered when durable */
			imsgev_compose(iev, IMSG_HOST_DONE_RESULT, 0, 0, -1,
			    &hd, sizeof(hd));
		break;
	case IMSG_METRICS_REQ:
		if (p->id != PROC_HTTPD || imsg_get_len(imsg) != 0) {
			supervise_kill(p, "bad IMSG_METRICS_REQ");
			break;
		}
		metrics_request(peer);
		break;
	case IMSG_IDENT_SEEN:
		if (p->id != PROC_DHCPD ||
		    imsg_get_data(imsg, &im, sizeof(im)) == -1 ||
		    bindings_seen(&im) == -1)
			supervise_kill(p, "bad IMSG_IDENT_SEEN");
		break;
	case IMSG_UNKNOWN_SEEN:
		if (p->id != PROC_DHCPD ||
		    imsg_get_data(imsg, &um, sizeof(um)) == -1 ||
		    unknown_add(&um) == -1)
			supervise_kill(p, "bad IMSG_UNKNOWN_SEEN");
		break;
	default:
		supervise_kill(p, "unexpected message");
		break;
	}
}

/*
 * A worker's log line: a priority, then text we make printable.  It may
 * not be more urgent than LOG_CRIT, and a line that does not start with
 * the worker's own tag gets its name, so no worker speaks as another.
 */
static void
supervise_log(struct proc_slot *p, struct imsg *imsg)
{
	static const char *const tags[PROC_MAX] = {
		NULL, "dhcp: ", "tftp: ", "http: "
	};
	const char	*name = proc_name(p->id);
	size_t		 len = imsg_get_len(imsg), i, nl;
	int32_t		 pri;
	char		*text;

	if (len < sizeof(pri) + 1 || len > 4096) {
		supervise_kill(p, "bad IMSG_LOG");
		return;
	}
	memcpy(&pri, imsg->data, sizeof(pri));
	text = (char *)imsg->data + sizeof(pri);
	len -= sizeof(pri);
	if (pri < LOG_EMERG || pri > LOG_DEBUG || text[len - 1] != '\0') {
		supervise_kill(p, "bad IMSG_LOG");
		return;
	}
	for (i = 0; i + 1 < len; i++)
		if ((unsigned char)text[i] < 0x20 ||
		    (unsigned char)text[i] == 0x7f)
			text[i] = '?';
	if (pri < LOG_CRIT)
		pri = LOG_CRIT;
	nl = strlen(name);
	if (strncmp(text, tags[p->id], strlen(tags[p->id])) == 0 ||
	    (strncmp(text, name, nl) == 0 && text[nl] == ':'))
		log_emit(pri, text);
	else
		logit(pri, "%s: %s", name, text);
}

void
supervise_shutdown(void)
{
	int		 id, alive, waited;
	pid_t		 pid;

	shutting_down = 1;
	for (id = PROC_DHCPD; id < PROC_MAX; id++) {
		ev_timer_del(&procs[id].restart);
		if (procs[id].pid != 0)
			kill(procs[id].pid, SIGTERM);
	}
	for (waited = 0; waited < SHUTDOWN_WAIT; waited += 10) {
		while ((pid = waitpid(-1, NULL, WNOHANG)) > 0)
			for (id = PROC_DHCPD; id < PROC_MAX; id++)
				if (procs[id].pid == pid)
					procs[id].pid = 0;
		for (alive = 0, id = PROC_DHCPD; id < PROC_MAX; id++)
			alive += procs[id].pid != 0;
		if (alive == 0)
			return;
		usleep(10000);
	}
	for (id = PROC_DHCPD; id < PROC_MAX; id++)
		if (procs[id].pid != 0) {
			kill(procs[id].pid, SIGKILL);
			waitpid(procs[id].pid, NULL, 0);
		}
}
