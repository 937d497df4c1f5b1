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
 * The DHCPv6 parser and builder, driven directly: OVMF's own SOLICIT
 * (PROTOCOLS.md, "IPv6 netboot"), UEFI HTTP boot, iPXE, relays, every
 * malformed case of PROTOCOLS.md, the DUID and EUI-64 helpers, the
 * reply builder's nesting and limits, and RELAY-REPL wrapping.
 */

#include <sys/types.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

#include "dhcp6.h"
#include "test.h"

#define MAC	"\x52\x54\x00\x12\x34\x56"
/* DUID-LLT: type 1, hardware type 1, time, the MAC. */
#define DUID	"\x00\x01\x00\x01\x2c\x3d\x4e\x5f" MAC
#define VC7	"PXEClient:Arch:00007:UNDI:003000"
#define VC16	"HTTPClient:Arch:00016:UNDI:003000"
#define RELAY_HDR	34	/* type, hop-count, link, peer */

static uint8_t		 pkt[DHCP6_MAXLEN + 64];
static size_t		 plen;
static struct dhcp6_msg	 m;

static void	 start(uint8_t);
static void	 add(uint16_t, const void *, size_t);
static void	 ovmf(const char *, size_t, uint16_t);
static void	 relay(uint8_t, const char *, const uint8_t *);
static int	 parses(void);
static int	 outcome(const char *);
static int	 drops(const char *);
static int	 drops_types(const uint8_t *, size_t, const char *);
static void	 test_ovmf(void);
static void	 test_clients(void);
static void	 test_relays(void);
static void	 test_malformed(void);
static void	 test_malformed_ia(void);
static void	 test_malformed_relay(void);
static void	 test_helpers(void);
static void	 test_build(void);
static void	 test_overflow(void);
static void	 test_wrap(void);

/* A message header: type, transaction id 12 34 56. */
static void
start(uint8_t type)
{
	memset(pkt, 0, sizeof(pkt));
	pkt[0] = type;
	memcpy(pkt + 1, "\x12\x34\x56", 3);
	plen = 4;
}

static void
add(uint16_t code, const void *data, size_t len)
{
	pkt[plen++] = code >> 8;
	pkt[plen++] = code & 0xff;
	pkt[plen++] = len >> 8;
	pkt[plen++] = len & 0xff;
	if (len > 0)
		memcpy(pkt + plen, data, len);
	plen += len;
}

/*
 * OVMF's PXEv6 SOLICIT as PROTOCOLS.md has it: client id (DUID-LLT),
 * elapsed time, IA_NA (a random IAID, no address), ORO 59 60 23 16,
 * option 62 (UNDI 3.0), option 61, option 16 of enterprise 343.
 */
static void
ovmf(const char *vc, size_t vclen, uint16_t arch)
{
	uint8_t	 v[64] = { 0x00, 0x00, 0x01, 0x57 }, a[2];

	start(DHCP6_SOLICIT);
	add(D6O_CLIENTID, DUID, 14);
	add(D6O_ELAPSED_TIME, "\x00\x00", 2);
	add(D6O_IA_NA, "\x0e\x5d\x6f\x01" "\0\0\0\0" "\0\0\0\0", 12);
	add(D6O_ORO, "\x00\x3b\x00\x3c\x00\x17\x00\x10", 8);
	add(D6O_NII, "\x01\x03\x00", 3);
	a[0] = arch >> 8;
	a[1] = arch & 0xff;
	add(D6O_CLIENT_ARCH, a, 2);
	v[4] = vclen >> 8;
	v[5] = vclen & 0xff;
	memcpy(v + 6, vc, vclen);
	add(D6O_VENDOR_CLASS, v, 6 + vclen);
}

/*
 * Wrap pkt in a RELAY-FORW from link fd00:77::<hops>, peer the client's
 * link-local fe80::5054:ff:fe12:3456; ifid and option 79 when given.
 */
static void
relay(uint8_t hops, const char *ifid, const uint8_t *mac)
{
	uint8_t	 h[RELAY_HDR + 4 + 64 + 12 + 4];
	size_t	 n = 0, ilen;

	h[n++] = DHCP6_RELAY_FORW;
	h[n++] = hops;
	memcpy(h + n, "\xfd\x00\x00\x77\0\0\0\0\0\0\0\0\0\0\0", 15);
	h[n + 15] = hops;
	n += 16;
	memcpy(h + n, "\xfe\x80\0\0\0\0\0\0\x50\x54\x00\xff\xfe\x12\x34\x56",
	    16);
	n += 16;
	if (ifid != NULL) {
		ilen = strlen(ifid);
		memcpy(h + n, "\x00\x12\x00", 3);
		h[n + 3] = ilen;
		memcpy(h + n + 4, ifid, ilen);
		n += 4 + ilen;
	}
	if (mac != NULL) {
		memcpy(h + n, "\x00\x4f\x00\x08\x00\x01", 6);
		memcpy(h + n + 6, mac, 6);
		n += 12;
	}
	h[n++] = 0;
	h[n++] = D6O_RELAY_MSG;
	h[n++] = plen >> 8;
	h[n++] = plen & 0xff;
	memmove(pkt + n, pkt, plen);
	memcpy(pkt, h, n);
	plen += n;
}

/* Whether pkt parses (want NULL) or is dropped for the reason want. */
static int
outcome(const char *want)
{
	const char	*why;

	if (dhcp6_parse(&m, pkt, plen, &why) == 0)
		why = NULL;
	if (want == NULL ? why == NULL : why != NULL && strcmp(why, want) == 0)
		return 1;
	printf("# \"%s\", not \"%s\"\n", why ? why : "parsed",
	    want ? want : "parsed");
	return 0;
}

static int
parses(void)
{
	return outcome(NULL);
}

static int
drops(const char *why)
{
	return outcome(why);
}

/* Each message type dropped, bare and relayed. */
static int
drops_types(const uint8_t *types, size_t n, const char *why)
{
	size_t	 i;
	int	 ok = 1;

	for (i = 0; i < n; i++) {
		start(types[i]);
		ok &= drops(why);
		relay(0, NULL, NULL);
		ok &= drops(why);
	}
	return ok;
}

static void
test_ovmf(void)
{
	const uint8_t	*p;
	uint8_t		 mac[6];
	size_t		 len;

	ovmf(VC7, 32, 7);
	CHECK(parses(), "OVMF's SOLICIT parses");
	CHECK(m.type == DHCP6_SOLICIT && memcmp(m.xid, "\x12\x34\x56", 3) == 0,
	    "type and transaction id");
	CHECK(m.clientid != NULL && m.clientidlen == 14 &&
	    memcmp(m.clientid, DUID, 14) == 0 && m.serverid == NULL,
	    "client DUID, no server id");
	CHECK(duid_mac(m.clientid, m.clientidlen, mac) == 0 &&
	    memcmp(mac, MAC, 6) == 0, "the MAC of its DUID-LLT");
	CHECK(m.nias == 1 && m.ias[0].iaid == 0x0e5d6f01 &&
	    m.ias[0].t1 == 0 && m.ias[0].t2 == 0 && !m.ias[0].have_addr,
	    "one IA_NA, no address asked");
	CHECK(dhcp6_oro_has(&m, D6O_BOOTFILE_URL) &&
	    dhcp6_oro_has(&m, D6O_BOOTFILE_PARAM) &&
	    dhcp6_oro_has(&m, D6O_DNS_SERVERS) &&
	    dhcp6_oro_has(&m, D6O_VENDOR_CLASS) &&
	    !dhcp6_oro_has(&m, D6O_DOMAIN_LIST), "ORO 59 60 23 16");
	CHECK(m.have_arch && m.arch == 7, "arch 7");
	CHECK(m.have_vendor && m.enterprise == DHCP6_ENTERPRISE_PXE &&
	    strcmp(m.vendor, VC7) == 0, "option 16: 343, PXEClient");
	CHECK(!m.rapid_commit && !m.ipxe && m.nrelays == 0 && !m.have_llmac,
	    "no rapid commit, not iPXE, not relayed");
	p = dhcp6_opt(m.opts, m.optslen, D6O_NII, &len);
	CHECK(p != NULL && len == 3 && memcmp(p, "\x01\x03\x00", 3) == 0,
	    "option 62: UNDI 3.0");
	p = dhcp6_opt(m.opts, m.optslen, D6O_ELAPSED_TIME, &len);
	CHECK(p != NULL && len == 2, "elapsed time");
	CHECK(dhcp6_opt(m.opts, m.optslen, D6O_USER_CLASS, &len) == NULL,
	    "absent option");
	CHECK(m.opts == m.buf + 4 && m.optslen == plen - 4,
	    "options point into the copy");
}

static void
test_clients(void)
{
	static const uint8_t	 a[16] = { 0xfd, 0x00, 0x00, 0x77, 0, 0, 0,
	    0, 0, 0, 0, 0, 0, 0, 0x01, 0x91 };
	uint8_t			 v[80] = { 0x00, 0x00, 0x01, 0x57, 0x00, 70 };

	ovmf(VC16, 33, 16);
	CHECK(parses() && m.arch == 16 && strcmp(m.vendor, VC16) == 0,
	    "UEFI HTTP boot: arch 16, HTTPClient");
	ovmf(VC7, 32, 7);
	add(D6O_RAPID_COMMIT, NULL, 0);
	CHECK(parses() && m.rapid_commit, "rapid commit");
	ovmf(VC7, 32, 7);
	add(D6O_USER_CLASS, "\x00\x03" "abc" "\x00\x04" "iPXE", 11);
	CHECK(parses() && m.ipxe, "iPXE in option 15's second item");
	ovmf(VC7, 32, 7);
	add(D6O_USER_CLASS, "\x00\x05" "iPXEx" "\x00\x04" "ipxe", 13);
	CHECK(parses() && !m.ipxe, "neither iPXEx nor ipxe is iPXE");
	memset(v + 6, 'x', 70);
	memcpy(v + 6, "a\x1b[2J\n", 6);
	ovmf(VC7, 32, 7);
	plen -= 4 + 38;
	add(D6O_VENDOR_CLASS, v, 76);
	add(D6O_VENDOR_CLASS, "\x00\x00\x01\x57\x00\x01" "y", 7);
	CHECK(parses() && strncmp(m.vendor, "a.[2J.xxx", 9) == 0 &&
	    strlen(m.vendor) == DHCP6_VENDOR_DATA - 1,
	    "option 16: printable, truncated, the first option's");
	ovmf(VC7, 32, 7);
	add(D6O_CLIENT_ARCH, "\x00\x10\x00\x07", 4);
	CHECK(parses() && m.arch == 7, "option 61: the first type kept");
	start(DHCP6_REQUEST);
	add(D6O_CLIENTID, DUID, 14);
	add(D6O_SERVERID, "\x00\x03\x00\x01\x02\x00\x00\x00\x00\x01", 10);
	add(D6O_IA_NA, "\0\0\0\x01" "\0\0\x0e\x10" "\0\0\x1c\x20"
	    "\x00\x05\x00\x18" "\xfd\x00\x00\x77\0\0\0\0\0\0\0\0\0\0\x01\x91"
	    "\0\0\x0e\x10" "\0\0\x1c\x20", 40);
	add(D6O_IA_NA, "\0\0\0\x02" "\0\0\0\0" "\0\0\0\0", 12);
	CHECK(parses() && m.type == DHCP6_REQUEST && m.serveridlen == 10 &&
	    m.nias == 2 && m.ias[0].have_addr && m.ias[0].t1 == 3600 &&
	    m.ias[0].t2 == 7200 && memcmp(&m.ias[0].addr, a, 16) == 0 &&
	    !m.ias[1].have_addr && m.ias[1].iaid == 2,
	    "REQUEST: server id, IA_NA with IAADDR, a second IA_NA");
	start(DHCP6_RENEW);
	for (v[0] = 0; v[0] < DHCP6_IA_MAX + 2; v[0]++)
		add(D6O_IA_NA, v, 12);
	CHECK(parses() && m.nias == DHCP6_IA_MAX && m.ias[3].iaid ==
	    0x03000157, "IA_NAs past IA_MAX: ignored");
	start(DHCP6_INFORMATION_REQUEST);
	CHECK(parses() && m.optslen == 0 && m.clientid == NULL,
	    "a bare header parses");
}

static void
test_relays(void)
{
	uint8_t			 peer[16];
	const struct dhcp6_relay *r;

	ovmf(VC7, 32, 7);
	relay(0, "eth0", (const uint8_t *)"\x02\x00\x00\x00\x00\x07");
	relay(1, "relay-b", NULL);
	CHECK(parses() && m.type == DHCP6_SOLICIT && m.nrelays == 2,
	    "a SOLICIT through two relays parses");
	r = &m.relays[0];
	CHECK(r->hops == 1 && r->link.s6_addr[15] == 1 && r->ifid != NULL &&
	    r->ifidlen == 7 && memcmp(r->ifid, "relay-b", 7) == 0,
	    "the outermost relay first, with its interface-id");
	r = &m.relays[1];
	memcpy(peer, "\xfe\x80\0\0\0\0\0\0\x50\x54\x00\xff\xfe\x12\x34\x56",
	    16);
	CHECK(r->hops == 0 && r->link.s6_addr[0] == 0xfd &&
	    r->link.s6_addr[15] == 0 && memcmp(&r->peer, peer, 16) == 0 &&
	    r->ifidlen == 4 && memcmp(r->ifid, "eth0", 4) == 0,
	    "the innermost relay: link, peer, interface-id");
	CHECK(m.have_llmac && memcmp(m.llmac, "\x02\0\0\0\0\x07", 6) == 0,
	    "option 79 of the innermost relay");
	CHECK(strcmp(m.vendor, VC7) == 0 && m.nias == 1,
	    "the client's options under the relays");
	ovmf(VC7, 32, 7);
	relay(0, NULL, NULL);
	relay(1, NULL, (const uint8_t *)"\x02\x00\x00\x00\x00\x07");
	CHECK(parses() && !m.have_llmac && m.relays[1].ifid == NULL,
	    "option 79 of an outer relay is not the client's");
	ovmf(VC7, 32, 7);
	relay(0, NULL, (const uint8_t *)"\x02\x00\x00\x00\x00\x07");
	pkt[RELAY_HDR + 5] = 6;
	CHECK(parses() && !m.have_llmac, "option 79 of another hardware type");
}

static void
test_malformed(void)
{
	uint8_t	 big[DHCP6_MAXLEN];

	start(DHCP6_SOLICIT);
	plen = 3;
	CHECK(drops("short message"), "a truncated header");
	plen = 0;
	CHECK(drops("short message"), "an empty datagram");
	ovmf(VC7, 32, 7);
	pkt[plen - 38 - 4 + 3] = 200;
	CHECK(drops("option runs past the end"), "option length past the end");
	ovmf(VC7, 32, 7);
	plen += 3;
	CHECK(drops("option runs past the end"), "a partial option header");
	start(DHCP6_SOLICIT);
	add(D6O_CLIENTID, NULL, 0);
	CHECK(drops("bad DUID length"), "zero-length DUID");
	memset(big, 0x01, sizeof(big));
	start(DHCP6_SOLICIT);
	add(D6O_CLIENTID, big, PXED_DUIDMAX);
	CHECK(parses() && m.clientidlen == PXED_DUIDMAX, "a DUID of 130");
	start(DHCP6_SOLICIT);
	add(D6O_CLIENTID, big, PXED_DUIDMAX + 1);
	CHECK(drops("bad DUID length"), "a DUID of 131");
	start(DHCP6_REQUEST);
	add(D6O_SERVERID, NULL, 0);
	CHECK(drops("bad DUID length"), "zero-length server id");
	start(DHCP6_SOLICIT);
	add(D6O_CLIENTID, DUID, 14);
	add(D6O_CLIENTID, DUID, 14);
	CHECK(drops("two client ids"), "two client ids");
	start(DHCP6_REQUEST);
	add(D6O_SERVERID, DUID, 14);
	add(D6O_SERVERID, DUID, 14);
	CHECK(drops("two server ids"), "two server ids");
	start(DHCP6_SOLICIT);
	add(D6O_ORO, "\x00\x17\x00", 3);
	CHECK(drops("odd-length ORO"), "odd ORO");
	start(DHCP6_SOLICIT);
	for (plen = 8; plen < 8 + 2000 * 2; plen += 2) {
		pkt[plen] = (plen / 2) >> 8;
		pkt[plen + 1] = (plen / 2) & 0xff;
	}
	memcpy(pkt + 4, "\x00\x06\x0f\xa0", 4);
	CHECK(parses() && m.orolen == 4000 && dhcp6_oro_has(&m, 2003) &&
	    !dhcp6_oro_has(&m, 2004), "an ORO of 2000 codes");
	start(DHCP6_SOLICIT);
	add(D6O_CLIENT_ARCH, "\x00\x07\x00", 3);
	CHECK(drops("bad option 61 length"), "odd option 61");
	start(DHCP6_SOLICIT);
	add(D6O_CLIENT_ARCH, NULL, 0);
	CHECK(drops("bad option 61 length"), "zero-length option 61");
	start(DHCP6_SOLICIT);
	add(D6O_VENDOR_CLASS, "\x00\x00\x01\x57\x00\x20" "PXEClient", 15);
	CHECK(drops("option 16 item runs past the end"),
	    "option 16 item past the option");
	start(DHCP6_SOLICIT);
	add(D6O_VENDOR_CLASS, "\x00\x00\x01", 3);
	CHECK(drops("short option 16"), "option 16 without an enterprise");
	start(DHCP6_SOLICIT);
	add(D6O_USER_CLASS, "\x00\x04" "iPX", 5);
	CHECK(drops("option 15 item runs past the end"),
	    "option 15 item past the option");
	ovmf(VC7, 32, 7);
	memset(big, 0, sizeof(big));
	add(999, big, DHCP6_MAXLEN - plen - 4);
	CHECK(plen == DHCP6_MAXLEN && parses(), "DHCP6_MAXLEN bytes parse");
	plen++;
	CHECK(drops("datagram too long"), "DHCP6_MAXLEN + 1 bytes");
}

/* IA_NAs of sub-options at offset 12 (after IAID, T1, T2), of len. */
static void
test_malformed_ia(void)
{
	static const struct {
		const char	*sub;
		size_t		 sublen, len;
		const char	*why, *name;
	} t[] = {
		{ "", 0, 11, "short IA_NA", "IA_NA of 11 bytes" },
		{ "\x00\x05\x00\x17", 4, 12 + 4 + 23, "short IAADDR",
		    "IAADDR of 23 bytes" },
		{ "\x00\x03\x00\x0c", 4, 12 + 4 + 12,
		    "IA option nested in an IA_NA", "IA_NA in IA_NA" },
		{ "\x00\x04\x00\x04", 4, 12 + 4 + 4,
		    "IA option nested in an IA_NA", "IA_TA in IA_NA" },
		{ "\x00\x05\x00\x28" "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
		    "\0\0\0\0\0\0\0\0" "\x00\x03\x00\x0c", 32, 12 + 4 + 40,
		    "IA option nested in an IA_NA", "IA_NA in an IAADDR" },
		{ "\x00\x05\x00\x30", 4, 12 + 4 + 24,
		    "IA_NA option runs past the end",
		    "IA_NA sub-option past the end" },
	};
	uint8_t	 ia[80];
	size_t	 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(ia, 0, sizeof(ia));
		memcpy(ia + 12, t[i].sub, t[i].sublen);
		start(DHCP6_REQUEST);
		add(D6O_IA_NA, ia, t[i].len);
		CHECK(drops(t[i].why), t[i].name);
	}
	start(DHCP6_SOLICIT);
	for (ia[0] = 0; ia[0] < DHCP6_IA_MAX; ia[0]++)
		add(D6O_IA_NA, ia, 12);
	memcpy(ia + 12, "\x00\x03\x00\x0c", 4);
	add(D6O_IA_NA, ia, 12 + 4 + 12);
	CHECK(drops("IA option nested in an IA_NA"),
	    "an IA_NA past IA_MAX is still checked");
}

static void
test_malformed_relay(void)
{
	static const uint8_t	 server[] = { DHCP6_ADVERTISE, DHCP6_REPLY,
	    DHCP6_RECONFIGURE, DHCP6_RELAY_REPL };
	static const uint8_t	 unknown[] = { 0, 14, 36, 255 };
	size_t			 i;

	ovmf(VC7, 32, 7);
	for (i = 0; i < DHCP6_RELAY_MAX; i++)
		relay(i, NULL, NULL);
	CHECK(parses() && m.nrelays == DHCP6_RELAY_MAX &&
	    m.relays[0].hops == DHCP6_RELAY_MAX - 1 && m.type == DHCP6_SOLICIT,
	    "32 relay layers parse");
	relay(i, NULL, NULL);
	CHECK(drops("relay nesting too deep"), "33 relay layers");
	start(DHCP6_SOLICIT);
	relay(0, "eth0", NULL);
	plen -= 4 + 4;
	CHECK(drops("relay without a relay message"),
	    "RELAY-FORW without option 9");
	plen = 33;
	CHECK(drops("short relay header"), "a short RELAY-FORW");
	start(DHCP6_SOLICIT);
	relay(0, NULL, NULL);
	add(D6O_RELAY_MSG, "\x01\x00\x00\x00", 4);
	CHECK(drops("two relay messages"), "two relay messages");
	start(DHCP6_SOLICIT);
	relay(0, NULL, NULL);
	pkt[RELAY_HDR + 3] = 5;
	CHECK(drops("relay option runs past the end"),
	    "relay message past the end");
	plen = 0;
	relay(0, NULL, NULL);
	CHECK(drops("short message"), "an empty relay message");
	CHECK(drops_types(server, sizeof(server), "not a client message"),
	    "ADVERTISE, REPLY, RECONFIGURE, RELAY-REPL: dropped");
	CHECK(drops_types(unknown, sizeof(unknown), "unknown message type"),
	    "unknown message types: dropped");
}

static void
test_helpers(void)
{
	static const uint8_t	 u[16] = { 0x44, 0x45, 0x4c, 0x4c, 0x51, 0x00,
	    0x10, 0x38, 0x80, 0x35, 0xb8, 0xc0, 0x4f, 0x44, 0x35, 0x31 };
	uint8_t			 mac[6], uuid[PXED_UUIDLEN], d[20];
	struct in6_addr		 a;

	CHECK(duid_mac((const uint8_t *)DUID, 14, mac) == 0 &&
	    memcmp(mac, MAC, 6) == 0, "duid_mac: DUID-LLT");
	CHECK(duid_mac((const uint8_t *)"\x00\x03\x00\x01" MAC, 10, mac) ==
	    0 && memcmp(mac, MAC, 6) == 0, "duid_mac: DUID-LL");
	CHECK(duid_mac((const uint8_t *)"\x00\x02\x00\x00\x01\x57" "abcdef",
	    12, mac) == -1, "duid_mac: DUID-EN names no MAC");
	d[0] = 0;
	d[1] = DUID_UUID;
	memcpy(d + 2, u, 16);
	CHECK(duid_mac(d, 18, mac) == -1, "duid_mac: DUID-UUID names no MAC");
	CHECK(duid_mac((const uint8_t *)"\x00\x01\x00", 3, mac) == -1 &&
	    duid_mac((const uint8_t *)DUID, 13, mac) == -1 &&
	    duid_mac((const uint8_t *)"\x00\x03\x00\x01" MAC "\x00", 11, mac)
	    == -1, "duid_mac: short or long");
	CHECK(duid_mac((const uint8_t *)"\x00\x03\x00\x06" MAC, 10, mac) ==
	    -1, "duid_mac: not Ethernet");
	CHECK(duid_uuid(d, 18, uuid) == 0 && memcmp(uuid, u, 16) == 0,
	    "duid_uuid: the bytes as sent");
	CHECK(duid_uuid(d, 17, uuid) == -1 && duid_uuid(d, 19, uuid) == -1,
	    "duid_uuid: 15 or 17 bytes");
	d[1] = DUID_LLT;
	CHECK(duid_uuid(d, 18, uuid) == -1, "duid_uuid: another type");
	inet_pton(AF_INET6, "fe80::5054:ff:fe12:3456", &a);
	CHECK(eui64_mac(&a, mac) == 0 && memcmp(mac, MAC, 6) == 0,
	    "eui64_mac: fe80::5054:ff:fe12:3456");
	inet_pton(AF_INET6, "fe80::211:22ff:fe33:4455", &a);
	CHECK(eui64_mac(&a, mac) == 0 &&
	    memcmp(mac, "\x00\x11\x22\x33\x44\x55", 6) == 0,
	    "eui64_mac: the U/L bit set again");
	inet_pton(AF_INET6, "fe80::1234:5678:9abc:def0", &a);
	CHECK(eui64_mac(&a, mac) == -1, "eui64_mac: not EUI-64");
	inet_pton(AF_INET6, "fd00::5054:ff:fe12:3456", &a);
	CHECK(eui64_mac(&a, mac) == -1, "eui64_mac: not link-local");
	inet_pton(AF_INET6, "fe80:0:0:1:5054:ff:fe12:3456", &a);
	CHECK(eui64_mac(&a, mac) == -1, "eui64_mac: not fe80::/64");
}

/* ADVERTISE > client id, IA_NA > (IAADDR, status), preference. */
static void
test_build(void)
{
	static struct dhcp6_reply r;
	static const uint8_t	 addr[24] = { 0xfd, 0x00, 0x00, 0x77, 0, 0,
	    0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x91, 0, 0, 0x0e, 0x10, 0, 0, 0x1c,
	    0x20 };
	const uint8_t		*p;
	const char		*why;
	size_t			 len;

	dhcp6_reply_init(&r, DHCP6_ADVERTISE, (const uint8_t *)"\x12\x34\x56");
	dhcp6_reply_opt(&r, D6O_CLIENTID, DUID, 14);
	dhcp6_reply_begin(&r, D6O_IA_NA);
	dhcp6_reply_data(&r, "\0\0\0\x01" "\0\0\x0e\x10" "\0\0\x1c\x20", 12);
	dhcp6_reply_begin(&r, D6O_IAADDR);
	dhcp6_reply_data(&r, addr, 24);
	dhcp6_reply_end(&r);
	dhcp6_reply_status(&r, D6S_SUCCESS, "ok");
	dhcp6_reply_end(&r);
	dhcp6_reply_opt(&r, D6O_PREFERENCE, "\xff", 1);
	CHECK(!r.overflow && r.nopen == 0 && r.len == 79 &&
	    memcmp(r.buf, "\x02\x12\x34\x56\x00\x01\x00\x0e", 8) == 0,
	    "ADVERTISE: header, client id");
	CHECK(memcmp(r.buf + 22, "\x00\x03\x00\x30", 4) == 0 &&
	    memcmp(r.buf + 38, "\x00\x05\x00\x18", 4) == 0 &&
	    memcmp(r.buf + 42, addr, 24) == 0,
	    "IA_NA of 48 bytes, IAADDR of 24 inside");
	CHECK(memcmp(r.buf + 66, "\x00\x0d\x00\x04\x00\x00" "ok", 8) == 0 &&
	    memcmp(r.buf + 74, "\x00\x07\x00\x01\xff", 5) == 0,
	    "status inside the IA_NA, preference after it");
	r.buf[0] = DHCP6_REQUEST;
	CHECK(dhcp6_parse(&m, r.buf, r.len, &why) == 0 && m.nias == 1 &&
	    m.ias[0].have_addr && memcmp(&m.ias[0].addr, addr, 16) == 0 &&
	    m.ias[0].t1 == 3600, "the reply parses back");
	p = dhcp6_opt(m.opts, m.optslen, D6O_IA_NA, &len);
	p = p == NULL ? NULL : dhcp6_opt(p + 12, len - 12,
	    D6O_STATUS_CODE, &len);
	CHECK(p != NULL && len == 4 && memcmp(p, "\0\0ok", 4) == 0,
	    "dhcp6_opt finds the status inside the IA_NA");
}

/* Past DHCP6_REPLYMAX nothing is written, not even a byte of it. */
static void
test_overflow(void)
{
	static struct {
		struct dhcp6_reply	 r;
		uint8_t			 guard[64];
	} g;
	static uint8_t		 big[DHCP6_REPLYMAX];
	static const uint8_t	 guard[64];
	struct dhcp6_reply	*r = &g.r;
	const uint8_t		*xid = (const uint8_t *)"\x12\x34\x56";
	int			 i;

	memset(big, 'x', sizeof(big));
	dhcp6_reply_init(r, DHCP6_REPLY, xid);
	dhcp6_reply_opt(r, 999, big, DHCP6_REPLYMAX - 8);
	CHECK(!r->overflow && r->len == DHCP6_REPLYMAX, "a reply fills up");
	dhcp6_reply_opt(r, D6O_RAPID_COMMIT, NULL, 0);
	dhcp6_reply_data(r, "y", 1);
	dhcp6_reply_status(r, D6S_SUCCESS, "");
	CHECK(r->overflow && r->len == DHCP6_REPLYMAX &&
	    memcmp(g.guard, guard, sizeof(guard)) == 0,
	    "past the limit: overflow, nothing written");
	dhcp6_reply_init(r, DHCP6_REPLY, xid);
	dhcp6_reply_opt(r, 999, big, DHCP6_REPLYMAX - 11);
	dhcp6_reply_begin(r, D6O_IA_NA);
	dhcp6_reply_end(r);
	CHECK(r->overflow && r->len == DHCP6_REPLYMAX - 3 && r->nopen == 0,
	    "an option opened 3 bytes from the limit");
	dhcp6_reply_init(r, DHCP6_REPLY, xid);
	dhcp6_reply_opt(r, 999, big, DHCP6_REPLYMAX - 15);
	dhcp6_reply_status(r, D6S_SUCCESS, "ok");
	CHECK(r->overflow && r->len == DHCP6_REPLYMAX - 7,
	    "a status that does not fit");
	dhcp6_reply_init(r, DHCP6_REPLY, xid);
	dhcp6_reply_opt(r, 999, big, DHCP6_REPLYMAX);
	dhcp6_reply_opt(r, D6O_RAPID_COMMIT, NULL, 0);
	CHECK(r->overflow && r->len == 4, "once overflowed, nothing more");
	dhcp6_reply_init(r, DHCP6_REPLY, xid);
	dhcp6_reply_opt(r, 999, big, 70000);
	CHECK(r->overflow && r->len == 4, "an option over 65535 bytes");
	dhcp6_reply_init(r, DHCP6_REPLY, xid);
	for (i = 0; i < DHCP6_NEST_MAX; i++)
		dhcp6_reply_begin(r, D6O_IA_NA);
	CHECK(!r->overflow && r->nopen == DHCP6_NEST_MAX,
	    "DHCP6_NEST_MAX options open at once");
	dhcp6_reply_begin(r, D6O_IA_NA);
	CHECK(r->overflow && r->nopen == DHCP6_NEST_MAX &&
	    r->len == 4 + 4 * DHCP6_NEST_MAX, "one more: overflow");
	for (i = 0; i < DHCP6_NEST_MAX + 2; i++)
		dhcp6_reply_end(r);
	CHECK(r->nopen == 0 && memcmp(g.guard, guard, sizeof(guard)) == 0,
	    "unmatched ends are harmless");
}

/* A parsed SOLICIT through two relays, its REPLY, wrapped. */
static void
test_wrap(void)
{
	static struct dhcp6_reply r, out;
	static struct dhcp6_msg	 back;
	const uint8_t		*p, *q;
	const char		*why;
	size_t			 len, qlen;

	ovmf(VC7, 32, 7);
	relay(0, "eth0", NULL);
	relay(1, "relay-b", NULL);
	CHECK(parses(), "the relayed SOLICIT parses");
	dhcp6_reply_init(&r, DHCP6_REPLY, m.xid);
	dhcp6_reply_opt(&r, D6O_CLIENTID, m.clientid, m.clientidlen);
	dhcp6_reply_status(&r, D6S_SUCCESS, "ok");
	CHECK(dhcp6_reply_wrap(&out, &r, &m) == 0 && !out.overflow &&
	    out.len == r.len + (34 + 11 + 4) + (34 + 8 + 4),
	    "wrapped in two RELAY-REPLs");
	p = out.buf;
	q = dhcp6_opt(p + 34, out.len - 34, D6O_INTERFACE_ID, &qlen);
	CHECK(p[0] == DHCP6_RELAY_REPL && p[1] == 1 &&
	    memcmp(p + 2, &m.relays[0].link, 16) == 0 &&
	    memcmp(p + 18, &m.relays[0].peer, 16) == 0 && q != NULL &&
	    qlen == 7 && memcmp(q, "relay-b", 7) == 0,
	    "outer layer: type 13, hops, link, peer, interface-id");
	p = dhcp6_opt(p + 34, out.len - 34, D6O_RELAY_MSG, &len);
	CHECK(p == out.buf + 34 + 11 + 4 && len == out.len - (34 + 11 + 4),
	    "outer layer: option 9 holds the rest");
	q = dhcp6_opt(p + 34, len - 34, D6O_INTERFACE_ID, &qlen);
	CHECK(p[0] == DHCP6_RELAY_REPL && p[1] == 0 &&
	    memcmp(p + 2, &m.relays[1].link, 16) == 0 &&
	    memcmp(p + 18, &m.relays[1].peer, 16) == 0 && q != NULL &&
	    qlen == 4 && memcmp(q, "eth0", 4) == 0,
	    "inner layer: its own hops, link, peer, interface-id");
	p = dhcp6_opt(p + 34, len - 34, D6O_RELAY_MSG, &len);
	CHECK(p != NULL && len == r.len && memcmp(p, r.buf, r.len) == 0,
	    "inner layer: option 9 holds the REPLY");
	/* As RELAY-FORWs around a REQUEST, the layers parse back. */
	p = out.buf;
	out.buf[0] = out.buf[34 + 11 + 4] = DHCP6_RELAY_FORW;
	out.buf[out.len - r.len] = DHCP6_REQUEST;
	CHECK(dhcp6_parse(&back, p, out.len, &why) == 0 &&
	    back.nrelays == 2 && back.relays[0].hops == 1 &&
	    back.relays[1].ifidlen == 4 && back.type == DHCP6_REQUEST &&
	    memcmp(&back.relays[1].peer, &m.relays[1].peer, 16) == 0,
	    "the layers parse back as RELAY-FORWs");
	r.overflow = 1;
	CHECK(dhcp6_reply_wrap(&out, &r, &m) == -1, "an overflowed reply");
	dhcp6_reply_init(&r, DHCP6_REPLY, m.xid);
	dhcp6_reply_opt(&r, 999, pkt, DHCP6_REPLYMAX - 4 - 4 - 90);
	CHECK(dhcp6_reply_wrap(&out, &r, &m) == -1 && out.overflow,
	    "layers that do not fit");
	start(DHCP6_SOLICIT);
	CHECK(parses(), "an unrelayed SOLICIT");
	dhcp6_reply_init(&r, DHCP6_REPLY, m.xid);
	CHECK(dhcp6_reply_wrap(&out, &r, &m) == 0 && out.len == 4 &&
	    memcmp(out.buf, r.buf, 4) == 0, "no relays: the reply as it is");
}

int
main(void)
{
	test_ovmf();
	test_clients();
	test_relays();
	test_malformed();
	test_malformed_ia();
	test_malformed_relay();
	test_helpers();
	test_build();
	test_overflow();
	test_wrap();
	TEST_EXIT();
}
