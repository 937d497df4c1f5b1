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
 * pxed: the master.  It parses the inventory, owns the state, opens the
 * ports and the control socket, then runs its workers (dhcpd, tftpd,
 * httpd), each re-executed from this binary as "pxed -P name".
 */

#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <sched.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "log.h"
#include "master.h"

extern const struct worker_ops	 dhcpd_ops, tftpd_ops, httpd_ops;
extern char			**environ;

struct config		*master_conf;

static char		 conffile[PATH_MAX];
static const char	*ctlsock = PXED_SOCKET;
static uint64_t		 nreloads, start_ms;
static struct listener	*listeners;
static size_t		 nlisteners;
static struct ev_io	 sig_io;

static __dead void	 usage(void);
static __dead void	 worker_exec(const char *, int, int);
static int		 check_config(const char *, int);
static int		 check_roots(const struct config *, struct buf *);
static void		 master_signal(int, int, void *);
static void		 master_start(int, int);
static void		 sched_batch(void);
static __dead void	 master_shutdown(void);

static __dead void
usage(void)
{
	fprintf(stderr, "usage: pxed [-dnv] [-f file] [-s socket]\n");
	exit(1);
}

int
main(int argc, char *argv[])
{
	const char	*file = PXED_CONF, *worker = NULL;
	int		 ch, debug = 0, noaction = 0, verbose = 0;

	/*
	 * Big blocks (a configuration's tables, a lease table) always from
	 * mmap: fresh zero pages.  glibc otherwise raises the threshold
	 * after the first big free, and a reload's tables would come from
	 * heap pages still shared copy-on-write with the parser child,
	 * each zeroed by a page copy while DHCP waits (11 ms for 100,000
	 * hosts).  Workers run this too: they are this program.
	 */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	setproctitle_init(argc, argv, environ);
	while ((ch = getopt(argc, argv, "df:nP:s:v")) != -1) {
		switch (ch) {
		case 'd':
			debug = 1;
			break;
		case 'f':
			file = optarg;
			break;
		case 'n':
			noaction = 1;
			break;
		case 'P':
			worker = optarg;
			break;
		case 's':
			ctlsock = optarg;
			break;
		case 'v':
			verbose++;
			break;
		default:
			usage();
		}
	}
	if (argc != optind)
		usage();
	if (worker != NULL)
		worker_exec(worker, debug, verbose);
	if (noaction)
		return check_config(file, verbose);
	if (geteuid() != 0)
		errx(1, "need root privileges");
	if (realpath(file, conffile) == NULL)
		err(1, "%s", file);
	master_start(debug, verbose);
	ev_loop();
	master_shutdown();
}

static __dead void
worker_exec(const char *name, int debug, int verbose)
{
	if (strcmp(name, "dhcpd") == 0)
		worker_main(&dhcpd_ops, debug, verbose);
	if (strcmp(name, "tftpd") == 0)
		worker_main(&tftpd_ops, debug, verbose);
	if (strcmp(name, "httpd") == 0)
		worker_main(&httpd_ops, debug, verbose);
	errx(1, "unknown process %s", name);
}

/* pxed -n: errors on stderr and 1, or "configuration OK" and 0. */
static int
check_config(const char *file, int verbose)
{
	struct config	 conf;
	struct buf	 errs;
	int		 n;

	config_init(&conf);
	buf_init(&errs);
	if ((n = config_load(file, &conf, &errs)) != 0)
		fputs(buf_cstr(&errs), stderr);
	else {
		if (verbose)
			config_print(&conf, stdout);
		printf("configuration OK\n");
	}
	buf_free(&errs);
	config_free(&conf);
	return n != 0;
}

/* Everything a running master needs of a new inventory before it takes it. */
int
master_load_config(struct config *conf, struct buf *errs)
{
	config_init(conf);
	if (config_load(conffile, conf, errs) != 0)
		return -1;
	if (sockets_resolve_address(conf, errs) == -1 ||
	    check_roots(conf, errs) == -1)
		return -1;
	return 0;
}

/* The chroots must exist: a worker that cannot enter one would only die. */
static int
check_roots(const struct config *conf, struct buf *errs)
{
	const char	*roots[2];
	struct stat	 st;
	int		 i, r = 0;

	roots[0] = conf->server.tftp_root;
	roots[1] = conf->server.http_root;
	for (i = 0; i < 2; i++) {
		if (stat(roots[i], &st) == -1) {
			buf_printf(errs, "%s: %s\n", roots[i], strerror(errno));
			r = -1;
		} else if (!S_ISDIR(st.st_mode)) {
			buf_printf(errs, "%s: not a directory\n", roots[i]);
			r = -1;
		}
	}
	return r;
}

/* One log line per error line; errs stays whole for pxectl. */
void
master_log_errors(const char *what, struct buf *errs)
{
	const char	*p = buf_cstr(errs);
	size_t		 len;

	while (*p != '\0') {
		if ((len = strcspn(p, "\n")) > 0)
			log_warnx("%s: %.*s", what, (int)len, p);
		p += len;
		if (*p == '\n')
			p++;
	}
}

static void
master_start(int debug, int verbose)
{
	static char	 self[PATH_MAX];
	struct buf	 errs;
	sigset_t	 mask;
	ssize_t		 n;
	int		 sfd;

	log_init(1, LOG_DAEMON);
	log_setverbose(verbose);
	if (sodium_init() == -1)
		fatalx("sodium_init");
	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) == -1)
		fatal("readlink /proc/self/exe");
	self[n] = '\0';
	if ((master_conf = calloc(1, sizeof(*master_conf))) == NULL)
		fatal("calloc");
	buf_init(&errs);
	if (master_load_config(master_conf, &errs) == -1 ||
	    state_open(master_conf->server.state) == -1 ||
	    duid_load(&master_conf->server) == -1 ||
	    leasedb_open() == -1 ||
	    sockets_open(master_conf, NULL, 0, &listeners, &nlisteners,
	    &errs) == -1 || sockets_set_congestion(listeners, nlisteners,
	    &master_conf->server, &errs) == -1) {
		fputs(buf_cstr(&errs), stderr);
		exit(1);
	}
	buf_free(&errs);
	state_apply(master_conf, NULL);
	if (state_save(master_conf) == -1)
		exit(1);
	if (ev_init() == -1)
		fatal("ev_init");
	if (control_init(ctlsock) == -1)
		exit(1);
	if (!debug && daemon(0, 0) == -1)
		fatal("daemon");
	log_init(debug, LOG_DAEMON);
	setproctitle("master");
	sched_batch();

	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC)) == -1 ||
	    ev_io_add(&sig_io, sfd, EV_READ, master_signal, NULL) == -1)
		fatal("signalfd");

	start_ms = ev_now();
	supervise_init(self, debug, verbose);
	supervise_set_listeners(listeners, nlisteners);
	supervise_start_all();
	log_info("startup: %zu hosts, %zu profiles, dhcp %s",
	    master_conf->nhosts, master_conf->nprofiles,
	    dhcp_mode_name(master_conf->server.dhcp_mode));
	if (debug) {
		log_setbuffered(1);
		ev_add_prepare(log_flush);
	}
}

/*
 * SCHED_BATCH for the master and, inherited, every worker: a worker
 * woken by a packet or an imsg then waits for the running one to block
 * or use up its slice instead of preempting it, so that under a storm
 * each wake-up handles a batch (a 1,000-machine storm: 9,000 context
 * switches instead of 22,000, 5% less time).  The cost, a wake-up latency
 * of up to a slice (milliseconds), is nothing to firmware that waits
 * seconds.  Best effort: pxed runs as it can without it.
 */
static void
sched_batch(void)
{
	struct sched_param	sp;

	memset(&sp, 0, sizeof(sp));
	if (sched_setscheduler(0, SCHED_BATCH, &sp) == -1)
		log_warn("SCHED_BATCH");
}

static void
master_signal(int fd, int what, void *arg)
{
	struct signalfd_siginfo	 si;
	struct buf		 errs;

	(void)what;
	(void)arg;
	while (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGHUP:
			buf_init(&errs);
			reload_request(0, &errs);
			buf_free(&errs);
			break;
		case SIGCHLD:
			supervise_reap();
			break;
		case SIGTERM:
		case SIGINT:
			ev_break();
			break;
		}
	}
}

/*
 * A new inventory, read and checked (reload.c): put it in place.  It is
 * still refused if its sockets, congestion control or state directory
 * cannot be had, and the running one keeps serving.  Workers get the new
 * configuration as a stream, or are restarted when their sockets, user
 * or chroot change.  conf is ours from here on.
 */
int
master_reload_apply(struct config *conf, struct buf *errs)
{
	struct config	*old = master_conf;
	struct listener	*nl;
	size_t		 nn;
	int		 restart, saved;

	restart = sockets_changed(&old->server, &conf->server);
	if (restart) {
		/* Sockets first: the running set is untouched on failure. */
		if (sockets_open(conf, listeners, nlisteners, &nl, &nn, errs)
		    == -1)
			goto refuse;
		/* Before the state directory, which cannot be put back. */
		if (sockets_set_congestion(nl, nn, &conf->server, errs)
		    == -1) {
			sockets_close(nl, nn);
			goto refuse;
		}
		if (strcmp(old->server.state, conf->server.state) != 0 &&
		    state_open(conf->server.state) == -1) {
			buf_printf(errs, "cannot use state directory %s\n",
			    conf->server.state);
			sockets_close(nl, nn);
			goto refuse;
		}
		supervise_set_listeners(nl, nn);
		sockets_close(listeners, nlisteners);
		listeners = nl;
		nlisteners = nn;
	} else if (sockets_set_congestion(listeners, nlisteners,
	    &conf->server, errs) == -1)
		goto refuse;
	/* The parser child applied the states from the same directory. */
	if (strcmp(old->server.state, conf->server.state) == 0)
		saved = state_reload(conf, old);
	else {
		state_apply(conf, old);
		saved = state_save(conf);
	}
	if (saved == -1)
		log_warnx("reload: host states not saved");
	if (duid_load(&conf->server) == -1)
		log_warnx("reload: no DHCPv6 server DUID, DHCPv6 not served");
	master_conf = conf;
	config_free(old);
	free(old);
	unknown_reconf(conf);
	nreloads++;
	if (restart)
		supervise_restart_all();
	else
		supervise_reconf_all();
	log_info("reloaded %s: %zu hosts, %zu profiles%s", conffile,
	    conf->nhosts, conf->nprofiles,
	    restart ? ", workers restarted" : "");
	return 0;
 refuse:
	master_log_errors("reload refused", errs);
	config_free(conf);
	free(conf);
	return -1;
}

int
master_set_host_state(const char *name, enum host_state st,
    struct buf *errs)
{
	struct host_state_msg	 hs;
	struct host		*h;

	if ((h = config_find_host(master_conf, name)) == NULL) {
		buf_printf(errs, "no host %s in the inventory\n", name);
		return -1;
	}
	if (state_host_set(master_conf, h, st) == -1) {
		buf_printf(errs, "cannot save the state of %s\n", name);
		return -1;
	}
	memset(&hs, 0, sizeof(hs));
	strlcpy(hs.name, h->conf.name, sizeof(hs.name));
	hs.rt = h->rt;
	supervise_broadcast(IMSG_HOST_STATE, &hs, sizeof(hs));
	log_info("host %s: state %s, generation %u", name,
	    host_state_name(st), h->rt.generation);
	return 0;
}

void
master_setverbose(int v)
{
	int32_t	 v32 = v;

	log_setverbose(v);
	supervise_broadcast(IMSG_CTL_LOG_VERBOSE, &v32, sizeof(v32));
	log_info("log %s", v ? "verbose" : "brief");
}

uint64_t
master_reloads(void)
{
	return nreloads;
}

uint64_t
master_uptime(void)
{
	return (ev_now() - start_ms) / 1000;
}

static __dead void
master_shutdown(void)
{
	log_info("terminating");
	supervise_shutdown();
	control_cleanup(ctlsock);
	log_flush();
	exit(0);
}
