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
 * storm: HTTP/1.1 GETs on one keep-alive connection a machine, and the
 * menu parser that finds the kernel, initrd, kickstart and done URLs.
 */

#include <sys/epoll.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "storm.h"

#define HTTP_TIMEOUT	30000.0
#define HTTP_LOWAT	(256 * 1024)	/* body bytes per wake-up */

static const char *url_path(const char *);
static int	 http_connect(struct mach *);
static void	 http_write(struct mach *);
static void	 http_read(struct mach *);
static int	 http_head(struct mach *);
static void	 http_finish(struct mach *);
static void	 http_lowat(struct mach *, int);
static int	 menu_word(const char *, const char *, char *, size_t);

/* http://a.b.c.d[:port]: every URL the servers hand out is on it. */
int
http_base(const char *base)
{
	char		 host[64], *c;
	const char	*errstr;

	if (strncmp(base, "http://", 7) != 0 ||
	    strlcpy(host, base + 7, sizeof(host)) >= sizeof(host))
		return -1;
	host[strcspn(host, "/")] = '\0';
	strlcpy(S.hhost, host, sizeof(S.hhost));
	S.hsrv.sin_family = AF_INET;
	S.hsrv.sin_port = htons(80);
	if ((c = strchr(host, ':')) != NULL) {
		*c++ = '\0';
		S.hsrv.sin_port = htons(strtonum(c, 1, 65535, &errstr));
		if (errstr != NULL)
			return -1;
	}
	return inet_pton(AF_INET, host, &S.hsrv.sin_addr) == 1 ? 0 : -1;
}

/* The path of a URL; a bare path is taken as it is. */
static const char *
url_path(const char *url)
{
	const char	*p;

	if (strncmp(url, "http://", 7) != 0)
		return url;
	p = strchr(url + 7, '/');
	return p != NULL ? p : "/";
}

static int
http_connect(struct mach *m)
{
	struct sockaddr_in	 sin;
	struct epoll_event	 ev;
	int			 one = 1;

	if ((m->hfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1)
		return -1;
	m->lowat = 1;
	setsockopt(m->hfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	/* From the leased address: pxed gives tokens to their host only. */
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr = m->yiaddr;
	if (bind(m->hfd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		return -1;
	if (connect(m->hfd, (struct sockaddr *)&S.hsrv, sizeof(S.hsrv)) == -1 &&
	    errno != EINPROGRESS)
		return -1;
	ev.events = EPOLLIN | EPOLLOUT;
	ev.data.u64 = (uint64_t)m->idx << 2 | 2;
	return epoll_ctl(S.ep, EPOLL_CTL_ADD, m->hfd, &ev);
}

/*
 * GET url; keep: hold the body (an iPXE script).  A ${mac} in the URL is
 * expanded, as iPXE does, so the reference server can name the script.
 */
void
http_get(struct mach *m, const char *url, int keep)
{
	char		 path[URL_MAX], *v;
	int		 l;

	if (url[0] == '\0') {
		mach_fail(m, "no url in the menu");
		return;
	}
	strlcpy(path, url_path(url), sizeof(path));
	if ((v = strstr(path, "${mac}")) != NULL) {
		char tail[URL_MAX];

		strlcpy(tail, v + 6, sizeof(tail));
		snprintf(v, sizeof(path) - (v - path), "%s%s", m->macstr, tail);
	}
	l = snprintf(m->req, sizeof(m->req), "GET %s%s HTTP/1.1\r\nHost: %s\r\n"
	    "User-Agent: storm\r\n\r\n", path[0] == '/' ? "" : "/", path,
	    S.hhost);
	if (l < 0 || (size_t)l >= sizeof(m->req)) {
		mach_fail(m, "url too long");
		return;
	}
	m->reqlen = l;
	m->reqoff = 0;
	m->keep = keep;
	m->bodylen = 0;
	m->headlen = 0;
	m->timer = S.now + HTTP_TIMEOUT;
	if (m->hfd == -1) {
		if (http_connect(m) == -1) {
			mach_fail(m, "http connect");
			return;
		}
		m->hstate = H_CONNECT;
		return;
	}
	m->hstate = H_SEND;
	http_write(m);
}

void
http_close(struct mach *m)
{
	fd_close(&m->hfd);
	m->hstate = H_IDLE;
}

static void
http_write(struct mach *m)
{
	struct epoll_event	 ev;
	ssize_t			 n;

	while (m->reqoff < m->reqlen) {
		n = send(m->hfd, m->req + m->reqoff, m->reqlen - m->reqoff,
		    MSG_NOSIGNAL);
		if (n == -1) {
			if (errno == EAGAIN)
				return;
			mach_fail(m, "http send");
			return;
		}
		m->reqoff += n;
	}
	ev.events = EPOLLIN;
	ev.data.u64 = (uint64_t)m->idx << 2 | 2;
	epoll_ctl(S.ep, EPOLL_CTL_MOD, m->hfd, &ev);
	m->hstate = H_HEAD;
}

void
http_event(struct mach *m, uint32_t events)
{
	int		 e = 0;
	socklen_t	 el = sizeof(e);

	if (m->hstate == H_CONNECT) {
		if (getsockopt(m->hfd, SOL_SOCKET, SO_ERROR, &e, &el) == -1 ||
		    e != 0) {
			mach_fail(m, "http connect refused");
			return;
		}
		m->hstate = H_SEND;
	}
	if (m->hstate == H_SEND && (events & EPOLLOUT))
		http_write(m);
	if (m->hstate == H_IDLE || m->hstate == H_HEAD ||
	    m->hstate == H_BODY)
		http_read(m);
}

/* The status line and the headers this client needs. */
static int
http_head(struct mach *m)
{
	char	*l, *e;

	m->status = 0;
	m->clen = -1;
	m->hclose = 0;
	if (sscanf(m->head, "HTTP/1.%*d %d", &m->status) != 1)
		return -1;
	for (l = strstr(m->head, "\r\n"); l != NULL && l[2] != '\r';
	    l = strstr(l + 2, "\r\n")) {
		e = l + 2;
		if (strncasecmp(e, "Content-Length:", 15) == 0)
			m->clen = strtoll(e + 15, NULL, 10);
		else if (strncasecmp(e, "Connection:", 11) == 0 &&
		    strncasecmp(e + 11 + strspn(e + 11, " "), "close", 5) == 0)
			m->hclose = 1;
	}
	return m->clen < 0 ? -1 : 0;
}

static void
http_finish(struct mach *m)
{
	static char	 why[600][16];

	if (m->hclose)
		http_close(m);
	else {
		http_lowat(m, 1);
		m->hstate = H_IDLE;
	}
	if (m->status != 200) {
		/* Reasons are counted by pointer-stable strings. */
		if (m->status < 100 || m->status > 599) {
			mach_fail(m, "http bad status");
			return;
		}
		snprintf(why[m->status], sizeof(why[0]), "http %d", m->status);
		mach_fail(m, why[m->status]);
		return;
	}
	mach_next(m);
}

static void
http_read(struct mach *m)
{
	static char	 buf[65536];
	ssize_t		 n;
	size_t		 off, take;
	char		*eoh;

	for (;;) {
		/*
		 * A body nobody reads (kernel, initrd) is dropped in the
		 * kernel without a copy: the load client should spend the
		 * machine's cores on the servers, not on itself.
		 */
		if (m->hstate == H_BODY && !m->keep)
			n = recv(m->hfd, NULL, (size_t)(m->clen - m->cgot),
			    MSG_TRUNC);
		else
			n = recv(m->hfd, buf, sizeof(buf), 0);
		if (n == -1) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			mach_fail(m, "http recv");
			return;
		}
		if (n == 0) {
			if (m->hstate == H_IDLE) {
				http_close(m);
				return;
			}
			mach_fail(m, "http closed mid-response");
			return;
		}
		if (m->hstate == H_IDLE) {
			mach_fail(m, "http data unasked for");
			return;
		}
		off = 0;
		if (m->hstate == H_HEAD) {
			take = sizeof(m->head) - 1 - m->headlen;
			if (take > (size_t)n)
				take = n;
			memcpy(m->head + m->headlen, buf, take);
			m->headlen += take;
			m->head[m->headlen] = '\0';
			if ((eoh = strstr(m->head, "\r\n\r\n")) == NULL) {
				if (m->headlen == sizeof(m->head) - 1)
					mach_fail(m, "http head too long");
				continue;
			}
			if (http_head(m) == -1) {
				mach_fail(m, "http bad response head");
				return;
			}
			off = (eoh + 4 - m->head) - (m->headlen - take);
			m->cgot = 0;
			m->hstate = H_BODY;
		}
		take = n - off;
		if ((long long)take > m->clen - m->cgot) {
			mach_fail(m, "http more than Content-Length");
			return;
		}
		if (m->keep && body_add(m, buf + off, take) == -1) {
			mach_fail(m, "script too large");
			return;
		}
		m->cgot += take;
		if (m->cgot == m->clen) {
			http_finish(m);
			return;
		}
		if (!m->keep)
			http_lowat(m, m->clen - m->cgot < HTTP_LOWAT ?
			    (int)(m->clen - m->cgot) : HTTP_LOWAT);
	}
}

/*
 * A big body wakes the client once per HTTP_LOWAT bytes, not once per
 * segment that arrives (the rest of the body, at its end); heads and
 * scripts, at once.
 */
static void
http_lowat(struct mach *m, int want)
{
	if (want == m->lowat)
		return;
	if (setsockopt(m->hfd, SOL_SOCKET, SO_RCVLOWAT, &want,
	    sizeof(want)) == 0)
		m->lowat = want;
}

int
body_add(struct mach *m, const void *p, size_t len)
{
	if (m->body == NULL && (m->body = malloc(MENU_MAX)) == NULL)
		err(1, NULL);
	if (m->bodylen + len >= MENU_MAX)
		return -1;
	memcpy(m->body + m->bodylen, p, len);
	m->bodylen += len;
	m->body[m->bodylen] = '\0';
	return 0;
}

/* The word after key (at a word start or after "."), up to a blank. */
static int
menu_word(const char *text, const char *key, char *out, size_t outlen)
{
	const char	*p = text;
	size_t		 l, kl = strlen(key);

	while ((p = strstr(p, key)) != NULL) {
		if (p == text || strchr(" \t\n.", p[-1]) != NULL)
			break;
		p += kl;
	}
	if (p == NULL)
		return -1;
	p += kl;
	p += strspn(p, " \t");
	l = strcspn(p, " \t\r\n");
	if (l == 0 || l >= outlen)
		return -1;
	memcpy(out, p, l);
	out[l] = '\0';
	return 0;
}

/*
 * pxelinux (KERNEL, initrd=), GRUB (linux, initrd) and iPXE (kernel,
 * initrd) menus; ks= and done= from the kernel command line.
 */
int
menu_parse(struct mach *m)
{
	const char	*t = m->body != NULL ? m->body : "";

	if ((menu_word(t, "KERNEL ", m->kernel, URL_MAX) == -1 &&
	    menu_word(t, "linux ", m->kernel, URL_MAX) == -1 &&
	    menu_word(t, "kernel ", m->kernel, URL_MAX) == -1) ||
	    (menu_word(t, "initrd=", m->initrd, URL_MAX) == -1 &&
	    menu_word(t, "initrd ", m->initrd, URL_MAX) == -1)) {
		mach_fail(m, "menu without kernel or initrd");
		return -1;
	}
	if (menu_word(t, "ks=", m->ks, URL_MAX) == -1 ||
	    menu_word(t, "done=", m->done, URL_MAX) == -1) {
		mach_fail(m, "menu without ks= or done=");
		return -1;
	}
	return 0;
}
