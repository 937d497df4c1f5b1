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
 * DHCPv6 messages (RFC 8415, RFC 5970): a bounds-checked parser that
 * unwraps the relay layers and rejects everything on the malformed list
 * of PROTOCOLS.md, the DUID and EUI-64 helpers that name the machine,
 * and the reply builder with its RELAY-REPL wrapping.  Every option of
 * the message, of a relay layer and of an IA_NA must tile its area
 * exactly: what does not fit is an attack or a broken client, never
 * guessed at.
 */

#include <sys/types.h>

#include <stddef.h>
#include <string.h>

#include "dhcp6.h"

#define RELAY_HDRLEN	34	/* type, hop-count, link, peer */
#define OPT_HDRLEN	4	/* code, length */
#define IA_NA_FIXED	12	/* IAID, T1, T2 */
#define IAADDR_FIXED	24	/* address, preferred, valid */

struct opt6 {
	uint16_t	 code;
	const uint8_t	*data;
	size_t		 len;
};

static uint16_t	 get16(const uint8_t *);
static uint32_t	 get32(const uint8_t *);
static int	 opt_next(const uint8_t *, size_t, size_t *, struct opt6 *);
static int	 item_next(const uint8_t *, size_t, size_t *,
		    const uint8_t **, size_t *);
static int	 parse_relay(struct dhcp6_msg *, const uint8_t **, size_t *,
		    const char **);
static int	 walk_ia(const uint8_t *, size_t, struct dhcp6_ia *, int,
		    const char **);
static int	 parse_ia(struct dhcp6_msg *, const struct opt6 *,
		    const char **);
static int	 parse_duid(const struct opt6 *, const uint8_t **, size_t *,
		    const char **);
static int	 parse_vendor(struct dhcp6_msg *, const struct opt6 *,
		    const char **);
static int	 parse_user(struct dhcp6_msg *, const struct opt6 *,
		    const char **);
static int	 parse_opt(struct dhcp6_msg *, const struct opt6 *,
		    const char **);
static int	 parse_client(struct dhcp6_msg *, const uint8_t *, size_t,
		    const char **);
static int	 room(struct dhcp6_reply *, size_t);
static void	 put(struct dhcp6_reply *, const void *, size_t);
static void	 put16(struct dhcp6_reply *, uint16_t);
static size_t	 layer_len(const struct dhcp6_relay *);

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/*
 * The option at *off of an area of len bytes.  Returns 1 and advances
 * *off, 0 at the end, -1 when a header or its data runs past the end.
 */
static int
opt_next(const uint8_t *area, size_t len, size_t *off, struct opt6 *o)
{
	size_t	 left;

	if (*off >= len)
		return 0;
	left = len - *off;
	if (left < OPT_HDRLEN ||
	    left - OPT_HDRLEN < get16(area + *off + 2))
		return -1;
	o->code = get16(area + *off);
	o->len = get16(area + *off + 2);
	o->data = area + *off + OPT_HDRLEN;
	*off += OPT_HDRLEN + o->len;
	return 1;
}

/* Options 15 and 16 carry items of a 2-byte length and data: the same. */
static int
item_next(const uint8_t *area, size_t len, size_t *off,
    const uint8_t **item, size_t *ilen)
{
	size_t	 left;

	if (*off >= len)
		return 0;
	left = len - *off;
	if (left < 2 || left - 2 < get16(area + *off))
		return -1;
	*ilen = get16(area + *off);
	*item = area + *off + 2;
	*off += 2 + *ilen;
	return 1;
}

/*
 * One RELAY-FORW layer at *p: record it, then point *p and *len at its
 * relay message.  Option 79 is taken from each layer in turn, so the
 * innermost relay's, the one on the client's link, is what stays.
 */
static int
parse_relay(struct dhcp6_msg *m, const uint8_t **p, size_t *len,
    const char **why)
{
	struct dhcp6_relay	*r;
	struct opt6		 o;
	const uint8_t		*msg = NULL;
	size_t			 off = 0, msglen = 0;
	int			 rc;

	if (m->nrelays == DHCP6_RELAY_MAX) {
		*why = "relay nesting too deep";
		return -1;
	}
	if (*len < RELAY_HDRLEN) {
		*why = "short relay header";
		return -1;
	}
	r = &m->relays[m->nrelays++];
	r->hops = (*p)[1];
	memcpy(&r->link, *p + 2, 16);
	memcpy(&r->peer, *p + 18, 16);
	m->have_llmac = 0;
	while ((rc = opt_next(*p + RELAY_HDRLEN, *len - RELAY_HDRLEN, &off,
	    &o)) == 1) {
		if (o.code == D6O_RELAY_MSG) {
			if (msg != NULL) {
				*why = "two relay messages";
				return -1;
			}
			msg = o.data;
			msglen = o.len;
		} else if (o.code == D6O_INTERFACE_ID && r->ifid == NULL) {
			r->ifid = o.data;
			r->ifidlen = o.len;
		} else if (o.code == D6O_CLIENT_LINKLAYER && o.len == 8 &&
		    get16(o.data) == 1) {
			m->have_llmac = 1;
			memcpy(m->llmac, o.data + 2, 6);
		}
	}
	if (rc == -1) {
		*why = "relay option runs past the end";
		return -1;
	}
	if (msg == NULL) {
		*why = "relay without a relay message";
		return -1;
	}
	*p = msg;
	*len = msglen;
	return 0;
}

/*
 * The options of an IA_NA (depth 0) or of an IAADDR inside it (depth
 * 1).  An IA inside an IA is never legal (RFC 8415 21.4 and 21.6 allow
 * addresses and status codes there): it is refused, not walked.
 */
static int
walk_ia(const uint8_t *area, size_t len, struct dhcp6_ia *ia, int depth,
    const char **why)
{
	struct opt6	 o;
	size_t		 off = 0;
	int		 rc;

	while ((rc = opt_next(area, len, &off, &o)) == 1) {
		if (o.code == D6O_IA_NA || o.code == D6O_IA_TA) {
			*why = "IA option nested in an IA_NA";
			return -1;
		}
		if (o.code != D6O_IAADDR || depth > 0)
			continue;
		if (o.len < IAADDR_FIXED) {
			*why = "short IAADDR";
			return -1;
		}
		if (!ia->have_addr) {
			ia->have_addr = 1;
			memcpy(&ia->addr, o.data, 16);
		}
		if (walk_ia(o.data + IAADDR_FIXED, o.len - IAADDR_FIXED, ia,
		    depth + 1, why) == -1)
			return -1;
	}
	if (rc == -1) {
		*why = "IA_NA option runs past the end";
		return -1;
	}
	return 0;
}

/* IA_NAs past DHCP6_IA_MAX are still checked, then forgotten. */
static int
parse_ia(struct dhcp6_msg *m, const struct opt6 *o, const char **why)
{
	struct dhcp6_ia	 spare, *ia = &spare;

	if (o->len < IA_NA_FIXED) {
		*why = "short IA_NA";
		return -1;
	}
	if (m->nias < DHCP6_IA_MAX)
		ia = &m->ias[m->nias];
	memset(ia, 0, sizeof(*ia));
	ia->iaid = get32(o->data);
	ia->t1 = get32(o->data + 4);
	ia->t2 = get32(o->data + 8);
	if (walk_ia(o->data + IA_NA_FIXED, o->len - IA_NA_FIXED, ia, 0,
	    why) == -1)
		return -1;
	if (ia != &spare)
		m->nias++;
	return 0;
}

/* Options 1 and 2: a DUID is 1 to 130 bytes (RFC 8415 11.1), once. */
static int
parse_duid(const struct opt6 *o, const uint8_t **duid, size_t *len,
    const char **why)
{
	if (*duid != NULL) {
		*why = o->code == D6O_CLIENTID ? "two client ids" :
		    "two server ids";
		return -1;
	}
	if (o->len == 0 || o->len > PXED_DUIDMAX) {
		*why = "bad DUID length";
		return -1;
	}
	*duid = o->data;
	*len = o->len;
	return 0;
}

/*
 * Option 16: the first data of the first option, made printable for
 * the log and the boot decision ("PXEClient:Arch:00007:...").
 */
static int
parse_vendor(struct dhcp6_msg *m, const struct opt6 *o, const char **why)
{
	const uint8_t	*item;
	size_t		 off = 4, ilen, i;
	int		 rc, first = !m->have_vendor;

	if (o->len < 4) {
		*why = "short option 16";
		return -1;
	}
	if (first) {
		m->have_vendor = 1;
		m->enterprise = get32(o->data);
	}
	while ((rc = item_next(o->data, o->len, &off, &item, &ilen)) == 1) {
		if (!first)
			continue;
		for (i = 0; i < ilen && i + 1 < sizeof(m->vendor); i++)
			m->vendor[i] = item[i] >= 0x20 && item[i] < 0x7f ?
			    (char)item[i] : '.';
		m->vendor[i] = '\0';
		first = 0;
	}
	if (rc == -1) {
		*why = "option 16 item runs past the end";
		return -1;
	}
	return 0;
}

/* Option 15: iPXE says "iPXE" in one of its items. */
static int
parse_user(struct dhcp6_msg *m, const struct opt6 *o, const char **why)
{
	const uint8_t	*item;
	size_t		 off = 0, ilen;
	int		 rc;

	while ((rc = item_next(o->data, o->len, &off, &item, &ilen)) == 1)
		if (ilen == 4 && memcmp(item, "iPXE", 4) == 0)
			m->ipxe = 1;
	if (rc == -1) {
		*why = "option 15 item runs past the end";
		return -1;
	}
	return 0;
}

static int
parse_opt(struct dhcp6_msg *m, const struct opt6 *o, const char **why)
{
	switch (o->code) {
	case D6O_CLIENTID:
		return parse_duid(o, &m->clientid, &m->clientidlen, why);
	case D6O_SERVERID:
		return parse_duid(o, &m->serverid, &m->serveridlen, why);
	case D6O_IA_NA:
		return parse_ia(m, o, why);
	case D6O_ORO:
		if (o->len % 2 != 0) {
			*why = "odd-length ORO";
			return -1;
		}
		if (m->oro == NULL) {
			m->oro = o->data;
			m->orolen = o->len;
		}
		return 0;
	case D6O_RAPID_COMMIT:
		m->rapid_commit = 1;
		return 0;
	case D6O_CLIENT_ARCH:
		if (o->len == 0 || o->len % 2 != 0) {
			*why = "bad option 61 length";
			return -1;
		}
		if (!m->have_arch) {
			m->have_arch = 1;
			m->arch = get16(o->data);
		}
		return 0;
	case D6O_VENDOR_CLASS:
		return parse_vendor(m, o, why);
	case D6O_USER_CLASS:
		return parse_user(m, o, why);
	default:
		return 0;
	}
}

/* The client's message, once out of its relay layers. */
static int
parse_client(struct dhcp6_msg *m, const uint8_t *p, size_t len,
    const char **why)
{
	struct opt6	 o;
	size_t		 off = 0;
	int		 rc;

	switch (p[0]) {
	case DHCP6_SOLICIT:
	case DHCP6_REQUEST:
	case DHCP6_CONFIRM:
	case DHCP6_RENEW:
	case DHCP6_REBIND:
	case DHCP6_RELEASE:
	case DHCP6_DECLINE:
	case DHCP6_INFORMATION_REQUEST:
		break;
	case DHCP6_ADVERTISE:
	case DHCP6_REPLY:
	case DHCP6_RECONFIGURE:
	case DHCP6_RELAY_REPL:
		*why = "not a client message";
		return -1;
	default:
		*why = "unknown message type";
		return -1;
	}
	m->type = p[0];
	memcpy(m->xid, p + 1, 3);
	m->opts = p + 4;
	m->optslen = len - 4;
	while ((rc = opt_next(m->opts, m->optslen, &off, &o)) == 1)
		if (parse_opt(m, &o, why) == -1)
			return -1;
	if (rc == -1) {
		*why = "option runs past the end";
		return -1;
	}
	return 0;
}

/*
 * Parse a datagram to the server port.  Returns 0, or -1 with *why
 * naming the defect; the caller drops it and logs why at debug level.
 */
int
dhcp6_parse(struct dhcp6_msg *m, const uint8_t *pkt, size_t len,
    const char **why)
{
	const uint8_t	*p;

	*why = NULL;
	if (len > DHCP6_MAXLEN) {
		*why = "datagram too long";
		return -1;
	}
	memset(m, 0, offsetof(struct dhcp6_msg, buf));
	memcpy(m->buf, pkt, len);
	p = m->buf;
	for (;;) {
		if (len < 4) {
			*why = "short message";
			return -1;
		}
		if (p[0] != DHCP6_RELAY_FORW)
			break;
		if (parse_relay(m, &p, &len, why) == -1)
			return -1;
	}
	return parse_client(m, p, len, why);
}

/* The first option code of an area dhcp6_parse has walked, or NULL. */
const uint8_t *
dhcp6_opt(const uint8_t *opts, size_t len, uint16_t code, size_t *olen)
{
	struct opt6	 o;
	size_t		 off = 0;

	while (opt_next(opts, len, &off, &o) == 1)
		if (o.code == code) {
			*olen = o.len;
			return o.data;
		}
	return NULL;
}

int
dhcp6_oro_has(const struct dhcp6_msg *m, uint16_t code)
{
	size_t	 i;

	for (i = 0; i + 1 < m->orolen; i += 2)
		if (get16(m->oro + i) == code)
			return 1;
	return 0;
}

/*
 * The MAC a DUID-LLT or DUID-LL of Ethernet names.  It is the NIC that
 * made the DUID, not always the one asking: firmware keeps its DUID in
 * NVRAM, and one DUID may serve every NIC of a machine.
 */
int
duid_mac(const uint8_t *duid, size_t len, uint8_t mac[6])
{
	size_t	 hdr;

	if (len < 4)
		return -1;
	switch (get16(duid)) {
	case DUID_LLT:
		hdr = 8;
		break;
	case DUID_LL:
		hdr = 4;
		break;
	default:
		return -1;
	}
	if (get16(duid + 2) != 1 || len != hdr + 6)
		return -1;
	memcpy(mac, duid + hdr, 6);
	return 0;
}

/*
 * DUID-UUID (RFC 6355): the 16 bytes as they are on the wire.  RFC 6355
 * wants the UUID in network order, but EDK2 (Dhcp6GenerateClientId;
 * PcdDhcp6UidType defaults to 4, used when the SMBIOS UUID is not zero)
 * copies the SMBIOS type 1 bytes as they are: the first three fields
 * little-endian, uuid_swap() of what dmidecode prints and a host's
 * uuid: holds.  OVMF under QEMU without -uuid has a zero UUID and sends
 * DUID-LLT.  Other firmware may follow the RFC: try both orders.
 */
int
duid_uuid(const uint8_t *duid, size_t len, uint8_t uuid[PXED_UUIDLEN])
{
	if (len != 2 + PXED_UUIDLEN || get16(duid) != DUID_UUID)
		return -1;
	memcpy(uuid, duid + 2, PXED_UUIDLEN);
	return 0;
}

/*
 * The MAC in a link-local address of modified EUI-64 form (RFC 4291
 * appendix A): fe80::/64, ff:fe in the middle, the U/L bit flipped.
 * Privacy or stable-random addresses (RFC 7217) name no MAC.
 */
int
eui64_mac(const struct in6_addr *addr, uint8_t mac[6])
{
	static const uint8_t	 ll[8] = { 0xfe, 0x80 };
	const uint8_t		*a = addr->s6_addr;

	if (memcmp(a, ll, sizeof(ll)) != 0 || a[11] != 0xff ||
	    a[12] != 0xfe)
		return -1;
	mac[0] = a[8] ^ 0x02;
	mac[1] = a[9];
	mac[2] = a[10];
	mac[3] = a[13];
	mac[4] = a[14];
	mac[5] = a[15];
	return 0;
}

/* Whether n more bytes fit; once one write did not, none ever does. */
static int
room(struct dhcp6_reply *r, size_t n)
{
	if (r->overflow || n > sizeof(r->buf) - r->len) {
		r->overflow = 1;
		return 0;
	}
	return 1;
}

/* Append; the caller has made room. */
static void
put(struct dhcp6_reply *r, const void *data, size_t len)
{
	if (len > 0)
		memcpy(r->buf + r->len, data, len);
	r->len += len;
}

static void
put16(struct dhcp6_reply *r, uint16_t v)
{
	r->buf[r->len++] = v >> 8;
	r->buf[r->len++] = v & 0xff;
}

void
dhcp6_reply_init(struct dhcp6_reply *r, uint8_t type, const uint8_t xid[3])
{
	r->buf[0] = type;
	memcpy(r->buf + 1, xid, 3);
	r->len = 4;
	r->overflow = 0;
	r->nopen = 0;
}

void
dhcp6_reply_opt(struct dhcp6_reply *r, uint16_t code, const void *data,
    size_t len)
{
	if (len > UINT16_MAX) {
		r->overflow = 1;
		return;
	}
	if (!room(r, OPT_HDRLEN + len))
		return;
	put16(r, code);
	put16(r, (uint16_t)len);
	put(r, data, len);
}

/* Open an option whose length dhcp6_reply_end writes once it is known. */
void
dhcp6_reply_begin(struct dhcp6_reply *r, uint16_t code)
{
	if (r->nopen == DHCP6_NEST_MAX) {
		r->overflow = 1;
		return;
	}
	if (!room(r, OPT_HDRLEN))
		return;
	r->open[r->nopen++] = r->len;
	put16(r, code);
	put16(r, 0);
}

void
dhcp6_reply_end(struct dhcp6_reply *r)
{
	size_t	 off, len;

	if (r->nopen == 0)
		return;
	off = r->open[--r->nopen];
	len = r->len - off - OPT_HDRLEN;
	r->buf[off + 2] = len >> 8;
	r->buf[off + 3] = len & 0xff;
}

/*
 * Raw bytes inside an open option: an IA_NA's IAID, T1 and T2, an
 * IAADDR's address and lifetimes, before their sub-options.
 */
void
dhcp6_reply_data(struct dhcp6_reply *r, const void *data, size_t len)
{
	if (room(r, len))
		put(r, data, len);
}

void
dhcp6_reply_status(struct dhcp6_reply *r, uint16_t code, const char *msg)
{
	size_t	 len = strlen(msg);

	if (len > UINT16_MAX - 2) {
		r->overflow = 1;
		return;
	}
	if (!room(r, OPT_HDRLEN + 2 + len))
		return;
	put16(r, D6O_STATUS_CODE);
	put16(r, (uint16_t)(2 + len));
	put16(r, code);
	put(r, msg, len);
}

/* A RELAY-REPL's bytes before its relay message's data. */
static size_t
layer_len(const struct dhcp6_relay *rl)
{
	return RELAY_HDRLEN + (rl->ifid != NULL ? OPT_HDRLEN + rl->ifidlen :
	    0) + OPT_HDRLEN;
}

/*
 * The reply in, in a RELAY-REPL for each RELAY-FORW that brought m
 * (RFC 8415 19.3), outermost first.  in and out must differ.  Returns
 * 0, or -1 when in overflowed or the layers do not fit.
 */
int
dhcp6_reply_wrap(struct dhcp6_reply *out, const struct dhcp6_reply *in,
    const struct dhcp6_msg *m)
{
	const struct dhcp6_relay	*rl;
	size_t				 i, total = in->len;

	out->len = 0;
	out->nopen = 0;
	out->overflow = 1;
	if (in->overflow)
		return -1;
	for (i = 0; i < m->nrelays; i++)
		total += layer_len(&m->relays[i]);
	if (total > sizeof(out->buf))
		return -1;
	out->overflow = 0;
	for (i = 0; i < m->nrelays; i++) {
		rl = &m->relays[i];
		out->buf[out->len++] = DHCP6_RELAY_REPL;
		out->buf[out->len++] = rl->hops;
		put(out, &rl->link, 16);
		put(out, &rl->peer, 16);
		if (rl->ifid != NULL) {
			put16(out, D6O_INTERFACE_ID);
			put16(out, (uint16_t)rl->ifidlen);
			put(out, rl->ifid, rl->ifidlen);
		}
		total -= layer_len(rl);
		put16(out, D6O_RELAY_MSG);
		put16(out, (uint16_t)total);
	}
	put(out, in->buf, in->len);
	return 0;
}
