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
#include <sys/stat.h>
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
#include "pxectl.h"

#ifndef __dead
#define __dead	__attribute__((__noreturn__))
#endif
#ifndef nitems
#endif

#define PXECTL_TIMEOUT	10		/* seconds pxed may stay silent */
#define PXECTL_ANY	"NAME"		/* matches any word: a host name */
#define PXECTL_MAC	"MAC"		/* matches any word: a MAC or UUID */

struct command {
	const char	*words[3];
	enum ctl_cmd	 cmd;
	uint32_t	 type;
	int32_t		 arg;		/* log level or host state */
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
static void	 recv_unknown(struct imsg *, struct reply *);
static void	 recv_profile(struct imsg *, struct reply *);
static void	 recv_error(struct imsg *, struct reply *);
static void	 recv_lease(struct imsg *, struct reply *);
static void	 reply_free(struct reply *);
static void	*grow(void *, size_t, size_t);
static int	 terminated(const char *, size_t);

static const struct command commands[] = {
	{ { "show", "hosts" },	CMD_SHOW_HOSTS,	IMSG_CTL_SHOW_HOSTS,	0 },
	{ { "show", "stats" },	CMD_SHOW_STATS,	IMSG_CTL_SHOW_STATS,	0 },
	{ { "show", "leases" },	CMD_SHOW_LEASES, IMSG_CTL_SHOW_LEASES,	0 },
	{ { "show", "transfers" },
				CMD_SHOW_TRANSFERS, IMSG_CTL_SHOW_TRANSFERS, 0 },
	{ { "show", "unknown" },
				CMD_SHOW_UNKNOWN, IMSG_CTL_SHOW_UNKNOWN, 0 },
	{ { "show", "unknown", PXECTL_MAC },
				CMD_SHOW_UNKNOWN, IMSG_CTL_SHOW_UNKNOWN, 1 },
	{ { "reload" },		CMD_RESULT,	IMSG_CTL_RELOAD,	0 },
	{ { "log", "verbose" },	CMD_RESULT,	IMSG_CTL_LOG_VERBOSE,	1 },
	{ { "log", "brief" },	CMD_RESULT,	IMSG_CTL_LOG_VERBOSE,	0 },
	{ { "host", PXECTL_ANY, "install" },
				CMD_RESULT,	IMSG_CTL_HOST_SET, HOST_INSTALL },
	{ { "host", PXECTL_ANY, "local" },
				CMD_RESULT,	IMSG_CTL_HOST_SET, HOST_LOCAL },
};

int			 jflag;
static const char	*sockpath = PXED_SOCKET;

static __dead void
usage(void)
{
	extern char	*__progname;

	fprintf(stderr, "usage: %s [-j] [-s socket] command\n"
	    "commands: show hosts | show leases | show stats |\n"
	    "          show transfers | show unknown [MAC|UUID] | reload |\n"
	    "          log verbose | log brief |\n"
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
	case IMSG_CTL_SHOW_UNKNOWN:
		req->onemac = 0;
		if (c->arg && mac_parse(argv[2], req->mac) == 0)
			req->onemac = 1;
		else if (c->arg && uuid_parse(argv[2], req->uuid) == 0)
			req->onemac = 2;
		else if (c->arg)
			errx(1, "%s: not a MAC address or a UUID", argv[2]);
		break;
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
		    strcmp(c->words[i], PXECTL_MAC) != 0 &&
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
	struct stat		 sb;
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
		if (errno == ECONNREFUSED && stat(path, &sb) == 0 &&
		    !S_ISSOCK(sb.st_mode))
			errx(1, "%s: not a socket (wrong -s path?)", path);
		if (errno == ENOENT || errno == ENOTDIR ||
		    errno == ECONNREFUSED)
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
	case IMSG_CTL_UNKNOWN:
		if (req->cmd != CMD_SHOW_UNKNOWN || rep->nprofiles > 0)
			break;
		recv_unknown(imsg, rep);
		return 0;
	case IMSG_CTL_PROFILE:
		if (req->cmd != CMD_SHOW_UNKNOWN)
			break;
		recv_profile(imsg, rep);
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
	    h->nmacs == 0 || h->nmacs > PXED_HOSTMACS ||
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
	    s->entry.name[0] == '\0' ||
	    !terminated(s->entry.metric, sizeof(s->entry.metric)) ||
	    !terminated(s->entry.help, sizeof(s->entry.help)))
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
recv_unknown(struct imsg *imsg, struct reply *rep)
{
	struct unknown_msg	*u;

	rep->unknown = grow(rep->unknown, rep->nunknown,
	    sizeof(*rep->unknown));
	u = &rep->unknown[rep->nunknown++];
	if (imsg_get_data(imsg, u, sizeof(*u)) == -1 ||
	    !terminated(u->archname, sizeof(u->archname)) ||
	    !terminated(u->vendor, sizeof(u->vendor)))
		malformed(imsg);
}

static void
recv_profile(struct imsg *imsg, struct reply *rep)
{
	struct ctl_profile	*p;

	rep->profiles = grow(rep->profiles, rep->nprofiles,
	    sizeof(*rep->profiles));
	p = &rep->profiles[rep->nprofiles++];
	if (imsg_get_data(imsg, p, sizeof(*p)) == -1 ||
	    !terminated(p->name, sizeof(p->name)) || p->name[0] == '\0')
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
	free(rep->unknown);
	free(rep->profiles);
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

