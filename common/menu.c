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
 * Generated files: the pxelinux and GRUB menus of inventory hosts, at
 * any directory prefix, rendered at request time so that their size is
 * exact and they follow the host's state at once.  One generator for
 * both servers that hand out menus: tftpd, and httpd for loaders booted
 * over HTTP (UEFI HTTP boot).  Hosts are found by MAC, UUID and address
 * through the configuration's indexes, and the requester by its address
 * of either family (ident.c); what is rendered for a requester over IPv6
 * names the server by its IPv6 address.
 */

#include <sys/types.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ev.h"
#include "ident.h"
#include "log.h"
#include "menu.h"
#include "ratelimit.h"
#include "tmpl.h"

/* Per-host names asked from the wrong address: logged once a while. */
static struct ratelimit	 foreign_log = {
	.interval = RATELIMIT_LOG, .burst = 1
};

enum menu_kind {
	MENU_PXELINUX,
	MENU_GRUB,
};

/* What a menu is rendered for: the server and the requester. */
struct menu_req {
	const struct config	*conf;
	const struct menu_via	*via;
	const struct in6_addr	*client;	/* either family */
	int			 v6;		/* it asked over IPv6 */
};

struct menu_ctx {
	const struct menu_req	*rq;
	size_t			 profile;
	char			 scratch[PXED_STRLEN];
};

static int	 parse_hexip(const char *, struct in6_addr *);
static int	 parse_grub6(const char *, struct in6_addr *);
static const char *menu_lookup(const char *, size_t, void *);
static int	 grub_path(struct buf *, const char *, const char *,
		    const struct menu_req *);
static int	 menu_entry(struct buf *, enum menu_kind, const char *,
		    const struct profile_conf *, const char *,
		    const struct menu_req *);
static int	 menu_host(const struct menu_req *, const struct host *,
		    enum menu_kind, struct buf *);
static int	 menu_default(const struct menu_req *, enum menu_kind,
		    struct buf *);

const struct menu_via	 menu_via_tftp = { "tftp", NULL };

/* Only the full 8 digits name a host; shorter prefixes fall through. */
static int
parse_hexip(const char *s, struct in6_addr *a)
{
	struct in_addr	 ip;
	uint32_t	 v = 0;
	int		 i, d;

	if (strlen(s) != 8)
		return -1;
	for (i = 0; i < 8; i++) {
		if ((d = hex_digit(s[i])) == -1)
			return -1;
		v = v << 4 | (uint32_t)d;
	}
	ip.s_addr = htonl(v);
	addr_map4(ip, a);
	return 0;
}

/*
 * GRUB's name of an IPv6 address: all 8 groups in lowercase hexadecimal
 * without leading zeros, joined by hyphens (fd00-77-0-0-0-0-0-191).  Only
 * that spelling names a host, as only the full 8 digits do for IPv4.
 */
static int
parse_grub6(const char *s, struct in6_addr *a)
{
	char		 canon[8 * 5];
	const char	*p = s;
	uint32_t	 v;
	size_t		 n;
	int		 i, d;

	for (i = 0; i < 8; i++, p++) {
		for (v = 0, n = 0; n < 4 && (d = hex_digit(*p)) != -1; n++, p++)
			v = v << 4 | (uint32_t)d;
		if (n == 0 || *p != (i < 7 ? '-' : '\0'))
			return -1;
		a->s6_addr[2 * i] = (uint8_t)(v >> 8);
		a->s6_addr[2 * i + 1] = (uint8_t)v;
	}
	for (i = 0, n = 0; i < 8; i++)
		n += snprintf(canon + n, sizeof(canon) - n, "%s%x", i ? "-" :
		    "", a->s6_addr[2 * i] << 8 | a->s6_addr[2 * i + 1]);
	/* An IPv4-mapped address is an IPv4 host's key, not a name. */
	return strcmp(canon, s) != 0 || addr_is4(a, NULL) ? -1 : 0;
}

/* The unknown clients' menu: {{server}}, {{http}}, {{profile}}, else "". */
static const char *
menu_lookup(const char *name, size_t len, void *arg)
{
	struct menu_ctx			*ctx = arg;
	const struct server_conf	*sc = &ctx->rq->conf->server;

	if (len == 6 && memcmp(name, "server", 6) == 0)
		return tmpl_server(sc, ctx->rq->v6, ctx->scratch,
		    sizeof(ctx->scratch));
	if (len == 4 && memcmp(name, "http", 4) == 0) {
		tmpl_http_base(sc, ctx->rq->v6, ctx->scratch,
		    sizeof(ctx->scratch));
		return ctx->scratch;
	}
	if (len == 7 && memcmp(name, "profile", 7) == 0)
		return ctx->rq->conf->profiles[ctx->profile].name;
	return "";
}

/*
 * A kernel or initrd path for GRUB, op first ("linux", "initrd").  Paths
 * are of the TFTP root, where every loader finds them.  GRUB resolves
 * "/path" on the server that gave it its menu: over TFTP, the TFTP root;
 * over HTTP, the HTTP root, so a file that only the TFTP root has is
 * named there, "(tftp,server)/path", the server in the requester's
 * family.
 */
static int
grub_path(struct buf *out, const char *op, const char *path,
    const struct menu_req *rq)
{
	char	 addr[INET6_ADDRSTRLEN], dev[INET6_ADDRSTRLEN + 8] = "";

	if (rq->via->has != NULL && !rq->via->has(path)) {
		tmpl_server(&rq->conf->server, rq->v6, addr, sizeof(addr));
		snprintf(dev, sizeof(dev), "(tftp,%s)", addr);
	}
	return buf_printf(out, "\t%s %s%s%s", op, dev, path[0] == '/' ? "" :
	    "/", path);
}

/* One boot entry; a NULL profile boots the local disk. */
static int
menu_entry(struct buf *out, enum menu_kind kind, const char *label,
    const struct profile_conf *p, const char *append,
    const struct menu_req *rq)
{
	if (kind == MENU_PXELINUX && p == NULL)
		return buf_printf(out, "LABEL local\nLOCALBOOT 0\n");
	if (kind == MENU_GRUB && p == NULL)
		return buf_printf(out, "menuentry 'local' {\n\texit\n}\n");
	/*
	 * IPAPPEND 2: pxelinux adds BOOTIF=01-<mac> of the NIC that booted,
	 * so that the installer of a host with several NICs uses that one.
	 */
	if (kind == MENU_PXELINUX)
		return buf_printf(out, "LABEL %s\nKERNEL %s\nAPPEND %s%s%s%s\n"
		    "IPAPPEND 2\n", label, p->kernel,
		    p->initrd[0] ? "initrd=" : "", p->initrd,
		    p->initrd[0] && append[0] ? " " : "", append);
	if (buf_printf(out, "menuentry '%s' {\n", label) == -1 ||
	    grub_path(out, "linux", p->kernel, rq) == -1 ||
	    buf_printf(out, "%s%s\n", append[0] ? " " : "", append) == -1)
		return -1;
	if (p->initrd[0] != '\0' && (grub_path(out, "initrd", p->initrd,
	    rq) == -1 || buf_printf(out, "\n") == -1))
		return -1;
	return buf_printf(out, "}\n");
}

/* An inventory host: its profile while in install state, else local. */
static int
menu_host(const struct menu_req *rq, const struct host *h,
    enum menu_kind kind, struct buf *out)
{
	const struct config	*conf = rq->conf;
	const struct profile_conf *p = NULL;
	struct tmpl_host_ctx	 ctx;
	struct tmpl_error	 err;
	struct buf		 app;
	char			 label[PXED_NAMELEN + 16];
	int			 r;

	if (h->rt.state == HOST_INSTALL && h->conf.profile >= 0)
		p = &conf->profiles[h->conf.profile];
	buf_init(&app);
	tmpl_host_init(&ctx, conf, (size_t)(h - conf->hosts), rq->client);
	if (p != NULL && tmpl_render(p->append, strlen(p->append),
	    tmpl_host_lookup, &ctx, &app, &err) == -1) {
		log_warnx("%s: append of %s: %s", rq->via->proto,
		    h->conf.name, err.msg);
		buf_free(&app);
		return -1;
	}
	r = buf_printf(out, kind == MENU_PXELINUX ? "# pxed: %s (%s)\n"
	    "DEFAULT %s\n" : "# pxed: %s (%s)\nset timeout=0\n", h->conf.name,
	    p != NULL ? "install" : "local", p != NULL ? "install" : "local");
	snprintf(label, sizeof(label), kind == MENU_PXELINUX ? "install" :
	    "install %s", h->conf.name);
	if (r != -1)
		r = menu_entry(out, kind, label, p, buf_cstr(&app), rq);
	buf_free(&app);
	return r;
}

/*
 * pxelinux.cfg/default and grub.cfg when no real file exists: boot the
 * local disk, or with unknown: menu, a menu with every profile.
 */
static int
menu_default(const struct menu_req *rq, enum menu_kind kind,
    struct buf *out)
{
	const struct config	*conf = rq->conf;
	struct menu_ctx		 ctx;
	struct tmpl_error	 err;
	struct buf		 app;
	char			 label[PXED_NAMELEN + 16];
	size_t			 i;
	int			 r, menu = conf->server.unknown == UNKNOWN_MENU;

	if (kind == MENU_PXELINUX)
		r = buf_printf(out, "# pxed: unknown client\n%sDEFAULT local\n",
		    menu ? "PROMPT 1\nTIMEOUT 300\n" : "");
	else
		r = buf_printf(out, "# pxed: unknown client\nset timeout=%d\n",
		    menu ? 30 : 0);
	if (r == -1 || menu_entry(out, kind, "local", NULL, NULL, rq) == -1)
		return -1;
	memset(&ctx, 0, sizeof(ctx));
	ctx.rq = rq;
	buf_init(&app);
	for (i = 0; menu && i < conf->nprofiles && r != -1; i++) {
		ctx.profile = i;
		buf_reset(&app);
		snprintf(label, sizeof(label), kind == MENU_PXELINUX ? "%s" :
		    "install %s", conf->profiles[i].name);
		r = tmpl_render(conf->profiles[i].append,
		    strlen(conf->profiles[i].append), menu_lookup, &ctx, &app,
		    &err);
		if (r != -1)
			r = menu_entry(out, kind, label, &conf->profiles[i],
			    buf_cstr(&app), rq);
	}
	buf_free(&app);
	return r;
}

/*
 * A generated file for path, rendered into out: 1 if path names one
 * (what says which), 0 if not, -1 on failure.  A per-host name (by any
 * of its MACs, with hyphens or colons; by its UUID, pxelinux.cfg/<uuid>;
 * by hex address, or for GRUB by IPv6 address in 8 groups: a fixed
 * address of the host or the one it asks from) is that host's menu only
 * for the host itself, known by its address of either family (ident.c):
 * for anyone else it does not exist, as for a MAC the inventory does not
 * list.  The bare names, pxelinux.cfg/default and grub.cfg, are the
 * requester's own menu when pxed knows who it is: Debian's signed GRUB
 * reads nothing else.
 */
int
menu_generate(const struct config *conf, const char *path,
    const struct in6_addr *client, const struct menu_via *via,
    struct buf *out, char *what, size_t whatlen)
{
	const struct menu_req	 rq = { conf, via, client,
				    !addr_is4(client, NULL) };
	const struct host	*h = NULL, *self;
	const char		*base, *dir;
	enum menu_kind		 kind;
	struct in6_addr		 ip;
	uint8_t			 mac[6], uuid[PXED_UUIDLEN];
	uint32_t		 quiet;
	size_t			 dlen;
	char			 from[INET6_ADDRSTRLEN];

	base = strrchr(path, '/');
	base = base == NULL ? path : base + 1;
	/* The directory component just above base, if any. */
	dir = base;
	dlen = 0;
	if (base > path) {
		for (dir = base - 1; dir > path && dir[-1] != '/'; dir--)
			dlen++;
	}
	if (dlen == 12 && memcmp(dir, "pxelinux.cfg", 12) == 0)
		kind = MENU_PXELINUX;
	else if (strncmp(base, "grub.cfg", 8) == 0 &&
	    (base[8] == '\0' || base[8] == '-')) {
		kind = MENU_GRUB;
		base += base[8] == '\0' ? 8 : 9;
	} else
		return 0;
	self = ident_host(conf, client);
	if (strcmp(base, kind == MENU_GRUB ? "" : "default") == 0)
		h = self;
	else if (strncmp(base, "01-", 3) == 0 && mac_parse(base + 3, mac) == 0) {
		if ((h = ident_host_by_mac(conf, mac, client)) == NULL)
			return 0;
	} else if (kind == MENU_PXELINUX && uuid_parse(base, uuid) == 0) {
		/* pxelinux's first name: the UUID of option 97, either order. */
		if ((h = config_host_by_uuid(conf, uuid)) == NULL)
			return 0;
	} else if (parse_hexip(base, &ip) == 0 ||
	    (kind == MENU_GRUB && parse_grub6(base, &ip) == 0)) {
		if ((h = ident_fixed(conf, &ip)) == NULL &&
		    IN6_ARE_ADDR_EQUAL(&ip, client))
			h = self;
		if (h == NULL)
			return 0;
	} else
		return 0;
	if (h != NULL && h != self) {
		if (ratelimit_addr(&foreign_log, client, ev_now(), &quiet))
			log_info("%s: %s asked from %s: not %s's address, "
			    "not found (%u more since)", via->proto, path,
			    addr_ntop(client, from, sizeof(from)), h->conf.name,
			    quiet);
		return 0;
	}
	if (h == NULL) {
		strlcpy(what, "generated, unknown client", whatlen);
		return menu_default(&rq, kind, out) == -1 ? -1 : 1;
	}
	strlcpy(what, "generated", whatlen);
	return menu_host(&rq, h, kind, out) == -1 ? -1 : 1;
}
