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
 * pxectl: send one request to pxed's control socket, print the reply as
 * a table or as JSON.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "imsg.h"
#include "pxed.h"

#ifndef __dead
#define __dead	__attribute__((__noreturn__))
#endif
#ifndef nitems
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#define PXECTL_TIMEOUT	10		/* seconds pxed may stay silent */
#define PXECTL_ANY	"NAME"		/* matches any word: a host name */

enum ctl_cmd {
	CMD_SHOW_HOSTS,
	CMD_SHOW_STATS,
	CMD_SHOW_LEASES,
	CMD_SHOW_TRANSFERS,
	CMD_RESULT,			/* answered with OK or ERROR */
};

struct command {
	const char	*words[3];
	enum ctl_cmd	 cmd;
	uint32_t	 type;
	int32_t		 arg;		/* log level or host state */
};

struct request {
	enum ctl_cmd	 cmd;
	uint32_t	 type;
	const void	*data;
	size_t		 len;
	int32_t		 level;
	struct ctl_host_set set;
};

struct reply {
	struct ctl_host	*hosts;
	size_t		 nhosts;
	struct ctl_stat	*stats;
	size_t		 nstats;
	struct lease_msg *leases;
	size_t		 nleases;
	struct transfer_msg *xfers;
	size_t		 nxfers;
	char		**errors;
	size_t		 nerrors;
	int		 ok;
};

/* Printable fields of a host; NULL where the table shows "-". */
struct host_row {
	char		 mac[32];
	char		 ipbuf[INET_ADDRSTRLEN];
	const char	*ip;
	const char	*profile;
	const char	*state;
};

static __dead void	usage(void);
static __dead void	malformed(struct imsg *);
static void	 parse_command(int, char *[], struct request *);
static int	 command_match(const struct command *, int, char *[]);
static int	 ctl_connect(const char *);
static void	 ctl_receive(struct imsgbuf *, int, const struct request *,
		    struct reply *);
static int	 ctl_dispatch(struct imsg *, const struct request *,
		    struct reply *);
static void	 recv_host(struct imsg *, struct reply *);
static void	 recv_stat(struct imsg *, struct reply *);
static void	 recv_transfer(struct imsg *, struct reply *);
static void	 recv_error(struct imsg *, struct reply *);
static void	 recv_lease(struct imsg *, struct reply *);
static void	 lease_row(const struct lease_msg *, char *, char *,
		    char *);
static void	 print_leases(const struct reply *);
static void	 print_leases_json(const struct reply *);
static const char *lease_state(uint32_t);
static void	 reply_free(struct reply *);
static void	*grow(void *, size_t, size_t);
static int	 terminated(const char *, size_t);
static int	 print_reply(const struct request *, const struct reply *);
static void	 host_row(const struct ctl_host *, struct host_row *);
static void	 print_hosts(const struct reply *);
static void	 print_hosts_json(const struct reply *);
static void	 print_stats(const struct reply *);
static void	 print_stats_json(const struct reply *);
static void	 print_transfers(const struct reply *);
static void	 print_transfers_json(const struct reply *);
static void	 print_errors(const struct reply *);
static void	 json_string(const char *);
static size_t	 utf8_len(const unsigned char *);
static int	 width(int, const char *);

static const struct command commands[] = {
	{ { "show", "hosts" },	CMD_SHOW_HOSTS,	IMSG_CTL_SHOW_HOSTS,	0 },
	{ { "show", "stats" },	CMD_SHOW_STATS,	IMSG_CTL_SHOW_STATS,	0 },
	{ { "show", "leases" },	CMD_SHOW_LEASES, IMSG_CTL_SHOW_LEASES,	0 },
	{ { "show", "transfers" },
				CMD_SHOW_TRANSFERS, IMSG_CTL_SHOW_TRANSFERS, 0 },
	{ { "reload" },		CMD_RESULT,	IMSG_CTL_RELOAD,	0 },
	{ { "log", "verbose" },	CMD_RESULT,	IMSG_CTL_LOG_VERBOSE,	1 },
	{ { "log", "brief" },	CMD_RESULT,	IMSG_CTL_LOG_VERBOSE,	0 },
	{ { "host", PXECTL_ANY, "install" },
				CMD_RESULT,	IMSG_CTL_HOST_SET, HOST_INSTALL },
	{ { "host", PXECTL_ANY, "local" },
				CMD_RESULT,	IMSG_CTL_HOST_SET, HOST_LOCAL },
};

static int		 jflag;
static const char	*sockpath = PXED_SOCKET;

static __dead void
usage(void)
{
	extern char	*__progname;

	fprintf(stderr, "usage: %s [-j] [-s socket] command\n"
	    "commands: show hosts | show leases | show stats |\n"
	    "          show transfers | reload | log verbose | log brief |\n"
	    "          host NAME install | host NAME local\n", __progname);
	exit(1);
}

int
main(int argc, char *argv[])
{
	struct request	 req;
	struct reply	 rep;
	struct imsgbuf	 ibuf;
	int		 ch, fd, status;

	while ((ch = getopt(argc, argv, "js:")) != -1) {
		switch (ch) {
		case 'j':
			jflag = 1;
			break;
		case 's':
			sockpath = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	parse_command(argc, argv, &req);

	fd = ctl_connect(sockpath);
	if (imsgbuf_init(&ibuf, fd) == -1)
		err(1, "imsgbuf_init");
	if (imsg_compose(&ibuf, req.type, 0, 0, -1, req.data, req.len) == -1)
		err(1, "imsg_compose");
	if (imsgbuf_flush(&ibuf) == -1)
		err(1, "%s: write", sockpath);

	memset(&rep, 0, sizeof(rep));
	ctl_receive(&ibuf, fd, &req, &rep);
	imsgbuf_clear(&ibuf);
	close(fd);
	status = print_reply(&req, &rep);
	reply_free(&rep);
	return status;
}

static void
parse_command(int argc, char *argv[], struct request *req)
{
	const struct command	*c;
	size_t			 i;

	memset(req, 0, sizeof(*req));
	for (i = 0; i < nitems(commands); i++)
		if (command_match(&commands[i], argc, argv))
			break;
	if (i == nitems(commands))
		usage();
	c = &commands[i];
	req->cmd = c->cmd;
	req->type = c->type;

	switch (c->type) {
	case IMSG_CTL_LOG_VERBOSE:
		req->level = c->arg;
		req->data = &req->level;
		req->len = sizeof(req->level);
		break;
	case IMSG_CTL_HOST_SET:
		if (strlcpy(req->set.name, argv[1], sizeof(req->set.name)) >=
		    sizeof(req->set.name) || !host_name_valid(req->set.name))
			errx(1, "%s: invalid host name", argv[1]);
		req->set.state = c->arg;
		req->data = &req->set;
		req->len = sizeof(req->set);
		break;
	}
}

static int
command_match(const struct command *c, int argc, char *argv[])
{
	size_t	 i;

	for (i = 0; i < (size_t)argc; i++) {
		if (i == nitems(c->words) || c->words[i] == NULL)
			return 0;
		if (strcmp(c->words[i], PXECTL_ANY) != 0 &&
		    strcmp(c->words[i], argv[i]) != 0)
			return 0;
	}
	return argc > 0 && (i == nitems(c->words) || c->words[i] == NULL);
}

static int
ctl_connect(const char *path)
{
	struct sockaddr_un	 saddr;
	struct timeval		 tv = { PXECTL_TIMEOUT, 0 };
	int			 fd;

	memset(&saddr, 0, sizeof(saddr));
	saddr.sun_family = AF_UNIX;
	if (strlcpy(saddr.sun_path, path, sizeof(saddr.sun_path)) >=
	    sizeof(saddr.sun_path))
		errx(1, "%s: socket path too long", path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		err(1, "socket");
	/* Bounds connect(2) on a full backlog and the write of the request. */
	if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) == -1)
		err(1, "setsockopt");
	if (connect(fd, (struct sockaddr *)&saddr, sizeof(saddr)) == -1) {
		if (errno == ENOENT || errno == ECONNREFUSED)
			errx(1, "%s: %s (is pxed running?)", path,
			    strerror(errno));
		if (errno == EAGAIN)
			errx(1, "%s: timed out connecting (is pxed stuck?)",
			    path);
		err(1, "%s", path);
	}
	return fd;
}

static void
ctl_receive(struct imsgbuf *ibuf, int fd, const struct request *req,
    struct reply *rep)
{
	struct pollfd	 pfd;
	struct imsg	 imsg;
	ssize_t		 n;
	int		 done = 0;

	pfd.fd = fd;
	pfd.events = POLLIN;
	while (!done) {
		switch (poll(&pfd, 1, PXECTL_TIMEOUT * 1000)) {
		case -1:
			if (errno == EINTR)
				continue;
			err(1, "poll");
		case 0:
			errx(1, "%s: no reply from pxed in %d seconds",
			    sockpath, PXECTL_TIMEOUT);
		}
		switch (imsgbuf_read(ibuf)) {
		case -1:
			err(1, "%s: read", sockpath);
		case 0:
			errx(1, "%s: pxed closed the connection before the "
			    "end of its reply", sockpath);
		}
		while (!done) {
			if ((n = imsg_get(ibuf, &imsg)) == -1)
				err(1, "%s: malformed reply", sockpath);
			if (n == 0)
				break;
			done = ctl_dispatch(&imsg, req, rep);
			imsg_free(&imsg);
		}
	}
}

/* One message of the reply; returns 1 at its end. */
static int
ctl_dispatch(struct imsg *imsg, const struct request *req, struct reply *rep)
{
	switch (imsg_get_type(imsg)) {
	case IMSG_CTL_HOST:
		if (req->cmd != CMD_SHOW_HOSTS)
			break;
		recv_host(imsg, rep);
		return 0;
	case IMSG_CTL_LEASE:
		if (req->cmd != CMD_SHOW_LEASES)
			break;
		recv_lease(imsg, rep);
		return 0;
	case IMSG_CTL_STAT:
		if (req->cmd != CMD_SHOW_STATS)
			break;
		recv_stat(imsg, rep);
		return 0;
	case IMSG_CTL_TRANSFER:
		if (req->cmd != CMD_SHOW_TRANSFERS)
			break;
		recv_transfer(imsg, rep);
		return 0;
	case IMSG_CTL_OK:
		if (req->cmd != CMD_RESULT || rep->ok ||
		    imsg_get_len(imsg) != 0)
			break;
		rep->ok = 1;
		return 0;
	case IMSG_CTL_ERROR:
		recv_error(imsg, rep);
		return 0;
	case IMSG_CTL_END:
		if (imsg_get_len(imsg) != 0)
			break;
		/* A command must have been either acknowledged or refused. */
		if (req->cmd == CMD_RESULT && !rep->ok && rep->nerrors == 0)
			break;
		return 1;
	}
	malformed(imsg);
}

static __dead void
malformed(struct imsg *imsg)
{
	errx(1, "%s: malformed reply from pxed (type %u, %zu bytes)",
	    sockpath, imsg_get_type(imsg), imsg_get_len(imsg));
}

static void
recv_host(struct imsg *imsg, struct reply *rep)
{
	struct ctl_host	*h;

	rep->hosts = grow(rep->hosts, rep->nhosts, sizeof(*rep->hosts));
	h = &rep->hosts[rep->nhosts++];
	if (imsg_get_data(imsg, h, sizeof(*h)) == -1 ||
	    !terminated(h->name, sizeof(h->name)) || h->name[0] == '\0' ||
	    !terminated(h->profile, sizeof(h->profile)) ||
	    (h->rt.state != HOST_LOCAL && h->rt.state != HOST_INSTALL))
		malformed(imsg);
	/* Never shown: the token would let anyone fetch the kickstart. */
	explicit_bzero(h->rt.token, sizeof(h->rt.token));
}

static void
recv_stat(struct imsg *imsg, struct reply *rep)
{
	struct ctl_stat	*s;

	rep->stats = grow(rep->stats, rep->nstats, sizeof(*rep->stats));
	s = &rep->stats[rep->nstats++];
	if (imsg_get_data(imsg, s, sizeof(*s)) == -1 ||
	    !terminated(s->proc, sizeof(s->proc)) || s->proc[0] == '\0' ||
	    !terminated(s->entry.name, sizeof(s->entry.name)) ||
	    s->entry.name[0] == '\0')
		malformed(imsg);
}

/* A whole number of leases, at most IMSG_RECONF_LEASE_MAX. */
static void
recv_lease(struct imsg *imsg, struct reply *rep)
{
	struct lease_msg	*l;
	size_t			 len = imsg_get_len(imsg), i, n;

	n = len / sizeof(*l);
	if (len == 0 || len % sizeof(*l) != 0 || n > IMSG_RECONF_LEASE_MAX)
		malformed(imsg);
	for (i = 0; i < n; i++) {
		rep->leases = grow(rep->leases, rep->nleases,
		    sizeof(*rep->leases));
		l = &rep->leases[rep->nleases++];
		memcpy(l, (char *)imsg->data + i * sizeof(*l), sizeof(*l));
		if (!terminated(l->hostname, sizeof(l->hostname)) ||
		    l->state > LEASE_DECLINED)
			malformed(imsg);
	}
}

static void
recv_transfer(struct imsg *imsg, struct reply *rep)
{
	struct transfer_msg	*t;

	rep->xfers = grow(rep->xfers, rep->nxfers, sizeof(*rep->xfers));
	t = &rep->xfers[rep->nxfers++];
	if (imsg_get_data(imsg, t, sizeof(*t)) == -1 ||
	    !terminated(t->proc, sizeof(t->proc)) || t->proc[0] == '\0' ||
	    !terminated(t->peer, sizeof(t->peer)) ||
	    !terminated(t->file, sizeof(t->file)))
		malformed(imsg);
}

static void
recv_error(struct imsg *imsg, struct reply *rep)
{
	size_t	 len;
	char	*text;

	if ((len = imsg_get_len(imsg)) == 0)
		malformed(imsg);
	if ((text = malloc(len)) == NULL)
		err(1, NULL);
	if (imsg_get_data(imsg, text, len) == -1 || text[len - 1] != '\0')
		malformed(imsg);
	rep->errors = grow(rep->errors, rep->nerrors, sizeof(*rep->errors));
	rep->errors[rep->nerrors++] = text;
}

static void
reply_free(struct reply *rep)
{
	size_t	 i;

	for (i = 0; i < rep->nerrors; i++)
		free(rep->errors[i]);
	free(rep->errors);
	free(rep->stats);
	free(rep->xfers);
	free(rep->hosts);
	free(rep->leases);
}

/* Room for one more element after the n in array a. */
static void *
grow(void *a, size_t n, size_t size)
{
	if ((a = reallocarray(a, n + 1, size)) == NULL)
		err(1, NULL);
	return a;
}

static int
terminated(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL;
}

static int
print_reply(const struct request *req, const struct reply *rep)
{
	int	 status = 0;

	if (rep->nerrors > 0) {
		print_errors(rep);
		status = 1;
	} else if (req->cmd == CMD_SHOW_HOSTS) {
		if (jflag)
			print_hosts_json(rep);
		else
			print_hosts(rep);
	} else if (req->cmd == CMD_SHOW_LEASES) {
		if (jflag)
			print_leases_json(rep);
		else
			print_leases(rep);
	} else if (req->cmd == CMD_SHOW_STATS) {
		if (jflag)
			print_stats_json(rep);
		else
			print_stats(rep);
	} else if (req->cmd == CMD_SHOW_TRANSFERS) {
		if (jflag)
			print_transfers_json(rep);
		else
			print_transfers(rep);
	} else if (jflag)
		printf("{\"ok\": true}\n");

	if (fflush(stdout) == EOF || ferror(stdout))
		err(1, "stdout");
	return status;
}

static void
host_row(const struct ctl_host *h, struct host_row *r)
{
	mac_format(h->mac, r->mac, sizeof(r->mac));
	r->ip = NULL;
	if (h->ip.s_addr != INADDR_ANY)
		r->ip = inet_ntop(AF_INET, &h->ip, r->ipbuf, sizeof(r->ipbuf));
	r->profile = h->profile[0] != '\0' ? h->profile : NULL;
	r->state = host_state_name(h->rt.state);
}

static void
print_hosts(const struct reply *rep)
{
	struct host_row	 r;
	size_t		 i;
	int		 wn = 4, wm = 3, wi = 2, wp = 7, ws = 5;

	for (i = 0; i < rep->nhosts; i++) {
		host_row(&rep->hosts[i], &r);
		wn = width(wn, rep->hosts[i].name);
		wm = width(wm, r.mac);
		wi = width(wi, r.ip);
		wp = width(wp, r.profile);
		ws = width(ws, r.state);
	}
	printf("%-*s  %-*s  %-*s  %-*s  %-*s  %s\n", wn, "NAME", wm, "MAC",
	    wi, "IP", wp, "PROFILE", ws, "STATE", "GEN");
	for (i = 0; i < rep->nhosts; i++) {
		host_row(&rep->hosts[i], &r);
		printf("%-*s  %-*s  %-*s  %-*s  %-*s  %u\n",
		    wn, rep->hosts[i].name, wm, r.mac,
		    wi, r.ip != NULL ? r.ip : "-",
		    wp, r.profile != NULL ? r.profile : "-",
		    ws, r.state, rep->hosts[i].rt.generation);
	}
}

static void
print_hosts_json(const struct reply *rep)
{
	struct host_row	 r;
	size_t		 i;

	printf("[");
	for (i = 0; i < rep->nhosts; i++) {
		host_row(&rep->hosts[i], &r);
		printf("%s\n  {\"name\": ", i > 0 ? "," : "");
		json_string(rep->hosts[i].name);
		printf(", \"mac\": ");
		json_string(r.mac);
		printf(", \"ip\": ");
		json_string(r.ip);
		printf(", \"profile\": ");
		json_string(r.profile);
		printf(", \"state\": ");
		json_string(r.state);
		printf(", \"generation\": %u}", rep->hosts[i].rt.generation);
	}
	printf("%s]\n", rep->nhosts > 0 ? "\n" : "");
}

static void
print_stats(const struct reply *rep)
{
	const struct ctl_stat	*s;
	char			 pid[16];
	size_t			 i;
	int			 wp = 4, wi = 3, wc = 7;

	for (i = 0; i < rep->nstats; i++) {
		s = &rep->stats[i];
		snprintf(pid, sizeof(pid), "%d", s->pid);
		wp = width(wp, s->proc);
		wi = width(wi, pid);
		wc = width(wc, s->entry.name);
	}
	printf("%-*s  %-*s  %-*s  %s\n", wp, "PROC", wi, "PID",
	    wc, "COUNTER", "VALUE");
	for (i = 0; i < rep->nstats; i++) {
		s = &rep->stats[i];
		printf("%-*s  %-*d  %-*s  %" PRIu64 "\n", wp, s->proc,
		    wi, s->pid, wc, s->entry.name, s->entry.value);
	}
}

/* One object per process, in the order the processes first appear. */
static void
print_stats_json(const struct reply *rep)
{
	const struct ctl_stat	*s, *t;
	size_t			 i, j, nprocs = 0;
	int			 first;

	printf("{");
	for (i = 0; i < rep->nstats; i++) {
		s = &rep->stats[i];
		for (j = 0; j < i; j++)
			if (strcmp(rep->stats[j].proc, s->proc) == 0)
				break;
		if (j < i)
			continue;
		printf("%s\n  ", nprocs++ > 0 ? "," : "");
		json_string(s->proc);
		printf(": {\"pid\": %d, \"counters\": {", s->pid);
		first = 1;
		for (j = i; j < rep->nstats; j++) {
			t = &rep->stats[j];
			if (strcmp(t->proc, s->proc) != 0)
				continue;
			printf("%s", first ? "" : ", ");
			json_string(t->entry.name);
			printf(": %" PRIu64, t->entry.value);
			first = 0;
		}
		printf("}}");
	}
	printf("%s}\n", nprocs > 0 ? "\n" : "");
}

static void
print_transfers(const struct reply *rep)
{
	const struct transfer_msg	*t;
	size_t				 i;
	int				 wp = 4, wr = 4, wf = 4;

	for (i = 0; i < rep->nxfers; i++) {
		t = &rep->xfers[i];
		wp = width(wp, t->proc);
		wr = width(wr, t->peer);
		wf = width(wf, t->file);
	}
	printf("%-*s  %-*s  %-*s  %12s  %12s  %7s  %6s  %8s\n", wp, "PROC",
	    wr, "PEER", wf, "FILE", "BYTES", "SIZE", "BLKSIZE", "WINDOW",
	    "AGE");
	for (i = 0; i < rep->nxfers; i++) {
		t = &rep->xfers[i];
		printf("%-*s  %-*s  %-*s  %12" PRIu64 "  %12" PRIu64
		    "  %7u  %6u  %6" PRIu64 ".%" PRIu64 "s\n", wp, t->proc,
		    wr, t->peer, wf, t->file, t->bytes, t->size, t->blksize,
		    t->windowsize, t->started_ms / 1000,
		    t->started_ms % 1000 / 100);
	}
}

static void
print_transfers_json(const struct reply *rep)
{
	const struct transfer_msg	*t;
	size_t				 i;

	printf("[");
	for (i = 0; i < rep->nxfers; i++) {
		t = &rep->xfers[i];
		printf("%s\n  {\"proc\": ", i > 0 ? "," : "");
		json_string(t->proc);
		printf(", \"peer\": ");
		json_string(t->peer);
		printf(", \"file\": ");
		json_string(t->file);
		printf(", \"bytes\": %" PRIu64 ", \"size\": %" PRIu64
		    ", \"blksize\": %u, \"windowsize\": %u, \"age_ms\": %"
		    PRIu64 "}", t->bytes, t->size, t->blksize, t->windowsize,
		    t->started_ms);
	}
	printf("%s]\n", rep->nxfers > 0 ? "\n" : "");
}

/*
 * Errors go to stderr a line at a time; with -j they are also on stdout,
 * one array element per line, so a script sees a complete document.
 */
static void
print_errors(const struct reply *rep)
{
	const char	*p;
	char		*line;
	size_t		 i, n;
	int		 first = 1;

	if (jflag)
		printf("{\"ok\": false, \"errors\": [");
	for (i = 0; i < rep->nerrors; i++) {
		for (p = rep->errors[i]; *p != '\0'; p += n) {
			n = strcspn(p, "\n");
			if (n > 0) {
				if ((line = strndup(p, n)) == NULL)
					err(1, NULL);
				warnx("%s", line);
				if (jflag) {
					printf("%s\n  ", first ? "" : ",");
					json_string(line);
				}
				first = 0;
				free(line);
			}
			if (p[n] == '\n')
				n++;
		}
	}
	if (first)
		warnx("pxed refused the request");
	if (jflag)
		printf("\n]}\n");
}

static void
json_string(const char *str)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 n;

	if (str == NULL) {
		printf("null");
		return;
	}
	putchar('"');
	for (; *s != '\0'; s += n) {
		n = 1;
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if (*s < 0x20 || *s == 0x7f)
			printf("\\u%04x", *s);
		else if ((n = utf8_len(s)) == 0) {
			/* Not UTF-8: JSON cannot carry it, mark the spot. */
			printf("\\ufffd");
			n = 1;
		} else
			fwrite(s, 1, n, stdout);
	}
	putchar('"');
}

/* Length of the well-formed UTF-8 sequence at s, 0 if there is none. */
static size_t
utf8_len(const unsigned char *s)
{
	unsigned char	 lo = 0x80, hi = 0xbf;
	size_t		 i, n;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	/* No overlong forms, no surrogates, nothing past U+10FFFF. */
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

static int
width(int w, const char *s)
{
	int	 n;

	if (s == NULL)
		return w;
	n = strlen(s);
	return n > w ? n : w;
}

/* IP, MAC and the expiry in UTC, ISO 8601. */
static void
lease_row(const struct lease_msg *l, char *ip, char *mac, char *exp)
{
	struct tm	 tm;
	time_t		 t = (time_t)l->expires;

	inet_ntop(AF_INET, &l->ip, ip, INET_ADDRSTRLEN);
	mac_format(l->mac, mac, 18);
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(exp, 24, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		strlcpy(exp, "-", 24);
}

static const char *
lease_state(uint32_t st)
{
	static const char	*names[] = { "free", "offered", "active",
	    "released", "declined" };

	return st <= LEASE_DECLINED ? names[st] : "?";
}

static void
print_leases(const struct reply *rep)
{
	const struct lease_msg	*l;
	char			 ip[INET_ADDRSTRLEN], mac[18], exp[24];
	size_t			 i;
	int			 wi = 2, wh = 4;

	for (i = 0; i < rep->nleases; i++) {
		l = &rep->leases[i];
		lease_row(l, ip, mac, exp);
		wi = width(wi, ip);
		wh = width(wh, l->hostname[0] != '\0' ? l->hostname : "-");
	}
	printf("%-*s  %-17s  %-*s  %-8s  %s\n", wi, "IP", "MAC", wh, "HOST",
	    "STATE", "EXPIRES");
	for (i = 0; i < rep->nleases; i++) {
		l = &rep->leases[i];
		lease_row(l, ip, mac, exp);
		printf("%-*s  %-17s  %-*s  %-8s  %s\n", wi, ip, mac, wh,
		    l->hostname[0] != '\0' ? l->hostname : "-",
		    lease_state(l->state), exp);
	}
}

static void
print_leases_json(const struct reply *rep)
{
	const struct lease_msg	*l;
	char			 ip[INET_ADDRSTRLEN], mac[18], exp[24];
	size_t			 i;

	printf("[");
	for (i = 0; i < rep->nleases; i++) {
		l = &rep->leases[i];
		lease_row(l, ip, mac, exp);
		printf("%s\n  {\"ip\": ", i > 0 ? "," : "");
		json_string(ip);
		printf(", \"mac\": ");
		json_string(mac);
		printf(", \"host\": ");
		json_string(l->hostname[0] != '\0' ? l->hostname : NULL);
		printf(", \"state\": ");
		json_string(lease_state(l->state));
		printf(", \"expires\": %lld}", (long long)l->expires);
	}
	printf("%s]\n", rep->nleases > 0 ? "\n" : "");
}
