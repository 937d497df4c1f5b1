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
 * What every worker shares: the channel to the master, the RECONF
 * stream into a shadow configuration swapped in at END, host-state
 * updates, the address bindings (who is asking, ident.c), stats
 * requests, log forwarding, and the privilege drop after the first
 * configuration.
 */

#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "ident.h"
#include "log.h"
#include "proc.h"
#include "reconf.h"

static void	 worker_dispatch(struct imsgev *, struct imsg *);
static void	 worker_closed(struct imsgev *);
static void	 worker_log(int, const char *);
static void	 worker_add_socket(struct imsg *);
static void	 worker_end(struct config *);
static void	 worker_host_state(struct imsg *);
static void	 worker_stats_req(struct imsg *);
static void	 worker_ident(struct imsg *);

static const struct worker_ops	*wops;
static struct imsgev		 master_iev;
static struct config		*wconf;		/* serving */
static struct reconf_rx		 rx;		/* the next one, arriving */
static struct worker_sock	*wsocks;
static size_t			 nwsocks;
static int			 started;
static uint32_t			 stats_peer;
static uint64_t			 nreconf;

struct imsgev *
worker_master(void)
{
	return &master_iev;
}

__dead void
worker_main(const struct worker_ops *ops, int debug, int verbose)
{
	const char	*name = proc_name(ops->id);

	wops = ops;
	log_init(debug, LOG_DAEMON);
	log_setverbose(verbose);
	log_procinit(name);
	setproctitle("%s", name);
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	if (sodium_init() == -1)
		fatalx("sodium_init");
	if (ev_init() == -1)
		fatal("ev_init");
	if (fcntl(PROC_IMSG_FD, F_SETFL, O_NONBLOCK) == -1)
		fatal("fcntl imsg fd");
	if (imsgev_init(&master_iev, PROC_IMSG_FD, worker_dispatch,
	    worker_closed, NULL) == -1)
		fatal("imsgev_init");
	log_setforward(worker_log);

	/* The first configuration names our user and chroot. */
	ev_loop();
	if (wconf == NULL)
		fatalx("no configuration from the master");
	sandbox_drop(wconf->server.user, ops->chroot_dir(wconf));
	sandbox_landlock(ops->reads_files);
	started = 1;
	ops->start(wconf, wsocks, nwsocks);
	sandbox_seccomp(ops->id);
	free(wsocks);
	wsocks = NULL;
	nwsocks = 0;
	log_debug("%s: serving", name);
	ev_loop();
	exit(0);
}

/* Our log lines go to the master, which owns syslog and stderr. */
static void
worker_log(int pri, const char *msg)
{
	struct iovec	 iov[2];
	int32_t		 p = pri;

	iov[0].iov_base = &p;
	iov[0].iov_len = sizeof(p);
	iov[1].iov_base = (void *)(uintptr_t)msg;
	iov[1].iov_len = strlen(msg) + 1;
	if (master_iev.dead || imsg_composev(&master_iev.ibuf, IMSG_LOG, 0,
	    0, -1, iov, 2) == -1) {
		log_emit(pri, msg);
		return;
	}
	if (pri <= LOG_CRIT)
		imsgbuf_flush(&master_iev.ibuf);
	else
		imsgev_update(&master_iev);
}

static void
worker_closed(struct imsgev *iev)
{
	(void)iev;
	log_setforward(NULL);
	log_debug("%s: master went away", proc_name(wops->id));
	exit(0);
}

static void
worker_dispatch(struct imsgev *iev, struct imsg *imsg)
{
	struct config	*done;
	int32_t		 v;
	int		 r;

	(void)iev;
	if ((r = reconf_rx_msg(&rx, imsg, &done)) == -1)
		fatalx("bad configuration message %u", imsg_get_type(imsg));
	if (r == 1) {
		if (done != NULL)
			worker_end(done);
		return;
	}
	switch (imsg_get_type(imsg)) {
	case IMSG_RECONF_SOCKET:
		worker_add_socket(imsg);
		break;
	case IMSG_HOST_STATE:
		worker_host_state(imsg);
		break;
	case IMSG_CTL_LOG_VERBOSE:
		if (imsg_get_data(imsg, &v, sizeof(v)) == -1)
			fatalx("bad IMSG_CTL_LOG_VERBOSE");
		log_setverbose(v);
		break;
	case IMSG_STATS_REQ:
		worker_stats_req(imsg);
		break;
	case IMSG_IDENT:
		worker_ident(imsg);
		break;
	default:
		if (wops->dispatch != NULL && wops->dispatch(imsg) == 0)
			break;
		fatalx("unexpected imsg %u from the master",
		    imsg_get_type(imsg));
	}
}

static void
worker_add_socket(struct imsg *imsg)
{
	struct worker_sock	*ws;
	struct reconf_socket	 rs;
	int			 fd;

	if (started || imsg_get_data(imsg, &rs, sizeof(rs)) == -1)
		fatalx("bad IMSG_RECONF_SOCKET");
	if ((fd = imsg_get_fd(imsg)) == -1)
		fatalx("IMSG_RECONF_SOCKET without a socket");
	ws = reallocarray(wsocks, nwsocks + 1, sizeof(*wsocks));
	if (ws == NULL)
		fatal("reallocarray");
	wsocks = ws;
	wsocks[nwsocks].rs = rs;
	wsocks[nwsocks].fd = fd;
	nwsocks++;
}

/* Swap the new configuration in: all of it or none of it. */
static void
worker_end(struct config *conf)
{
	struct config	*old = wconf;

	wconf = conf;
	nreconf++;
	if (!started) {
		if (old != NULL) {
			config_free(old);
			free(old);
		}
		ev_break();
		return;
	}
	wops->reconf(wconf);
	config_free(old);
	free(old);
	log_debug("%s: configuration reloaded", proc_name(wops->id));
}

static void
worker_host_state(struct imsg *imsg)
{
	struct host_state_msg	 hs;
	struct host		*h;

	if (imsg_get_data(imsg, &hs, sizeof(hs)) == -1)
		fatalx("bad IMSG_HOST_STATE");
	hs.name[sizeof(hs.name) - 1] = '\0';
	hs.rt.token[sizeof(hs.rt.token) - 1] = '\0';
	hs.rt.done[sizeof(hs.rt.done) - 1] = '\0';
	/*
	 * A configuration still arriving has this host already, or will
	 * have it with this state: the master streams in steps.
	 */
	if (rx.shadow != NULL &&
	    (h = config_find_host(rx.shadow, hs.name)) != NULL)
		h->rt = hs.rt;
	if (wconf == NULL || (h = config_find_host(wconf, hs.name)) == NULL)
		return;
	h->rt = hs.rt;
	if (wops->host_state != NULL)
		wops->host_state(h);
}

/* Every worker's own. */
const struct stat_def	 worker_defs[] = {
	{ "reconfigurations", "reconfigurations_total", 0,
	    "Configurations the process has taken", &nreconf },
};
const size_t		 worker_ndefs = nitems(worker_defs);

static void
worker_stats_req(struct imsg *imsg)
{
	stats_peer = imsg_get_peerid(imsg);
	worker_stats(worker_defs, worker_ndefs);
	/* Its own counters once it serves: the first stream takes turns. */
	if (wops->stats != NULL && started)
		wops->stats();
	imsgev_compose(&master_iev, IMSG_STATS_END, stats_peer, 0, -1,
	    NULL, 0);
}

/* A table of counters, to whoever asked for them. */
void
worker_stats(const struct stat_def *defs, size_t n)
{
	struct stat_entry	 se;
	size_t			 i;

	for (i = 0; i < n; i++) {
		stat_entry_set(&se, &defs[i]);
		imsgev_compose(&master_iev, IMSG_STATS, stats_peer, 0, -1,
		    &se, sizeof(se));
	}
}

/* Address bindings from the master: whole ones, each well formed. */
static void
worker_ident(struct imsg *imsg)
{
	struct ident_msg	 im;
	size_t			 len = imsg_get_len(imsg), i;

	if (wops->id == PROC_DHCPD || len == 0 || len % sizeof(im) != 0 ||
	    len / sizeof(im) > IMSG_IDENT_MAX)
		fatalx("bad IMSG_IDENT");
	for (i = 0; i < len / sizeof(im); i++) {
		memcpy(&im, (char *)imsg->data + i * sizeof(im), sizeof(im));
		if (ident_apply(&im) == -1)
			fatalx("bad IMSG_IDENT");
	}
}
