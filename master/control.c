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
 * The control socket: pxectl's requests, answered by the master.  Stats
 * and transfers are gathered from the live workers through the fan-out
 * (fanout.c); the reply ends when each of them has answered, died, or a
 * short timeout has passed.
 */

#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "master.h"

#define CONTROL_STATS_TIMEOUT	2000	/* ms */
#define CONTROL_MAXCONN		64

struct ctl_conn {
	TAILQ_ENTRY(ctl_conn)	 entry;
	uint32_t		 id;
	uint32_t		 fan;		/* the fan-out in flight, or 0 */
	struct imsgev		 iev;
};

static TAILQ_HEAD(, ctl_conn)	 ctl_conns = TAILQ_HEAD_INITIALIZER(ctl_conns);
static struct ev_io		 ctl_listen_io;
static uint32_t			 ctl_nextid = 1;
static size_t			 ctl_nconns;

static void	 control_accept(int, int, void *);
static void	 control_dispatch(struct imsgev *, struct imsg *);
static void	 control_closed(struct imsgev *);
static struct ctl_conn *control_find(uint32_t);
static void	 control_end(struct ctl_conn *);
static void	 control_result(struct ctl_conn *, int, struct buf *);
static void	 control_show_hosts(struct ctl_conn *);
static void	 control_show_stats(struct ctl_conn *);
static void	 control_show_transfers(struct ctl_conn *);
static void	 control_fan_stat(void *, enum proc_id, pid_t,
		    const struct stat_entry *);
static void	 control_fan_transfer(void *, enum proc_id,
		    const struct transfer_msg *);
static void	 control_fan_end(void *);

static const struct fanout_ops	 control_fan_ops = {
	.stat = control_fan_stat,
	.transfer = control_fan_transfer,
	.end = control_fan_end,
};

int
control_init(const char *path)
{
	struct sockaddr_un	 sun;
	struct stat		 st;
	int			 fd;
	mode_t			 old;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, path, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path)) {
		log_warnx("control socket %s: path too long", path);
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		return -1;
	/* A live socket means another pxed; a dead one is left over. */
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
		log_warnx("control socket %s: pxed is already running", path);
		close(fd);
		return -1;
	}
	/* Only a socket left over is ours to remove: never a file. */
	if (lstat(path, &st) == 0 && !S_ISSOCK(st.st_mode)) {
		log_warnx("control socket %s: exists and is not a socket; "
		    "not removing it", path);
		close(fd);
		return -1;
	}
	unlink(path);
	old = umask(S_IXUSR | S_IRWXG | S_IRWXO);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		log_warn("control socket %s", path);
		umask(old);
		close(fd);
		return -1;
	}
	umask(old);
	if (listen(fd, 16) == -1 ||
	    ev_io_add(&ctl_listen_io, fd, EV_READ, control_accept, NULL)
	    == -1) {
		log_warn("control socket %s", path);
		close(fd);
		return -1;
	}
	return 0;
}

void
control_cleanup(const char *path)
{
	unlink(path);
}

static void
control_accept(int lfd, int what, void *arg)
{
	struct ctl_conn	*c;
	int		 fd;

	(void)what;
	(void)arg;
	if ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC))
	    == -1)
		return;
	if (ctl_nconns >= CONTROL_MAXCONN ||
	    (c = calloc(1, sizeof(*c))) == NULL) {
		log_warnx("control: too many connections");
		close(fd);
		return;
	}
	c->id = ctl_nextid++;
	if (imsgev_init(&c->iev, fd, control_dispatch, control_closed, c)
	    == -1) {
		close(fd);
		free(c);
		return;
	}
	TAILQ_INSERT_TAIL(&ctl_conns, c, entry);
	ctl_nconns++;
}

static void
control_closed(struct imsgev *iev)
{
	struct ctl_conn	*c = iev->data;

	fanout_cancel(c->fan);
	TAILQ_REMOVE(&ctl_conns, c, entry);
	ctl_nconns--;
	free(c);
}

static struct ctl_conn *
control_find(uint32_t id)
{
	struct ctl_conn	*c;

	TAILQ_FOREACH(c, &ctl_conns, entry)
		if (c->id == id)
			return c;
	return NULL;
}

static void
control_end(struct ctl_conn *c)
{
	imsgev_compose(&c->iev, IMSG_CTL_END, 0, 0, -1, NULL, 0);
}

/* OK, or the error lines, then END. */
static void
control_result(struct ctl_conn *c, int r, struct buf *errs)
{
	if (r == 0)
		imsgev_compose(&c->iev, IMSG_CTL_OK, 0, 0, -1, NULL, 0);
	else
		imsgev_compose(&c->iev, IMSG_CTL_ERROR, 0, 0, -1,
		    buf_cstr(errs), strlen(buf_cstr(errs)) + 1);
	control_end(c);
}

/* The end of a reload that connection id asked for, if it is still there. */
void
control_reload_done(uint32_t id, int r, struct buf *errs)
{
	struct ctl_conn	*c;

	if ((c = control_find(id)) != NULL)
		control_result(c, r, errs);
}

static void
control_dispatch(struct imsgev *iev, struct imsg *imsg)
{
	struct ctl_conn		*c = iev->data;
	struct ctl_host_set	 hs;
	struct buf		 errs;
	int32_t			 v;
	int			 r;

	buf_init(&errs);
	switch (imsg_get_type(imsg)) {
	case IMSG_CTL_SHOW_HOSTS:
		control_show_hosts(c);
		break;
	case IMSG_CTL_SHOW_LEASES:
		leasedb_show(&c->iev);
		control_end(c);
		break;
	case IMSG_CTL_SHOW_UNKNOWN:
		if (imsg_get_len(imsg) != 0)
			goto bad;
		unknown_show(&c->iev, master_conf);
		control_end(c);
		break;
	case IMSG_CTL_SHOW_STATS:
		control_show_stats(c);
		break;
	case IMSG_CTL_SHOW_TRANSFERS:
		control_show_transfers(c);
		break;
	case IMSG_CTL_RELOAD:
		/* Answered when the new inventory is read, or at once. */
		if (reload_request(c->id, &errs) == -1)
			control_result(c, -1, &errs);
		break;
	case IMSG_CTL_LOG_VERBOSE:
		if (imsg_get_data(imsg, &v, sizeof(v)) == -1 || v < 0 ||
		    v > 3)
			goto bad;
		master_setverbose(v);
		control_result(c, 0, &errs);
		break;
	case IMSG_CTL_HOST_SET:
		if (imsg_get_data(imsg, &hs, sizeof(hs)) == -1 ||
		    hs.state > HOST_INSTALL)
			goto bad;
		hs.name[sizeof(hs.name) - 1] = '\0';
		r = master_set_host_state(hs.name, hs.state, &errs);
		control_result(c, r, &errs);
		break;
	default:
		goto bad;
	}
	buf_free(&errs);
	return;
 bad:
	log_warnx("control: bad request %u, closing", imsg_get_type(imsg));
	buf_free(&errs);
	imsgev_close(iev);
}

static void
control_show_hosts(struct ctl_conn *c)
{
	const struct config	*conf = master_conf;
	const struct host	*h;
	struct ctl_host		 ch;
	size_t			 i;

	for (i = 0; i < conf->nhosts; i++) {
		h = &conf->hosts[i];
		memset(&ch, 0, sizeof(ch));
		strlcpy(ch.name, h->conf.name, sizeof(ch.name));
		memcpy(ch.macs, h->conf.macs, sizeof(ch.macs));
		ch.nmacs = h->conf.nmacs;
		memcpy(ch.uuid, h->conf.uuid, sizeof(ch.uuid));
		ch.ip = h->conf.ip;
		ch.ip6 = h->conf.ip6;
		if (h->conf.profile >= 0)
			strlcpy(ch.profile,
			    conf->profiles[h->conf.profile].name,
			    sizeof(ch.profile));
		ch.rt = h->rt;
		memset(ch.rt.token, 0, sizeof(ch.rt.token));
		memset(ch.rt.done, 0, sizeof(ch.rt.done));
		imsgev_compose(&c->iev, IMSG_CTL_HOST, 0, 0, -1, &ch,
		    sizeof(ch));
	}
	control_end(c);
}

/* A counter, relayed to the pxectl that asked. */
static void
control_fan_stat(void *arg, enum proc_id proc, pid_t pid,
    const struct stat_entry *se)
{
	struct ctl_conn	*c = arg;
	struct ctl_stat	 cs;

	memset(&cs, 0, sizeof(cs));
	strlcpy(cs.proc, proc_name(proc), sizeof(cs.proc));
	cs.pid = pid;
	cs.entry = *se;
	imsgev_compose(&c->iev, IMSG_CTL_STAT, 0, 0, -1, &cs, sizeof(cs));
}

static void
control_fan_transfer(void *arg, enum proc_id proc,
    const struct transfer_msg *tm)
{
	struct ctl_conn	*c = arg;

	(void)proc;
	imsgev_compose(&c->iev, IMSG_CTL_TRANSFER, 0, 0, -1, tm,
	    sizeof(*tm));
}

static void
control_fan_end(void *arg)
{
	struct ctl_conn	*c = arg;

	c->fan = 0;
	control_end(c);
}

/* The master's counters, then those of every live worker. */
static void
control_show_stats(struct ctl_conn *c)
{
	fanout_cancel(c->fan);
	c->fan = fanout_start(1U << PROC_MASTER | 1U << PROC_DHCPD |
	    1U << PROC_TFTPD | 1U << PROC_HTTPD, IMSG_STATS_REQ,
	    CONTROL_STATS_TIMEOUT, &control_fan_ops, c);
}

/* Transfers in flight: tftpd's; httpd keeps no such list. */
static void
control_show_transfers(struct ctl_conn *c)
{
	fanout_cancel(c->fan);
	c->fan = fanout_start(1U << PROC_TFTPD, IMSG_TRANSFERS_REQ,
	    CONTROL_STATS_TIMEOUT, &control_fan_ops, c);
}
