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
 * The loader's errors, and the checks that span the whole inventory:
 * duplicate names, MACs and addresses, fixed addresses against the
 * subnets and their pools (of either family, by one code through
 * struct family), and every template against the hosts that
 * will see it, so that an unknown {{variable}} fails the load rather
 * than an install.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pxed.h"
#include "tmpl.h"
#include "config.h"

enum dup_kind {
	DUP_NAME,
	DUP_MAC,
	DUP_UUID,
	DUP_IP,
	DUP_IP6,
};

/*
 * One address family's side of the inventory, for the checks both
 * share: its dhcp section, a host's fixed address and the server's.
 */
struct family {
	size_t			 alen;		/* 4, 16 */
	const char		*section;	/* "dhcp", "dhcp6" */
	const char		*key;		/* "ip", "ip6" */
	const char		*every;		/* "every subnet", ... */
	uint32_t		 mode;
	const void		*server;	/* server.address, address6 */
	size_t			 nsubnets;
	const struct conf_pos	*netpos;
	const struct conf_pos	*modepos;
	int			 badsubnet;
};

/* A subnet of either family. */
struct subnet {
	const void	*network;
	uint32_t	 prefixlen;
	const void	*lo, *hi;	/* the range, zero: none */
	const void	*router;	/* zero: none */
};

/* A host under one of its keys (sub: which MAC), for sorting. */
struct dup_ent {
	uint8_t		 key[PXED_NAMELEN];
	size_t		 host;
	size_t		 sub;
};

/* A {{vars.KEY}} in a template: its first use. */
struct tmpl_ref {
	char		 key[PXED_VARKEYLEN];
	struct conf_pos	 pos;
};

/* One template being checked. */
struct tmpl_check {
	struct conf_loader	*ld;
	const struct conf_src	*src;
	/* the inventory with one host, a client that is not listed */
	struct config		 view;
	struct host		 dummy;
	struct tmpl_host_ctx	 hctx;
	struct buf		 out;
	struct tmpl_ref		*refs;
	size_t			 nrefs;
	const char		*pending;	/* a vars.KEY not yet seen */
	size_t			 pendlen;
};

static int	 err_cmp(const void *, const void *);
static const char *err_file(const struct conf_loader *, uint32_t);
static void	 check_user(struct conf_loader *);
static void	 family(const struct conf_loader *, int, struct family *);
static void	 subnet(const struct config *, int, size_t, struct subnet *);
static const void *host_addr(const struct host_conf *, int);
static void	 check_subnets(struct conf_loader *, int);
static void	 check_dups(struct conf_loader *, enum dup_kind);
static int	 dup_cmp(const void *, const void *);
static void	 uuid_key(const uint8_t [PXED_UUIDLEN], uint8_t *);
static void	 dup_report(struct conf_loader *, enum dup_kind,
		    const struct dup_ent *, const struct dup_ent *);
static void	 check_host(struct conf_loader *, size_t);
static void	 check_host_ip(struct conf_loader *, size_t, int);
static void	 check_templates(struct conf_loader *);
static void	 check_template(struct tmpl_check *, const char *,
		    const struct conf_src *, int, int);
static void	 check_text(struct tmpl_check *, const char *, size_t);
static const char *check_lookup(const char *, size_t, void *);
static void	 add_ref(struct tmpl_check *, const struct conf_pos *);
static const char *text_at(const char *, uint32_t, uint32_t);
static const char *skip_var(const char *, const char *);
static struct conf_pos src_pos(const struct conf_src *, uint32_t, uint32_t);

/*
 * Record an error, once: the same message at the same place comes from
 * one template rendered for many hosts.
 */
void
conf_err(struct conf_loader *ld, const struct conf_pos *pos,
    const char *fmt, ...)
{
	struct conf_err	*e;
	char		 msg[PXED_ERRLEN], *p;
	va_list		 ap;
	size_t		 i;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* names and values from the file may hold anything */
	for (p = msg; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	}
	for (i = 0; i < ld->nerrs; i++) {
		e = &ld->errs[i];
		if (e->pos.file == pos->file && e->pos.line == pos->line &&
		    e->pos.col == pos->col && strcmp(e->msg, msg) == 0)
			return;
	}
	if (ld->errs == NULL &&
	    (ld->errs = calloc(CONF_MAXERRS, sizeof(*ld->errs))) == NULL) {
		ld->dropped++;
		return;
	}
	if (ld->nerrs == CONF_MAXERRS) {
		ld->dropped++;
		return;
	}
	e = &ld->errs[ld->nerrs];
	e->pos = *pos;
	e->seq = ld->nerrs++;
	strlcpy(e->msg, msg, sizeof(e->msg));
}

/* Inventory first, then each kickstart; by line, column, discovery. */
static int
err_cmp(const void *a, const void *b)
{
	const struct conf_err	*x = a, *y = b;

	if (x->pos.file != y->pos.file)
		return x->pos.file < y->pos.file ? -1 : 1;
	if (x->pos.line != y->pos.line)
		return x->pos.line < y->pos.line ? -1 : 1;
	if (x->pos.col != y->pos.col)
		return x->pos.col < y->pos.col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static const char *
err_file(const struct conf_loader *ld, uint32_t file)
{
	return file == 0 ? ld->path : ld->profpos[file - 1].ksfile;
}

/* Append the errors to out, sorted, and free them.  Returns how many. */
int
conf_err_flush(struct conf_loader *ld, struct buf *out)
{
	struct conf_err	*e;
	size_t		 i, n = ld->nerrs + ld->dropped;

	if (ld->nerrs > 0)
		qsort(ld->errs, ld->nerrs, sizeof(*ld->errs), err_cmp);
	for (i = 0; i < ld->nerrs; i++) {
		e = &ld->errs[i];
		buf_printf(out, "%s:%u:%u: %s\n", err_file(ld, e->pos.file),
		    e->pos.line, e->pos.col, e->msg);
	}
	if (ld->dropped > 0)
		buf_printf(out, "%s:1:1: %zu more errors not shown\n",
		    ld->path, ld->dropped);
	free(ld->errs);
	ld->errs = NULL;
	ld->nerrs = ld->dropped = 0;
	return n > INT_MAX ? INT_MAX : (int)n;
}

void
config_check(struct conf_loader *ld)
{
	size_t	 i;

	check_user(ld);
	check_subnets(ld, AF_INET);
	check_subnets(ld, AF_INET6);
	check_dups(ld, DUP_NAME);
	check_dups(ld, DUP_MAC);
	check_dups(ld, DUP_UUID);
	check_dups(ld, DUP_IP);
	check_dups(ld, DUP_IP6);
	for (i = 0; i < ld->conf->nhosts; i++)
		check_host(ld, i);
	check_templates(ld);
}

/*
 * The workers drop to server.user: a user that does not exist would
 * have every worker die at start and restart forever, and root would
 * be no sandbox at all.
 */
static void
check_user(struct conf_loader *ld)
{
	const char	*user = ld->conf->server.user;
	struct passwd	*pw;

	if (user[0] == '\0' || ld->user.line == 0)
		return;
	if ((pw = getpwnam(user)) == NULL)
		conf_err(ld, &ld->user, "server.user %s: no such user (create "
		    "it, e.g. useradd -r -s /usr/sbin/nologin -d /nonexistent "
		    "%s)", user, user);
	else if (pw->pw_uid == 0)
		conf_err(ld, &ld->user, "server.user %s has uid 0: the "
		    "workers must not run as root", user);
}

static void
family(const struct conf_loader *ld, int af, struct family *f)
{
	const struct config	*conf = ld->conf;
	int			 v6 = af == AF_INET6;

	f->alen = v6 ? 16 : 4;
	f->section = v6 ? "dhcp6" : "dhcp";
	f->key = v6 ? "ip6" : "ip";
	f->every = v6 ? "every dhcp6 subnet" : "every subnet";
	f->mode = v6 ? conf->server.dhcp6_mode : conf->server.dhcp_mode;
	f->server = v6 ? (const void *)&conf->server.address6 :
	    (const void *)&conf->server.address;
	f->nsubnets = v6 ? conf->nsubnets6 : conf->nsubnets;
	f->netpos = v6 ? ld->netpos6 : ld->netpos;
	f->modepos = v6 ? &ld->mode6 : &ld->mode;
	f->badsubnet = v6 ? ld->badsubnet6 : ld->badsubnet;
}

static void
subnet(const struct config *conf, int af, size_t i, struct subnet *sn)
{
	const struct subnet_conf	*s4;
	const struct subnet6_conf	*s6;

	if (af == AF_INET6) {
		s6 = &conf->subnets6[i];
		*sn = (struct subnet){ &s6->network, s6->prefixlen,
		    &s6->range_lo, &s6->range_hi, &s6->router };
	} else {
		s4 = &conf->subnets[i];
		*sn = (struct subnet){ &s4->network, s4->prefixlen,
		    &s4->range_lo, &s4->range_hi, &s4->router };
	}
}

/* A host's fixed address of af: zero when it has none. */
static const void *
host_addr(const struct host_conf *hc, int af)
{
	return af == AF_INET6 ? (const void *)&hc->ip6 :
	    (const void *)&hc->ip;
}

static void
check_subnets(struct conf_loader *ld, int af)
{
	struct family	 f;
	struct subnet	 a, b;
	char		 na[INET6_ADDRSTRLEN], nb[INET6_ADDRSTRLEN];
	size_t		 i, j;

	family(ld, af, &f);
	/* dhcp's mode is full by default: an IPv6-only one forgot it */
	if (f.mode == DHCP_MODE_FULL && f.nsubnets == 0 && !f.badsubnet)
		conf_err(ld, f.modepos, "%s mode full needs at least one "
		    "subnet in %s.subnets%s", f.section, f.section,
		    af == AF_INET &&
		    ld->conf->server.dhcp6_mode == DHCP_MODE_FULL ?
		    " (or dhcp.mode off, to serve IPv6 only)" : "");
	for (j = 1; j < f.nsubnets; j++) {
		subnet(ld->conf, af, j, &b);
		for (i = 0; i < j; i++) {
			subnet(ld->conf, af, i, &a);
			/* one holds the other */
			if (!prefix_eq(a.network, b.network,
			    a.prefixlen < b.prefixlen ? a.prefixlen :
			    b.prefixlen))
				continue;
			inet_ntop(af, a.network, na, sizeof(na));
			inet_ntop(af, b.network, nb, sizeof(nb));
			conf_err(ld, &f.netpos[j], "subnet %s/%u "
			    "overlaps %s/%u", nb, b.prefixlen, na,
			    a.prefixlen);
		}
	}
}

/* Sort the hosts by one key; each equal to an earlier one is an error. */
static void
check_dups(struct conf_loader *ld, enum dup_kind kind)
{
	const struct config	*conf = ld->conf;
	const struct host_conf	*hc;
	struct dup_ent		*ents;
	size_t			 i, j, n = 0, first;

	if (conf->nhosts < 2)
		return;
	/* One entry a host, or a MAC: not PXED_HOSTMACS a host. */
	n = kind == DUP_MAC ? 0 : conf->nhosts;
	for (i = 0; kind == DUP_MAC && i < conf->nhosts; i++)
		n += conf->hosts[i].conf.nmacs;
	if (n < 2)
		return;
	if ((ents = calloc(n, sizeof(*ents))) == NULL) {
		conf_err(ld, &ld->hostpos[0].name, "%s", strerror(errno));
		return;
	}
	for (i = 0, n = 0; i < conf->nhosts; i++) {
		hc = &conf->hosts[i].conf;
		if (kind == DUP_MAC) {
			for (j = 0; j < hc->nmacs; j++) {
				memcpy(ents[n].key, hc->macs[j], 6);
				ents[n].sub = j;
				ents[n++].host = i;
			}
			continue;
		}
		if (kind == DUP_NAME)
			strlcpy((char *)ents[n].key, hc->name,
			    sizeof(ents[n].key));
		else if (kind == DUP_UUID && ld->hostpos[i].uuid.line != 0)
			uuid_key(hc->uuid, ents[n].key);
		else if (kind == DUP_IP && hc->ip.s_addr != INADDR_ANY)
			memcpy(ents[n].key, &hc->ip, sizeof(hc->ip));
		else if (kind == DUP_IP6 && !IN6_IS_ADDR_UNSPECIFIED(&hc->ip6))
			memcpy(ents[n].key, &hc->ip6, sizeof(hc->ip6));
		else
			continue;
		ents[n++].host = i;
	}
	qsort(ents, n, sizeof(*ents), dup_cmp);
	for (i = 1, first = 0; i < n; i++) {
		if (memcmp(ents[i].key, ents[first].key,
		    sizeof(ents[i].key)) != 0)
			first = i;
		else
			dup_report(ld, kind, &ents[first], &ents[i]);
	}
	free(ents);
}

/*
 * A client's UUID matches in either byte order, so two hosts whose UUIDs
 * are each other's swap are the same key: the smaller of the two.
 */
static void
uuid_key(const uint8_t u[PXED_UUIDLEN], uint8_t *key)
{
	uint8_t	 sw[PXED_UUIDLEN];

	uuid_swap(u, sw);
	memcpy(key, memcmp(u, sw, sizeof(sw)) <= 0 ? u : sw, sizeof(sw));
}

static int
dup_cmp(const void *a, const void *b)
{
	const struct dup_ent	*x = a, *y = b;
	int			 c;

	if ((c = memcmp(x->key, y->key, sizeof(x->key))) != 0)
		return c;
	if (x->host != y->host)
		return x->host < y->host ? -1 : 1;
	return x->sub < y->sub ? -1 : x->sub > y->sub;
}

/* dup has the same key as the earlier first. */
static void
dup_report(struct conf_loader *ld, enum dup_kind kind,
    const struct dup_ent *first, const struct dup_ent *dup)
{
	const struct host_conf	*hf = &ld->conf->hosts[first->host].conf;
	const struct host_conf	*hd = &ld->conf->hosts[dup->host].conf;
	const struct conf_hostpos *pf = &ld->hostpos[first->host];
	const struct conf_hostpos *pd = &ld->hostpos[dup->host];
	char			 s[INET6_ADDRSTRLEN + 40];

	switch (kind) {
	case DUP_NAME:
		conf_err(ld, &pd->name, "duplicate host '%s' (first at line "
		    "%u)", hd->name, pf->name.line);
		break;
	case DUP_MAC:
		mac_format(hd->macs[dup->sub], s, sizeof(s));
		conf_err(ld, &pd->mac[dup->sub], "MAC %s of %s is already "
		    "used by %s (line %u)", s, hd->name, hf->name,
		    pf->mac[first->sub].line);
		break;
	case DUP_UUID:
		uuid_format(hd->uuid, s, sizeof(s));
		conf_err(ld, &pd->uuid, "UUID %s of %s is already used by %s "
		    "(line %u%s)", s, hd->name, hf->name, pf->uuid.line,
		    memcmp(hd->uuid, hf->uuid, sizeof(hd->uuid)) == 0 ? "" :
		    ", with its first three fields swapped: clients are "
		    "matched in both byte orders");
		break;
	case DUP_IP:
	case DUP_IP6:
		inet_ntop(kind == DUP_IP ? AF_INET : AF_INET6,
		    host_addr(hd, kind == DUP_IP ? AF_INET : AF_INET6), s,
		    sizeof(s));
		conf_err(ld, kind == DUP_IP ? &pd->ip : &pd->ip6, "%s %s of %s "
		    "is already used by %s (line %u)", kind == DUP_IP ? "ip" :
		    "ip6", s, hd->name, hf->name,
		    (kind == DUP_IP ? pf->ip : pf->ip6).line);
		break;
	}
}

static void
check_host(struct conf_loader *ld, size_t idx)
{
	const struct config	*conf = ld->conf;
	const struct host_conf	*hc = &conf->hosts[idx].conf;
	const struct conf_hostpos *hp = &ld->hostpos[idx];

	if (hc->install && hc->profile == -1 && hp->profile.line == 0)
		conf_err(ld, &hp->install, "host %s has install: true but no "
		    "profile", hc->name);
	else if (hc->install && hc->profile >= 0 &&
	    conf->profiles[hc->profile].kernel[0] == '\0')
		conf_err(ld, &hp->install, "host %s has install: true but "
		    "profile %s has no kernel", hc->name,
		    conf->profiles[hc->profile].name);
	if (hc->ip.s_addr != INADDR_ANY)
		check_host_ip(ld, idx, AF_INET);
	if (!IN6_IS_ADDR_UNSPECIFIED(&hc->ip6))
		check_host_ip(ld, idx, AF_INET6);
}

/*
 * A fixed address (ip or ip6, by af) must not be the server's; when its
 * family's dhcp is full it must be a host address of one of its
 * subnets, and not one the pool could hand out too.
 */
static void
check_host_ip(struct conf_loader *ld, size_t idx, int af)
{
	const struct config	*conf = ld->conf;
	const struct host_conf	*hc = &conf->hosts[idx].conf;
	const struct conf_pos	*pos;
	const void		*a = host_addr(hc, af);
	const char		*why;
	struct family		 f;
	struct subnet		 sn;
	char			 ip[INET6_ADDRSTRLEN], net[INET6_ADDRSTRLEN];
	size_t			 i;

	family(ld, af, &f);
	pos = af == AF_INET6 ? &ld->hostpos[idx].ip6 : &ld->hostpos[idx].ip;
	inet_ntop(af, a, ip, sizeof(ip));
	if (memcmp(a, f.server, f.alen) == 0)
		conf_err(ld, pos, "%s %s of %s is the server's address", f.key,
		    ip, hc->name);
	if (f.mode != DHCP_MODE_FULL || f.nsubnets == 0)
		return;
	for (i = 0; i < f.nsubnets; i++) {
		subnet(conf, af, i, &sn);
		if (prefix_eq(a, sn.network, sn.prefixlen))
			break;
	}
	if (i == f.nsubnets) {
		if (!f.badsubnet)
			conf_err(ld, pos, "%s %s of %s is outside %s",
			    f.key, ip, hc->name, f.every);
		return;
	}
	inet_ntop(af, sn.network, net, sizeof(net));
	if ((why = yp_reserved(af, a, sn.prefixlen)) != NULL)
		conf_err(ld, pos, "%s %s of %s is the %s of %s/%u", f.key, ip,
		    hc->name, why, net, sn.prefixlen);
	else if (!yp_host_bits(sn.lo, f.alen, 0, 0) &&	/* a range */
	    memcmp(a, sn.lo, f.alen) >= 0 && memcmp(a, sn.hi, f.alen) <= 0)
		conf_err(ld, pos, "%s %s of %s is inside the pool range of "
		    "%s/%u", f.key, ip, hc->name, net, sn.prefixlen);
	else if (memcmp(a, sn.router, f.alen) == 0)
		conf_err(ld, pos, "%s %s of %s is the router of %s/%u", f.key,
		    ip, hc->name, net, sn.prefixlen);
}

/*
 * Every template against whoever will see it: boot loaders against
 * every host (and clients not listed, unless those are ignored), a
 * profile's append and kickstart against its hosts (and the append
 * against clients not listed when they get the menu).  Only vars.KEY
 * differ between hosts, so each text is scanned once, with its uses of
 * vars.KEY noted, and each host is checked against those.
 */
static void
check_templates(struct conf_loader *ld)
{
	const struct config	*conf = ld->conf;
	struct tmpl_check	 tc;
	struct conf_src		 file;
	size_t			 i;
	int			 k, unknown = conf->server.unknown;

	memset(&tc, 0, sizeof(tc));
	tc.ld = ld;
	tc.view = *conf;
	tc.view.hosts = &tc.dummy;
	tc.view.nhosts = 1;
	tc.view.byname = NULL;		/* they index conf's hosts */
	tc.view.bymac = NULL;
	tc.view.byip = NULL;
	tc.view.byip6 = NULL;
	tc.view.byuuid = NULL;
	tc.view.idx_mask = 0;
	tc.view.vars = NULL;
	tc.view.nvars = 0;
	tc.dummy.conf.profile = -1;
	tc.hctx.conf = &tc.view;
	buf_init(&tc.out);
	for (k = 0; k < BOOT_NKINDS; k++)
		check_template(&tc, conf->server.boot[k], &ld->boot[k], -1,
		    unknown != UNKNOWN_IGNORE);
	for (i = 0; i < conf->nprofiles; i++) {
		check_template(&tc, conf->profiles[i].append,
		    &ld->profpos[i].append, i, unknown == UNKNOWN_MENU);
		if (conf->templates[i] == NULL)
			continue;
		memset(&file, 0, sizeof(file));
		file.pos.file = i + 1;
		file.style = CONF_FILE;
		check_template(&tc, conf->templates[i], &file, i, 0);
	}
	buf_free(&tc.out);
	free(tc.refs);
}

/*
 * Check text against the hosts of profile (-1: all hosts), and against
 * clients not in the inventory if unlisted is set.
 */
static void
check_template(struct tmpl_check *tc, const char *text,
    const struct conf_src *src, int profile, int unlisted)
{
	const struct config	*conf = tc->ld->conf;
	const struct tmpl_ref	*r;
	size_t			 h;

	if (text[0] == '\0')
		return;
	tc->src = src;
	check_text(tc, text, strlen(text));
	for (r = tc->refs; r != NULL && r < tc->refs + tc->nrefs; r++) {
		for (h = 0; h < conf->nhosts; h++) {
			if ((profile == -1 ||
			    conf->hosts[h].conf.profile == profile) &&
			    config_host_var(conf, h, r->key) == NULL)
				conf_err(tc->ld, &r->pos, "unknown variable "
				    "{{vars.%s}} for host %s", r->key,
				    conf->hosts[h].conf.name);
		}
		if (unlisted)
			conf_err(tc->ld, &r->pos, "unknown variable "
			    "{{vars.%s}} for clients not in the inventory",
			    r->key);
	}
}

/*
 * Render text with check_lookup, reporting each error and going on
 * after it; the vars.KEY it uses are left in tc->refs.
 */
static void
check_text(struct tmpl_check *tc, const char *text, size_t len)
{
	struct tmpl_error	 err;
	struct conf_pos		 pos;
	const char		*p = text, *end = text + len, *at, *next;
	uint32_t		 line = 1, col = 1;

	tc->nrefs = 0;
	/* the output is never longer than the text: no failure below */
	if (buf_reserve(&tc->out, len) == -1) {
		pos = src_pos(tc->src, 1, 1);
		conf_err(tc->ld, &pos, "%s", strerror(errno));
		return;
	}
	for (;;) {
		buf_reset(&tc->out);
		tc->pending = NULL;
		if (tmpl_render(p, end - p, check_lookup, tc, &tc->out,
		    &err) == 0)
			break;
		/* err is relative to p, which is at line, col of text */
		at = text_at(p, err.line, err.col);
		if (err.line == 1)
			err.col += col - 1;
		err.line += line - 1;
		pos = src_pos(tc->src, err.line, err.col);
		if (tc->pending != NULL)
			add_ref(tc, &pos);
		else
			conf_err(tc->ld, &pos, "%s", err.msg);
		next = skip_var(at, end);
		line = err.line;
		col = err.col + (next - at);
		p = next;
	}
}

/*
 * Every variable but vars.KEY has a value for any host.  A vars.KEY
 * seen for the first time is made an error, so that tmpl_render gives
 * its position, and check_text notes it.
 */
static const char *
check_lookup(const char *name, size_t len, void *arg)
{
	struct tmpl_check	*tc = arg;
	size_t			 i;

	if (len > 5 && len - 5 < PXED_VARKEYLEN &&
	    memcmp(name, "vars.", 5) == 0) {
		for (i = 0; i < tc->nrefs; i++) {
			if (strncmp(tc->refs[i].key, name + 5, len - 5) == 0 &&
			    tc->refs[i].key[len - 5] == '\0')
				return "";
		}
		tc->pending = name + 5;
		tc->pendlen = len - 5;
		return NULL;
	}
	return tmpl_host_lookup(name, len, &tc->hctx) != NULL ? "" : NULL;
}

static void
add_ref(struct tmpl_check *tc, const struct conf_pos *pos)
{
	struct tmpl_ref	*r;

	if ((tc->nrefs & (tc->nrefs - 1)) == 0) {
		r = reallocarray(tc->refs, tc->nrefs == 0 ? 1 : tc->nrefs * 2,
		    sizeof(*r));
		if (r == NULL) {
			conf_err(tc->ld, pos, "%s", strerror(errno));
			return;
		}
		tc->refs = r;
	}
	r = &tc->refs[tc->nrefs++];
	memcpy(r->key, tc->pending, tc->pendlen);
	r->key[tc->pendlen] = '\0';
	r->pos = *pos;
}

/* The character at 1-based line, col of text. */
static const char *
text_at(const char *text, uint32_t line, uint32_t col)
{
	for (; line > 1; line--)
		text = strchr(text, '\n') + 1;
	return text + col - 1;
}

/* Past the variable whose "{{" is at p: its "}}", or the end of line. */
static const char *
skip_var(const char *p, const char *end)
{
	for (p += 2; p < end && *p != '\n'; p++) {
		if (p + 1 < end && p[0] == '}' && p[1] == '}')
			return p + 2;
	}
	return p;
}

/* A position in a template's text as one in its file. */
static struct conf_pos
src_pos(const struct conf_src *src, uint32_t line, uint32_t col)
{
	struct conf_pos	 pos = src->pos;

	switch (src->style) {
	case CONF_FILE:
		pos.line = line;
		pos.col = col;
		break;
	case CONF_BLOCK:
		pos.line += line;
		pos.col = src->indent + col;
		break;
	case CONF_PLAIN:
	case CONF_QUOTED:
		pos.line += line - 1;
		if (line > 1)
			pos.col = col;
		else
			pos.col += col - 1 + (src->style == CONF_QUOTED);
		break;
	}
	return pos;
}
