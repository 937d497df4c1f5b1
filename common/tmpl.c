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
 * {{var}} templates.  The renderer copies literal runs whole and asks
 * the lookup function for each variable; positions are worked out only
 * when there is an error to report.  tmpl_host_lookup formats into the
 * caller's scratch buffer, so rendering allocates only in the output.
 */

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "pxed.h"
#include "tmpl.h"

#define TMPL_MAXSHOW	64	/* variable name bytes shown in errors */

static int	 tmpl_namechar(int);
static int	 tmpl_showlen(size_t);
static void	 tmpl_seterr(struct tmpl_error *, const char *, const char *,
		    const char *, ...)
		    __attribute__((__format__ (printf, 4, 5)));
static int	 tmpl_var(const char *, const char *, const char **,
		    const char **, size_t *);
static const char *tmpl_find(const char *, const char *);
static void	 url_base(const struct server_conf *, int, const char *,
		    uint16_t,
		    uint16_t, char *, size_t);
static int	 host_ip(const struct tmpl_host_ctx *, struct in_addr *);
static const char *host_ip6(struct tmpl_host_ctx *);
static const struct subnet_conf *host_subnet(const struct tmpl_host_ctx *);
static const char *host_url(struct tmpl_host_ctx *, const char *);
static const char *host_dns(struct tmpl_host_ctx *,
		    const struct subnet_conf *);
static const char *host_subnet_var(struct tmpl_host_ctx *, const char *,
		    size_t);

static int
tmpl_namechar(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '.';
}

/* How much of a long name an error message shows. */
static int
tmpl_showlen(size_t len)
{
	return len > TMPL_MAXSHOW ? TMPL_MAXSHOW : (int)len;
}

/* Fill err, with the 1-based line and column of at within text. */
static void
tmpl_seterr(struct tmpl_error *err, const char *text, const char *at,
    const char *fmt, ...)
{
	va_list		 ap;
	const char	*p;

	err->line = 1;
	err->col = 1;
	for (p = text; p < at; p++) {
		if (*p == '\n') {
			err->line++;
			err->col = 1;
		} else
			err->col++;
	}
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

/* The next "{{" at or after p, or end. */
static const char *
tmpl_find(const char *p, const char *end)
{
	while ((p = memchr(p, '{', end - p)) != NULL && end - p >= 2) {
		if (p[1] == '{') {
			/* "{{{x}}}": braces before the last pair are literal */
			while (end - p > 2 && p[2] == '{')
				p++;
			return p;
		}
		p++;
	}
	return end;
}

/*
 * Parse the variable whose "{{" is at p, before end.  Sets *name,
 * *namelen and *next (just past the closing "}}").  Returns 0, or -1
 * with *next at the "}}" (bad name) or NULL (none on this line).
 */
static int
tmpl_var(const char *p, const char *end, const char **next,
    const char **name, size_t *namelen)
{
	const char	*q, *close = NULL;

	for (q = p + 2; q + 1 < end && *q != '\n'; q++) {
		if (q[0] == '}' && q[1] == '}') {
			close = q;
			break;
		}
	}
	if ((*next = close) == NULL)
		return -1;
	for (q = p + 2; *q == ' ' || *q == '\t'; q++)
		;
	*name = q;
	while (q < close && tmpl_namechar(*q))
		q++;
	*namelen = q - *name;
	while (*q == ' ' || *q == '\t')
		q++;
	if (*namelen == 0 || q != close)
		return -1;
	*next = close + 2;
	return 0;
}

int
tmpl_render(const char *text, size_t len, tmpl_lookup_fn lookup, void *arg,
    struct buf *out, struct tmpl_error *err)
{
	const char	*p = text, *end = text + len, *open, *next, *name;
	const char	*val;
	size_t		 namelen;

	while (p < end) {
		open = tmpl_find(p, end);
		if (buf_add(out, p, open - p) == -1)
			goto nomem;
		if (open == end)
			break;
		if (tmpl_var(open, end, &next, &name, &namelen) == -1) {
			if (next == NULL)
				tmpl_seterr(err, text, open, "unterminated {{");
			else
				tmpl_seterr(err, text, open,
				    "bad variable {{%.*s}}",
				    tmpl_showlen(next - open - 2), open + 2);
			return -1;
		}
		if ((val = lookup(name, namelen, arg)) == NULL) {
			tmpl_seterr(err, text, open,
			    "unknown variable {{%.*s}}", tmpl_showlen(namelen),
			    name);
			return -1;
		}
		if (buf_addstr(out, val) == -1)
			goto nomem;
		p = next;
	}
	return 0;
 nomem:
	tmpl_seterr(err, text, p, "out of memory");
	return -1;
}

/* The server's address in the family asked; IPv4 when it has no IPv6. */
const char *
tmpl_server(const struct server_conf *sc, int v6, char *out, size_t len)
{
	if (v6 && !IN6_IS_ADDR_UNSPECIFIED(&sc->address6))
		return inet_ntop(AF_INET6, &sc->address6, out, len);
	return inet_ntop(AF_INET, &sc->address, out, len);
}

/* scheme://server[:port], without the port when it is the scheme's own. */
static void
url_base(const struct server_conf *sc, int v6, const char *scheme,
    uint16_t port, uint16_t own, char *out, size_t len)
{
	char		 addr[INET6_ADDRSTRLEN + 2];
	int		 br = v6 && !IN6_IS_ADDR_UNSPECIFIED(&sc->address6);

	tmpl_server(sc, v6, addr + 1, sizeof(addr) - 2);
	if (br) {
		addr[0] = '[';
		strlcat(addr, "]", sizeof(addr));
	}
	if (port == own)
		snprintf(out, len, "%s://%s", scheme, addr + !br);
	else
		snprintf(out, len, "%s://%s:%u", scheme, addr + !br, port);
}

void
tmpl_http_base(const struct server_conf *sc, int v6, char *out, size_t len)
{
	url_base(sc, v6, "http", sc->http_port, 80, out, len);
}

void
tmpl_tftp_base(const struct server_conf *sc, int v6, char *out, size_t len)
{
	url_base(sc, v6, "tftp", sc->tftp_port, 69, out, len);
}

/*
 * Host number host as a requester at from sees it, from of either family
 * (IPv4 mapped, addr.h): {{ip}} or {{ip6}} of a pool host is from, and
 * {{server}} and {{http}} are of its family.
 */
void
tmpl_host_init(struct tmpl_host_ctx *ctx, const struct config *conf,
    size_t host, const struct in6_addr *from)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->conf = conf;
	ctx->host = host;
	if (!addr_is4(from, &ctx->client)) {
		ctx->v6 = 1;
		ctx->client6 = *from;
	}
}

/* The host's address: its fixed ip, else the client's.  0 if neither. */
static int
host_ip(const struct tmpl_host_ctx *ctx, struct in_addr *ip)
{
	const struct host	*h = &ctx->conf->hosts[ctx->host];

	if (h->conf.ip.s_addr != INADDR_ANY)
		*ip = h->conf.ip;
	else
		*ip = ctx->client;
	return ip->s_addr != INADDR_ANY;
}

/* {{ip6}}: the host's fixed IPv6 address, else the client's; "" if none. */
static const char *
host_ip6(struct tmpl_host_ctx *ctx)
{
	const struct host	*h = &ctx->conf->hosts[ctx->host];
	const struct in6_addr	*a = &h->conf.ip6;

	if (IN6_IS_ADDR_UNSPECIFIED(a))
		a = &ctx->client6;
	if (IN6_IS_ADDR_UNSPECIFIED(a))
		return "";
	return inet_ntop(AF_INET6, a, ctx->scratch, sizeof(ctx->scratch));
}

/* The subnet holding the host's address, else the first; NULL if none. */
static const struct subnet_conf *
host_subnet(const struct tmpl_host_ctx *ctx)
{
	const struct config	*conf = ctx->conf;
	struct in_addr		 ip;
	int			 i;

	if (conf->nsubnets == 0)
		return NULL;
	if (host_ip(ctx, &ip) && (i = subnet_find(conf, ip)) != -1)
		return &conf->subnets[i];
	return &conf->subnets[0];
}

/* {{kickstart}} and {{done}}: "{{http}}/what/<name>?t=<token>". */
static const char *
host_url(struct tmpl_host_ctx *ctx, const char *what)
{
	const struct host	*h = &ctx->conf->hosts[ctx->host];
	size_t			 n;

	tmpl_http_base(&ctx->conf->server, ctx->v6, ctx->scratch,
	    sizeof(ctx->scratch));
	n = strlen(ctx->scratch);
	snprintf(ctx->scratch + n, sizeof(ctx->scratch) - n, "/%s/%s?t=%s",
	    what, h->conf.name, strcmp(what, "done") == 0 ? h->rt.done :
	    h->rt.token);
	return ctx->scratch;
}

static const char *
host_dns(struct tmpl_host_ctx *ctx, const struct subnet_conf *sn)
{
	size_t	 i, n = 0;

	ctx->scratch[0] = '\0';
	for (i = 0; i < sn->ndns && n < sizeof(ctx->scratch); i++) {
		if (i > 0)
			ctx->scratch[n++] = ',';
		inet_ntop(AF_INET, &sn->dns[i], ctx->scratch + n,
		    sizeof(ctx->scratch) - n);
		n += strlen(ctx->scratch + n);
	}
	return ctx->scratch;
}

/* {{router}}, {{dns}}, {{domain}}; NULL for any other name. */
static const char *
host_subnet_var(struct tmpl_host_ctx *ctx, const char *name, size_t len)
{
	const struct subnet_conf	*sn;
	int				 which;

	if (len == 6 && memcmp(name, "router", 6) == 0)
		which = 0;
	else if (len == 3 && memcmp(name, "dns", 3) == 0)
		which = 1;
	else if (len == 6 && memcmp(name, "domain", 6) == 0)
		which = 2;
	else
		return NULL;
	if ((sn = host_subnet(ctx)) == NULL)
		return "";
	switch (which) {
	case 0:
		if (sn->router.s_addr == INADDR_ANY)
			return "";
		return inet_ntop(AF_INET, &sn->router, ctx->scratch,
		    sizeof(ctx->scratch));
	case 1:
		return host_dns(ctx, sn);
	default:
		return sn->domain;
	}
}

#define IS(s)	(len == sizeof(s) - 1 && memcmp(name, (s), len) == 0)

const char *
tmpl_host_lookup(const char *name, size_t len, void *arg)
{
	struct tmpl_host_ctx	*ctx = arg;
	const struct config	*conf = ctx->conf;
	const struct host	*h = &conf->hosts[ctx->host];
	struct in_addr		 ip;
	char			 key[PXED_VARKEYLEN];

	if (IS("server"))
		return tmpl_server(&conf->server, ctx->v6, ctx->scratch,
		    sizeof(ctx->scratch));
	/* Each its own family only: "" when the server has none of it. */
	if (IS("server4"))
		return conf->server.address.s_addr == INADDR_ANY ? "" :
		    tmpl_server(&conf->server, 0, ctx->scratch,
		    sizeof(ctx->scratch));
	if (IS("server6"))
		return IN6_IS_ADDR_UNSPECIFIED(&conf->server.address6) ? "" :
		    tmpl_server(&conf->server, 1, ctx->scratch,
		    sizeof(ctx->scratch));
	if (IS("http")) {
		tmpl_http_base(&conf->server, ctx->v6, ctx->scratch,
		    sizeof(ctx->scratch));
		return ctx->scratch;
	}
	if (IS("ip6"))
		return host_ip6(ctx);
	if (IS("name"))
		return h->conf.name;
	if (IS("mac")) {
		/* The first MAC listed: the host's own, for a template. */
		mac_format(h->conf.macs[0], ctx->scratch,
		    sizeof(ctx->scratch));
		return ctx->scratch;
	}
	if (IS("ip")) {
		if (!host_ip(ctx, &ip))
			return "";
		return inet_ntop(AF_INET, &ip, ctx->scratch,
		    sizeof(ctx->scratch));
	}
	if (IS("profile"))
		return h->conf.profile >= 0 &&
		    (size_t)h->conf.profile < conf->nprofiles ?
		    conf->profiles[h->conf.profile].name : "";
	if (IS("kickstart"))
		return host_url(ctx, "ks");
	if (IS("done"))
		return host_url(ctx, "done");
	if (len > 5 && memcmp(name, "vars.", 5) == 0) {
		if (len - 5 >= sizeof(key))
			return NULL;
		memcpy(key, name + 5, len - 5);
		key[len - 5] = '\0';
		return config_host_var(conf, ctx->host, key);
	}
	return host_subnet_var(ctx, name, len);
}

#undef IS
