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
 * The HTTP request parser driven directly: finding the end of a head
 * across reads, every malformed request of PROTOCOLS.md's list,
 * percent-decoding and traversal, ranges, dates, content types.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../httpd/httpd.h"
#include "test.h"

static char	 buf[HTTP_HEADMAX + 64];

/* Parse text as a whole head; returns the status (0: parsed). */
static int
parse(const char *text, struct http_request *r)
{
	size_t	 scanned = 0;
	ssize_t	 end;

	strlcpy(buf, text, sizeof(buf));
	if ((end = http_head_end(buf, strlen(buf), &scanned)) == 0)
		return -1;
	return http_parse(buf, end, r);
}

static int
status(const char *text)
{
	struct http_request	 r;

	return parse(text, &r);
}

static int
norm(const char *in, const char *want)
{
	char	 p[256];

	strlcpy(p, in, sizeof(p));
	if (http_path_normalize(p) != 0)
		return want == NULL;
	return want != NULL && strcmp(p, want) == 0;
}

static int
range(const char *v, uint64_t size, int want, uint64_t off, uint64_t len)
{
	struct http_range	 rg;
	int			 r;

	memset(&rg, 0, sizeof(rg));
	r = http_range_parse(v, size, &rg);
	if (r != want)
		return 0;
	return r != 1 || (rg.off == off && rg.len == len);
}

static void
test_head_end(void)
{
	const char	*h = "GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /next";
	size_t		 scanned = 0, i;
	ssize_t		 end = 0;

	/* byte by byte, as a slow client sends it */
	for (i = 1; i <= strlen(h) && end == 0; i++)
		end = http_head_end(h, i, &scanned);
	CHECK(end == 27, "head end found across reads at the right byte");
	scanned = 0;
	CHECK(http_head_end("GET / HTTP/1.1\r\nHost: x\r\n", 25, &scanned) ==
	    0, "an unfinished head is not complete");
	scanned = 0;
	CHECK(http_head_end("GET / HTTP/1.0\n\n", 16, &scanned) == 16,
	    "bare LF ends a head");
}

static void
test_good(void)
{
	struct http_request	 r;

	CHECK(parse("GET /a/b.txt?t=abc HTTP/1.1\r\nHost: x\r\n"
	    "Range: bytes=0-9\r\nIf-None-Match: \"e\"\r\n\r\n", &r) == 0,
	    "a plain GET parses");
	CHECK(r.method == HTTP_GET && strcmp(r.path, "/a/b.txt") == 0 &&
	    strcmp(r.query, "t=abc") == 0, "method, path, query");
	CHECK(r.keepalive == 1 && r.minor == 1, "HTTP/1.1 keeps alive");
	CHECK(r.range != NULL && strcmp(r.range, "bytes=0-9") == 0,
	    "Range value");
	CHECK(r.inm != NULL && strcmp(r.inm, "\"e\"") == 0,
	    "If-None-Match value");
	CHECK(parse("HEAD / HTTP/1.0\r\n\r\n", &r) == 0 &&
	    r.method == HTTP_HEAD && r.keepalive == 0,
	    "HTTP/1.0 without Host closes by default");
	CHECK(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", &r) ==
	    0 && r.keepalive == 1, "HTTP/1.0 keep-alive");
	CHECK(parse("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
	    &r) == 0 && r.keepalive == 0, "Connection: close");
	CHECK(parse("POST /done/n HTTP/1.1\r\nHost: x\r\nContent-Length: 12"
	    "\r\n\r\n", &r) == 0 && r.method == HTTP_POST && r.clen == 12,
	    "POST with Content-Length");
	CHECK(parse("GET http://h:80/x HTTP/1.1\r\nHost: h\r\n\r\n", &r) == 0 &&
	    strcmp(r.path, "/x") == 0, "absolute-form target");
	CHECK(parse("PUT /x HTTP/1.1\r\nHost: h\r\n\r\n", &r) == 0 &&
	    r.method == HTTP_OTHER, "a known method to refuse with 405");
	CHECK(parse("GET / HTTP/1.1\r\nhOsT:x\r\nX-Empty:\r\n\r\n", &r) == 0,
	    "header names are case-insensitive, values may be empty");
}

/* Malformed requests and the status each gets. */
static const struct {
	const char	*req;
	int		 code;
	const char	*name;
} bad_requests[] = {
	{ "FROB / HTTP/1.1\r\nHost: x\r\n\r\n", 501, "unknown method: 501" },
	{ "G(T / HTTP/1.1\r\nHost: x\r\n\r\n", 400,
	    "method with a separator: 400" },
	{ "GET / HTTP/1.1\r\n\r\n", 400, "no Host: 400" },
	{ "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400,
	    "two Host headers: 400" },
	{ "GET /\r\n\r\n", 400, "HTTP/0.9: 400" },
	{ "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505, "HTTP/2.0: 505" },
	{ "GET / HTTX/1.1\r\nHost: x\r\n\r\n", 400, "bad protocol name: 400" },
	{ "GET  / HTTP/1.1\r\nHost: x\r\n\r\n", 400, "two spaces: 400" },
	{ "GET x HTTP/1.1\r\nHost: x\r\n\r\n", 400,
	    "target without a slash: 400" },
	{ "GET / HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n", 400,
	    "header without a colon: 400" },
	{ "GET / HTTP/1.1\r\nHost: x\r\nBad Name: v\r\n\r\n", 400,
	    "space in a header name: 400" },
	{ "GET / HTTP/1.1\r\nHost: x\r\n : v\r\n\r\n", 400,
	    "obsolete line folding: 400" },
	{ "GET / HTTP/1.1\r\nHost: x\rY\r\n\r\n", 400,
	    "bare CR inside a line: 400" },
	{ "GET / HTTP/1.1\r\nHost: x\r\nA: \001\r\n\r\n", 400,
	    "control character in a value: 400" },
	{ "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n", 400,
	    "non-numeric Content-Length: 400" },
	{ "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n"
	    "Content-Length: 2\r\n\r\n", 400,
	    "conflicting Content-Length: 400" },
	{ "GET / HTTP/1.1\r\nHost: x\r\n"
	    "Content-Length: 99999999999999999999\r\n\r\n", 400,
	    "huge Content-Length: 400" },
	{ "POST /done/x HTTP/1.1\r\nHost: x\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n", 501, "chunked bodies: 501" },
	{ "GET /a%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400,
	    "bad percent escape: 400" },
	{ "GET /a%00b HTTP/1.1\r\nHost: x\r\n\r\n", 400, "encoded NUL: 400" },
	{ "GET /%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", 403,
	    "encoded traversal: 403" },
};

static void
test_malformed(void)
{
	char	 big[HTTP_HEADMAX];
	size_t	 k;
	int	 i;

	for (k = 0; k < sizeof(bad_requests) / sizeof(bad_requests[0]); k++)
		CHECK(status(bad_requests[k].req) == bad_requests[k].code,
		    bad_requests[k].name);
	memset(big, 'a', sizeof(big));
	memcpy(big, "GET /", 5);
	strlcpy(big + HTTP_LINEMAX + 10, " HTTP/1.1\r\nHost: x\r\n\r\n",
	    sizeof(big) - HTTP_LINEMAX - 10);
	CHECK(status(big) == 414, "request line over the limit: 414");
	strlcpy(big, "GET / HTTP/1.1\r\nHost: x\r\n", sizeof(big));
	for (i = 0; i <= HTTP_MAXHEADERS; i++)
		strlcat(big, "A: b\r\n", sizeof(big));
	strlcat(big, "\r\n", sizeof(big));
	CHECK(status(big) == 431, "too many header lines: 431");
}

/* Request paths and their normal form; NULL: refused. */
static const struct {
	const char	*in, *want, *name;
} paths[] = {
	{ "/a/b", "/a/b", "plain path" },
	{ "/", "/", "root" },
	{ "//a///b", "/a/b", "empty segments collapse" },
	{ "/./a/./b/.", "/a/b", "dot segments go" },
	{ "/a/", "/a/", "trailing slash kept" },
	{ "/a%20b", "/a b", "percent-decoding" },
	{ "/%41%62", "/Ab", "uppercase and lowercase hex" },
	{ "/..", NULL, "..: refused" },
	{ "/a/../b", NULL, "inner ..: refused" },
	{ "/a/..", NULL, "trailing ..: refused" },
	{ "/%2e%2e/x", NULL, "%2e%2e: refused" },
	{ "/%2E%2e%2fx", NULL, "%2E%2e%2f: refused" },
	{ "/a/.%2e/b", NULL, "mixed .%2e: refused" },
	{ "/a%2f..%2fb", NULL, "encoded slashes around ..: refused" },
	{ "/...", "/...", "three dots is a name" },
	{ "/..a", "/..a", "..a is a name" },
	{ "/a%", NULL, "truncated escape: refused" },
	{ "/a%1", NULL, "half an escape: refused" },
	{ "/a%0a", NULL, "encoded newline: refused" },
};

static void
test_paths(void)
{
	size_t	 i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		CHECK(norm(paths[i].in, paths[i].want), paths[i].name);
}

static void
test_ranges(void)
{
	CHECK(range("bytes=0-99", 1000, 1, 0, 100), "first bytes");
	CHECK(range("bytes=100-199", 1000, 1, 100, 100), "middle");
	CHECK(range("bytes=-100", 1000, 1, 900, 100), "suffix");
	CHECK(range("bytes=-5000", 1000, 1, 0, 1000), "suffix over the size");
	CHECK(range("bytes=900-", 1000, 1, 900, 100), "open end");
	CHECK(range("bytes=990-5000", 1000, 1, 990, 10), "end clamped");
	CHECK(range("bytes=1000-", 1000, -1, 0, 0), "start at the size: 416");
	CHECK(range("bytes=5000-6000", 1000, -1, 0, 0), "past the end: 416");
	CHECK(range("bytes=-0", 1000, -1, 0, 0), "empty suffix: 416");
	CHECK(range("bytes=0-0", 0, -1, 0, 0),
	    "any range of an empty file: 416");
	CHECK(range("bytes=5-1", 1000, 0, 0, 0), "reversed: ignored");
	CHECK(range("bytes=0-1,5-6", 1000, 0, 0, 0), "several: whole file");
	CHECK(range("items=0-1", 1000, 0, 0, 0), "other unit: ignored");
	CHECK(range("bytes=a-b", 1000, 0, 0, 0), "not numbers: ignored");
	CHECK(range("bytes=-", 1000, 0, 0, 0), "no numbers: ignored");
	CHECK(range("bytes=1-2x", 1000, 0, 0, 0), "trailing junk: ignored");
	CHECK(range("BYTES=1-2", 1000, 1, 1, 2), "unit is case-insensitive");
}

static void
test_dates(void)
{
	char	 s[64];
	time_t	 t;

	CHECK(http_date_parse("Sun, 06 Nov 1994 08:49:37 GMT", &t) == 0 &&
	    t == 784111777, "IMF-fixdate");
	CHECK(http_date_parse("Sunday, 06-Nov-94 08:49:37 GMT", &t) == 0 &&
	    t == 784111777, "RFC 850 date");
	CHECK(http_date_parse("Sun Nov  6 08:49:37 1994", &t) == 0 &&
	    t == 784111777, "asctime date");
	CHECK(http_date_parse("yesterday", &t) == -1, "garbage date refused");
	http_date_format(784111777, s, sizeof(s));
	CHECK(strcmp(s, "Sun, 06 Nov 1994 08:49:37 GMT") == 0,
	    "dates are formatted as IMF-fixdate");
}

static void
test_types(void)
{
	CHECK(strcmp(http_content_type("/BOOTX64.EFI"), "application/efi") ==
	    0, ".efi is application/efi");
	CHECK(strcmp(http_content_type("/x/ks.cfg"), "text/plain") == 0,
	    ".cfg is text/plain");
	CHECK(strcmp(http_content_type("/a.d/vmlinuz"),
	    "application/octet-stream") == 0,
	    "no extension: octet-stream, dots in directories ignored");
	CHECK(http_code_slot(416) == HC_416 && http_slot_code(HC_416) == 416 &&
	    http_code_slot(418) == HC_OTHER, "status counter slots");
}

/* What another process sends for /metrics: printed only when well formed. */
static int
mparse(const char *proc, const char *metric, char *fam, char *labels)
{
	struct ctl_stat	 cs;

	memset(&cs, 0, sizeof(cs));
	strlcpy(cs.proc, proc, sizeof(cs.proc));
	strlcpy(cs.entry.metric, metric, sizeof(cs.entry.metric));
	return metrics_parse(&cs, fam, labels);
}

static void
test_metrics(void)
{
	static const char *const bad[] = {
		"", "Acks_total", "9x", "x-y", "x y", "x\n", "x{", "x{}",
		"x{a=\"b\"", "x{a=\"b}", "x{a=b}", "x{a=\"b\",}", "x{,a=\"b\"}",
		"x{proc=\"master\"}", "x{__name__=\"y\"}", "x{0=\"a\"}",
		"x{a=\"b\"}y", "x{a=\"b\"\n}", "x{a=\"B\"}", "x{a=\"\\\"\"}",
		"x{a=\"b\"}{c=\"d\"}", "x{a=\"b\" ,c=\"d\"}",
	};
	char		 fam[PXED_METRICLEN], labels[PXED_METRICLEN];
	size_t		 i;
	int		 ok = 1;

	CHECK(mparse("dhcpd", "dhcp_acks_total", fam, labels) == 0 &&
	    strcmp(fam, "dhcp_acks_total") == 0 && labels[0] == '\0',
	    "metrics: a family without labels");
	CHECK(mparse("httpd", "http_requests_total{code=\"200\"}", fam,
	    labels) == 0 && strcmp(fam, "http_requests_total") == 0 &&
	    strcmp(labels, "code=\"200\"") == 0, "metrics: a label");
	CHECK(mparse("master", "x{a=\"b\",c_d=\"\"}", fam, labels) == 0 &&
	    strcmp(labels, "a=\"b\",c_d=\"\"") == 0, "metrics: two labels");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (mparse("dhcpd", bad[i], fam, labels) != -1) {
			printf("metrics: accepted %s\n", bad[i]);
			ok = 0;
		}
	CHECK(ok, "metrics: malformed names and labels are dropped");
	CHECK(mparse("dh\"cpd", "x", fam, labels) == -1 &&
	    mparse("", "x", fam, labels) == -1,
	    "metrics: a malformed process name is dropped");
}

int
main(void)
{
	test_head_end();
	test_good();
	test_malformed();
	test_paths();
	test_ranges();
	test_dates();
	test_types();
	test_metrics();
	TEST_EXIT();
}
