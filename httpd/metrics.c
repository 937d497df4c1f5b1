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
static int	 metrics_ptr_cmp(const void *, const void *);
static int	 metrics_name(const char *, size_t);
static void	 metrics_clean(char *);
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
	{ "files_from_memory", "http_files_from_memory_total", 0,
	    "Static files answered from the small-file cache",
	    &http_stats.from_memory },
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

/* A name of the text format as we write them: [a-z_][a-z0-9_]*. */
static int
metrics_name(const char *s, size_t len)
{
	size_t	 i;

	if (len == 0 || (s[0] >= '0' && s[0] <= '9'))
		return 0;
	for (i = 0; i < len; i++)
		if (!(s[i] >= 'a' && s[i] <= 'z') && s[i] != '_' &&
		    !(s[i] >= '0' && s[i] <= '9'))
			return 0;
	return 1;
}

/*
 * What another process sent, checked before it is printed: a family
 * name, then nothing or {name="value",...} with names and values of
 * [a-z0-9_] (no "proc", which we add, nor the reserved __ names), from
 * a process whose name is [a-z]+.  fam and labels (without the braces)
 * are PXED_METRICLEN.  -1: the sample is dropped; one worker must not
 * spoil the whole page.
 */
int
metrics_parse(const struct ctl_stat *st, char *fam, char *labels)
{
	const char	*m = st->entry.metric, *p, *eq, *end, *open;
	size_t		 flen;

	if (st->proc[0] == '\0' ||
	    strspn(st->proc, "abcdefghijklmnopqrstuvwxyz") != strlen(st->proc))
		return -1;
	flen = strcspn(m, "{");
	if (!metrics_name(m, flen))
		return -1;
	memcpy(fam, m, flen);
	fam[flen] = '\0';
	labels[0] = '\0';
	if (m[flen] == '\0')
		return 0;
	p = open = m + flen + 1;
	if ((end = strchr(p, '}')) == NULL || end[1] != '\0' || end == p)
		return -1;
	while (p < end) {
		if ((eq = memchr(p, '=', end - p)) == NULL ||
		    !metrics_name(p, eq - p) || (eq - p >= 2 &&
		    p[0] == '_' && p[1] == '_') || (eq - p == 4 &&
		    memcmp(p, "proc", 4) == 0) || eq[1] != '"')
			return -1;
		p = eq + 2;
		flen = strcspn(p, "\"");
		if (p + flen >= end || (flen > 0 && !metrics_name(p, flen) &&
		    strspn(p, "0123456789") != flen))
			return -1;
		p += flen + 1;
		if (p < end && *p++ != ',')
			return -1;
		if (p == end && p[-1] == ',')
			return -1;
	}
	memcpy(labels, open, end - open);
	labels[end - open] = '\0';
	return 0;
}

/* Help text: printable, no backslash (the format's escape). */
static void
metrics_clean(char *s)
{
	for (; *s != '\0'; s++)
		if (*s < 0x20 || *s > 0x7e || *s == '\\')
			*s = '_';
}

static int
metrics_cmp(const struct ctl_stat *x, const struct ctl_stat *y)
{
	const char	*a = x->entry.metric, *b = y->entry.metric;
	size_t		 la = strcspn(a, "{"), lb = strcspn(b, "{");
	int		 r;

	if ((r = strncmp(a, b, la < lb ? la : lb)) != 0)
		return r;
	if (la != lb)
		return la < lb ? -1 : 1;
	if ((r = strcmp(x->proc, y->proc)) != 0)
		return r;
	return strcmp(a, b);
}

/* By family, then process (sort_ptrs, never qsort: see there). */
static int
metrics_ptr_cmp(const void *a, const void *b)
{
	return metrics_cmp(*(struct ctl_stat * const *)a,
	    *(struct ctl_stat * const *)b);
}

static void
metrics_render(struct buf *b, struct ctl_stat *all, size_t n)
{
	struct ctl_stat	**sv, *st;
	char		 fam[PXED_METRICLEN], prev[PXED_METRICLEN] = "";
	char		 labels[PXED_METRICLEN], help[PXED_HELPLEN];
	size_t		 i;

	if ((sv = reallocarray(NULL, n + 1, sizeof(*sv))) == NULL)
		return;
	for (i = 0; i < n; i++)
		sv[i] = &all[i];
	sort_ptrs((void **)sv, n, metrics_ptr_cmp);
	for (i = 0; i < n; i++) {
		st = sv[i];
		if (metrics_parse(st, fam, labels) == -1)
			continue;
		if (strcmp(fam, prev) != 0) {
			strlcpy(help, st->entry.help, sizeof(help));
			metrics_clean(help);
			buf_printf(b, "# HELP pxed_%s %s\n# TYPE pxed_%s %s\n",
			    fam, help, fam, st->entry.gauge ? "gauge" :
			    "counter");
			strlcpy(prev, fam, sizeof(prev));
		}
		buf_printf(b, "pxed_%s{proc=\"%s\"%s%s} %llu\n", fam, st->proc,
		    labels[0] != '\0' ? "," : "", labels,
		    (unsigned long long)st->entry.value);
	}
	free(sv);
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
