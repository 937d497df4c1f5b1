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
 * Reloads that do not stall the master.  Reading an inventory (libyaml,
 * every template rendered for every host) takes seconds for a big one;
 * a forked child does it and sends back the configuration stream
 * (common/reconf.c) or its errors, while the master goes on answering
 * dhcpd's lease commits, httpd's done reports and pxectl.  Only putting
 * the whole new configuration in place runs in the master's loop.  One
 * reload at a time: pxectl is told when one is running; a SIGHUP then
 * runs another after it, so that the file read is the latest.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "master.h"
#include "reconf.h"

static struct {
	int		 running;
	pid_t		 pid;
	struct imsgev	 iev;
	struct reconf_rx rx;
	struct buf	 errs;
	uint32_t	 ctl;		/* pxectl connection waiting, 0: none */
	int		 again;		/* a SIGHUP came meanwhile */
	struct ev_timer	 next;		/* ... runs it, out of the dispatch */
	int		 next_init;
	uint64_t	 started;	/* ev_now() */
} rl;

static __dead void reload_child(int);
static void	 reload_dispatch(struct imsgev *, struct imsg *);
static void	 reload_closed(struct imsgev *);
static void	 reload_finish(struct config *);
static void	 reload_again(void *);

/*
 * Start a reload for pxectl connection ctl (0: a SIGHUP).  1 when it
 * runs (the answer comes later), 0 when it will run after the one
 * running, -1 with errs when it cannot.
 */
int
reload_request(uint32_t ctl, struct buf *errs)
{
	int	 sv[2];

	if (rl.running) {
		if (ctl != 0) {
			buf_printf(errs, "a reload is already running\n");
			return -1;
		}
		rl.again = 1;
		return 0;
	}
	if (!rl.next_init) {
		ev_timer_init(&rl.next, reload_again, NULL);
		rl.next_init = 1;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1) {
		buf_printf(errs, "socketpair: %s\n", strerror(errno));
		return -1;
	}
	log_flush();	/* or the child could write our buffered lines too */
	switch (rl.pid = fork()) {
	case -1:
		buf_printf(errs, "fork: %s\n", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return -1;
	case 0:
		close(sv[0]);
		reload_child(sv[1]);
	}
	close(sv[1]);
	if (imsgev_init(&rl.iev, sv[0], reload_dispatch, reload_closed,
	    NULL) == -1) {
		buf_printf(errs, "reload: %s\n", strerror(errno));
		close(sv[0]);
		kill(rl.pid, SIGKILL);	/* not reaped yet: still ours */
		return -1;
	}
	rl.running = 1;
	rl.ctl = ctl;
	rl.started = ev_clock();
	buf_init(&rl.errs);
	log_debug("reload: reading the inventory in process %ld",
	    (long)rl.pid);
	return 1;
}

/*
 * The child: read and check the inventory, send the result, exit.  It
 * shares the master's epoll instance and descriptors, so it touches
 * nothing but its socket, writing with plain blocking imsg calls.
 */
static __dead void
reload_child(int fd)
{
	struct config	 conf;
	struct imsgbuf	 ibuf;
	struct buf	 errs;
	const char	*e;
	size_t		 len;

	setproctitle("inventory parser");
	imsgbuf_init(&ibuf, fd);
	buf_init(&errs);
	if (master_load_config(&conf, &errs) == -1) {
		e = buf_cstr(&errs);
		/* At most CONF_MAXERRS lines: within one message. */
		if ((len = strnlen(e, IMSG_MAXSIZE - IMSG_HEADER_SIZE)) > 0)
			imsg_compose(&ibuf, IMSG_RELOAD_ERRORS, 0, 0, -1, e,
			    len);
		imsg_compose(&ibuf, IMSG_RELOAD_FAILED, 0, 0, -1, NULL, 0);
	} else {
		/* The host states and tokens, here rather than in the master. */
		if (strcmp(master_conf->server.state, conf.server.state) == 0)
			state_apply(&conf, master_conf);
		reconf_send(&ibuf, &conf);
		imsg_compose(&ibuf, IMSG_RECONF_END, 0, 0, -1, NULL, 0);
	}
	imsgbuf_flush(&ibuf);
	_exit(0);
}

static void
reload_dispatch(struct imsgev *iev, struct imsg *imsg)
{
	struct config	*conf;
	size_t		 len = imsg_get_len(imsg);
	int		 r;

	(void)iev;
	if ((r = reconf_rx_msg(&rl.rx, imsg, &conf)) == 1) {
		if (conf != NULL)
			reload_finish(conf);
		return;
	}
	switch (r == 0 ? imsg_get_type(imsg) : IMSG_NONE) {
	case IMSG_RELOAD_ERRORS:
		/* Lines of text, without a NUL. */
		if (len > 0 && memchr(imsg->data, '\0', len) == NULL) {
			buf_add(&rl.errs, imsg->data, len);
			return;
		}
		break;
	case IMSG_RELOAD_FAILED:
		if (len == 0) {
			reload_finish(NULL);
			return;
		}
		break;
	}
	buf_printf(&rl.errs, "the inventory parser sent a bad message\n");
	reload_finish(NULL);
}

static void
reload_closed(struct imsgev *iev)
{
	(void)iev;
	if (!rl.running)
		return;
	buf_printf(&rl.errs, "the inventory parser died\n");
	reload_finish(NULL);
}

/* Put the new configuration in place (NULL: refused), answer, go on. */
static void
reload_finish(struct config *conf)
{
	uint64_t	 t0;
	int		 r = -1;

	rl.running = 0;
	imsgev_close(&rl.iev);
	reconf_rx_reset(&rl.rx);
	if (conf != NULL) {
		t0 = ev_clock();
		r = master_reload_apply(conf, &rl.errs);
		log_info("reload: read in %llu ms by the parser, put in place "
		    "in %llu ms", (unsigned long long)(t0 - rl.started),
		    (unsigned long long)(ev_clock() - t0));
	} else
		master_log_errors("reload refused", &rl.errs);
	if (rl.ctl != 0)
		control_reload_done(rl.ctl, r, &rl.errs);
	buf_free(&rl.errs);
	if (rl.again) {
		rl.again = 0;
		ev_timer_add(&rl.next, 0);
	}
}

static void
reload_again(void *arg)
{
	struct buf	 errs;

	(void)arg;
	buf_init(&errs);
	if (reload_request(0, &errs) == -1)
		master_log_errors("reload refused", &errs);
	buf_free(&errs);
}
