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
 * storm: N PXE machines booting at once, as the firmware of each would.
 * DHCP DORA with PXE options, the loader over TFTP (tsize probe, ERROR 8,
 * blksize 1468, windowsize 4) or HTTP, the per-host menu, then kernel,
 * initrd, kickstart and done over HTTP/1.1 keep-alive.  One process, one
 * epoll loop.  All machines share the client namespace's one address:
 * DHCP replies come back broadcast and are matched by xid, the later
 * stages use one UDP socket (connected to the server's transfer port
 * once that answers) and one TCP connection per machine.  The client
 * shares the cores with the servers it measures, so it keeps its own
 * cost down the same way for all of them: bodies it does not read are
 * dropped in the kernel, and wake it once per 256 KiB.
 *
 *	storm [-n count] [-s server] [-u http-base] [-i ifname] [-t secs]
 *	    [-r ramp-ms] [-m mac-prefix] [-o datafile] [-q]
 */

#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "storm.h"

/* What the command line sets that S does not keep. */
struct args {
	const char	*datafile;
	const char	*ifname;
	unsigned int	 prefix[3];	/* the first three bytes of each MAC */
	int		 ramp;		/* ms over which machines start */
};

static double	 now_ms(void);
static void	 usage(void);
static void	 mach_init(struct mach *, int, const unsigned int *, int);
static void	 mach_start(struct mach *);
static void	 timers(void);
static void	 report(const char *);
static int	 dblcmp(const void *, const void *);
static double	 pct(double *, int, double);
static void	 dispatch(struct epoll_event *);
static void	 getargs(int, char *[], struct args *);
static void	 setup(const struct args *);
static void	 run(void);

struct storm	 S;

static const char *stage_names[ST_N] = {
	"dhcp", "loader", "menu", "kernel", "initrd", "kickstart", "done"
};

static double
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static void
usage(void)
{
	fprintf(stderr, "usage: storm [-q] [-i ifname] [-m mac-prefix] "
	    "[-n count] [-o datafile]\n\t[-r ramp-ms] [-s server] "
	    "[-t secs] [-u http-base]\n");
	exit(2);
}

/* Close a machine's socket, if open, and mark it closed. */
void
fd_close(int *fd)
{
	if (*fd != -1)
		close(*fd);
	*fd = -1;
}

void
mach_fail(struct mach *m, const char *reason)
{
	if (m->state == M_DONE || m->state == M_FAILED)
		return;
	m->state = M_FAILED;
	m->fail_stage = m->stage;
	m->fail_reason = reason;
	tftp_close(m);
	http_close(m);
	S.active--;
	S.failed++;
	if (!S.quiet)
		fprintf(stderr, "storm: %s: %s: %s\n", m->macstr,
		    stage_names[m->stage], reason);
}

/* The current stage is over: time it and start the next. */
void
mach_next(struct mach *m)
{
	m->lat[m->stage] = S.now - m->stage_t0;
	m->stage_t0 = S.now;
	m->tries = 0;
	m->timer = 0;
	switch (m->stage) {
	case ST_DHCP:
		m->stage = ST_LOADER;
		if (strncmp(m->file, "http://", 7) == 0)
			http_get(m, m->file, m->kind == K_IPXE);
		else
			tftp_start(m, m->file, 1);
		return;
	case ST_LOADER:
		tftp_close(m);
		m->stage = ST_MENU;
		if (m->kind == K_IPXE) {
			/* The iPXE script is the menu: no fetch. */
			m->lat[ST_MENU] = 0;
			if (menu_parse(m) == -1)
				return;
			m->stage = ST_KERNEL;
			http_get(m, m->kernel, 0);
			return;
		}
		tftp_start(m, m->menu, 0);
		return;
	case ST_MENU:
		tftp_close(m);
		if (menu_parse(m) == -1)
			return;
		m->stage = ST_KERNEL;
		http_get(m, m->kernel, 0);
		return;
	case ST_KERNEL:
		m->stage = ST_INITRD;
		http_get(m, m->initrd, 0);
		return;
	case ST_INITRD:
		m->stage = ST_KS;
		http_get(m, m->ks, 0);
		return;
	case ST_KS:
		m->stage = ST_DONE;
		http_get(m, m->done, 0);
		return;
	default:
		http_close(m);
		m->total = S.now - m->t0;
		m->state = M_DONE;
		S.active--;
		S.ok++;
		return;
	}
}

static void
mach_start(struct mach *m)
{
	m->state = M_RUN;
	m->t0 = m->stage_t0 = S.now;
	m->deadline = S.now + S.timeout_ms;
	m->stage = ST_DHCP;
	S.active++;
	dhcp_start(m);
}

/* Retransmits, per-step timeouts and the machines' overall deadlines. */
static void
timers(void)
{
	struct mach	*m;
	int		 i;

	for (i = 0; i < S.n; i++) {
		m = &S.m[i];
		if (m->state == M_WAIT && S.now >= m->start_at)
			mach_start(m);
		if (m->state != M_RUN)
			continue;
		if (S.now >= m->deadline) {
			mach_fail(m, "deadline");
			continue;
		}
		if (m->timer == 0 || S.now < m->timer)
			continue;
		S.retrans[m->stage]++;
		if (m->stage == ST_DHCP)
			dhcp_timeout(m);
		else if (m->tfd != -1)
			tftp_timeout(m);
		else
			mach_fail(m, "http timeout");
	}
}

static int
dblcmp(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
pct(double *v, int n, double p)
{
	int	i;

	if (n == 0)
		return 0;
	i = (int)(p * n + 0.999999) - 1;
	if (i < 0)
		i = 0;
	if (i >= n)
		i = n - 1;
	return v[i];
}

/* Per-stage percentiles of the machines that finished, and the failures. */
static void
report(const char *datafile)
{
	FILE	*f = NULL;
	double	*v;
	int	 i, j, k, cnt, s;

	if ((v = calloc(S.n + 1, sizeof(*v))) == NULL)
		err(1, NULL);
	if (datafile != NULL && (f = fopen(datafile, "w")) == NULL)
		err(1, "%s", datafile);
	printf("%-10s %6s %9s %9s %9s %9s\n", "stage(ms)", "n", "p50", "p95",
	    "p99", "max");
	for (s = 0; s <= ST_N; s++) {
		for (i = 0, cnt = 0; i < S.n; i++)
			if (S.m[i].state == M_DONE)
				v[cnt++] = s == ST_N ? S.m[i].total :
				    S.m[i].lat[s];
		qsort(v, cnt, sizeof(*v), dblcmp);
		printf("%-10s %6d %9.1f %9.1f %9.1f %9.1f\n",
		    s == ST_N ? "total" : stage_names[s], cnt,
		    pct(v, cnt, .50), pct(v, cnt, .95), pct(v, cnt, .99),
		    cnt ? v[cnt - 1] : 0);
		if (f != NULL)
			fprintf(f, "%s %.2f %.2f %.2f %.2f\n",
			    s == ST_N ? "total" : stage_names[s],
			    pct(v, cnt, .50), pct(v, cnt, .95),
			    pct(v, cnt, .99), cnt ? v[cnt - 1] : 0);
	}
	printf("machines %d ok %d failed %d wall %.3f s\n", S.n, S.ok,
	    S.failed, (S.end - S.begin) / 1000);
	for (s = 0, cnt = 0; s < ST_N; s++)
		cnt += S.retrans[s];
	if (cnt > 0) {
		printf("retransmits after a timeout:");
		for (s = 0; s < ST_N; s++)
			if (S.retrans[s] > 0)
				printf(" %s %d", stage_names[s], S.retrans[s]);
		printf("\n");
	}
	/* Failures, counted by stage and reason. */
	for (i = 0; i < S.n; i++) {
		if (S.m[i].state != M_FAILED && S.m[i].state != M_RUN)
			continue;
		for (j = 0; j < i; j++)
			if ((S.m[j].state == M_FAILED ||
			    S.m[j].state == M_RUN) &&
			    S.m[j].fail_stage == S.m[i].fail_stage &&
			    strcmp(S.m[j].fail_reason, S.m[i].fail_reason) == 0)
				break;
		if (j < i)
			continue;
		for (k = i, cnt = 0; k < S.n; k++)
			if ((S.m[k].state == M_FAILED ||
			    S.m[k].state == M_RUN) &&
			    S.m[k].fail_stage == S.m[i].fail_stage &&
			    strcmp(S.m[k].fail_reason, S.m[i].fail_reason) == 0)
				cnt++;
		printf("failure %s: %s: %d\n", stage_names[S.m[i].fail_stage],
		    S.m[i].fail_reason, cnt);
	}
	if (f != NULL)
		fclose(f);
	free(v);
}

static void
dispatch(struct epoll_event *ev)
{
	uint64_t	 d = ev->data.u64;
	struct mach	*m;

	if (d == UINT64_MAX) {
		dhcp_input();
		return;
	}
	m = &S.m[d >> 2];
	if (m->state != M_RUN)
		return;
	if ((d & 3) == 1 && m->tfd != -1)
		tftp_input(m);
	else if ((d & 3) == 2 && m->hfd != -1)
		http_event(m, ev->events);
}

/* Machine i: its MAC (prefix, then i + 1), kind, menu name and start. */
static void
mach_init(struct mach *m, int i, const unsigned int *b, int ramp)
{
	m->idx = i;
	m->tfd = m->hfd = -1;
	m->kind = i % 4;
	m->mac[0] = b[0];
	m->mac[1] = b[1];
	m->mac[2] = b[2];
	m->mac[3] = (i + 1) >> 16;
	m->mac[4] = (i + 1) >> 8;
	m->mac[5] = i + 1;
	snprintf(m->macstr, sizeof(m->macstr),
	    "%02x:%02x:%02x:%02x:%02x:%02x", m->mac[0], m->mac[1],
	    m->mac[2], m->mac[3], m->mac[4], m->mac[5]);
	/* The per-host menu pxelinux or GRUB asks for. */
	snprintf(m->menu, sizeof(m->menu), "%s01-%02x-%02x-%02x-%02x-"
	    "%02x-%02x", m->kind == K_BIOS ? "pxelinux.cfg/" : "grub.cfg-",
	    m->mac[0], m->mac[1], m->mac[2], m->mac[3], m->mac[4], m->mac[5]);
	m->xid = S.xid0 + i;
	m->start_at = S.now + (ramp ? random() % ramp : 0);
	m->state = M_WAIT;
	m->fail_reason = "not finished";
}

/* Parsed and checked once; S takes the rest. */
static void
getargs(int argc, char *argv[], struct args *a)
{
	const char	*errstr, *prefix = "52:54:00";
	int		 ch;

	a->datafile = a->ifname = NULL;
	a->ramp = 1000;
	S.n = 1000;
	S.timeout_ms = 120000;
	strlcpy(S.server, "10.77.0.2", sizeof(S.server));
	strlcpy(S.http, "http://10.77.0.2", sizeof(S.http));
	while ((ch = getopt(argc, argv, "i:m:n:o:qr:s:t:u:")) != -1) {
		switch (ch) {
		case 'i':
			a->ifname = optarg;
			break;
		case 'm':
			prefix = optarg;
			break;
		case 'n':
			S.n = strtonum(optarg, 1, 65535, &errstr);
			if (errstr != NULL)
				errx(2, "-n %s: %s", optarg, errstr);
			break;
		case 'o':
			a->datafile = optarg;
			break;
		case 'q':
			S.quiet = 1;
			break;
		case 'r':
			a->ramp = strtonum(optarg, 0, 600000, &errstr);
			if (errstr != NULL)
				errx(2, "-r %s: %s", optarg, errstr);
			break;
		case 's':
			strlcpy(S.server, optarg, sizeof(S.server));
			break;
		case 't':
			S.timeout_ms = 1000.0 * strtonum(optarg, 1, 3600,
			    &errstr);
			if (errstr != NULL)
				errx(2, "-t %s: %s", optarg, errstr);
			break;
		case 'u':
			strlcpy(S.http, optarg, sizeof(S.http));
			break;
		default:
			usage();
		}
	}
	if (argc != optind)
		usage();
	if (sscanf(prefix, "%x:%x:%x", &a->prefix[0], &a->prefix[1],
	    &a->prefix[2]) != 3 || a->prefix[0] > 255 ||
	    a->prefix[1] > 255 || a->prefix[2] > 255)
		errx(2, "-m %s: want three bytes, aa:bb:cc", prefix);
	if (inet_pton(AF_INET, S.server, &S.srv.sin_addr) != 1)
		errx(2, "-s %s: not an IPv4 address", S.server);
	S.srv.sin_family = AF_INET;
	if (http_base(S.http) == -1)
		errx(2, "-u %s: want http://a.b.c.d[:port]", S.http);
}

/* The descriptors, the epoll set, the DHCP socket and every machine. */
static void
setup(const struct args *a)
{
	struct rlimit	 rl;
	int		 i;

	/* Two descriptors a machine, and some. */
	rl.rlim_cur = rl.rlim_max = 2 * (rlim_t)S.n + 64;
	if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
		err(1, "setrlimit");
	if ((S.ep = epoll_create1(EPOLL_CLOEXEC)) == -1)
		err(1, "epoll_create1");
	dhcp_open(a->ifname);
	if ((S.m = calloc(S.n, sizeof(*S.m))) == NULL)
		err(1, NULL);
	srandom((unsigned int)getpid());
	S.xid0 = (uint32_t)random() << 16;
	S.begin = S.now = now_ms();
	for (i = 0; i < S.n; i++)
		mach_init(&S.m[i], i, a->prefix, a->ramp);
}

/* The loop, until every machine is done or has failed. */
static void
run(void)
{
	struct epoll_event	 evs[256];
	double			 last_timers = 0;
	int			 i, nev;

	while (S.ok + S.failed < S.n) {
		nev = epoll_wait(S.ep, evs, 256, 10);
		if (nev == -1 && errno != EINTR)
			err(1, "epoll_wait");
		S.now = now_ms();
		for (i = 0; i < nev; i++)
			dispatch(&evs[i]);
		/* A walk over every machine: once a millisecond is enough. */
		if (S.now - last_timers >= 1.0) {
			timers();
			last_timers = S.now;
		}
	}
	S.end = now_ms();
}

int
main(int argc, char *argv[])
{
	struct args	 a;

	getargs(argc, argv, &a);
	setup(&a);
	run();
	report(a.datafile);
	return S.failed == 0 ? 0 : 1;
}
