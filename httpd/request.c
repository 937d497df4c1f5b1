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
 * The HTTP/1.1 request parser.  Bytes collect in a bounded per-connection
 * buffer; http_head_end finds the end of the head, resuming where the
 * last scan stopped, and http_parse then splits the head in place
 * (NUL-terminating lines and values) without allocating.  Every error is
 * an HTTP status for the caller to answer with.
 */

#include <sys/types.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "httpd.h"

static int	 http_tchar(int);
static int	 http_method(const char *, size_t, struct http_request *);
static int	 http_request_line(char *, struct http_request *);
static int	 http_header(char *, struct http_request *, int *);
static int	 http_connection(const char *, struct http_request *);
static int	 http_decode(char *);
static int	 http_digits(const char *, const char *, uint64_t *);

/*
 * The length of the head (through its empty line) in buf[0..len), or 0
 * when it is not complete yet; *scanned remembers how far we looked.
 * A bare LF ends a line as well as CRLF does.
 */
ssize_t
http_head_end(const char *buf, size_t len, size_t *scanned)
{
	size_t	 i = *scanned;

	for (; i < len; i++) {
		if (buf[i] != '\n')
			continue;
		if (i + 1 < len && buf[i + 1] == '\n')
			return i + 2;
		if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n')
			return i + 3;
		if (i + 2 >= len)
			break;		/* look again with more bytes */
	}
	*scanned = i;
	return 0;
}

/* RFC 9110 token characters. */
static int
http_tchar(int c)
{
	return isalnum(c) || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) !=
	    NULL);
}

static int
http_method(const char *m, size_t len, struct http_request *r)
{
	static const char	*other[] = { "PUT", "DELETE", "OPTIONS",
	    "TRACE", "CONNECT", "PATCH", NULL };
	size_t			 i;

	if (len == 0)
		return 400;
	for (i = 0; i < len; i++)
		if (!http_tchar((unsigned char)m[i]))
			return 400;
	snprintf(r->mname, sizeof(r->mname), "%.*s", (int)len, m);
	if (len == 3 && memcmp(m, "GET", 3) == 0)
		r->method = HTTP_GET;
	else if (len == 4 && memcmp(m, "HEAD", 4) == 0)
		r->method = HTTP_HEAD;
	else if (len == 4 && memcmp(m, "POST", 4) == 0)
		r->method = HTTP_POST;
	else {
		for (i = 0; other[i] != NULL; i++)
			if (strlen(other[i]) == len &&
			    memcmp(m, other[i], len) == 0)
				break;
		if (other[i] == NULL)
			return 501;
		r->method = HTTP_OTHER;
	}
	return 0;
}

/* "METHOD SP target SP HTTP/1.x", NUL-terminated, CR removed. */
static int
http_request_line(char *line, struct http_request *r)
{
	char	*sp1, *sp2, *target, *ver, *p;
	int	 e;

	if (strlen(line) > HTTP_LINEMAX)
		return 414;
	if ((sp1 = strchr(line, ' ')) == NULL)
		return 400;
	if ((e = http_method(line, sp1 - line, r)) != 0)
		return e;
	target = sp1 + 1;
	if ((sp2 = strchr(target, ' ')) == NULL)
		return 400;		/* HTTP/0.9 is not spoken here */
	*sp2 = '\0';
	ver = sp2 + 1;
	if (strcmp(ver, "HTTP/1.1") == 0)
		r->minor = 1;
	else if (strcmp(ver, "HTTP/1.0") == 0)
		r->minor = 0;
	else if (strlen(ver) == 8 && strncmp(ver, "HTTP/", 5) == 0 &&
	    isdigit((unsigned char)ver[5]) && ver[6] == '.' &&
	    isdigit((unsigned char)ver[7]))
		return 505;
	else
		return 400;
	for (p = target; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
			return 400;
	/* absolute-form: keep the path */
	if (strncasecmp(target, "http://", 7) == 0) {
		if ((target = strchr(target + 7, '/')) == NULL)
			return 400;
	}
	if (target[0] != '/')
		return 400;
	if ((p = strchr(target, '?')) != NULL) {
		*p = '\0';
		r->query = p + 1;
	}
	if ((e = http_path_normalize(target)) != 0)
		return e;
	r->path = target;
	return 0;
}

/* Connection: a list of tokens; we look for close and keep-alive. */
static int
http_connection(const char *v, struct http_request *r)
{
	const char	*p = v, *q;
	size_t		 n;

	while (*p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		for (q = p; *q != '\0' && *q != ',' && *q != ' ' &&
		    *q != '\t'; q++)
			;
		n = q - p;
		if (n == 5 && strncasecmp(p, "close", 5) == 0)
			r->keepalive = 0;
		else if (n == 10 && strncasecmp(p, "keep-alive", 10) == 0)
			r->keepalive = 1;
		p = q;
	}
	return 0;
}

/* Decimal digits only, at most 15 of them. */
static int
http_digits(const char *s, const char *end, uint64_t *v)
{
	uint64_t	 n = 0;
	const char	*p;

	if (s == end || end - s > 15)
		return -1;
	for (p = s; p < end; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		n = n * 10 + (uint64_t)(*p - '0');
	}
	*v = n;
	return 0;
}

/* One "name: value" line; *host counts Host headers. */
static int
http_header(char *line, struct http_request *r, int *host)
{
	char		*colon, *v, *end, *p;
	uint64_t	 n;

	if (line[0] == ' ' || line[0] == '\t')
		return 400;		/* obsolete line folding */
	if ((colon = strchr(line, ':')) == NULL || colon == line)
		return 400;
	for (p = line; p < colon; p++)
		if (!http_tchar((unsigned char)*p))
			return 400;
	*colon = '\0';
	for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
		;
	for (p = v; *p != '\0'; p++)
		if (((unsigned char)*p < 0x20 && *p != '\t') || *p == 0x7f)
			return 400;
	for (end = p; end > v && (end[-1] == ' ' || end[-1] == '\t'); end--)
		;
	*end = '\0';
	if (strcasecmp(line, "Host") == 0) {
		if (++*host > 1)
			return 400;
	} else if (strcasecmp(line, "Connection") == 0)
		return http_connection(v, r);
	else if (strcasecmp(line, "Content-Length") == 0) {
		if (http_digits(v, end, &n) == -1 ||
		    (r->clen != UINT64_MAX && r->clen != n))
			return 400;
		r->clen = n;
	} else if (strcasecmp(line, "Transfer-Encoding") == 0)
		return 501;
	else if (strcasecmp(line, "Range") == 0)
		r->range = v;
	else if (strcasecmp(line, "If-Modified-Since") == 0)
		r->ims = v;
	else if (strcasecmp(line, "If-None-Match") == 0)
		r->inm = v;
	else if (strcasecmp(line, "If-Range") == 0)
		r->ifrange = v;
	return 0;
}

/*
 * Parse the head in buf[0..headlen), as found by http_head_end.
 * Returns 0 or the status to answer with.
 */
int
http_parse(char *buf, size_t headlen, struct http_request *r)
{
	char	*line, *next, *end = buf + headlen, *nl;
	size_t	 n;
	int	 e, nhdr = 0, host = 0, keep = -1;

	memset(r, 0, sizeof(*r));
	r->clen = UINT64_MAX;
	r->headlen = headlen;
	for (line = buf; line < end; line = next) {
		if ((nl = memchr(line, '\n', end - line)) == NULL)
			return 400;
		next = nl + 1;
		n = nl - line;
		if (n > 0 && line[n - 1] == '\r')
			n--;
		line[n] = '\0';
		if (memchr(line, '\r', n) != NULL ||
		    memchr(line, '\0', n) != NULL)
			return 400;
		if (line == buf) {
			if ((e = http_request_line(line, r)) != 0)
				return e;
			continue;
		}
		if (*line == '\0')
			break;
		if (++nhdr > HTTP_MAXHEADERS)
			return 431;
		r->keepalive = -1;
		if ((e = http_header(line, r, &host)) != 0)
			return e;
		if (r->keepalive != -1)
			keep = r->keepalive;
	}
	if (r->path == NULL)
		return 400;
	if (r->minor == 1 && host == 0)
		return 400;
	if (keep == -1)
		r->keepalive = r->minor == 1;
	else
		r->keepalive = keep;
	if (r->clen == UINT64_MAX)
		r->clen = 0;
	return 0;
}

/* Percent-decoding in place; NUL and control characters are refused. */
static int
http_decode(char *s)
{
	char	*w = s;
	int	 hi, lo, c;

	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if (c == '%') {
			if ((hi = hex_digit((unsigned char)s[1])) == -1 ||
			    (lo = hex_digit((unsigned char)s[2])) == -1)
				return -1;
			c = hi << 4 | lo;
			s += 2;
		}
		if (c < 0x20 || c == 0x7f)
			return -1;
		*w++ = (char)c;
	}
	*w = '\0';
	return 0;
}

/*
 * Decode and normalize a path in place: empty and "." segments go, a
 * ".." segment (however it was encoded) is refused with 403.  The
 * result starts with '/' and keeps a trailing '/'.
 */
int
http_path_normalize(char *path)
{
	char	*r, *w, *seg;
	size_t	 n;
	int	 trailing;

	if (http_decode(path) == -1)
		return 400;
	n = strlen(path);
	trailing = n > 1 && path[n - 1] == '/';
	r = path;
	w = path;
	while (*r != '\0') {
		while (*r == '/')
			r++;
		if (*r == '\0')
			break;
		seg = r;
		while (*r != '\0' && *r != '/')
			r++;
		n = r - seg;
		if (n == 1 && seg[0] == '.')
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.')
			return 403;
		*w++ = '/';
		memmove(w, seg, n);
		w += n;
	}
	if (w == path || trailing)
		*w++ = '/';
	*w = '\0';
	return 0;
}

/*
 * A Range header against a file of size bytes.  Returns 1 with *rg set
 * for a single satisfiable range, 0 to send the whole file (no Range,
 * a malformed one, or several ranges), -1 for 416.
 */
int
http_range_parse(const char *v, uint64_t size, struct http_range *rg)
{
	const char	*p, *dash, *end;
	uint64_t	 first, last;

	if (v == NULL || strncasecmp(v, "bytes=", 6) != 0)
		return 0;
	p = v + 6;
	while (*p == ' ' || *p == '\t')
		p++;
	if (strchr(p, ',') != NULL || (dash = strchr(p, '-')) == NULL)
		return 0;
	for (end = dash + 1; *end != '\0' && *end != ' ' && *end != '\t';
	    end++)
		;
	if (dash == p) {
		/* suffix: the last N bytes */
		if (http_digits(dash + 1, end, &last) == -1)
			return 0;
		if (last == 0 || size == 0)
			return -1;
		rg->len = last > size ? size : last;
		rg->off = size - rg->len;
		return 1;
	}
	if (http_digits(p, dash, &first) == -1)
		return 0;
	if (end == dash + 1)
		last = UINT64_MAX;
	else if (http_digits(dash + 1, end, &last) == -1 || last < first)
		return 0;
	if (first >= size)
		return -1;
	if (last >= size)
		last = size - 1;
	rg->off = first;
	rg->len = last - first + 1;
	return 1;
}

/* IMF-fixdate, and the obsolete RFC 850 and asctime forms. */
int
http_date_parse(const char *s, time_t *t)
{
	static const char	*fmts[] = { "%a, %d %b %Y %H:%M:%S GMT",
	    "%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y", NULL };
	struct tm		 tm;
	const char		*end;
	int			 i;

	for (i = 0; fmts[i] != NULL; i++) {
		memset(&tm, 0, sizeof(tm));
		if ((end = strptime(s, fmts[i], &tm)) != NULL && *end == '\0') {
			*t = timegm(&tm);
			return 0;
		}
	}
	return -1;
}

void
http_date_format(time_t t, char *out, size_t len)
{
	struct tm	 tm;

	gmtime_r(&t, &tm);
	strftime(out, len, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}
