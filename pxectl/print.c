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


/* pxectl's output: aligned tables, or JSON with -j. */

#include <sys/types.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <err.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pxectl.h"

/* A machine of "show unknown": its MACs, one row for the rest. */
struct unknown_machine {
	struct unknown_msg	 row;
	uint8_t			 macs[16][6];
	size_t			 nmacs;
};

/* Printable fields of a host; NULL where the table shows "-". */
struct host_row {
	char		 mac[PXED_HOSTMACS * 18];	/* all, comma-separated */
	char		 uuid[37];
	char		 ipbuf[INET_ADDRSTRLEN];
	char		 ip6buf[INET6_ADDRSTRLEN];
	char		 ips[INET_ADDRSTRLEN + INET6_ADDRSTRLEN];
	const char	*ip;
	const char	*ip6;
	const char	*ipcol;		/* ip and ip6, comma-separated */
	const char	*profile;
	const char	*state;
};

static void	 lease_row(const struct lease_msg *, char *, char *,
		    char *);
static void	 print_leases(const struct reply *);
static void	 print_leases_json(const struct reply *);
static const char *lease_state(uint32_t);
static void	 host_row(const struct ctl_host *, struct host_row *);
static void	 print_hosts(const struct reply *);
static void	 print_hosts_json(const struct reply *);
static void	 macs_join(const uint8_t (*)[6], size_t, char *, size_t);
static void	 machine_json(const uint8_t (*)[6], size_t, const uint8_t *);
static void	 print_stats(const struct reply *);
static void	 print_stats_json(const struct reply *);
static void	 stats_json_map(const struct reply *, size_t, int);
static void	 print_transfers(const struct reply *);
static void	 print_transfers_json(const struct reply *);
static void	 print_errors(const struct reply *);
static void	 time_iso(int64_t, char *, size_t);
static void	 print_unknown(const struct reply *);
static void	 print_unknown_json(const struct reply *);
static size_t	 unknown_group(const struct reply *,
		    struct unknown_machine **);
static void	 unknown_uuid(const struct unknown_machine *, char *, size_t);
static void	 unknown_json(const struct unknown_machine *);
static const struct unknown_machine *unknown_find(const struct request *,
		    const struct unknown_machine *, size_t);
static int	 print_unknown_entry(const struct request *,
		    const struct reply *);
static void	 json_string(const char *);
static size_t	 utf8_len(const unsigned char *);
static int	 width(int, const char *);

/* What each "show" prints, as text and with -j. */
static const struct {
	enum ctl_cmd	 cmd;
	void		(*text)(const struct reply *);
	void		(*json)(const struct reply *);
} printers[] = {
	{ CMD_SHOW_HOSTS, print_hosts, print_hosts_json },
	{ CMD_SHOW_LEASES, print_leases, print_leases_json },
	{ CMD_SHOW_STATS, print_stats, print_stats_json },
	{ CMD_SHOW_TRANSFERS, print_transfers, print_transfers_json },
	{ CMD_SHOW_UNKNOWN, print_unknown, print_unknown_json },
};

int
print_reply(const struct request *req, const struct reply *rep)
{
	size_t	 i;
	int	 status = 0;

	for (i = 0; i < nitems(printers); i++)
		if (printers[i].cmd == req->cmd)
			break;
	if (rep->nerrors > 0) {
		print_errors(rep);
		status = 1;
	} else if (req->cmd == CMD_SHOW_UNKNOWN && req->onemac)
		status = print_unknown_entry(req, rep);
	else if (i < nitems(printers))
		(jflag ? printers[i].json : printers[i].text)(rep);
	else if (jflag)
		printf("{\"ok\": true}\n");

	if (fflush(stdout) == EOF || ferror(stdout))
		err(1, "stdout");
	return status;
}

static void
host_row(const struct ctl_host *h, struct host_row *r)
{
	macs_join(h->macs, h->nmacs, r->mac, sizeof(r->mac));
	if (uuid_usable(h->uuid))
		uuid_format(h->uuid, r->uuid, sizeof(r->uuid));
	else
		strlcpy(r->uuid, "-", sizeof(r->uuid));
	r->ip = NULL;
	if (h->ip.s_addr != INADDR_ANY)
		r->ip = inet_ntop(AF_INET, &h->ip, r->ipbuf, sizeof(r->ipbuf));
	r->ip6 = NULL;
	if (!IN6_IS_ADDR_UNSPECIFIED(&h->ip6))
		r->ip6 = inet_ntop(AF_INET6, &h->ip6, r->ip6buf,
		    sizeof(r->ip6buf));
	/* The table's IP: an ip6 after the ip, as MACs after MACs. */
	snprintf(r->ips, sizeof(r->ips), "%s%s%s", r->ip != NULL ? r->ip : "",
	    r->ip != NULL && r->ip6 != NULL ? "," : "",
	    r->ip6 != NULL ? r->ip6 : "");
	r->ipcol = r->ips[0] != '\0' ? r->ips : NULL;
	r->profile = h->profile[0] != '\0' ? h->profile : NULL;
	r->state = host_state_name(h->rt.state);
}

static void
print_hosts(const struct reply *rep)
{
	struct host_row	 r;
	size_t		 i;
	int		 wn = 4, wm = 3, wi = 2, wp = 7, ws = 5, wu = 4;

	for (i = 0; i < rep->nhosts; i++) {
		host_row(&rep->hosts[i], &r);
		wn = width(wn, rep->hosts[i].name);
		wm = width(wm, r.mac);
		wi = width(wi, r.ipcol);
		wp = width(wp, r.profile);
		ws = width(ws, r.state);
		wu = width(wu, r.uuid);
	}
	printf("%-*s  %-*s  %-*s  %-*s  %-*s  %-3s  %s\n", wn, "NAME", wm,
	    "MAC", wi, "IP", wp, "PROFILE", ws, "STATE", "GEN", "UUID");
	for (i = 0; i < rep->nhosts; i++) {
		host_row(&rep->hosts[i], &r);
		printf("%-*s  %-*s  %-*s  %-*s  %-*s  %-3u  %s\n",
		    wn, rep->hosts[i].name, wm, r.mac,
		    wi, r.ipcol != NULL ? r.ipcol : "-",
		    wp, r.profile != NULL ? r.profile : "-",
		    ws, r.state, rep->hosts[i].rt.generation, r.uuid);
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
		printf(", ");
		machine_json(rep->hosts[i].macs, rep->hosts[i].nmacs,
		    rep->hosts[i].uuid);
		printf(", \"ip\": ");
		json_string(r.ip);
		printf(", \"ip6\": ");
		json_string(r.ip6);
		printf(", \"profile\": ");
		json_string(r.profile);
		printf(", \"state\": ");
		json_string(r.state);
		printf(", \"generation\": %u}", rep->hosts[i].rt.generation);
	}
	printf("%s]\n", rep->nhosts > 0 ? "\n" : "");
}

/* A machine's MACs, separated by commas. */
static void
macs_join(const uint8_t (*macs)[6], size_t n, char *out, size_t len)
{
	char	 m[18];
	size_t	 i;

	out[0] = '\0';
	for (i = 0; i < n; i++) {
		mac_format(macs[i], m, sizeof(m));
		if (i > 0)
			strlcat(out, ",", len);
		strlcat(out, m, len);
	}
}

/* "mac": the first, "macs": all of them, "uuid": it or null. */
static void
machine_json(const uint8_t (*macs)[6], size_t n, const uint8_t *uuid)
{
	char	 m[37];
	size_t	 i;

	mac_format(macs[0], m, sizeof(m));
	printf("\"mac\": ");
	json_string(m);
	printf(", \"macs\": [");
	for (i = 0; i < n; i++) {
		mac_format(macs[i], m, sizeof(m));
		printf("%s", i > 0 ? ", " : "");
		json_string(m);
	}
	printf("], \"uuid\": ");
	if (uuid_usable(uuid)) {
		uuid_format(uuid, m, sizeof(m));
		json_string(m);
	} else
		json_string(NULL);
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
/* The counters of the process of stats[from]: name -> value, or metric. */
static void
stats_json_map(const struct reply *rep, size_t from, int metric)
{
	const struct ctl_stat	*t;
	const char		*proc = rep->stats[from].proc;
	size_t			 j;
	int			 first = 1;

	for (j = from; j < rep->nstats; j++) {
		t = &rep->stats[j];
		if (strcmp(t->proc, proc) != 0)
			continue;
		printf("%s", first ? "" : ", ");
		json_string(t->entry.name);
		if (metric) {
			printf(": ");
			json_string(t->entry.metric);
		} else
			printf(": %" PRIu64, t->entry.value);
		first = 0;
	}
}

static void
print_stats_json(const struct reply *rep)
{
	const struct ctl_stat	*s;
	size_t			 i, j, nprocs = 0;

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
		stats_json_map(rep, i, 0);
		/* Each counter's name in /metrics (pxed_ and the proc label
		 * added there). */
		printf("}, \"metrics\": {");
		stats_json_map(rep, i, 1);
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

/* IP, MAC ("-" when an IPv6 client's is unknown), the expiry in UTC. */
static void
lease_row(const struct lease_msg *l, char *ip, char *mac, char *exp)
{
	static const uint8_t	 zero[6];
	struct tm		 tm;
	time_t			 t = (time_t)l->expires;

	if (l->v6)
		inet_ntop(AF_INET6, &l->ip6, ip, INET6_ADDRSTRLEN);
	else
		inet_ntop(AF_INET, &l->ip, ip, INET_ADDRSTRLEN);
	mac_format(l->mac, mac, 18);
	if (l->v6 && memcmp(l->mac, zero, 6) == 0)
		strlcpy(mac, "-", 18);
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
	char			 ip[INET6_ADDRSTRLEN], mac[18], exp[24];
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
	char			 ip[INET6_ADDRSTRLEN], mac[18], exp[24];
	char			 duid[2 * PXED_DUIDMAX + 1];
	size_t			 i;

	printf("[");
	for (i = 0; i < rep->nleases; i++) {
		l = &rep->leases[i];
		lease_row(l, ip, mac, exp);
		printf("%s\n  {\"family\": \"%s\", \"ip\": ",
		    i > 0 ? "," : "", l->v6 ? "ipv6" : "ipv4");
		json_string(ip);
		printf(", \"mac\": ");
		json_string(strcmp(mac, "-") == 0 ? NULL : mac);
		if (l->v6) {
			hex_format(l->duid, l->duidlen, duid, sizeof(duid));
			printf(", \"duid\": ");
			json_string(duid);
			printf(", \"iaid\": %u", l->iaid);
		}
		printf(", \"host\": ");
		json_string(l->hostname[0] != '\0' ? l->hostname : NULL);
		printf(", \"state\": ");
		json_string(lease_state(l->state));
		printf(", \"expires\": %lld}", (long long)l->expires);
	}
	printf("%s]\n", rep->nleases > 0 ? "\n" : "");
}

/* time(3) seconds as UTC, ISO 8601; "-" if out of range. */
static void
time_iso(int64_t secs, char *buf, size_t len)
{
	struct tm	 tm;
	time_t		 t = (time_t)secs;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		strlcpy(buf, "-", len);
}

/*
 * The rows (one per MAC) as machines: the MACs that sent one UUID are
 * one machine, a MAC without a UUID is one on its own.  Each machine's
 * arch and vendor class are those seen last; its times span them all.
 */
static size_t
unknown_group(const struct reply *rep, struct unknown_machine **out)
{
	struct unknown_machine	*v, *g;
	const struct unknown_msg *u;
	size_t			 i, j, n = 0;

	if ((v = calloc(rep->nunknown + 1, sizeof(*v))) == NULL)
		err(1, NULL);
	for (i = 0; i < rep->nunknown; i++) {
		u = &rep->unknown[i];
		g = NULL;
		for (j = 0; j < n && uuid_usable(u->uuid) && g == NULL; j++)
			if (memcmp(v[j].row.uuid, u->uuid, PXED_UUIDLEN) == 0)
				g = &v[j];
		if (g == NULL) {
			g = &v[n++];
			g->row = *u;
			g->row.count = 0;
		} else if (u->last >= g->row.last) {
			g->row.arch = u->arch;
			memcpy(g->row.archname, u->archname,
			    sizeof(u->archname));
			memcpy(g->row.vendor, u->vendor, sizeof(u->vendor));
		}
		if (g->nmacs < sizeof(g->macs) / sizeof(g->macs[0]))
			memcpy(g->macs[g->nmacs++], u->mac, 6);
		if (u->first < g->row.first)
			g->row.first = u->first;
		if (u->last > g->row.last)
			g->row.last = u->last;
		g->row.count += u->count;
	}
	*out = v;
	return n;
}

static void
unknown_uuid(const struct unknown_machine *g, char *out, size_t len)
{
	if (uuid_usable(g->row.uuid))
		uuid_format(g->row.uuid, out, len);
	else
		strlcpy(out, "-", len);
}

static void
print_unknown(const struct reply *rep)
{
	struct unknown_machine	*v;
	const struct unknown_msg *u;
	char			 macs[sizeof(v->macs) * 3], first[24], last[24];
	char			 uuid[37];
	size_t			 i, n;
	int			 wm = 3, wa = 4, wv = 6;

	n = unknown_group(rep, &v);
	for (i = 0; i < n; i++) {
		u = &v[i].row;
		macs_join(v[i].macs, v[i].nmacs, macs, sizeof(macs));
		wm = width(wm, macs);
		wa = width(wa, u->archname);
		wv = width(wv, u->vendor[0] != '\0' ? u->vendor : "-");
	}
	printf("%-*s  %-*s  %-*s  %-20s  %-20s  %-5s  %s\n", wm, "MAC", wa,
	    "ARCH", wv, "VENDOR", "FIRST-SEEN", "LAST-SEEN", "COUNT", "UUID");
	for (i = 0; i < n; i++) {
		u = &v[i].row;
		macs_join(v[i].macs, v[i].nmacs, macs, sizeof(macs));
		unknown_uuid(&v[i], uuid, sizeof(uuid));
		time_iso(u->first, first, sizeof(first));
		time_iso(u->last, last, sizeof(last));
		printf("%-*s  %-*s  %-*s  %-20s  %-20s  %-5u  %s\n", wm, macs,
		    wa, u->archname, wv,
		    u->vendor[0] != '\0' ? u->vendor : "-", first, last,
		    u->count, uuid);
	}
	free(v);
}

static void
unknown_json(const struct unknown_machine *g)
{
	const struct unknown_msg *u = &g->row;

	printf("{");
	machine_json(g->macs, g->nmacs, u->uuid);
	printf(", \"arch\": %u, \"archname\": ", u->arch);
	json_string(u->archname);
	printf(", \"vendor\": ");
	json_string(u->vendor[0] != '\0' ? u->vendor : NULL);
	printf(", \"first_seen\": %lld, \"last_seen\": %lld, "
	    "\"count\": %u}", (long long)u->first, (long long)u->last,
	    u->count);
}

static void
print_unknown_json(const struct reply *rep)
{
	struct unknown_machine	*v;
	size_t			 i, n;

	n = unknown_group(rep, &v);
	printf("[");
	for (i = 0; i < n; i++) {
		printf("%s\n  ", i > 0 ? "," : "");
		unknown_json(&v[i]);
	}
	printf("%s]\n", n > 0 ? "\n" : "");
	free(v);
}

/* The machine req names, by one of its MACs or by its UUID. */
static const struct unknown_machine *
unknown_find(const struct request *req, const struct unknown_machine *v,
    size_t n)
{
	size_t	 i, j;

	for (i = 0; i < n; i++) {
		if (req->onemac == 2 && uuid_usable(v[i].row.uuid) &&
		    memcmp(v[i].row.uuid, req->uuid, PXED_UUIDLEN) == 0)
			return &v[i];
		for (j = 0; req->onemac == 1 && j < v[i].nmacs; j++)
			if (memcmp(v[i].macs[j], req->mac, 6) == 0)
				return &v[i];
	}
	return NULL;
}

/*
 * One machine as an inventory entry to paste under hosts:, with its
 * UUID and all its MACs, and the profiles to choose from in a comment.
 * With -j: its row.
 */
static int
print_unknown_entry(const struct request *req, const struct reply *rep)
{
	struct unknown_machine		*v;
	const struct unknown_machine	*g;
	const struct unknown_msg	*u;
	char				 m[37];
	size_t				 i, n;

	n = unknown_group(rep, &v);
	if ((g = unknown_find(req, v, n)) == NULL) {
		if (req->onemac == 1)
			mac_format(req->mac, m, sizeof(m));
		else
			uuid_format(req->uuid, m, sizeof(m));
		warnx("%s: not seen booting, or already in the inventory", m);
		if (jflag)
			printf("{\"ok\": false, \"errors\": [\"not seen\"]}\n");
		free(v);
		return 1;
	}
	if (jflag) {
		unknown_json(g);
		printf("\n");
		free(v);
		return 0;
	}
	u = &g->row;
	printf("hosts:\n  node-%02x%02x%02x%02x%02x%02x:\n",
	    g->macs[0][0], g->macs[0][1], g->macs[0][2], g->macs[0][3],
	    g->macs[0][4], g->macs[0][5]);
	mac_format(g->macs[0], m, sizeof(m));
	printf("    mac:%s%s    # %s%s%s\n", g->nmacs == 1 ? " " : "",
	    g->nmacs == 1 ? m : "", u->archname,
	    u->vendor[0] != '\0' ? ", " : "", u->vendor);
	if (g->nmacs > 1) {
		for (i = 0; i < g->nmacs; i++) {
			mac_format(g->macs[i], m, sizeof(m));
			printf("      - %s\n", m);
		}
	}
	if (uuid_usable(u->uuid)) {
		uuid_format(u->uuid, m, sizeof(m));
		printf("    uuid: %s\n", m);
	}
	printf("    # ip: 10.0.0.10          # a fixed address outside the "
	    "pool\n");
	printf("    # profile: %s", rep->nprofiles > 0 ?
	    rep->profiles[0].name : "NAME");
	for (i = 0; i < rep->nprofiles; i++)
		printf("%s%s", i == 0 ? "    # one of: " : ", ",
		    rep->profiles[i].name);
	printf("\n    # install: true\n");
	free(v);
	return 0;
}
