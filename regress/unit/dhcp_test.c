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
 * The DHCP parser and builder, driven directly: every malformed case of
 * PROTOCOLS.md, option concatenation and overload, the reply builder,
 * the boot decision and the pool allocation order.
 */

#include <sys/types.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "dhcpd.h"
#include "dhcp_fixture.h"
#include "test.h"

static uint8_t		 pkt[DHCP_MAXLEN + 64];
static struct dhcp_msg	 m;
static struct config	 conf;

static size_t	 base(const void *, size_t);
static int	 drops(const void *, size_t, const char *);
static int	 drops_pkt(size_t, const char *);
static void	 setup(void);
static void	 test_parse(void);
static void	 test_malformed(void);
static void	 test_uuid_option(void);
static void	 test_build(void);
static void	 test_pxe(void);
static void	 test_pxe_v6only(void);
static void	 test_leases(void);

/* A DISCOVER header from 52:54:00:00:00:01, then opts, then END. */
static size_t
base(const void *opts, size_t len)
{
	static const uint8_t	 cookie[] = { 0x63, 0x82, 0x53, 0x63 };

	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 1;
	pkt[1] = 1;
	pkt[2] = 6;
	memcpy(pkt + 4, "\x11\x22\x33\x44", 4);
	memcpy(pkt + 28, "\x52\x54\x00\x00\x00\x01", 6);
	memcpy(pkt + 236, cookie, 4);
	memcpy(pkt + 240, opts, len);
	pkt[240 + len] = OPT_END;
	return 240 + len + 1;
}

static int
drops_pkt(size_t len, const char *why)
{
	const char	*w;

	if (dhcp_parse(&m, pkt, len, &w) != -1 || w == NULL)
		return 0;
	if (strcmp(w, why) != 0) {
		printf("# got \"%s\"\n", w);
		return 0;
	}
	return 1;
}

static int
drops(const void *opts, size_t len, const char *why)
{
	return drops_pkt(base(opts, len), why);
}

static void
test_parse(void)
{
	const char	*why;
	const uint8_t	*p;
	size_t		 len;
	struct in_addr	 a;

	len = base("\x35\x01\x01\x0c\x03" "abc" "\x0c\x02" "de"
	    "\x32\x04\x0a\x01\x00\x05", 18);
	CHECK(dhcp_parse(&m, pkt, len, &why) == 0, "a DISCOVER parses");
	CHECK(m.type == DHCPDISCOVER, "message type");
	CHECK(m.xid == htonl(0x11223344), "xid kept in network order");
	p = dhcp_opt(&m, OPT_HOSTNAME, &len);
	CHECK(p != NULL && len == 5 && memcmp(p, "abcde", 5) == 0,
	    "repeated options concatenate (RFC 3396)");
	CHECK(dhcp_opt_addr(&m, OPT_REQADDR, &a) == 0 &&
	    a.s_addr == inet_addr("10.1.0.5"), "option 50");
	CHECK(!dhcp_has(&m, OPT_SERVERID), "absent option");

	len = base("\x35\x01\x01\x34\x01\x03", 6);
	memcpy(pkt + DHCP_OFF_FILE, "\x0c\x02" "fi\xff", 5);
	memcpy(pkt + DHCP_OFF_SNAME, "\x0c\x02" "sn\xff", 5);
	CHECK(dhcp_parse(&m, pkt, len, &why) == 0, "overload 3 parses");
	p = dhcp_opt(&m, OPT_HOSTNAME, &len);
	CHECK(p != NULL && len == 4 && memcmp(p, "fisn", 4) == 0,
	    "overload: main, then file, then sname");

	len = base("\x35\x01\x03", 3) - 1;
	CHECK(dhcp_parse(&m, pkt, len, &why) == 0,
	    "a missing END is tolerated");
	len = base("\x00\x00\x35\x01\x03\x00", 6);
	CHECK(dhcp_parse(&m, pkt, len, &why) == 0 && m.type == DHCPREQUEST,
	    "pad options are skipped");
}

/*
 * Option 97: type 0 and 16 bytes name the machine, in either byte order
 * the host's uuid: is matched; a short one, another type, or a board's
 * all-zero or all-FF UUID is ignored (never trusted), and the request is
 * still served.
 */
static void
test_uuid_option(void)
{
	const char	*why;
	size_t		 len;
	static const uint8_t	 u[16] = { 0x4c, 0x4c, 0x45, 0x44, 0x00, 0x51,
	    0x38, 0x10, 0x80, 0x35, 0xb8, 0xc0, 0x4f, 0x44, 0x35, 0x31 };

	len = base("\x35\x01\x01\x61\x05\x00\x01\x02\x03\x04", 10);
	CHECK(dhcp_parse(&m, pkt, len, &why) == 0 &&
	    dhcp_client_uuid(&m) == NULL && dhcp_uuid_opt(&m) == NULL,
	    "short 97: the request parses, the UUID is ignored");
	len = base("\x35\x01\x01\x61\x11\x01" "0123456789abcdef", 22);
	CHECK(dhcp_parse(&m, pkt, len, &why) == 0 &&
	    dhcp_client_uuid(&m) == NULL, "97 of type 1: ignored");
	len = base("\x35\x01\x01\x61\x11\x00" "\0\0\0\0\0\0\0\0"
	    "\0\0\0\0\0\0\0\0", 22);
	CHECK(dhcp_parse(&m, pkt, len, &why) == 0 &&
	    dhcp_client_uuid(&m) == NULL && dhcp_uuid_opt(&m) != NULL,
	    "all-zero 97: well formed, names no machine");
	len = base("\x35\x01\x01\x61\x11\x00" "\xff\xff\xff\xff\xff\xff"
	    "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 22);
	CHECK(dhcp_parse(&m, pkt, len, &why) == 0 &&
	    dhcp_client_uuid(&m) == NULL, "all-FF 97: names no machine");
	len = base("\x35\x01\x01\x61\x11\x00" "\x4c\x4c\x45\x44\x00\x51"
	    "\x38\x10\x80\x35\xb8\xc0\x4f\x44\x35\x31", 22);
	CHECK(dhcp_parse(&m, pkt, len, &why) == 0 &&
	    dhcp_client_uuid(&m) != NULL &&
	    memcmp(dhcp_client_uuid(&m), u, 16) == 0, "97: the UUID");
}

static void
test_malformed(void)
{
	uint8_t	 big[300];
	size_t	 len;

	len = base("\x35\x01\x01", 3);
	CHECK(drops_pkt(239, "short datagram"), "under 240 bytes");
	CHECK(drops_pkt(DHCP_MAXLEN + 1, "datagram too long"),
	    "longer than we read");
	pkt[0] = 2;
	CHECK(drops_pkt(len, "op is not BOOTREQUEST"), "op 2");
	len = base("\x35\x01\x01", 3);
	pkt[2] = 17;
	CHECK(drops_pkt(len, "hlen over 16"), "hlen 17");
	len = base("\x35\x01\x01", 3);
	pkt[239] = 0;
	CHECK(drops_pkt(len, "bad magic cookie"), "bad cookie");
	len = base("\x35\x01\x01\x0c", 4) - 1;
	CHECK(drops_pkt(len, "option code at the last byte"),
	    "option code at the last byte");
	CHECK(drops("\x35\x01\x01\x0c\x20" "abc", 8,
	    "option runs past the end"), "length past the end");
	CHECK(drops("\x35\x00", 2, "zero-length option"), "zero-length 53");
	CHECK(drops("\x35\x01\x01\x36\x00", 5, "zero-length option"),
	    "zero-length 54");
	CHECK(drops("\x35\x01\x01\x39\x00", 5, "zero-length option"),
	    "zero-length 57");
	CHECK(drops("\x35\x01\x01\x3d\x00", 5, "zero-length option"),
	    "zero-length 61");
	CHECK(drops("\x35\x01\x01\x5d\x00", 5, "zero-length option"),
	    "zero-length 93");
	CHECK(drops("\x35\x01\x01\x61\x00", 5, "zero-length option"),
	    "zero-length 97");
	CHECK(drops("\x35\x01\x01\x5d\x03\x00\x00\x07", 8,
	    "odd-length option 93"), "odd-length 93");
	test_uuid_option();
	len = base("\x35\x01\x01\x34\x01\x01", 6);
	memcpy(pkt + DHCP_OFF_FILE, "\x34\x01\x02\xff", 4);
	CHECK(drops_pkt(len, "option 52 inside file or sname"),
	    "52 inside file");
	CHECK(drops("\x35\x01\x01\x34\x01\x01\x34\x01\x02", 9,
	    "option 52 repeated"), "52 repeated");
	CHECK(drops("\x35\x01\x01\x34\x01\x07", 6, "bad option 52"),
	    "52 out of range");
	len = base("\x35\x01\x01", 3);
	memset(pkt + DHCP_OFF_SNAME, 'A', DHCP_SNAME_LEN);
	CHECK(drops_pkt(len, "sname field without NUL"), "sname without NUL");
	len = base("\x35\x01\x01", 3);
	memset(pkt + DHCP_OFF_FILE, 'B', DHCP_FILE_LEN);
	CHECK(drops_pkt(len, "file field without NUL"), "file without NUL");
	len = base("\x35\x01\x01\x34\x01\x01", 6);
	memset(pkt + DHCP_OFF_FILE, 'B', DHCP_FILE_LEN);
	pkt[DHCP_OFF_FILE] = OPT_PAD;
	CHECK(drops_pkt(len, "option runs past the end"),
	    "overloaded file is parsed as options");
	memset(big, 0, sizeof(big));
	memcpy(big, "\x35\x01\x01\x37\xff", 5);
	memset(big + 5, 1, 255);
	memcpy(big + 260, "\x37\x05\x01\x02\x03\x04\x05", 7);
	CHECK(drops(big, 267, "huge option 55"), "huge 55");
	CHECK(drops("\x35\x01\x01\x52\x05\x01\x10" "abc", 10,
	    "option 82 sub-option overruns"), "82 sub-option overruns");
	CHECK(drops("\x35\x01\x01\x52\x04\x01\x01" "a" "\x02", 9,
	    "option 82 sub-option overruns"), "82 truncated sub-option");
	CHECK(drops("\x0c\x01" "a", 3, "no message type (BOOTP)"),
	    "no option 53");
	CHECK(drops("\x35\x01\x09", 3, "bad message type"), "type 9");
	CHECK(drops("\x35\x01\x01\x36\x03\x01\x02\x03", 8,
	    "bad address or size option"), "54 of 3 bytes");
	len = base("\x35\x01\x01", 3);
	memset(pkt + 28, 0xff, 6);
	CHECK(drops_pkt(len, "zero or broadcast chaddr"), "broadcast chaddr");
	len = base("\x35\x01\x01", 3);
	memset(pkt + 28, 0, 6);
	CHECK(drops_pkt(len, "zero or broadcast chaddr"), "zero chaddr");
}

static void
test_build(void)
{
	static struct dhcp_reply r;
	struct dhcp_ctx	 c;
	char		 s[16], big[600];
	size_t		 len;
	const char	*why;

	len = base("\x35\x01\x01\x37\x02\x01\x0c\x61\x11"
	    "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f"
	    "\x10" "\x52\x04\x01\x02" "ab", 32);
	pkt[DHCP_OFF_FLAGS] = 0x80;
	CHECK(dhcp_parse(&m, pkt, len, &why) == 0, "request with 82 parses");
	memset(&c, 0, sizeof(c));
	c.conf = &conf;
	c.subnet = &conf.subnets[0];
	c.host = &conf.hosts[0];
	c.server.s_addr = inet_addr("10.1.0.2");
	dhcp_reply_init(&r, &m, DHCPOFFER);
	dhcp_options(&r, &m, &c, DHCPOFFER, 3600);
	CHECK(dhcp_reply_finish(&r) == 0, "OFFER builds");
	CHECK(r.len >= DHCP_REPLYMIN && r.buf[0] == 2 &&
	    memcmp(r.buf + 4, "\x11\x22\x33\x44", 4) == 0 &&
	    r.buf[DHCP_OFF_FLAGS] == 0x80 &&
	    memcmp(r.buf + 28, "\x52\x54\x00\x00\x00\x01", 6) == 0,
	    "OFFER header: op, xid, flags, chaddr, at least 300 bytes");
	CHECK(dhcp_parse(&m, r.buf, r.len, &why) == -1 &&
	    strcmp(why, "op is not BOOTREQUEST") == 0,
	    "a reply is not taken for a request");
	r.buf[0] = 1;
	CHECK(dhcp_parse(&m, r.buf, r.len, &why) == 0,
	    "the reply's options are well formed");
	CHECK(dhcp_has(&m, OPT_LEASE) && dhcp_has(&m, OPT_RENEWAL) &&
	    dhcp_has(&m, OPT_REBINDING) && dhcp_has(&m, OPT_NETMASK) &&
	    dhcp_has(&m, OPT_ROUTER) && dhcp_has(&m, OPT_DNS) &&
	    dhcp_has(&m, OPT_DOMAIN) && dhcp_has(&m, OPT_BROADCAST) &&
	    dhcp_has(&m, OPT_SERVERID), "1/3/6/15/28/51/54/58/59");
	CHECK(dhcp_has(&m, OPT_HOSTNAME), "12 when asked in 55");
	CHECK(dhcp_has(&m, OPT_UUID) && m.optlen[OPT_UUID] == 17,
	    "97 echoed");
	CHECK(memmem(r.buf + 240, r.len - 240,
	    "\x52\x04\x01\x02" "ab\xff", 7) != NULL,
	    "82 echoed whole and last, before END");

	base("\x35\x01\x03", 3);
	dhcp_parse(&m, pkt, 244, &why);
	dhcp_reply_init(&r, &m, DHCPACK);
	CHECK(dhcp_reply_finish(&r) == 0 && r.len == DHCP_REPLYMIN &&
	    r.buf[243] == OPT_END, "a short reply is padded to 300 bytes");
	dhcp_reply_init(&r, &m, DHCPACK);
	memset(big, 'x', sizeof(big));
	dhcp_reply_opt(&r, OPT_BOOTFILE, big, 300);
	CHECK(dhcp_reply_finish(&r) == 0 && r.buf[243] == OPT_BOOTFILE &&
	    r.buf[244] == 255 && r.buf[244 + 256] == OPT_BOOTFILE &&
	    r.buf[244 + 257] == 45, "an option over 255 bytes is split");
	dhcp_reply_init(&r, &m, DHCPACK);
	dhcp_reply_opt(&r, OPT_BOOTFILE, big, 255);
	dhcp_reply_opt(&r, OPT_BOOTFILE, big, 255);
	dhcp_reply_opt(&r, OPT_BOOTFILE, big, 255);
	dhcp_reply_opt(&r, OPT_BOOTFILE, big, 255);
	CHECK(dhcp_reply_finish(&r) == -1, "a reply that overflows fails");

	dhcp_sanitize((const uint8_t *)"a\x1b[2J\"\\\x7f" "b", 9, s,
	    sizeof(s));
	CHECK(strcmp(s, "a?[2J???b") == 0, "sanitize for logs");
	dhcp_sanitize((const uint8_t *)"abcdefgh", 8, s, 4);
	CHECK(strcmp(s, "abc") == 0, "sanitize truncates");
}

static void
setup(void)
{
	dhcp_fixture(&conf, 80);
}

/* Parse a DISCOVER with these options and decide for it. */
static const char *
decide(const void *opts, size_t len, const struct host *h,
    struct pxe_boot *b)
{
	const char	*why;
	struct in_addr	 ip = { inet_addr("10.1.0.100") };

	if (dhcp_parse(&m, pkt, base(opts, len), &why) == -1)
		return why;
	pxe_decide(b, &m, &conf, h, ip);
	return b->boot ? b->file : "";
}

#define VC(a)	"\x3c\x20" "PXEClient:Arch:" a ":UNDI:003016"

/*
 * A host with an ip6 and no ip netboots over IPv6 when dhcp6 serves:
 * DHCPv4 gives it no loader (full mode: an address only; proxy mode:
 * nothing).  With an ip, or without dhcp6, it boots over IPv4 as ever.
 */
static void
test_pxe_v6only(void)
{
	struct pxe_boot	 b;
	struct host	*h = &conf.hosts[0];
	struct host_conf saved = h->conf;

	h->conf.ip.s_addr = INADDR_ANY;
	inet_pton(AF_INET6, "fd00:1::91", &h->conf.ip6);
	conf.server.dhcp6_mode = DHCP_MODE_FULL;
	CHECK(strcmp(decide("\x35\x01\x01" VC("00007") "\x5d\x02\x00\x07",
	    41, h, &b), "") == 0 && b.pxe && b.v6only &&
	    strcmp(b.archname, "uefi-x64") == 0,
	    "ip6 and no ip: no loader over IPv4 (PXE)");
	CHECK(strcmp(decide("\x35\x01\x01\x3c\x21"
	    "HTTPClient:Arch:00016:UNDI:003001" "\x5d\x02\x00\x10", 42, h,
	    &b), "") == 0 && b.v6only, "ip6 and no ip: no URL over IPv4 (HTTP)");
	CHECK(strcmp(decide("\x35\x01\x01" VC("00000") "\x4d\x04" "iPXE",
	    43, h, &b), "") == 0 && b.v6only, "ip6 and no ip: nor to iPXE");
	h->conf.ip = saved.ip;
	CHECK(strcmp(decide("\x35\x01\x01" VC("00007") "\x5d\x02\x00\x07",
	    41, h, &b), "BOOTX64.EFI") == 0 && !b.v6only,
	    "ip and ip6: boots over IPv4 too");
	h->conf.ip.s_addr = INADDR_ANY;
	conf.server.dhcp6_mode = DHCP_MODE_OFF;
	CHECK(strcmp(decide("\x35\x01\x01" VC("00007") "\x5d\x02\x00\x07",
	    41, h, &b), "BOOTX64.EFI") == 0 && !b.v6only,
	    "ip6 and no ip without dhcp6: boots over IPv4");
	h->conf = saved;
}

static void
test_pxe(void)
{
	struct pxe_boot	 b;
	const struct host *h = &conf.hosts[0];

	CHECK(strcmp(decide("\x35\x01\x01" VC("00000") "\x5d\x02\x00\x00",
	    41, h, &b), "pxelinux.0") == 0 && strcmp(b.archname, "bios") == 0,
	    "arch 0: bios");
	CHECK(strcmp(decide("\x35\x01\x01" VC("00007") "\x5d\x02\x00\x07",
	    41, h, &b), "BOOTX64.EFI") == 0 &&
	    strcmp(b.archname, "uefi-x64") == 0, "arch 7: uefi");
	CHECK(strcmp(decide("\x35\x01\x01" VC("00009") "\x5d\x02\x00\x09",
	    41, h, &b), "BOOTX64.EFI") == 0, "arch 9: uefi");
	CHECK(strcmp(decide("\x35\x01\x01" VC("00011") "\x5d\x02\x00\x0b",
	    41, h, &b), "grubaa64.efi") == 0, "arch 11: arm64");
	CHECK(strcmp(decide("\x35\x01\x01" VC("00007"), 37, h, &b),
	    "BOOTX64.EFI") == 0, "arch from the vendor class without 93");
	CHECK(strcmp(decide("\x35\x01\x01\x3c\x21"
	    "HTTPClient:Arch:00016:UNDI:003001" "\x5d\x02\x00\x10", 42, h,
	    &b), "http://10.1.0.2/BOOTX64.EFI") == 0 && b.http,
	    "arch 16: UEFI HTTP");
	CHECK(strcmp(decide("\x35\x01\x01\x3c\x21"
	    "HTTPClient:Arch:00019:UNDI:003000" "\x5d\x02\x00\x13", 42, h,
	    &b), "http://10.1.0.2/BOOTAA64.EFI") == 0 && b.http &&
	    strcmp(b.archname, "http-arm64") == 0,
	    "arch 19: ARM64 HTTP boot gets boot.http_arm64");
	CHECK(strcmp(decide("\x35\x01\x01\x3c\x21"
	    "HTTPClient:Arch:00018:UNDI:003000" "\x5d\x02\x00\x12", 42, h,
	    &b), "") == 0 && b.http, "arch 18: no x64 image for arm32");
	CHECK(strcmp(decide("\x35\x01\x01" VC("00000") "\x4d\x04" "iPXE",
	    43, h, &b), "http://10.1.0.2/ipxe/52:54:00:00:00:01") == 0 &&
	    b.ipxe, "iPXE by 77 raw");
	CHECK(strcmp(decide("\x35\x01\x01" VC("00000") "\x4d\x05\x04" "iPXE",
	    44, h, &b), "http://10.1.0.2/ipxe/52:54:00:00:00:01") == 0,
	    "iPXE by 77 in RFC 3004 form");
	CHECK(strcmp(decide("\x35\x01\x01" VC("00000") "\xaf\x01\x01",
	    40, h, &b), "http://10.1.0.2/ipxe/52:54:00:00:00:01") == 0,
	    "iPXE by 175");
	CHECK(strcmp(decide("\x35\x01\x01" VC("00000") "\x4d\x05\x04" "iPX",
	    43, h, &b), "pxelinux.0") == 0,
	    "a truncated 3004 entry is not iPXE");
	CHECK(strcmp(decide("\x35\x01\x01" "\x5d\x02\x00\x00", 7, h, &b),
	    "") == 0 && !b.pxe, "no vendor class: not PXE");
	CHECK(strcmp(decide("\x35\x01\x01" VC("00025") "\x5d\x02\x00\x19",
	    41, h, &b), "") == 0 && b.pxe, "an arch without a loader");
	test_pxe_v6only();
	conf.server.unknown = UNKNOWN_IGNORE;
	CHECK(strcmp(decide("\x35\x01\x01" VC("00000"), 37, NULL, &b),
	    "") == 0, "unknown: ignore");
	conf.server.unknown = UNKNOWN_LOCAL;
	CHECK(strcmp(decide("\x35\x01\x01" VC("00000"), 37, NULL, &b),
	    "pxelinux.0") == 0, "unknown: local gets the loader");
}

static void
test_leases(void)
{
	static const uint8_t	 a[6] = { 2, 0, 0, 0, 0, 0xa },
				 b[6] = { 2, 0, 0, 0, 0, 0xb };
	uint8_t			 mac[6] = { 2, 0, 0, 0, 1, 0 };
	struct lease		*l, *first;
	struct in_addr		 none = { INADDR_ANY };
	int			 i;

	leases_init();
	leases_reconf(&conf);
	CHECK(leases_host(conf.hosts[0].conf.macs[0], NULL) == &conf.hosts[0],
	    "inventory host by MAC");
	CHECK(leases_fixed_ip(conf.hosts[0].conf.ip) &&
	    !leases_fixed_ip(none), "a fixed address is known");
	l = leases_pick(&conf, 0, a, none);
	CHECK(l != NULL && l->ip.s_addr == inet_addr("10.1.0.100"),
	    "first pool address");
	leases_set(l, a, LEASE_ACTIVE, time(NULL) + 3600);
	first = l;
	CHECK(leases_pick(&conf, 0, a, none) == first,
	    "a returning client gets its address");
	l = leases_pick(&conf, 0, b, none);
	CHECK(l != NULL && l->ip.s_addr == inet_addr("10.1.0.101"),
	    "next never-used address");
	leases_set(l, b, LEASE_RELEASED, time(NULL));
	for (i = 0; i < 2; i++) {
		mac[5] = i;
		l = leases_pick(&conf, 0, mac, none);
		leases_set(l, mac, LEASE_OFFERED, time(NULL) + 30);
	}
	mac[5] = 9;
	l = leases_pick(&conf, 0, mac, none);
	CHECK(l != NULL && l->ip.s_addr == inet_addr("10.1.0.101"),
	    "the pool reuses the released address once full");
	leases_set(l, mac, LEASE_OFFERED, time(NULL) + 30);
	mac[5] = 10;
	CHECK(leases_pick(&conf, 0, mac, none) == NULL, "pool exhausted");
	leases_set(first, a, LEASE_ACTIVE, time(NULL) - 1);
	CHECK(leases_pick(&conf, 0, mac, none) == first,
	    "an expired lease is reused");
	CHECK(leases_by_mac(a) == NULL, "its old MAC lets go of it");
}

int
main(void)
{
	setup();
	test_parse();
	test_malformed();
	test_build();
	test_pxe();
	test_leases();
	TEST_EXIT();
}
