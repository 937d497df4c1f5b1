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
 * httpd's counters, and /metrics: every process's counters in the
 * Prometheus text format.
 * The master relays its own and those of dhcpd and tftpd (as "pxectl
 * show stats" gets them: master/fanout.c); ours come from our table.
 * Each counter travels with its family name, type and help, from the
 * one table that defines it, so that a family here is named, typed and
 * explained once: "# HELP", "# TYPE", then a sample a process,
 * pxed_<family>{proc="<process>"[,<its labels>]} <value>.  What comes
 * from another process is made safe to print first.
 */

#include <sys/types.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "httpd.h"
#include "proc.h"

#define METRICS_MAXSTATS	1024

static int	 metrics_cmp(const struct ctl_stat *, const struct ctl_stat *);
static void	 metrics_sort(struct ctl_stat *, size_t);
static size_t	 metrics_family(const char *, char *, size_t);
static void	 metrics_clean(char *, const char *);
static void	 metrics_render(struct buf *, struct ctl_stat *, size_t);
static void	 metrics_own(struct http_conn *, const struct stat_def *,
		    size_t);

/*
 * Our counters: pxectl's name, the /metrics family, gauge, help.  The
 * stats reply (httpd.c) and metrics_reply read this table.
 */
#define REQ(c)	{ "requests_" #c, "http_requests_total{code=\"" #c "\"}", 0, \
	    "HTTP responses by status code", &http_stats.requests[HC_##c] }
#define CONN(n, f) { "connections_" n, "http_connections_total{result=\"" \
	    n "\"}", 0, "HTTP connections accepted, and how they ended", \
	    &http_stats.f }
const struct stat_def	 http_defs[] = {
	{ "sockets", "sockets", 1, "Sockets the process serves",
	    &http_stats.sockets },
	{ "hosts", "hosts", 1, "Hosts of the inventory the process has",
	    &http_stats.hosts },
	{ "connections_active", "http_connections_active", 1,
	    "HTTP connections open", &http_stats.active },
	CONN("accepted", accepted),
	CONN("closed_idle", closed_idle),
	CONN("closed_slow", closed_slow),
	CONN("refused_cap", refused_cap),
	CONN("refused_client", refused_client),
	CONN("evicted_idle", evicted_idle),
	{ "bytes", "http_response_bytes_total", 0, "HTTP body bytes sent",
	    &http_stats.bytes },
	{ "menus_generated", "http_menus_generated_total", 0,
	    "Generated menus served over HTTP", &http_stats.menus },
	{ "done_ok", "http_done_total{result=\"ok\"}", 0,
	    "Install-done reports, by result", &http_stats.done_ok },
	{ "done_refused", "http_done_total{result=\"refused\"}", 0,
	    "Install-done reports, by result", &http_stats.done_refused },
	REQ(200), REQ(206), REQ(304), REQ(400), REQ(403), REQ(404), REQ(405),
	REQ(408), REQ(413), REQ(414), REQ(416), REQ(431), REQ(500), REQ(501),
	REQ(503), REQ(505),
	{ "requests_other", "http_requests_total{code=\"other\"}", 0,
	    "HTTP responses by status code", &http_stats.requests[HC_OTHER] },
};
const size_t		 http_ndefs = nitems(http_defs);
#undef REQ
#undef CONN

/* One counter relayed by the master, kept until the reply. */
void
metrics_add(struct http_conn *c, const struct ctl_stat *cs)
{
	struct ctl_stat	*n;

	if (c->nmstats >= METRICS_MAXSTATS)
		return;
	if ((n = reallocarray(c->mstats, c->nmstats + 1, sizeof(*n))) ==
	    NULL)
		return;
	c->mstats = n;
	n = &c->mstats[c->nmstats++];
	*n = *cs;
	n->proc[sizeof(n->proc) - 1] = '\0';
	n->entry.name[sizeof(n->entry.name) - 1] = '\0';
	n->entry.metric[sizeof(n->entry.metric) - 1] = '\0';
	n->entry.help[sizeof(n->entry.help) - 1] = '\0';
}

/* The family: the metric's name before its labels, [a-z0-9_] only. */
static size_t
metrics_family(const char *metric, char *out, size_t len)
{
	size_t	 i;
	char	 ch;

	for (i = 0; metric[i] != '\0' && metric[i] != '{' && i < len - 1;
	    i++) {
		ch = metric[i];
		out[i] = (ch >= 'a' && ch <= 'z') || (ch >= '0' &&
		    ch <= '9') ? ch : '_';
	}
	out[i] = '\0';
	return i;
}

/*
 * Labels as name="value" pairs of [a-z0-9_] each, or nothing; help as
 * printable text without a backslash.  Both go out verbatim otherwise.
 */
static void
metrics_clean(char *s, const char *allowed)
{
	for (; *s != '\0'; s++)
		if (strchr(allowed, *s) == NULL &&
		    !(*s >= 'a' && *s <= 'z') && !(*s >= '0' && *s <= '9'))
			*s = '_';
}

static int
metrics_cmp(const struct ctl_stat *x, const struct ctl_stat *y)
{
	char			 fx[PXED_METRICLEN], fy[PXED_METRICLEN];
	int			 r;

	metrics_family(x->entry.metric, fx, sizeof(fx));
	metrics_family(y->entry.metric, fy, sizeof(fy));
	if ((r = strcmp(fx, fy)) != 0)
		return r;
	if ((r = strcmp(x->proc, y->proc)) != 0)
		return r;
	return strcmp(x->entry.metric, y->entry.metric);
}

/*
 * By family, then process.  An insertion sort, not qsort(3): glibc's
 * asks the kernel for the memory size (sysinfo) when the array is large,
 * which our seccomp list does not allow; a thousand entries at most.
 */
static void
metrics_sort(struct ctl_stat *st, size_t n)
{
	struct ctl_stat	 t;
	size_t		 i, j;

	for (i = 1; i < n; i++) {
		t = st[i];
		for (j = i; j > 0 && metrics_cmp(&st[j - 1], &t) > 0; j--)
			st[j] = st[j - 1];
		st[j] = t;
	}
}

static void
metrics_render(struct buf *b, struct ctl_stat *st, size_t n)
{
	char		 fam[PXED_METRICLEN], prev[PXED_METRICLEN] = "";
	char		 labels[PXED_METRICLEN], help[PXED_HELPLEN];
	const char	*l, *proc;
	size_t		 i, flen, llen;

	metrics_sort(st, n);
	for (i = 0; i < n; i++) {
		flen = metrics_family(st[i].entry.metric, fam, sizeof(fam));
		if (flen == 0)
			continue;
		if (strcmp(fam, prev) != 0) {
			strlcpy(help, st[i].entry.help, sizeof(help));
			metrics_clean(help, " ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    ".,:;()'/-+=<>!?\"_");
			buf_printf(b, "# HELP pxed_%s %s\n# TYPE pxed_%s %s\n",
			    fam, help, fam, st[i].entry.gauge ? "gauge" :
			    "counter");
			strlcpy(prev, fam, sizeof(prev));
		}
		/* The labels inside {...}, if any. */
		labels[0] = '\0';
		if ((l = strchr(st[i].entry.metric, '{')) != NULL &&
		    (llen = strlen(l + 1)) > 1 && l[llen] == '}') {
			strlcpy(labels, l + 1, sizeof(labels));
			labels[llen - 1] = '\0';
			metrics_clean(labels, "_=\",");
		}
		for (proc = st[i].proc; *proc >= 'a' && *proc <= 'z'; proc++)
			;
		buf_printf(b, "pxed_%s{proc=\"%s\"%s%s} %llu\n", fam,
		    *proc == '\0' ? st[i].proc : "unknown",
		    labels[0] != '\0' ? "," : "", labels,
		    (unsigned long long)st[i].entry.value);
	}
}

/* Ours, as our stats reply has them (a worker's, then httpd's). */
static void
metrics_own(struct http_conn *c, const struct stat_def *defs, size_t n)
{
	struct ctl_stat	 cs;
	size_t		 i;

	for (i = 0; i < n; i++) {
		memset(&cs, 0, sizeof(cs));
		strlcpy(cs.proc, "httpd", sizeof(cs.proc));
		cs.pid = getpid();
		stat_entry_set(&cs.entry, &defs[i]);
		metrics_add(c, &cs);
	}
}

/* Ours, then all of them out. */
void
metrics_reply(struct http_conn *c)
{
	metrics_own(c, worker_defs, worker_ndefs);
	metrics_own(c, http_defs, http_ndefs);
	buf_reset(&c->body);
	metrics_render(&c->body, c->mstats, c->nmstats);
	http_body_reply(c, 200, "text/plain; version=0.0.4");
}
