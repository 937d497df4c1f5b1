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
 * Responses: the status line and headers, fixed error bodies, generated
 * bodies, and static files from the HTTP root.  A file is opened with
 * openat2(RESOLVE_BENEATH) below the root we are chrooted into, so a
 * symlink that points out of the root is refused with 403 instead of
 * being followed; its bytes then go out with sendfile(2), or from memory
 * when small (filecache.c).
 */

#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <linux/openat2.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "httpd.h"
#include "log.h"

static int	 http_open(const char *);
static void	 http_open_failed(struct http_conn *, int);
static int	 http_not_modified(const struct http_request *,
		    const struct stat *, const char *);
static int	 http_ifrange_ok(const struct http_request *, const char *,
		    const char *);

static const struct {
	int		 code;
	const char	*text;
} http_statuses[] = {
	{ 200, "OK" }, { 206, "Partial Content" }, { 304, "Not Modified" },
	{ 400, "Bad Request" }, { 403, "Forbidden" }, { 404, "Not Found" },
	{ 405, "Method Not Allowed" }, { 408, "Request Timeout" },
	{ 413, "Content Too Large" }, { 414, "URI Too Long" },
	{ 416, "Range Not Satisfiable" },
	{ 431, "Request Header Fields Too Large" },
	{ 500, "Internal Server Error" }, { 501, "Not Implemented" },
	{ 503, "Service Unavailable" }, { 505, "HTTP Version Not Supported" },
};

static const struct {
	const char	*ext;
	const char	*type;
} http_types[] = {
	{ "efi", "application/efi" },
	{ "html", "text/html" },
	{ "htm", "text/html" },
	{ "txt", "text/plain" },
	{ "cfg", "text/plain" },
	{ "ks", "text/plain" },
	{ "ipxe", "text/plain" },
	{ "css", "text/css" },
	{ "js", "text/javascript" },
	{ "json", "application/json" },
	{ "xml", "application/xml" },
	{ "iso", "application/x-iso9660-image" },
	{ "img", "application/octet-stream" },
	{ "gz", "application/gzip" },
	{ "xz", "application/x-xz" },
	{ "rpm", "application/x-rpm" },
	{ "deb", "application/vnd.debian.binary-package" },
	{ "png", "image/png" },
	{ "svg", "image/svg+xml" },
};

const char *
http_status_text(int code)
{
	size_t	 i;

	for (i = 0; i < sizeof(http_statuses) / sizeof(http_statuses[0]); i++)
		if (http_statuses[i].code == code)
			return http_statuses[i].text;
	return "Unknown";
}

static const int	 http_slot_codes[HC_OTHER] = { 200, 206, 304, 400,
    403, 404, 405, 408, 413, 414, 416, 431, 500, 501, 503, 505 };

int
http_code_slot(int code)
{
	int	 i;

	for (i = 0; i < HC_OTHER; i++)
		if (http_slot_codes[i] == code)
			return i;
	return HC_OTHER;
}

/* The status code counted in slot i, 0 for the catch-all. */
int
http_slot_code(int i)
{
	return i >= 0 && i < HC_OTHER ? http_slot_codes[i] : 0;
}

/* By the extension of the last path segment; octet-stream otherwise. */
const char *
http_content_type(const char *path)
{
	const char	*slash, *dot;
	size_t		 i;

	slash = strrchr(path, '/');
	dot = strrchr(slash != NULL ? slash : path, '.');
	if (dot == NULL)
		return "application/octet-stream";
	for (i = 0; i < sizeof(http_types) / sizeof(http_types[0]); i++)
		if (strcasecmp(dot + 1, http_types[i].ext) == 0)
			return http_types[i].type;
	return "application/octet-stream";
}

/*
 * The status line and headers into c->hdr.  extra is more header lines,
 * each ending in CRLF, or NULL.
 */
void
http_head(struct http_conn *c, int code, const char *ctype, uint64_t clen,
    const char *extra)
{
	static time_t	 last;
	static char	 date[40];
	time_t		 now = time(NULL);
	int		 n;

	if (now != last) {
		http_date_format(now, date, sizeof(date));
		last = now;
	}
	if (!c->parsed || !c->req.keepalive)
		c->close_after = 1;
	c->status = code;
	n = snprintf(c->hdr, HTTP_HDROUT, "HTTP/1.1 %d %s\r\n"
	    "Server: pxed\r\nDate: %s\r\n%s%s%sContent-Length: %llu\r\n"
	    "%sConnection: %s\r\n\r\n", code, http_status_text(code), date,
	    ctype != NULL ? "Content-Type: " : "", ctype != NULL ? ctype : "",
	    ctype != NULL ? "\r\n" : "", (unsigned long long)clen,
	    extra != NULL ? extra : "", c->close_after ? "close" :
	    "keep-alive");
	if (n < 0 || n >= HTTP_HDROUT)
		fatalx("http: response head too long");
	c->hdrlen = n;
	c->hdroff = 0;
}

/* A generated body already in c->body; HEAD gets its head only. */
void
http_body_reply(struct http_conn *c, int code, const char *ctype)
{
	http_head(c, code, ctype, c->body.len, NULL);
	if (c->parsed && c->req.method == HTTP_HEAD)
		buf_reset(&c->body);
	c->bodyoff = 0;
	http_respond(c);
}

void
http_text(struct http_conn *c, int code, const char *text)
{
	buf_reset(&c->body);
	if (buf_addstr(&c->body, text) == -1) {
		buf_reset(&c->body);
		code = 500;
	}
	http_body_reply(c, code, "text/plain");
}

/* A short fixed body; errors in the request itself close the connection. */
void
http_error(struct http_conn *c, int code)
{
	char		 text[64];
	const char	*allow = NULL;

	if (code == 400 || code == 408 || code == 413 || code == 414 ||
	    code == 431 || code == 501 || code == 505 || code == 500)
		c->close_after = 1;
	if (code == 405)
		allow = c->parsed && strncmp(c->req.path, "/done/", 6) == 0 ?
		    "Allow: GET, POST\r\n" : "Allow: GET, HEAD\r\n";
	snprintf(text, sizeof(text), "%d %s\n", code, http_status_text(code));
	buf_reset(&c->body);
	if (buf_addstr(&c->body, text) == -1)
		buf_reset(&c->body);
	http_head(c, code, "text/plain", c->body.len, allow);
	if (c->parsed && c->req.method == HTTP_HEAD)
		buf_reset(&c->body);
	c->bodyoff = 0;
	http_respond(c);
}

/* Open path (absolute, normalized) beneath our root; -1 with errno. */
static int
http_open(const char *path)
{
	struct open_how	 how;
	const char	*rel = path[1] != '\0' ? path + 1 : ".";
	int		 fd;

	memset(&how, 0, sizeof(how));
	how.flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
	fd = syscall(SYS_openat2, AT_FDCWD, rel, &how, sizeof(how));
	if (fd == -1 && errno == ENOSYS)
		fd = open(rel, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY |
		    O_NOFOLLOW);
	return fd;
}

/*
 * Whether a profile's kernel or initrd (a path below the root, with or
 * without its leading "/") is a regular file of the HTTP root.
 */
int
http_file_exists(const char *path)
{
	char		 abs[PXED_PATHLEN + 1];
	struct stat	 st;
	int		 fd, r;

	if (snprintf(abs, sizeof(abs), "/%s", path + (path[0] == '/')) >=
	    (int)sizeof(abs) || (fd = http_open(abs)) == -1)
		return 0;
	r = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	close(fd);
	return r;
}

static int
http_not_modified(const struct http_request *r, const struct stat *st,
    const char *etag)
{
	time_t	 t;

	if (r->method != HTTP_GET && r->method != HTTP_HEAD)
		return 0;
	if (r->inm != NULL)
		return strcmp(r->inm, "*") == 0 || strstr(r->inm, etag) != NULL;
	if (r->ims != NULL && http_date_parse(r->ims, &t) == 0)
		return st->st_mtime <= t;
	return 0;
}

/* If-Range: the range counts only if the validator still matches. */
static int
http_ifrange_ok(const struct http_request *r, const char *etag,
    const char *lastmod)
{
	if (r->ifrange == NULL)
		return 1;
	return strcmp(r->ifrange, etag) == 0 || strcmp(r->ifrange, lastmod)
	    == 0;
}

/* No such file (maybe a menu we generate), out of bounds, or no room. */
static void
http_open_failed(struct http_conn *c, int err)
{
	switch (err) {
	case ENOENT:
	case ENOTDIR:
		if (routes_menu(c))
			break;
		/* FALLTHROUGH */
	case ENAMETOOLONG:
		http_error(c, 404);
		break;
	case EMFILE:
	case ENFILE:
		http_error(c, 503);
		break;
	default:	/* EXDEV, ELOOP, EACCES: out of bounds */
		http_error(c, 403);
		break;
	}
}

/* A static file sent or not sent after all: its descriptor or bytes go. */
void
http_file_drop(int fd, struct fc_entry *fc)
{
	if (fd != -1)
		close(fd);
	if (fc != NULL)
		filecache_release(fc);
}

void
http_serve_file(struct http_conn *c)
{
	struct http_request	*r = &c->req;
	struct http_range	 rg;
	struct stat		 st;
	struct fc_entry		*fc;
	char			 etag[64], lastmod[40], extra[256];
	int			 fd = -1, code = 200, rr = 0;

	if ((fc = filecache_get(r->path, &st)) != NULL)
		http_stats.from_memory++;
	else {
		if ((fd = http_open(r->path)) == -1) {
			http_open_failed(c, errno);
			return;
		}
		if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
			close(fd);
			http_error(c, 403);	/* directories are not listed */
			return;
		}
		if ((fc = filecache_put(r->path, fd, &st)) != NULL) {
			close(fd);
			fd = -1;
		}
	}
	snprintf(etag, sizeof(etag), "\"%llx-%llx-%llx%09ld\"",
	    (unsigned long long)st.st_ino, (unsigned long long)st.st_size,
	    (unsigned long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	http_date_format(st.st_mtime, lastmod, sizeof(lastmod));
	if (http_not_modified(r, &st, etag)) {
		http_file_drop(fd, fc);
		snprintf(extra, sizeof(extra), "ETag: %s\r\nLast-Modified: "
		    "%s\r\n", etag, lastmod);
		http_head(c, 304, NULL, st.st_size, extra);
		http_respond(c);
		return;
	}
	if (r->range != NULL && http_ifrange_ok(r, etag, lastmod))
		rr = http_range_parse(r->range, st.st_size, &rg);
	if (rr == -1) {
		http_file_drop(fd, fc);
		snprintf(extra, sizeof(extra),
		    "Content-Range: bytes */%llu\r\n",
		    (unsigned long long)st.st_size);
		buf_reset(&c->body);
		http_head(c, 416, NULL, 0, extra);
		http_respond(c);
		return;
	}
	if (rr == 0) {
		rg.off = 0;
		rg.len = st.st_size;
		extra[0] = '\0';
	} else {
		code = 206;
		snprintf(extra, sizeof(extra), "Content-Range: bytes "
		    "%llu-%llu/%llu\r\n", (unsigned long long)rg.off,
		    (unsigned long long)(rg.off + rg.len - 1),
		    (unsigned long long)st.st_size);
	}
	snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra),
	    "Accept-Ranges: bytes\r\nETag: %s\r\nLast-Modified: %s\r\n", etag,
	    lastmod);
	http_head(c, code, http_content_type(r->path), rg.len, extra);
	if (r->method == HTTP_HEAD || rg.len == 0)
		http_file_drop(fd, fc);
	else {
		c->filefd = fd;		/* one of the two is set */
		c->fc = fc;
		c->fileoff = rg.off;
		c->fileleft = rg.len;
	}
	http_respond(c);
}
