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
 * libFuzzer: any datagram through the DHCPv6 parser and its helpers,
 * then, for what parses, an ADVERTISE as the server builds one (IA_NA >
 * IAADDR + status, option 59, option 16), wrapped for the relays that
 * brought the request.  The parser's pointers must stay inside the
 * datagram; a reply that fits must parse again, and its RELAY-REPL
 * layers, walked here by hand, must match the request's relays one for
 * one: an abort() is a malformed packet we would have sent.
 */

#include <sys/types.h>
#include <arpa/inet.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pxed.h"
#include "dhcp6.h"

#define RELAY_HDR	34

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void	 inside(const struct dhcp6_msg *, size_t, const uint8_t *,
		    size_t);
static void	 helpers(const struct dhcp6_msg *, size_t);
static void	 advertise(struct dhcp6_reply *, const struct dhcp6_msg *);
static void	 reparse(const struct dhcp6_reply *, const struct dhcp6_msg *);
static size_t	 layers(const struct dhcp6_reply *,
		    const struct dhcp6_reply *, const struct dhcp6_msg *);
static void	 wrap(const struct dhcp6_reply *, const struct dhcp6_msg *);

/* What the parser points at lies in the size bytes it was given. */
static void
inside(const struct dhcp6_msg *m, size_t size, const uint8_t *p, size_t len)
{
	if (p == NULL)
		return;
	if (p < m->buf || (size_t)(p - m->buf) > size ||
	    len > size - (size_t)(p - m->buf))
		abort();
}

static void
helpers(const struct dhcp6_msg *m, size_t size)
{
	const uint8_t	*p;
	uint8_t		 mac[6], uuid[PXED_UUIDLEN];
	size_t		 i, len;
	uint16_t	 code;

	inside(m, size, m->opts, m->optslen);
	inside(m, size, m->clientid, m->clientidlen);
	inside(m, size, m->serverid, m->serveridlen);
	inside(m, size, m->oro, m->orolen);
	if (m->nias > DHCP6_IA_MAX || m->nrelays > DHCP6_RELAY_MAX ||
	    memchr(m->vendor, '\0', sizeof(m->vendor)) == NULL)
		abort();
	for (i = 0; i < m->nrelays; i++) {
		inside(m, size, m->relays[i].ifid, m->relays[i].ifidlen);
		eui64_mac(&m->relays[i].peer, mac);
		eui64_mac(&m->relays[i].link, mac);
	}
	for (code = 0; code < 100; code++) {
		p = dhcp6_opt(m->opts, m->optslen, code, &len);
		inside(m, size, p, len);
		dhcp6_oro_has(m, code);
	}
	if (m->clientid != NULL) {
		duid_mac(m->clientid, m->clientidlen, mac);
		duid_uuid(m->clientid, m->clientidlen, uuid);
	}
	if (m->serverid != NULL)
		duid_mac(m->serverid, m->serveridlen, mac);
}

/* An ADVERTISE as the server would make it: every IA_NA an address. */
static void
advertise(struct dhcp6_reply *r, const struct dhcp6_msg *m)
{
	static const uint8_t	 sid[14] = { 0, 1, 0, 1, 0x2c, 0x3d, 0x4e,
	    0x5f, 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef };
	static const uint8_t	 life[8] = { 0, 0, 0x0e, 0x10, 0, 0, 0x1c,
	    0x20 };
	uint32_t		 iaid;
	uint8_t			 fixed[12], addr[16] = { 0xfd, 0x00, 0x00,
	    0x77 }, vc[4 + 2 + 10] = { 0, 0, 0x01, 0x57, 0, 10 };
	char			 url[256];
	size_t			 i;
	int			 n;

	dhcp6_reply_init(r, DHCP6_ADVERTISE, m->xid);
	dhcp6_reply_opt(r, D6O_SERVERID, sid, sizeof(sid));
	if (m->clientid != NULL)
		dhcp6_reply_opt(r, D6O_CLIENTID, m->clientid, m->clientidlen);
	dhcp6_reply_opt(r, D6O_PREFERENCE, "\xff", 1);
	n = snprintf(url, sizeof(url), "tftp://[fd00:77::1]/%s", m->vendor);
	memcpy(vc + 6, strncmp(m->vendor, "HTTPClient", 10) == 0 ?
	    "HTTPClient" : "PXEClient", 10);
	/* Every code the ORO repeats is answered again: big replies. */
	for (i = 0; i + 1 < m->orolen; i += 2) {
		if (m->oro[i] != 0)
			continue;
		if (m->oro[i + 1] == D6O_BOOTFILE_URL)
			dhcp6_reply_opt(r, D6O_BOOTFILE_URL, url, (size_t)n);
		else if (m->oro[i + 1] == D6O_VENDOR_CLASS)
			dhcp6_reply_opt(r, D6O_VENDOR_CLASS, vc, sizeof(vc));
		else if (m->oro[i + 1] == D6O_STATUS_CODE)
			dhcp6_reply_status(r, D6S_SUCCESS, m->vendor);
	}
	for (i = 0; i < m->nias; i++) {
		dhcp6_reply_begin(r, D6O_IA_NA);
		iaid = htonl(m->ias[i].iaid);
		memcpy(fixed, &iaid, 4);
		memcpy(fixed + 4, life, 8);
		dhcp6_reply_data(r, fixed, sizeof(fixed));
		dhcp6_reply_begin(r, D6O_IAADDR);
		addr[15] = (uint8_t)i;
		dhcp6_reply_data(r, m->ias[i].have_addr ?
		    (const void *)&m->ias[i].addr : addr, 16);
		dhcp6_reply_data(r, life, sizeof(life));
		dhcp6_reply_end(r);
		dhcp6_reply_status(r, D6S_SUCCESS, "assigned");
		dhcp6_reply_end(r);
	}
	if (m->nias == 0)
		dhcp6_reply_status(r, D6S_NOADDRSAVAIL, "no IA_NA");
}

/* The ADVERTISE read back as a REQUEST: the same IA_NAs, addressed. */
static void
reparse(const struct dhcp6_reply *r, const struct dhcp6_msg *m)
{
	static struct dhcp6_msg	 back;
	static uint8_t		 buf[DHCP6_REPLYMAX];
	const char		*why;
	size_t			 i;

	memcpy(buf, r->buf, r->len);
	buf[0] = DHCP6_REQUEST;
	if (dhcp6_parse(&back, buf, r->len, &why) == -1 ||
	    back.nias != m->nias || back.serverid == NULL ||
	    (m->clientid != NULL) != (back.clientid != NULL))
		abort();
	for (i = 0; i < back.nias; i++)
		if (!back.ias[i].have_addr ||
		    back.ias[i].iaid != m->ias[i].iaid)
			abort();
}

/*
 * Walk a wrapped reply: each layer a RELAY-REPL that echoes its relay,
 * options that tile it, one option 9; the innermost, the reply itself.
 */
static size_t
layers(const struct dhcp6_reply *out, const struct dhcp6_reply *in,
    const struct dhcp6_msg *m)
{
	const uint8_t	*p = out->buf, *inner;
	size_t		 n = 0, len = out->len, off, olen, ilen = 0;

	while (n < m->nrelays) {
		if (len < RELAY_HDR || p[0] != DHCP6_RELAY_REPL ||
		    p[1] != m->relays[n].hops ||
		    memcmp(p + 2, &m->relays[n].link, 16) != 0 ||
		    memcmp(p + 18, &m->relays[n].peer, 16) != 0)
			abort();
		inner = NULL;
		for (off = RELAY_HDR; off + 4 <= len; off += 4 + olen) {
			olen = (size_t)(p[off + 2] << 8 | p[off + 3]);
			if (olen > len - off - 4)
				abort();
			if (p[off] == 0 && p[off + 1] == D6O_RELAY_MSG) {
				if (inner != NULL)
					abort();
				inner = p + off + 4;
				ilen = olen;
			}
		}
		if (off != len || inner == NULL)
			abort();
		p = inner;
		len = ilen;
		n++;
	}
	if (len != in->len || memcmp(p, in->buf, len) != 0)
		abort();
	return n;
}

static void
wrap(const struct dhcp6_reply *r, const struct dhcp6_msg *m)
{
	static struct dhcp6_reply out;
	size_t			 i, need = r->len;

	for (i = 0; i < m->nrelays; i++)
		need += RELAY_HDR + 4 + (m->relays[i].ifid != NULL ?
		    4 + m->relays[i].ifidlen : 0);
	if (dhcp6_reply_wrap(&out, r, m) == -1) {
		/* only a reply that overflowed or layers that do not fit */
		if (!r->overflow && need <= DHCP6_REPLYMAX)
			abort();
		return;
	}
	if (r->overflow || out.len != need || out.len > DHCP6_REPLYMAX ||
	    layers(&out, r, m) != m->nrelays)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dhcp6_msg	 m;
	static struct dhcp6_reply r;
	const char		*why;
	uint8_t			*pkt;

	/* an exact-size copy, so reading past the datagram is caught */
	if ((pkt = malloc(size > 0 ? size : 1)) == NULL)
		return 0;
	memcpy(pkt, data, size);
	if (dhcp6_parse(&m, pkt, size, &why) == 0) {
		helpers(&m, size);
		advertise(&r, &m);
		if (!r.overflow)
			reparse(&r, &m);
		wrap(&r, &m);
	} else if (why == NULL)
		abort();
	free(pkt);
	return 0;
}
