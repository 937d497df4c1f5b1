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
 * The HTTP worker, chrooted into the HTTP root: the listening sockets,
 * the connections and their timers.  A connection owns no memory while
 * it idles between requests: its request buffer (which also holds the
 * response head) comes from a small pool when bytes arrive and goes
 * back once the response is out and nothing is pipelined behind it.
 * Requests on a connection are answered one at a time, in order; while
 * a response is going out, pipelined requests wait in the socket.
 */

#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addrcap.h"
#include "httpd.h"
#include "proc.h"
#include "ratelimit.h"

#define HTTP_POOLMAX		256	/* idle request buffers kept */
#define HTTP_LINGER		2000	/* ms to drain a closing client */
#define HTTP_SENDCHUNK		(1 << 20)
#define HTTP_ACCEPTBATCH	64
#define HTTP_FDSPARE		256	/* descriptors kept for files */
#define HTTP_CORKMIN		65536	/* file bytes worth TCP_CORK */

enum deadline_kind {
	DL_IDLE = 0,
	DL_HEAD,
	DL_SEND,
	DL_MASTER,
	DL_LINGER,
};

struct http_listener {
	struct ev_io	 io;
	int		 fd;
};

static const char	*httpd_chroot(const struct config *);
static void		 httpd_start(struct config *, struct worker_sock *,
			    size_t);
static void		 httpd_reconf(struct config *);
static void		 httpd_host_state(struct host *);
static void		 httpd_stats(void);
static int		 httpd_dispatch(struct imsg *);
static void		 http_accept(int, int, void *);
static void		 http_listen_resume(void *);
static void		 http_io(int, int, void *);
static void		 http_read(struct http_conn *);
static void		 http_process(struct http_conn *);
static int		 http_next(struct http_conn *);
static int		 http_write(struct http_conn *);
static int		 http_cork_ok(int);
static void		 http_finish(struct http_conn *);
static void		 http_log(struct http_conn *);
static void		 http_close(struct http_conn *);
static void		 http_linger(struct http_conn *);
static void		 http_deadline(struct http_conn *, int, uint64_t);
static void		 http_timeout(void *);
static void		 http_reap(void *);
static void		 http_master_answered(struct http_conn *);
static char		*http_block_get(void);
static void		 http_block_put(char *);

const struct worker_ops httpd_ops = {
	.id = PROC_HTTPD,
	.chroot_dir = httpd_chroot,
	.start = httpd_start,
	.reconf = httpd_reconf,
	.host_state = httpd_host_state,
	.stats = httpd_stats,
	.dispatch = httpd_dispatch,
	.reads_files = 1,
};

struct http_counters		 http_stats;
const struct config		*http_conf;

static TAILQ_HEAD(, http_conn)	 conns = TAILQ_HEAD_INITIALIZER(conns);
static TAILQ_HEAD(, http_conn)	 dead = TAILQ_HEAD_INITIALIZER(dead);
static TAILQ_HEAD(, http_conn)	 waiting = TAILQ_HEAD_INITIALIZER(waiting);
/* Connections waiting for a request, longest idle first. */
static TAILQ_HEAD(, http_conn)	 idle = TAILQ_HEAD_INITIALIZER(idle);
static struct addrcap		 percap;	/* connections per address */
/* 403s of /ks and /done: token guessing must not flood the log. */
static struct ratelimit		 refused_log = {
	.interval = RATELIMIT_LOG, .burst = 1
};
static struct http_listener	*listeners;
static size_t			 nlisteners, nconns, maxconn;
static struct ev_timer		 reaper, resume;
static uint32_t			 nextid;
static char			*pool[HTTP_POOLMAX];
static size_t			 npool;

static const char *
httpd_chroot(const struct config *conf)
{
	return conf->server.http_root;
}

/*
 * Room for the connection cap in our descriptor limit, keeping some for
 * the files being sent (when they run out, a request gets 503).
 */
static void
httpd_limits(void)
{
	struct rlimit	 rl;

	maxconn = HTTP_MAXCONN;
	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		fatal("getrlimit");
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
		log_warn("http: setrlimit RLIMIT_NOFILE");
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < maxconn + HTTP_FDSPARE)
		maxconn = rl.rlim_cur > 2 * HTTP_FDSPARE ?
		    rl.rlim_cur - HTTP_FDSPARE : rl.rlim_cur / 2;
}

static void
httpd_start(struct config *conf, struct worker_sock *socks, size_t n)
{
	size_t	 i;

	http_conf = conf;
	routes_reconf(conf);
	httpd_limits();
	if (addrcap_init(&percap, maxconn) == -1)
		fatal("http: per-client table");
	ev_timer_init(&reaper, http_reap, NULL);
	ev_timer_init(&resume, http_listen_resume, NULL);
	if ((listeners = calloc(n, sizeof(*listeners))) == NULL)
		fatal("calloc");
	for (i = 0; i < n; i++) {
		if (socks[i].rs.kind != SOCK_HTTP &&
		    socks[i].rs.kind != SOCK_HTTP6) {
			close(socks[i].fd);
			continue;
		}
		listeners[nlisteners].fd = socks[i].fd;
		if (ev_io_add(&listeners[nlisteners].io, socks[i].fd, EV_READ,
		    http_accept, NULL) == -1)
			fatal("ev_io_add");
		nlisteners++;
	}
	log_debug("http: %zu listening sockets, at most %zu connections",
	    nlisteners, maxconn);
}

static void
httpd_reconf(struct config *conf)
{
	http_conf = conf;
	routes_reconf(conf);
}

static void
httpd_host_state(struct host *h)
{
	log_debug("http: host %s is now %s, generation %u", h->conf.name,
	    host_state_name(h->rt.state), h->rt.generation);
}

static void
httpd_stats(void)
{
	http_stats.sockets = nlisteners;
	http_stats.hosts = http_conf->nhosts;
	worker_stats(http_defs, http_ndefs);
}

/* The master's answers to /done and /metrics. */
static int
httpd_dispatch(struct imsg *imsg)
{
	struct http_conn	*c;
	struct host_done_msg	 hd;
	struct ctl_stat		 cs;

	switch (imsg_get_type(imsg)) {
	case IMSG_HOST_DONE_RESULT:
		if (imsg_get_data(imsg, &hd, sizeof(hd)) == -1)
			fatalx("bad IMSG_HOST_DONE_RESULT");
		if ((c = http_conn_find(hd.reqid)) != NULL) {
			http_master_answered(c);
			routes_done_result(c, hd.result);
		}
		break;
	case IMSG_METRICS_STAT:
		if (imsg_get_data(imsg, &cs, sizeof(cs)) == -1)
			fatalx("bad IMSG_METRICS_STAT");
		if ((c = http_conn_find(imsg_get_peerid(imsg))) != NULL)
			metrics_add(c, &cs);
		return 0;
	case IMSG_METRICS_END:
		if ((c = http_conn_find(imsg_get_peerid(imsg))) != NULL) {
			http_master_answered(c);
			metrics_reply(c);
		}
		break;
	default:
		return -1;
	}
	if (c != NULL)
		http_process(c);
	return 0;
}

static void
http_accept(int lfd, int what, void *arg)
{
	struct http_conn	*c;
	union sockaddr46	 sa;
	struct in6_addr		 a;
	socklen_t		 len;
	size_t			 j;
	int			 fd, i, on = 1;
	static const char	 busy[] = "HTTP/1.1 503 Service Unavailable\r\n"
	    "Content-Length: 0\r\nConnection: close\r\n\r\n";

	(void)what;
	(void)arg;
	for (i = 0; i < HTTP_ACCEPTBATCH; i++) {
		len = sizeof(sa);
		fd = accept4(lfd, &sa.sa, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd == -1) {
			if (errno == EMFILE || errno == ENFILE) {
				/* let the descriptors drain before trying */
				for (j = 0; j < nlisteners; j++)
					ev_io_set(&listeners[j].io, 0);
				ev_timer_add(&resume, 100);
			}
			return;
		}
		/* A full table makes room by closing the longest idle. */
		if (nconns >= maxconn && (c = TAILQ_FIRST(&idle)) != NULL) {
			http_stats.evicted_idle++;
			http_close(c);
		}
		c = NULL;
		if (nconns >= maxconn || sa_addr(&sa, len, &a) == -1)
			http_stats.refused_cap++;
		else if (addrcap_take(&percap, &a,
		    http_conf->server.http_per_client) == -1)
			http_stats.refused_client++;
		else if ((c = calloc(1, sizeof(*c))) == NULL) {
			addrcap_put(&percap, &a);
			http_stats.refused_cap++;
		}
		if (c == NULL) {
			send(fd, busy, sizeof(busy) - 1,
			    MSG_DONTWAIT | MSG_NOSIGNAL);
			close(fd);
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
		c->cork = http_cork_ok(fd);
		c->fd = fd;
		c->filefd = -1;
		c->peer = a;
		buf_init(&c->body);
		ev_timer_init(&c->timer, http_timeout, c);
		if (ev_io_add(&c->io, fd, EV_READ, http_io, c) == -1) {
			addrcap_put(&percap, &a);
			close(fd);
			free(c);
			continue;
		}
		TAILQ_INSERT_TAIL(&conns, c, entry);
		nconns++;
		http_stats.active++;
		http_stats.accepted++;
		http_deadline(c, DL_IDLE, HTTP_IDLE_TIMEOUT);
	}
}

static void
http_listen_resume(void *arg)
{
	size_t	 i;

	(void)arg;
	for (i = 0; i < nlisteners; i++)
		ev_io_set(&listeners[i].io, EV_READ);
}

static char *
http_block_get(void)
{
	char	*b;

	if (npool > 0)
		return pool[--npool];
	if ((b = malloc(HTTP_HEADMAX + HTTP_HDROUT)) == NULL)
		fatal("malloc");
	return b;
}

static void
http_block_put(char *b)
{
	if (b == NULL)
		return;
	if (npool < HTTP_POOLMAX)
		pool[npool++] = b;
	else
		free(b);
}

/*
 * One timer per connection, moved lazily: a later deadline just waits
 * for the armed one to fire; an earlier one re-arms it.
 */
static void
http_deadline(struct http_conn *c, int kind, uint64_t ms)
{
	c->deadkind = kind;
	c->deadline = ev_now() + ms;
	if (kind == DL_IDLE && !c->idle) {
		TAILQ_INSERT_TAIL(&idle, c, ientry);
		c->idle = 1;
	} else if (kind != DL_IDLE && c->idle) {
		TAILQ_REMOVE(&idle, c, ientry);
		c->idle = 0;
	}
	if (!ev_timer_pending(&c->timer) || c->timer.when > c->deadline)
		ev_timer_add(&c->timer, ms);
}

static void
http_timeout(void *arg)
{
	struct http_conn	*c = arg;
	uint64_t		 now = ev_now();

	if (now < c->deadline) {
		ev_timer_add(&c->timer, c->deadline - now);
		return;
	}
	switch (c->deadkind) {
	case DL_IDLE:
		http_stats.closed_idle++;
		http_close(c);
		break;
	case DL_HEAD:
		/* a client too slow to send its request: slowloris */
		http_stats.closed_slow++;
		c->parsed = 0;
		ev_io_set(&c->io, 0);
		http_error(c, 408);
		http_process(c);
		break;
	case DL_MASTER:
		http_master_answered(c);
		routes_master_timeout(c);
		http_process(c);
		break;
	default:
		http_close(c);
		break;
	}
}

static void
http_io(int fd, int what, void *arg)
{
	struct http_conn	*c = arg;
	char			 junk[4096];
	ssize_t			 n;

	switch (c->state) {
	case CONN_READ:
		if (what & EV_READ)
			http_read(c);
		break;
	case CONN_WRITE:
		if (what & (EV_WRITE | EV_READ))
			http_process(c);
		break;
	case CONN_LINGER:
		while ((n = read(fd, junk, sizeof(junk))) > 0)
			;
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			http_close(c);
		break;
	}
}

static void
http_read(struct http_conn *c)
{
	ssize_t	 n;

	if (c->in == NULL) {
		c->in = http_block_get();
		c->hdr = c->in + HTTP_HEADMAX;
	}
	n = read(c->fd, c->in + c->inlen, HTTP_HEADMAX - c->inlen);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		http_close(c);
		return;
	}
	if (c->inlen == 0)
		http_deadline(c, DL_HEAD, HTTP_HEAD_TIMEOUT);
	c->inlen += n;
	http_process(c);
}

/*
 * Drive the connection as far as it goes without blocking: parse,
 * answer, write, and on to the next pipelined request.
 */
static void
http_process(struct http_conn *c)
{
	int	 r;

	for (;;) {
		switch (c->state) {
		case CONN_READ:
			if (http_next(c) == 0)
				return;
			break;
		case CONN_MASTER:
			ev_io_set(&c->io, 0);
			return;
		case CONN_WRITE:
			if ((r = http_write(c)) == 0) {
				ev_io_set(&c->io, EV_WRITE);
				return;
			}
			if (r == -1) {
				http_close(c);
				return;
			}
			http_finish(c);
			break;
		default:
			return;
		}
	}
}

/* Start on the next request if it is all here; 0 when waiting for more. */
static int
http_next(struct http_conn *c)
{
	ssize_t	 end;
	int	 e;

	if (c->inlen == 0) {
		http_block_put(c->in);
		c->in = c->hdr = NULL;
		ev_io_set(&c->io, EV_READ);
		return 0;
	}
	if (!c->parsed) {
		if ((end = http_head_end(c->in, c->inlen, &c->scanned)) == 0) {
			if (c->inlen < HTTP_HEADMAX) {
				ev_io_set(&c->io, EV_READ);
				return 0;
			}
			e = memchr(c->in, '\n', c->inlen) == NULL ? 414 : 431;
		} else if ((e = http_parse(c->in, end, &c->req)) == 0) {
			c->parsed = 1;
			c->need = end + c->req.clen;
			if (c->req.clen > HTTP_BODYMAX ||
			    c->need > HTTP_HEADMAX)
				e = 413;
		}
		clock_gettime(CLOCK_MONOTONIC, &c->t0);
		if (e != 0) {
			c->parsed = e == 413;
			http_error(c, e);
			return 1;
		}
	}
	if (c->inlen < c->need) {
		ev_io_set(&c->io, EV_READ);
		return 0;
	}
	if (c->req.method == HTTP_OTHER ||
	    (c->req.method == HTTP_POST &&
	    strncmp(c->req.path, "/done/", 6) != 0))
		http_error(c, 405);
	else if (routes_dispatch(c) == 0)
		http_serve_file(c);
	return 1;
}

/* Start sending the response in c->hdr, c->body and c->filefd. */
void
http_respond(struct http_conn *c)
{
	c->state = CONN_WRITE;
	http_deadline(c, DL_SEND, HTTP_SEND_TIMEOUT);
}

/*
 * A new id for a request to the master, so that a late answer to an
 * earlier request on the same connection is not taken for this one.
 */
uint32_t
http_reqid(struct http_conn *c)
{
	c->reqid = ++nextid;
	return c->reqid;
}

/* Park the connection until the master answers. */
void
http_wait_master(struct http_conn *c)
{
	c->state = CONN_MASTER;
	TAILQ_INSERT_TAIL(&waiting, c, wentry);
	http_deadline(c, DL_MASTER, HTTP_MASTER_TIMEOUT);
}

struct http_conn *
http_conn_find(uint32_t id)
{
	struct http_conn	*c;

	TAILQ_FOREACH(c, &waiting, wentry)
		if (c->reqid == id)
			return c;
	return NULL;
}

/* The wait is over (an answer or the timeout): the response follows. */
static void
http_master_answered(struct http_conn *c)
{
	TAILQ_REMOVE(&waiting, c, wentry);
	c->state = CONN_READ;
}

/* Whether big files may go out corked on this connection (see below). */
static int
http_cork_ok(int fd)
{
	char		 cc[16];
	socklen_t	 len = sizeof(cc);

	if (getsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, cc, &len) == -1)
		return 0;
	return len < 3 || strncmp(cc, "bbr", 3) != 0;
}

/*
 * What of the body is still to go out of memory: a generated body, or a
 * small file's bytes from the file cache.
 */
static struct iovec
http_membody(const struct http_conn *c)
{
	struct iovec	 v;

	if (c->fc != NULL) {
		v.iov_base = c->fc->data + c->fileoff;
		v.iov_len = c->fileleft;
	} else {
		v.iov_base = c->body.data + c->bodyoff;
		v.iov_len = c->body.len - c->bodyoff;
	}
	return v;
}

/* 1: all sent, 0: would block, -1: the client is gone. */
static int
http_write(struct http_conn *c)
{
	struct iovec	 iov[2];
	struct msghdr	 msg;
	ssize_t		 n;
	size_t		 chunk;

	/*
	 * The head goes with MSG_MORE, so it leaves with the file's first
	 * bytes.  A big file goes out corked: sendfile hands TCP 64 KiB at
	 * a time, and with TCP_NODELAY alone each piece left as a full
	 * segment plus a 376-byte runt (half the packets of a boot storm).
	 * Uncorking after the last byte pushes the tail at once.  Not
	 * under bbr: its pacing and the cork held an 8 MiB download to
	 * two thirds of the rate.  A small file from memory goes with its
	 * head in one send.
	 */
	if (c->filefd != -1 && c->fileleft >= HTTP_CORKMIN && c->cork &&
	    !c->corked) {
		c->corked = 1;
		setsockopt(c->fd, IPPROTO_TCP, TCP_CORK, &c->corked,
		    sizeof(c->corked));
	}
	while (c->hdroff < c->hdrlen || http_membody(c).iov_len > 0) {
		iov[0].iov_base = c->hdr + c->hdroff;
		iov[0].iov_len = c->hdrlen - c->hdroff;
		iov[1] = http_membody(c);
		memset(&msg, 0, sizeof(msg));
		msg.msg_iov = iov;
		msg.msg_iovlen = 2;
		n = sendmsg(c->fd, &msg, MSG_NOSIGNAL |
		    (c->filefd != -1 ? MSG_MORE : 0));
		if (n == -1)
			return errno == EAGAIN || errno == EINTR ? 0 : -1;
		if ((size_t)n <= iov[0].iov_len) {
			c->hdroff += n;
			continue;
		}
		n -= iov[0].iov_len;
		c->hdroff = c->hdrlen;
		c->bytes += n;
		if (c->fc != NULL) {
			c->fileoff += n;
			c->fileleft -= n;
		} else
			c->bodyoff += n;
		http_deadline(c, DL_SEND, HTTP_SEND_TIMEOUT);
	}
	while (c->filefd != -1 && c->fileleft > 0) {
		chunk = c->fileleft > HTTP_SENDCHUNK ? HTTP_SENDCHUNK :
		    c->fileleft;
		n = sendfile(c->fd, c->filefd, &c->fileoff, chunk);
		if (n == -1)
			return errno == EAGAIN || errno == EINTR ? 0 : -1;
		if (n == 0)
			return -1;	/* the file shrank under us */
		c->fileleft -= n;
		c->bytes += n;
		http_deadline(c, DL_SEND, HTTP_SEND_TIMEOUT);
	}
	if (c->corked) {
		c->corked = 0;
		setsockopt(c->fd, IPPROTO_TCP, TCP_CORK, &c->corked,
		    sizeof(c->corked));
	}
	return 1;
}

/* The response is out: log it, then on to the next request or close. */
static void
http_finish(struct http_conn *c)
{
	size_t	 used;

	http_log(c);
	http_stats.requests[http_code_slot(c->status)]++;
	http_stats.bytes += c->bytes;
	http_file_drop(c->filefd, c->fc);
	c->filefd = -1;
	c->fc = NULL;
	buf_free(&c->body);
	c->hdrlen = c->hdroff = c->bodyoff = 0;
	c->bytes = 0;
	c->req.mname[0] = '\0';
	c->what[0] = '\0';
	free(c->mstats);
	c->mstats = NULL;
	c->nmstats = 0;
	if (c->close_after) {
		http_linger(c);
		return;
	}
	used = c->parsed ? c->need : c->inlen;
	memmove(c->in, c->in + used, c->inlen - used);
	c->inlen -= used;
	c->scanned = 0;
	c->parsed = 0;
	c->state = CONN_READ;
	if (c->inlen == 0)
		http_deadline(c, DL_IDLE, HTTP_IDLE_TIMEOUT);
	else
		http_deadline(c, DL_HEAD, HTTP_HEAD_TIMEOUT);
}

/*
 * Close our side but read what the client still sends for a while, so
 * that an error response is not lost to a reset.
 */
static void
http_linger(struct http_conn *c)
{
	shutdown(c->fd, SHUT_WR);
	c->state = CONN_LINGER;
	http_block_put(c->in);
	c->in = c->hdr = NULL;
	c->inlen = 0;
	ev_io_set(&c->io, EV_READ);
	http_deadline(c, DL_LINGER, HTTP_LINGER);
}

/* http: 10.1.0.91 "GET /ks/node01" 200 1234 bytes 0.3 ms */
static void
http_log(struct http_conn *c)
{
	struct timespec	 t1;
	char		 addr[INET6_ADDRSTRLEN], path[128], more[128] = "";
	uint32_t	 quiet = 0;
	const char	*p = "-", *m = "-";
	double		 ms;
	size_t		 i;

	if (c->parsed) {
		p = c->req.path;
		m = c->req.mname;
	} else if (c->req.mname[0] != '\0')
		m = c->req.mname;
	for (i = 0; p[i] != '\0' && i < sizeof(path) - 1; i++)
		path[i] = (unsigned char)p[i] < 0x21 ||
		    (unsigned char)p[i] > 0x7e || p[i] == '"' ? '?' : p[i];
	path[i] = '\0';
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - c->t0.tv_sec) * 1e3 +
	    (t1.tv_nsec - c->t0.tv_nsec) / 1e6;
	/* Token guessing must not flood the log: one 403 a source a while. */
	if (c->status == 403 && (strncmp(p, "/ks/", 4) == 0 ||
	    strncmp(p, "/done/", 6) == 0) &&
	    !ratelimit_addr(&refused_log, &c->peer, ev_now(), &quiet))
		return;
	addr_ntop(&c->peer, addr, sizeof(addr));
	if (quiet > 0)
		snprintf(more, sizeof(more), " (and %u more 403s from %s "
		    "not logged)", quiet, addr);
	if (c->what[0] != '\0')
		snprintf(more + strlen(more), sizeof(more) - strlen(more),
		    " (%s)", c->what);
	log_info("http: %s \"%s %s%s\" %d %llu bytes %.1f ms%s", addr, m, path,
	    p[i] != '\0' ? "..." : "", c->status,
	    (unsigned long long)c->bytes, ms, more);
}

static void
http_close(struct http_conn *c)
{
	if (c->state == CONN_DEAD)
		return;
	if (c->state == CONN_MASTER)
		TAILQ_REMOVE(&waiting, c, wentry);
	if (c->idle) {
		TAILQ_REMOVE(&idle, c, ientry);
		c->idle = 0;
	}
	addrcap_put(&percap, &c->peer);
	ev_io_del(&c->io);
	ev_timer_del(&c->timer);
	close(c->fd);
	http_file_drop(c->filefd, c->fc);
	http_block_put(c->in);
	c->in = c->hdr = NULL;
	buf_free(&c->body);
	free(c->mstats);
	c->mstats = NULL;
	c->state = CONN_DEAD;
	TAILQ_REMOVE(&conns, c, entry);
	TAILQ_INSERT_TAIL(&dead, c, entry);
	nconns--;
	http_stats.active--;
	if (!ev_timer_pending(&reaper))
		ev_timer_add(&reaper, 0);
}

/* Closed connections are freed here, out of any epoll batch. */
static void
http_reap(void *arg)
{
	struct http_conn	*c;

	(void)arg;
	while ((c = TAILQ_FIRST(&dead)) != NULL) {
		TAILQ_REMOVE(&dead, c, entry);
		free(c);
	}
}
