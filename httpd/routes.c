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
 * The generated endpoints: /ks/<name>?t=<token> (the host's kickstart),
 * /done/<name>?t=<done token> (the installer reports back; the master
 * decides), /ipxe/<mac> (an iPXE script) and /metrics (Prometheus text);
 * and, where the root has no such file, the menus that tftpd generates
 * too (menu.c), for loaders booted over HTTP.
 * Hosts are found through the configuration's indexes by name and by
 * MAC.  A token counts only from the host's own address, of either
 * family (ident.c): a wrong, stale, missing or foreign token, or an
 * unknown host, gets 403 with a fixed body and nothing of the template,
 * and the iPXE script of an armed host goes only to that host.  What is
 * rendered names the server in the family the request came over.
 */

#include <sys/types.h>
#include <arpa/inet.h>

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "httpd.h"
#include "ident.h"
#include "menu.h"
#include "proc.h"
#include "ratelimit.h"
#include "tmpl.h"

static struct host	*routes_token_host(struct http_conn *, const char *,
			    int);
static void		 route_ks(struct http_conn *, const char *);
static void		 route_done(struct http_conn *, const char *);
static void		 route_ipxe(struct http_conn *, const char *);
static void		 routes_file_base(const struct http_conn *,
			    const char *, char *, size_t);
static void		 route_metrics(struct http_conn *);

static size_t		*tmpl_lens;
/* Requests from the wrong address: logged once a source a while. */
static struct ratelimit	 foreign_log = {
	.interval = RATELIMIT_LOG, .burst = 1
};

void
routes_reconf(const struct config *conf)
{
	size_t		 i;

	free(tmpl_lens);
	if ((tmpl_lens = calloc(conf->nprofiles + 1,
	    sizeof(*tmpl_lens))) == NULL)
		fatal("calloc");
	for (i = 0; i < conf->nprofiles; i++)
		if (conf->templates[i] != NULL)
			tmpl_lens[i] = strlen(conf->templates[i]);
}

/*
 * The host named name whose current token (done: its done token) is in
 * the query ("t="), which is armed for install and which is the
 * requester; NULL otherwise.  The comparison takes the same time
 * wherever the tokens differ.
 */
static struct host *
routes_token_host(struct http_conn *c, const char *name, int done)
{
	struct host	*h;
	const char	*q = c->req.query, *t = NULL, *end;
	uint32_t	 quiet;
	char		 from[INET6_ADDRSTRLEN];

	while (q != NULL && *q != '\0') {
		if (q[0] == 't' && q[1] == '=') {
			t = q + 2;
			break;
		}
		q = strchr(q, '&');
		q = q != NULL ? q + 1 : NULL;
	}
	if (t == NULL || (h = config_find_host(http_conf, name)) == NULL)
		return NULL;
	if ((end = strchr(t, '&')) == NULL)
		end = t + strlen(t);
	if (end - t != PXED_TOKENLEN || sodium_memcmp(t, done ? h->rt.done :
	    h->rt.token, PXED_TOKENLEN) != 0 || h->rt.state != HOST_INSTALL)
		return NULL;
	if (!ident_is(http_conf, &c->peer, h)) {
		if (ratelimit_addr(&foreign_log, &c->peer, ev_now(), &quiet))
			log_info("http: %s token from %s refused: not %s's "
			    "address (%u more refusals since)",
			    done ? "done" : "kickstart",
			    addr_ntop(&c->peer, from, sizeof(from)),
			    h->conf.name, quiet);
		return NULL;
	}
	return h;
}

/* Returns 1 when the path is one of ours and has been answered. */
int
routes_dispatch(struct http_conn *c)
{
	const char	*p = c->req.path;

	if (strncmp(p, "/ks/", 4) == 0)
		route_ks(c, p + 4);
	else if (strncmp(p, "/done/", 6) == 0)
		route_done(c, p + 6);
	else if (strncmp(p, "/ipxe/", 6) == 0)
		route_ipxe(c, p + 6);
	else if (strcmp(p, "/metrics") == 0)
		route_metrics(c);
	else
		return 0;
	return 1;
}

static void
route_ks(struct http_conn *c, const char *name)
{
	const struct config	*conf = http_conf;
	struct tmpl_host_ctx	 ctx;
	struct tmpl_error	 err;
	struct host		*h;
	int32_t			 prof;

	if ((h = routes_token_host(c, name, 0)) == NULL) {
		http_error(c, 403);
		return;
	}
	prof = h->conf.profile;
	if (prof < 0 || conf->templates[prof] == NULL) {
		http_error(c, 404);
		return;
	}
	tmpl_host_init(&ctx, conf, h - conf->hosts, &c->peer);
	buf_reset(&c->body);
	if (tmpl_render(conf->templates[prof], tmpl_lens[prof],
	    tmpl_host_lookup, &ctx, &c->body, &err) == -1) {
		log_warnx("http: kickstart of %s: %u:%u: %s", name, err.line,
		    err.col, err.msg);
		http_error(c, 500);
		return;
	}
	http_body_reply(c, 200, "text/plain");
}

/*
 * A GRUB booted over HTTP (UEFI HTTP boot) asks its menus of the HTTP
 * server, $prefix/grub.cfg above all: the same names and the same rules
 * as over TFTP, one generator.  1 when answered.
 */
int
routes_menu(struct http_conn *c)
{
	static const struct menu_via via = { "http", http_file_exists };
	int	 r;

	buf_reset(&c->body);
	r = menu_generate(http_conf, c->req.path, &c->peer, &via, &c->body,
	    c->what, sizeof(c->what));
	if (r == 0)
		return 0;
	if (r == -1) {
		http_error(c, 500);
		return 1;
	}
	http_stats.menus++;
	http_body_reply(c, 200, "text/plain");
	return 1;
}

/* The master owns host states: ask it, and answer when it has. */
static void
route_done(struct http_conn *c, const char *name)
{
	struct host_done_msg	 hd;
	struct host		*h;

	if (c->req.method == HTTP_HEAD) {
		http_error(c, 405);
		return;
	}
	if ((h = routes_token_host(c, name, 1)) == NULL) {
		http_stats.done_refused++;
		http_error(c, 403);
		return;
	}
	memset(&hd, 0, sizeof(hd));
	strlcpy(hd.name, h->conf.name, sizeof(hd.name));
	memcpy(hd.token, h->rt.done, PXED_TOKENLEN);
	hd.from = c->peer;
	hd.reqid = http_reqid(c);
	if (imsgev_compose(worker_master(), IMSG_HOST_DONE, 0, 0, -1, &hd,
	    sizeof(hd)) == -1) {
		http_error(c, 503);
		return;
	}
	imsgev_flush(worker_master());
	http_wait_master(c);
}

void
routes_done_result(struct http_conn *c, int32_t result)
{
	if (result == 0) {
		http_stats.done_ok++;
		http_text(c, 200, "ok\n");
	} else if (result == EPERM) {
		http_stats.done_refused++;
		http_error(c, 403);
	} else {
		/* Not durable: the host stays armed, the installer may retry. */
		http_error(c, 500);
	}
}

/*
 * http://server[:port] if our root has path, else tftp://server[:port],
 * in the family the request came over.
 */
static void
routes_file_base(const struct http_conn *c, const char *path, char *out,
    size_t len)
{
	int	 v6 = !addr_is4(&c->peer, NULL);

	if (http_file_exists(path))
		tmpl_http_base(&http_conf->server, v6, out, len);
	else
		tmpl_tftp_base(&http_conf->server, v6, out, len);
}

/*
 * #!ipxe, then the profile's kernel and initrd with the rendered append
 * line for a host armed for install, asked from its own address; "exit"
 * (back to the firmware, which boots the next device: the local disk)
 * otherwise.  A kernel or initrd is a path of the TFTP root, where every
 * loader finds it; iPXE fetches it over HTTP when the HTTP root has the
 * same path (faster), else over TFTP.
 */
static void
route_ipxe(struct http_conn *c, const char *macstr)
{
	const struct config	*conf = http_conf;
	const struct profile_conf *pc;
	struct tmpl_host_ctx	 ctx;
	struct tmpl_error	 err;
	struct host		*h;
	uint32_t		 quiet;
	char			 base[PXED_STRLEN], from[INET6_ADDRSTRLEN];
	uint8_t			 mac[6];

	h = mac_parse(macstr, mac) == 0 ? ident_host_by_mac(conf, mac,
	    &c->peer) : NULL;
	if (h != NULL && !ident_is(conf, &c->peer, h)) {
		if (ratelimit_addr(&foreign_log, &c->peer, ev_now(), &quiet))
			log_info("http: iPXE script of %s asked from %s: not "
			    "its address, answered as for an unknown client "
			    "(%u more refusals since)", h->conf.name,
			    addr_ntop(&c->peer, from, sizeof(from)), quiet);
		h = NULL;
	}
	if (h == NULL && conf->server.unknown == UNKNOWN_IGNORE) {
		http_error(c, 404);
		return;
	}
	buf_reset(&c->body);
	if (h == NULL || h->rt.state != HOST_INSTALL || h->conf.profile < 0) {
		buf_addstr(&c->body, "#!ipxe\nexit\n");
		http_body_reply(c, 200, "text/plain");
		return;
	}
	pc = &conf->profiles[h->conf.profile];
	tmpl_host_init(&ctx, conf, h - conf->hosts, &c->peer);
	routes_file_base(c, pc->kernel, base, sizeof(base));
	buf_printf(&c->body, "#!ipxe\nkernel %s/%s ", base,
	    pc->kernel + (pc->kernel[0] == '/'));
	if (tmpl_render(pc->append, strlen(pc->append), tmpl_host_lookup,
	    &ctx, &c->body, &err) == -1) {
		log_warnx("http: append of %s: %s", h->conf.name, err.msg);
		http_error(c, 500);
		return;
	}
	buf_addstr(&c->body, "\n");
	if (pc->initrd[0] != '\0') {
		routes_file_base(c, pc->initrd, base, sizeof(base));
		buf_printf(&c->body, "initrd %s/%s\n", base,
		    pc->initrd + (pc->initrd[0] == '/'));
	}
	if (buf_addstr(&c->body, "boot\n") == -1) {
		http_error(c, 500);
		return;
	}
	http_body_reply(c, 200, "text/plain");
}

/* Our own counters are here; those of the other processes, at the master. */
static void
route_metrics(struct http_conn *c)
{
	if (imsgev_compose(worker_master(), IMSG_METRICS_REQ, http_reqid(c), 0,
	    -1, NULL, 0) == -1) {
		metrics_reply(c);
		return;
	}
	http_wait_master(c);
}

void
routes_master_timeout(struct http_conn *c)
{
	if (strcmp(c->req.path, "/metrics") == 0)
		metrics_reply(c);
	else
		http_error(c, 503);
}
