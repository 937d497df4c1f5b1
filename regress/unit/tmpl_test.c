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

/* tmpl_render and the host variables of SPEC.md, driven directly. */

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

#include "pxed.h"
#include "tmpl.h"
#include "test.h"

static struct config		 conf;
static struct tmpl_host_ctx	 ctx;
static struct tmpl_error	 err;
static struct buf		 out;

static void	 addr(struct in_addr *, const char *);
static void	 setup(void);
static const char *render(const char *);
static int	 renders(const char *, const char *);
static int	 fails(const char *, unsigned int, unsigned int,
		    const char *);
static void	 test_variables(void);
static void	 test_pool_client(void);
static void	 test_subnets(void);
static void	 test_syntax(void);
static void	 test_family(void);
static void	 test_errors(void);

static void
addr(struct in_addr *a, const char *s)
{
	inet_pton(AF_INET, s, a);
}

static void
setup(void)
{
	struct subnet_conf	 sn;
	struct profile_conf	 pc;
	struct host		 h;
	struct host_var		 v;

	config_init(&conf);
	addr(&conf.server.address, "10.1.0.2");
	conf.server.http_port = 80;

	memset(&sn, 0, sizeof(sn));
	addr(&sn.network, "10.1.0.0");
	addr(&sn.netmask, "255.255.255.0");
	sn.prefixlen = 24;
	addr(&sn.router, "10.1.0.1");
	addr(&sn.dns[0], "10.1.0.1");
	addr(&sn.dns[1], "9.9.9.9");
	sn.ndns = 2;
	strlcpy(sn.domain, "lab.example", sizeof(sn.domain));
	config_add_subnet(&conf, &sn);
	memset(&sn, 0, sizeof(sn));
	addr(&sn.network, "10.2.0.0");
	addr(&sn.netmask, "255.255.0.0");
	sn.prefixlen = 16;
	addr(&sn.router, "10.2.0.254");
	strlcpy(sn.domain, "two.example", sizeof(sn.domain));
	config_add_subnet(&conf, &sn);

	memset(&pc, 0, sizeof(pc));
	strlcpy(pc.name, "rocky9", sizeof(pc.name));
	config_add_profile(&conf, &pc);

	memset(&h, 0, sizeof(h));
	strlcpy(h.conf.name, "node01", sizeof(h.conf.name));
	memcpy(h.conf.macs[0], "\x88\x99\xAA\xBB\xCC\xDD", 6);
	h.conf.nmacs = 1;
	addr(&h.conf.ip, "10.1.0.91");
	h.conf.profile = 0;
	strlcpy(h.rt.token, "abc123", sizeof(h.rt.token));
	strlcpy(h.rt.done, "def456", sizeof(h.rt.done));
	config_add_host(&conf, &h);
	memset(&h, 0, sizeof(h));
	strlcpy(h.conf.name, "pool01", sizeof(h.conf.name));
	memcpy(h.conf.macs[0], "\x52\x54\x00\x00\x00\x01", 6);
	h.conf.nmacs = 1;
	h.conf.profile = -1;
	config_add_host(&conf, &h);

	memset(&v, 0, sizeof(v));
	v.host = 0;
	strlcpy(v.key, "disk", sizeof(v.key));
	strlcpy(v.value, "sda", sizeof(v.value));
	config_add_var(&conf, &v);
	strlcpy(v.key, "rack.row", sizeof(v.key));
	strlcpy(v.value, "r7", sizeof(v.value));
	config_add_var(&conf, &v);

	memset(&ctx, 0, sizeof(ctx));
	ctx.conf = &conf;
	ctx.host = 0;
	buf_init(&out);
}

/* The rendering of text for ctx, or NULL with err filled. */
static const char *
render(const char *text)
{
	buf_reset(&out);
	memset(&err, 0, sizeof(err));
	if (tmpl_render(text, strlen(text), tmpl_host_lookup, &ctx, &out,
	    &err) == -1)
		return NULL;
	return buf_cstr(&out);
}

static int
renders(const char *text, const char *want)
{
	const char	*got = render(text);

	if (got == NULL || strcmp(got, want) != 0) {
		printf("# %s: got \"%s\" (%s), want \"%s\"\n", text,
		    got != NULL ? got : "", got != NULL ? "" : err.msg, want);
		return 0;
	}
	return 1;
}

static int
fails(const char *text, unsigned int line, unsigned int col, const char *msg)
{
	if (render(text) != NULL) {
		printf("# %s: rendered\n", text);
		return 0;
	}
	if (err.line != line || err.col != col || strcmp(err.msg, msg) != 0) {
		printf("# %s: got %u:%u %s, want %u:%u %s\n", text, err.line,
		    err.col, err.msg, line, col, msg);
		return 0;
	}
	return 1;
}

static void
test_variables(void)
{
	ctx.host = 0;
	CHECK(renders("{{server}}", "10.1.0.2"), "server");
	CHECK(renders("{{http}}", "http://10.1.0.2"), "http on port 80");
	conf.server.http_port = 8080;
	CHECK(renders("{{http}}/x", "http://10.1.0.2:8080/x"),
	    "http on another port");
	CHECK(renders("{{kickstart}}",
	    "http://10.1.0.2:8080/ks/node01?t=abc123"),
	    "kickstart on another port");
	conf.server.http_port = 80;
	CHECK(renders("{{name}}", "node01"), "name");
	CHECK(renders("{{mac}}", "88:99:aa:bb:cc:dd"), "mac lowercase");
	CHECK(renders("{{ip}}", "10.1.0.91"), "fixed ip");
	CHECK(renders("{{profile}}", "rocky9"), "profile");
	CHECK(renders("{{kickstart}}", "http://10.1.0.2/ks/node01?t=abc123"),
	    "kickstart");
	CHECK(renders("{{done}}", "http://10.1.0.2/done/node01?t=def456"),
	    "done");
	CHECK(renders("{{router}}", "10.1.0.1"), "router");
	CHECK(renders("{{dns}}", "10.1.0.1,9.9.9.9"), "dns joined");
	CHECK(renders("{{domain}}", "lab.example"), "domain");
	CHECK(renders("{{vars.disk}}", "sda"), "vars.KEY");
	CHECK(renders("{{vars.rack.row}}", "r7"), "vars.KEY with a dot");
	CHECK(renders("{{ip}} {{mac}} {{ip}}",
	    "10.1.0.91 88:99:aa:bb:cc:dd 10.1.0.91"),
	    "scratch reused between variables");
}

static void
test_pool_client(void)
{
	ctx.host = 1;
	CHECK(renders("[{{ip}}]", "[]"), "no ip without a client address");
	CHECK(renders("[{{profile}}]", "[]"), "no profile");
	CHECK(renders("{{router}}", "10.1.0.1"),
	    "no address: the first subnet");
	addr(&ctx.client, "10.2.3.4");
	CHECK(renders("{{ip}}", "10.2.3.4"), "ip of a pool client");
	CHECK(renders("{{router}} {{domain}} [{{dns}}]",
	    "10.2.0.254 two.example []"), "subnet of the client address");
	CHECK(fails("{{vars.disk}}", 1, 1, "unknown variable {{vars.disk}}"),
	    "vars.KEY of another host");
	ctx.client.s_addr = INADDR_ANY;
	ctx.host = 0;
}

static void
test_subnets(void)
{
	size_t	 n = conf.nsubnets;

	conf.nsubnets = 0;
	CHECK(renders("[{{router}}][{{dns}}][{{domain}}]", "[][][]"),
	    "no subnets");
	conf.nsubnets = n;
	conf.subnets[0].router.s_addr = INADDR_ANY;
	CHECK(renders("[{{router}}]", "[]"), "subnet without a router");
	addr(&conf.subnets[0].router, "10.1.0.1");
}

/* Template syntax and what it renders to for node01. */
static const struct {
	const char	*text, *want, *name;
} syntax[] = {
	{ "", "", "empty text" },
	{ "no variables", "no variables", "plain text" },
	{ "{{ name }}", "node01", "spaces in braces" },
	{ "{{\tname  }}", "node01", "tab and spaces in braces" },
	{ "a {b} c } d { e", "a {b} c } d { e", "lone braces" },
	{ "{{{name}}}", "{node01}", "triple braces" },
	{ "}}{{name}}{", "}}node01{", "stray braces at the ends" },
	{ "${x}{{name}}{", "${x}node01{", "shell braces" },
	{ "line1\n{{name}}\n", "line1\nnode01\n", "newlines" },
};

static void
test_syntax(void)
{
	char	 base[64];
	size_t	 k;

	for (k = 0; k < sizeof(syntax) / sizeof(syntax[0]); k++)
		CHECK(renders(syntax[k].text, syntax[k].want), syntax[k].name);
	tmpl_http_base(&conf.server, 0, base, sizeof(base));
	CHECK(strcmp(base, "http://10.1.0.2") == 0, "tmpl_http_base port 80");
	conf.server.http_port = 8081;
	tmpl_http_base(&conf.server, 0, base, sizeof(base));
	CHECK(strcmp(base, "http://10.1.0.2:8081") == 0,
	    "tmpl_http_base other port");
	conf.server.http_port = 80;
}

/*
 * IPv6: {{server}}, {{http}} and the URLs built on them in the family
 * the request came in on; {{server4}}, {{server6}}, {{ip6}} always.
 */
static void
test_family(void)
{
	char	 base[64];

	CHECK(renders("[{{server6}}]", "[]"),
	    "server6 without an IPv6 address: empty");
	CHECK(renders("{{server}}", "10.1.0.2"),
	    "server over IPv6 without an IPv6 address: the IPv4 one");
	inet_pton(AF_INET6, "fd00:1::2", &conf.server.address6);
	conf.server.http_port = 8080;
	CHECK(renders("{{server}} {{server4}} {{server6}}",
	    "10.1.0.2 10.1.0.2 fd00:1::2"), "server, server4, server6 (IPv4)");
	CHECK(renders("{{http}}", "http://10.1.0.2:8080"), "http over IPv4");
	ctx.v6 = 1;
	CHECK(renders("{{server}} {{server4}} {{server6}}",
	    "fd00:1::2 10.1.0.2 fd00:1::2"), "server, server4, server6 (IPv6)");
	CHECK(renders("{{http}}", "http://[fd00:1::2]:8080"),
	    "http over IPv6, in brackets");
	CHECK(strncmp(render("{{kickstart}}"), "http://[fd00:1::2]:8080/ks/"
	    "node01?t=", 35) == 0, "kickstart URL over IPv6");
	conf.server.tftp_port = 69;
	tmpl_tftp_base(&conf.server, 1, base, sizeof(base));
	CHECK(strcmp(base, "tftp://[fd00:1::2]") == 0, "tftp base over IPv6");
	CHECK(renders("[{{ip6}}]", "[]"), "no ip6 without one");
	inet_pton(AF_INET6, "fd00:1::1234", &ctx.client6);
	CHECK(renders("{{ip6}}", "fd00:1::1234"), "ip6 of a pool client");
	inet_pton(AF_INET6, "fd00:1::91", &conf.hosts[0].conf.ip6);
	CHECK(renders("{{ip6}}", "fd00:1::91"), "ip6: the host's fixed one");
	memset(&conf.hosts[0].conf.ip6, 0, sizeof(struct in6_addr));
	memset(&ctx.client6, 0, sizeof(ctx.client6));
	memset(&conf.server.address6, 0, sizeof(conf.server.address6));
	ctx.v6 = 0;
	conf.server.http_port = 80;
}

/* Bad templates and the error each gets: line, column, message. */
static const struct {
	const char	*text;
	unsigned int	 line, col;
	const char	*msg, *name;
} errors[] = {
	{ "{{foo}}", 1, 1, "unknown variable {{foo}}", "unknown variable" },
	{ "ab\ncd {{ nope }} x", 2, 4, "unknown variable {{nope}}",
	    "unknown variable line and column" },
	{ "x {{name\n}}", 1, 3, "unterminated {{", "unterminated on its line" },
	{ "a\nb\n  {{", 3, 3, "unterminated {{", "unterminated at the end" },
	{ "{{a b}}", 1, 1, "bad variable {{a b}}", "bad name" },
	{ "{{}}", 1, 1, "bad variable {{}}", "empty name" },
	{ "{{vars.nope}}", 1, 1, "unknown variable {{vars.nope}}",
	    "unknown vars.KEY" },
	{ "{{vars.}}", 1, 1, "unknown variable {{vars.}}",
	    "vars. without a key" },
	{ "{{server}} {{Name}}", 1, 12, "unknown variable {{Name}}",
	    "names are case-sensitive" },
};

static void
test_errors(void)
{
	size_t	 k;

	for (k = 0; k < sizeof(errors) / sizeof(errors[0]); k++)
		CHECK(fails(errors[k].text, errors[k].line, errors[k].col,
		    errors[k].msg), errors[k].name);
}

int
main(void)
{
	setup();
	test_variables();
	test_pool_client();
	test_subnets();
	test_syntax();
	test_family();
	test_errors();
	buf_free(&out);
	config_free(&conf);
	TEST_EXIT();
}
