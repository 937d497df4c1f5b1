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
 * The TFTP worker's pure parts: the request parser with every malformed
 * case, option negotiation, name mapping, OACK and ERROR packets,
 * netascii, block-number wraparound, and the generated menus.
 */

#include <sys/types.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pxed.h"
#include "../../tftpd/tftpd.h"
#include "ident.h"
#include "menu.h"
#include "test.h"

static struct tftp_req	 req;
static const char	*why;

static int	 parse(const void *, size_t);
static int	 parse_opts(const char *, const char *, const char *);
static int	 maps(const char *, const char *);
static int	 refused(const char *);
static void	 test_malformed(void);
static void	 test_options(void);
static void	 test_names(void);
static void	 test_packets(void);
static void	 test_netascii(void);
static void	 test_wrap(void);
static int	 http_has(const char *);
static int	 gen(const struct config *, const char *, struct in_addr,
		    const struct menu_via *, struct buf *, char *);
static void	 menus_conf(struct config *);
static void	 menus_tftp(const struct config *, struct in_addr,
		    struct in_addr, struct buf *);
static void	 menus_unknown(struct config *, struct buf *);
static void	 menus_http(const struct config *, struct in_addr,
		    struct buf *);
static void	 menus_http6(const struct config *, struct buf *);
static void	 test_menus(void);

static int
parse(const void *p, size_t len)
{
	return tftp_parse_request(p, len, &req, &why);
}

/* An RRQ for "f" in octet with one option name=val (NULL: none). */
static int
parse_opts(const char *name, const char *val, const char *name2)
{
	char	 p[256];
	size_t	 n;

	memcpy(p, "\0\1f\0octet\0", 10);
	n = 10;
	if (name != NULL) {
		n += (size_t)snprintf(p + n, sizeof(p) - n, "%s", name) + 1;
		n += (size_t)snprintf(p + n, sizeof(p) - n, "%s", val) + 1;
	}
	if (name2 != NULL) {
		n += (size_t)snprintf(p + n, sizeof(p) - n, "%s", name2) + 1;
		n += (size_t)snprintf(p + n, sizeof(p) - n, "%s", "700") + 1;
	}
	return parse(p, n);
}

static int
maps(const char *in, const char *want)
{
	char	 out[PXED_PATHLEN];

	return tftp_map_path(in, out, sizeof(out), &why) == 0 &&
	    strcmp(out, want) == 0;
}

static int
refused(const char *in)
{
	char	 out[PXED_PATHLEN];

	return tftp_map_path(in, out, sizeof(out), &why) == TFTP_EACCESS;
}

/* Malformed packets to the listener and the error each gets; -1: none. */
static const struct {
	const char	*pkt;
	size_t		 len;
	int		 want;
	const char	*name;
} bad_packets[] = {
	{ "", 0, TFTP_EBADOP, "empty packet" },
	{ "\0\1f", 3, TFTP_EBADOP, "3 bytes" },
	{ "\0\0f\0octet\0", 10, TFTP_EBADOP, "opcode 0" },
	{ "\0\7f\0octet\0", 10, TFTP_EBADOP, "opcode 7" },
	{ "\1\1f\0octet\0", 10, TFTP_EBADOP, "opcode 257" },
	{ "\0\3\0\1data", 8, TFTP_EBADID, "DATA to the listener" },
	{ "\0\4\0\1", 4, TFTP_EBADID, "ACK to the listener" },
	{ "\0\6blksize\0", 10, TFTP_EBADID, "OACK to the listener" },
	{ "\0\5\0\1oops", 8, -1, "ERROR is dropped silently" },
	{ "\0\1file", 6, TFTP_EBADOP, "name without NUL" },
	{ "\0\1file\0octet", 12, TFTP_EBADOP, "mode without NUL" },
	{ "\0\1file\0", 7, TFTP_EBADOP, "no mode" },
	{ "\0\1\0octet\0", 9, TFTP_EACCESS, "empty name" },
	{ "\0\1f\0bogus\0", 10, TFTP_EBADOP, "unknown mode" },
	{ "\0\1f\0mail\0", 9, TFTP_EBADOP, "mail mode" },
};

static void
test_malformed(void)
{
	char	 big[600];
	size_t	 k;

	for (k = 0; k < sizeof(bad_packets) / sizeof(bad_packets[0]); k++)
		CHECK(parse(bad_packets[k].pkt, bad_packets[k].len) ==
		    bad_packets[k].want, bad_packets[k].name);
	CHECK(parse("\0\1f\0OcTeT\0", 10) == 0 && !req.netascii,
	    "mode is case-insensitive");
	CHECK(parse("\0\1f\0NETASCII\0", 13) == 0 && req.netascii,
	    "netascii mode");
	CHECK(parse("\0\2f\0octet\0", 10) == 0 && req.opcode == TFTP_WRQ,
	    "WRQ parses (refused by the caller)");
	memset(big, 'a', sizeof(big));
	big[0] = 0;
	big[1] = 1;
	big[400] = 0;
	memcpy(big + 401, "octet", 6);
	CHECK(parse(big, 407) == TFTP_EACCESS, "name over PXED_PATHLEN");
	CHECK(parse("\0\1f\0octet\0blksize\0", 18) == 0 && req.opts == 0,
	    "option without value ignored");
	CHECK(parse("\0\1f\0octet\0blksize", 17) == 0 && req.opts == 0,
	    "option name without NUL ignored");
}

static void
test_options(void)
{
	CHECK(parse_opts(NULL, NULL, NULL) == 0 && req.opts == 0 &&
	    req.blksize == 512 && req.windowsize == 1, "no options");
	CHECK(parse_opts("blksize", "1468", NULL) == 0 &&
	    req.opts == TFTP_OPT_BLKSIZE && req.blksize == 1468, "blksize");
	CHECK(parse_opts("BlkSize", "8", NULL) == 0 && req.blksize == 8,
	    "blksize 8, name case-insensitive");
	CHECK(parse_opts("blksize", "7", NULL) == 0 && req.opts == 0,
	    "blksize 7 dropped");
	CHECK(parse_opts("blksize", "65465", NULL) == 0 &&
	    req.blksize == TFTP_BLKSIZE_MAX, "blksize over 65464 clamped");
	CHECK(parse_opts("blksize", "99999999999999999999999", NULL) == 0 &&
	    req.opts == 0, "blksize overflow dropped");
	CHECK(parse_opts("blksize", "12a", NULL) == 0 && req.opts == 0,
	    "non-numeric dropped");
	CHECK(parse_opts("blksize", "", NULL) == 0 && req.opts == 0,
	    "empty value dropped");
	CHECK(parse_opts("blksize", " 512", NULL) == 0 && req.opts == 0,
	    "blank in value dropped");
	CHECK(parse_opts("blksize", "600", "blksize") == 0 &&
	    req.blksize == 600, "duplicate: the first wins");
	CHECK(parse_opts("tsize", "0", NULL) == 0 &&
	    req.opts == TFTP_OPT_TSIZE, "tsize");
	CHECK(parse_opts("timeout", "0", NULL) == 0 && req.opts == 0,
	    "timeout 0 dropped");
	CHECK(parse_opts("timeout", "255", NULL) == 0 && req.timeout == 255,
	    "timeout 255");
	CHECK(parse_opts("timeout", "256", NULL) == 0 && req.opts == 0,
	    "timeout 256 dropped");
	CHECK(parse_opts("windowsize", "0", NULL) == 0 && req.opts == 0,
	    "windowsize 0 dropped");
	CHECK(parse_opts("windowsize", "65535", NULL) == 0 &&
	    req.windowsize == 65535, "windowsize 65535 parsed");
	CHECK(parse_opts("windowsize", "65536", NULL) == 0 && req.opts == 0,
	    "windowsize 65536 dropped");
	CHECK(parse_opts("multicast", "", NULL) == 0 && req.opts == 0,
	    "unknown option ignored");
}

/* Requested names and the paths they map to. */
static const struct {
	const char	*in, *want, *name;
} mapped[] = {
	{ "pxelinux.0", "pxelinux.0", "plain name" },
	{ "/pxelinux.0", "pxelinux.0", "leading / stripped" },
	{ "//boot///grub//x", "boot/grub/x", "empty components" },
	{ "\\EFI\\boot\\grubx64.efi", "EFI/boot/grubx64.efi",
	    "backslash is a slash" },
	{ "./a/./b", "a/b", "dot components" },
	{ "a..b/..c", "a..b/..c", "dots inside names are fine" },
};

/* Requested names that are refused. */
static const struct {
	const char	*in, *name;
} refusals[] = {
	{ "..", ".." },
	{ "../etc/passwd", "../" },
	{ "/boot/../../etc/passwd", "/../" },
	{ "a\\..\\b", "backslash .." },
	{ "a/..", "trailing .." },
	{ "a\001b", "control character" },
	{ "a\nb", "newline" },
	{ "a\177", "DEL" },
	{ "/", "only a slash" },
	{ "./.", "only dots" },
};

static void
test_names(void)
{
	char	 small[8];
	size_t	 k;

	for (k = 0; k < sizeof(mapped) / sizeof(mapped[0]); k++)
		CHECK(maps(mapped[k].in, mapped[k].want), mapped[k].name);
	for (k = 0; k < sizeof(refusals) / sizeof(refusals[0]); k++)
		CHECK(refused(refusals[k].in), refusals[k].name);
	CHECK(tftp_map_path("abcdefgh", small, sizeof(small), &why) ==
	    TFTP_EACCESS, "too long for the buffer");
	CHECK(tftp_map_path("abcdefg", small, sizeof(small), &why) == 0,
	    "exactly fits");
}

static void
test_packets(void)
{
	uint8_t	 p[128];
	size_t	 n;

	n = tftp_build_error(p, sizeof(p), TFTP_ENOTFOUND, "file not found");
	CHECK(n == 19 && memcmp(p, "\0\5\0\1file not found\0", 19) == 0,
	    "ERROR packet");
	n = tftp_build_error(p, 8, TFTP_EUNDEF, "long message");
	CHECK(n == 8 && p[7] == '\0', "ERROR truncated to the buffer");
	parse_opts("TSIZE", "0", "BLKSIZE");
	n = tftp_build_oack(p, sizeof(p), &req, 12345);
	CHECK(n == 26 && memcmp(p, "\0\6blksize\0" "700\0tsize\0" "12345\0",
	    26) == 0, "OACK lowercase, tsize is the size");
	parse_opts(NULL, NULL, NULL);
	CHECK(tftp_build_oack(p, sizeof(p), &req, 1) == 0,
	    "no OACK without options");
	parse_opts("windowsize", "4", NULL);
	n = tftp_build_oack(p, sizeof(p), &req, 1);
	CHECK(n == 15 && memcmp(p, "\0\6windowsize\0" "4\0", 15) == 0,
	    "OACK windowsize only when asked");
}

static void
test_netascii(void)
{
	struct tftp_src		 src;
	struct tftp_nacur	 na;
	uint8_t			 out[16];
	char			 text[] = "ab\ncd\r";
	ssize_t			 n;

	memset(&src, 0, sizeof(src));
	src.fd = -1;
	src.data = text;
	src.size = strlen(text);
	src.netascii = 1;
	na.block = 1;
	na.off = na.out = 0;
	na.pending = -1;
	n = tftp_src_block(&src, &na, 1, 16, out);
	CHECK(n == 8 && memcmp(out, "ab\r\ncd\r\0", 8) == 0,
	    "netascii: LF -> CR LF, CR -> CR NUL");
	/* A pair cut by the block boundary carries over. */
	na.block = 1;
	na.off = na.out = 0;
	na.pending = -1;
	n = tftp_src_block(&src, &na, 1, 3, out);
	CHECK(n == 3 && memcmp(out, "ab\r", 3) == 0 && na.pending == '\n',
	    "netascii: block ends inside CR LF");
	n = tftp_src_block(&src, &na, 2, 3, out);
	CHECK(n == 3 && memcmp(out, "\ncd", 3) == 0, "netascii: LF carried");
	n = tftp_src_block(&src, &na, 3, 3, out);
	CHECK(n == 2 && memcmp(out, "\r\0", 2) == 0 && na.out == 8,
	    "netascii: short last block ends the file");
	CHECK(tftp_src_block(&src, &na, 7, 3, out) == -1,
	    "netascii: out of order is refused");
	src.netascii = 0;
	n = tftp_src_block(&src, &na, 2, 4, out);
	CHECK(n == 2 && memcmp(out, "d\r", 2) == 0, "octet: block 2");
	CHECK(tftp_src_block(&src, &na, 3, 4, out) == 0,
	    "octet: empty block after a multiple of blksize");
}

static void
test_wrap(void)
{
	CHECK(tftp_block_abs(0, 1) == 1, "block 1");
	CHECK(tftp_block_abs(65534, 65535) == 65535, "block 65535");
	CHECK(tftp_block_abs(65535, 0) == 65536, "65535 wraps to 0");
	CHECK(tftp_block_abs(65536, 1) == 65537, "and on to 1");
	CHECK(tftp_block_abs(131070, 65535) == 131071, "second wrap");
	CHECK(tftp_block_abs(131071, 0) == 131072, "second wrap to 0");
	CHECK(tftp_block_abs(70000, (uint16_t)69999) == 70000 + 65535,
	    "a stale ACK lands far ahead (ignored by the window check)");
	CHECK(tftp_block_abs(65530, 3) == 65539, "window across the wrap");
}

/* The HTTP root of test_menus: the kernel, not the initrd. */
static int
http_has(const char *path)
{
	return strcmp(path, "k/vmlinuz") == 0;
}

static const struct menu_via	 via_http = { "http", http_has };

static int
gen(const struct config *c, const char *path, struct in_addr from,
    const struct menu_via *via, struct buf *out, char *what)
{
	struct in6_addr	 a;

	addr_map4(from, &a);
	return menu_generate(c, path, &a, via, out, what, 64);
}

/* Profile p; b, armed, by its MAC only; a, local, at a fixed address. */
static void
menus_conf(struct config *conf)
{
	struct profile_conf	 pc;
	struct host		 h;

	config_init(conf);
	inet_pton(AF_INET, "10.0.0.2", &conf->server.address);
	inet_pton(AF_INET6, "fd00::2", &conf->server.address6);
	conf->server.http_port = 80;
	memset(&pc, 0, sizeof(pc));
	strlcpy(pc.name, "p", sizeof(pc.name));
	strlcpy(pc.kernel, "k/vmlinuz", sizeof(pc.kernel));
	strlcpy(pc.initrd, "/abs/initrd", sizeof(pc.initrd));
	strlcpy(pc.append, "ip={{ip}} n={{name}}", sizeof(pc.append));
	config_add_profile(conf, &pc);
	memset(&h, 0, sizeof(h));
	strlcpy(h.conf.name, "b", sizeof(h.conf.name));
	mac_parse("52:54:00:00:00:0b", h.conf.macs[0]);
	h.conf.nmacs = 1;
	h.conf.profile = 0;
	h.rt.state = HOST_INSTALL;
	config_add_host(conf, &h);
	strlcpy(h.conf.name, "a", sizeof(h.conf.name));
	mac_parse("52:54:00:00:00:0a", h.conf.macs[0]);
	inet_pton(AF_INET, "10.0.0.10", &h.conf.ip);
	h.rt.state = HOST_LOCAL;
	config_add_host(conf, &h);
}

/* Names that are no menu, asked for by the pool host. */
static const struct {
	const char	*path;
	const char	*name;
} nomenu[] = {
	{ "pxelinux.cfg/0A00000", "a hex prefix falls through" },
	{ "grub.cfg-0A00000B", "a pool host has no hex-IP name" },
	{ "pxelinux.cfg/01-52-54-00-00-00-0c", "unknown MAC" },
	{ "xpxelinux.cfg/default", "directory must be pxelinux.cfg" },
	{ "pxelinux.cfg", "pxelinux.cfg itself" },
	{ "grub.cfgx", "grub.cfgx" },
};

/* The hosts' menus over TFTP, and the names that are not menus. */
static void
menus_tftp(const struct config *conf, struct in_addr client,
    struct in_addr fixed, struct buf *out)
{
	char		 what[64];
	size_t		 i;
	int		 r;

	r = gen(conf, "x/pxelinux.cfg/01-52-54-00-00-00-0b", client,
	    &menu_via_tftp, out, what);
	CHECK(r == 1 && strcmp(buf_cstr(out), "# pxed: b (install)\n"
	    "DEFAULT install\nLABEL install\nKERNEL k/vmlinuz\n"
	    "APPEND initrd=/abs/initrd ip=10.0.0.99 n=b\nIPAPPEND 2\n") == 0 &&
	    strcmp(what, "generated") == 0,
	    "pxelinux install menu for a pool host at a prefix");
	buf_reset(out);
	r = gen(conf, "grub.cfg-01-52-54-00-00-00-0B", client, &menu_via_tftp,
	    out, what);
	CHECK(r == 1 && strcmp(buf_cstr(out), "# pxed: b (install)\n"
	    "set timeout=0\nmenuentry 'install b' {\n"
	    "\tlinux /k/vmlinuz ip=10.0.0.99 n=b\n\tinitrd /abs/initrd\n}\n")
	    == 0, "grub install menu, MAC in either case");
	buf_reset(out);
	r = gen(conf, "pxelinux.cfg/0A00000A", fixed, &menu_via_tftp, out,
	    what);
	CHECK(r == 1 && strcmp(buf_cstr(out), "# pxed: a (local)\n"
	    "DEFAULT local\nLABEL local\nLOCALBOOT 0\n") == 0,
	    "pxelinux local menu by hex IP");
	buf_reset(out);
	for (i = 0; i < sizeof(nomenu) / sizeof(nomenu[0]); i++)
		CHECK(gen(conf, nomenu[i].path, client, &menu_via_tftp, out,
		    what) == 0, nomenu[i].name);
}

/* A client the inventory does not list: local, or the profile menu. */
static void
menus_unknown(struct config *conf, struct buf *out)
{
	struct in_addr	 stranger;
	char		 what[64];
	int		 r;

	inet_pton(AF_INET, "10.0.0.200", &stranger);
	r = gen(conf, "boot/grub/grub.cfg", stranger, &menu_via_tftp, out,
	    what);
	CHECK(r == 1 && strcmp(buf_cstr(out), "# pxed: unknown client\n"
	    "set timeout=0\nmenuentry 'local' {\n\texit\n}\n") == 0,
	    "grub.cfg for unknown clients boots local");
	conf->server.unknown = UNKNOWN_MENU;
	buf_reset(out);
	r = gen(conf, "pxelinux.cfg/default", stranger, &menu_via_tftp, out,
	    what);
	CHECK(r == 1 && strcmp(buf_cstr(out), "# pxed: unknown client\n"
	    "PROMPT 1\nTIMEOUT 300\nDEFAULT local\nLABEL local\nLOCALBOOT 0\n"
	    "LABEL p\nKERNEL k/vmlinuz\nAPPEND initrd=/abs/initrd ip= n=\n"
	    "IPAPPEND 2\n")
	    == 0, "unknown: menu lists the profiles");
}

/* Over HTTP, GRUB names what only the TFTP root has on the TFTP server. */
static void
menus_http(const struct config *conf, struct in_addr client,
    struct buf *out)
{
	char		 what[64];
	int		 r;

	buf_reset(out);
	r = gen(conf, "grub/grub.cfg-01-52-54-00-00-00-0b", client, &via_http,
	    out, what);
	CHECK(r == 1 && strcmp(buf_cstr(out), "# pxed: b (install)\n"
	    "set timeout=0\nmenuentry 'install b' {\n"
	    "\tlinux /k/vmlinuz ip=10.0.0.99 n=b\n"
	    "\tinitrd (tftp,10.0.0.2)/abs/initrd\n}\n") == 0,
	    "grub menu over HTTP: the initrd only TFTP has, on the TFTP server");
	buf_reset(out);
	r = gen(conf, "grub/grub.cfg", client, &via_http, out, what);
	CHECK(r == 1 && strstr(buf_cstr(out), "# pxed: b (install)") != NULL,
	    "the bare grub.cfg over HTTP is the requester's own menu");
}

/* b over IPv6: the TFTP server named by its IPv6 address, no {{ip}}. */
static void
menus_http6(const struct config *conf, struct buf *out)
{
	struct in6_addr	 a;
	char		 what[64];
	int		 r;

	inet_pton(AF_INET6, "fd00::99", &a);
	ident_bind(&a, conf->hosts[0].conf.macs[0], NULL);
	buf_reset(out);
	r = menu_generate(conf, "grub/grub.cfg", &a, &via_http, out, what,
	    sizeof(what));
	CHECK(r == 1 && strcmp(buf_cstr(out), "# pxed: b (install)\n"
	    "set timeout=0\nmenuentry 'install b' {\n"
	    "\tlinux /k/vmlinuz ip= n=b\n"
	    "\tinitrd (tftp,fd00::2)/abs/initrd\n}\n") == 0,
	    "grub menu over HTTP/IPv6: the TFTP server by its IPv6 address");
}

static void
test_menus(void)
{
	struct config		 conf;
	struct buf		 out;
	struct in_addr		 client, fixed;
	struct in6_addr		 key;
	char			 what[64];

	menus_conf(&conf);
	inet_pton(AF_INET, "10.0.0.99", &client);
	/* b booted on a pool address (its lease); a is at its fixed one. */
	addr_map4(client, &key);
	ident_bind(&key, conf.hosts[0].conf.macs[0], NULL);
	inet_pton(AF_INET, "10.0.0.10", &fixed);
	buf_init(&out);

	menus_tftp(&conf, client, fixed, &out);
	menus_unknown(&conf, &out);
	menus_http(&conf, client, &out);
	menus_http6(&conf, &out);
	conf.hosts[0].rt.state = HOST_LOCAL;
	buf_reset(&out);
	gen(&conf, "pxelinux.cfg/01-52-54-00-00-00-0b", client, &menu_via_tftp,
	    &out, what);
	CHECK(strstr(buf_cstr(&out), "LOCALBOOT 0") != NULL,
	    "the menu follows the state at once");
	buf_free(&out);
	config_free(&conf);
	ident_clear();
}

int
main(void)
{
	test_malformed();
	test_options();
	test_names();
	test_packets();
	test_netascii();
	test_wrap();
	test_menus();
	TEST_EXIT();
}
