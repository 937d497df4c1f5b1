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
 * DHCP packets: a bounds-checked parser that rejects everything on the
 * malformed list of PROTOCOLS.md, and the reply builder.  Options that
 * repeat are concatenated (RFC 3396); option 52 may send us into the
 * file and sname fields once each, never from there (RFC 2132 9.3).
 */

#include <sys/types.h>
#include <arpa/inet.h>

#include <string.h>

#include "dhcpd.h"

#define DHCP_MAXFRAGS	(DHCP_MAXLEN / 2)

struct frag {
	uint16_t	 off;
	uint8_t		 code;
	uint8_t		 len;
};

struct scan {
	const uint8_t	*p;
	struct frag	 frags[DHCP_MAXFRAGS];
	size_t		 nfrags;
	int		 overload;	/* -1: no option 52 yet */
	const char	*why;
};

static int	 scan_region(struct scan *, size_t, size_t, int);
static void	 collect(struct dhcp_msg *, const struct scan *);
static int	 check_options(const struct dhcp_msg *, const char **);
static int	 check_relay(const uint8_t *, size_t);
static int	 check_chaddr(const struct dhcp_msg *);

static int
scan_region(struct scan *s, size_t i, size_t end, int main)
{
	uint8_t	 code, len;

	while (i < end) {
		code = s->p[i];
		if (code == OPT_PAD) {
			i++;
			continue;
		}
		if (code == OPT_END)
			return 0;
		if (i + 1 >= end) {
			s->why = "option code at the last byte";
			return -1;
		}
		len = s->p[i + 1];
		if (i + 2 + len > end) {
			s->why = "option runs past the end";
			return -1;
		}
		if (code == OPT_OVERLOAD) {
			if (!main) {
				s->why = "option 52 inside file or sname";
				return -1;
			}
			if (s->overload != -1) {
				s->why = "option 52 repeated";
				return -1;
			}
			if (len != 1 || s->p[i + 2] < 1 || s->p[i + 2] > 3) {
				s->why = "bad option 52";
				return -1;
			}
			s->overload = s->p[i + 2];
		} else {
			if (s->nfrags == DHCP_MAXFRAGS) {
				s->why = "too many options";
				return -1;
			}
			s->frags[s->nfrags].off = i + 2;
			s->frags[s->nfrags].code = code;
			s->frags[s->nfrags].len = len;
			s->nfrags++;
		}
		i += 2 + len;
	}
	return 0;
}

/* Concatenate the fragments of each code, in the order they came. */
static void
collect(struct dhcp_msg *m, const struct scan *s)
{
	uint16_t	 pos[256];
	size_t		 i, off = 0;
	int		 c;

	memset(m->optlen, 0, sizeof(m->optlen));
	memset(m->have, 0, sizeof(m->have));
	for (i = 0; i < s->nfrags; i++) {
		m->optlen[s->frags[i].code] += s->frags[i].len;
		m->have[s->frags[i].code / 8] |= 1 << (s->frags[i].code % 8);
	}
	for (c = 0; c < 256; c++) {
		m->optoff[c] = off;
		pos[c] = off;
		off += m->optlen[c];
	}
	for (i = 0; i < s->nfrags; i++) {
		c = s->frags[i].code;
		memcpy(m->optbuf + pos[c], s->p + s->frags[i].off,
		    s->frags[i].len);
		pos[c] += s->frags[i].len;
	}
}

/* Relay agent information: sub-options must tile the option exactly. */
static int
check_relay(const uint8_t *p, size_t len)
{
	size_t	 i = 0;

	while (i < len) {
		if (i + 2 > len || i + 2 + p[i + 1] > len)
			return -1;
		i += 2 + p[i + 1];
	}
	return 0;
}

static int
check_options(const struct dhcp_msg *m, const char **why)
{
	static const uint8_t	 nonempty[] = { OPT_MSGTYPE, OPT_SERVERID,
	    OPT_MAXSIZE, OPT_CLIENTID, OPT_ARCH, OPT_UUID };
	size_t			 i, len;
	const uint8_t		*p;

	for (i = 0; i < sizeof(nonempty); i++)
		if (dhcp_has(m, nonempty[i]) && m->optlen[nonempty[i]] == 0) {
			*why = "zero-length option";
			return -1;
		}
	if ((p = dhcp_opt(m, OPT_MSGTYPE, &len)) == NULL) {
		*why = "no message type (BOOTP)";
		return -1;
	}
	if (len != 1 || p[0] < DHCPDISCOVER || p[0] > DHCPINFORM) {
		*why = "bad message type";
		return -1;
	}
	if ((dhcp_has(m, OPT_SERVERID) && m->optlen[OPT_SERVERID] != 4) ||
	    (dhcp_has(m, OPT_REQADDR) && m->optlen[OPT_REQADDR] != 4) ||
	    (dhcp_has(m, OPT_MAXSIZE) && m->optlen[OPT_MAXSIZE] != 2)) {
		*why = "bad address or size option";
		return -1;
	}
	if (dhcp_has(m, OPT_ARCH) && m->optlen[OPT_ARCH] % 2 != 0) {
		*why = "odd-length option 93";
		return -1;
	}
	if (m->optlen[OPT_PARAMS] > 255) {
		*why = "huge option 55";
		return -1;
	}
	if ((p = dhcp_opt(m, OPT_RELAY, &len)) != NULL &&
	    check_relay(p, len) == -1) {
		*why = "option 82 sub-option overruns";
		return -1;
	}
	return 0;
}

static int
check_chaddr(const struct dhcp_msg *m)
{
	size_t	 i;
	int	 zero = 1, bcast = 1;

	for (i = 0; i < m->hlen; i++) {
		zero &= m->chaddr[i] == 0x00;
		bcast &= m->chaddr[i] == 0xff;
	}
	return m->hlen == 0 || zero || bcast ? -1 : 0;
}

/*
 * Parse a request.  Returns 0, or -1 with *why naming the defect; the
 * caller drops the datagram and logs why at debug level.
 */
int
dhcp_parse(struct dhcp_msg *m, const uint8_t *p, size_t len,
    const char **why)
{
	static struct scan	 s;
	uint32_t		 cookie;

	*why = NULL;
	if (len < DHCP_MINLEN) {
		*why = "short datagram";
		return -1;
	}
	if (len > DHCP_MAXLEN) {
		*why = "datagram too long";
		return -1;
	}
	memcpy(&cookie, p + DHCP_OFF_COOKIE, sizeof(cookie));
	if (p[DHCP_OFF_OP] != 1)
		*why = "op is not BOOTREQUEST";
	else if (p[DHCP_OFF_HLEN] > 16)
		*why = "hlen over 16";
	else if (ntohl(cookie) != DHCP_COOKIE)
		*why = "bad magic cookie";
	if (*why != NULL)
		return -1;
	m->op = p[DHCP_OFF_OP];
	m->htype = p[DHCP_OFF_HTYPE];
	m->hlen = p[DHCP_OFF_HLEN];
	m->hops = p[DHCP_OFF_HOPS];
	memcpy(&m->xid, p + DHCP_OFF_XID, 4);
	m->secs = (uint16_t)(p[DHCP_OFF_SECS] << 8 | p[DHCP_OFF_SECS + 1]);
	m->flags = (uint16_t)(p[DHCP_OFF_FLAGS] << 8 | p[DHCP_OFF_FLAGS + 1]);
	memcpy(&m->ciaddr, p + DHCP_OFF_CIADDR, 4);
	memcpy(&m->yiaddr, p + DHCP_OFF_YIADDR, 4);
	memcpy(&m->siaddr, p + DHCP_OFF_SIADDR, 4);
	memcpy(&m->giaddr, p + DHCP_OFF_GIADDR, 4);
	memcpy(m->chaddr, p + DHCP_OFF_CHADDR, 16);
	if (check_chaddr(m) == -1) {
		*why = "zero or broadcast chaddr";
		return -1;
	}

	s.p = p;
	s.nfrags = 0;
	s.overload = -1;
	s.why = NULL;
	if (scan_region(&s, DHCP_MINLEN, len, 1) == -1 ||
	    (s.overload > 0 && (s.overload & 1) && scan_region(&s,
	    DHCP_OFF_FILE, DHCP_OFF_FILE + DHCP_FILE_LEN, 0) == -1) ||
	    (s.overload > 0 && (s.overload & 2) && scan_region(&s,
	    DHCP_OFF_SNAME, DHCP_OFF_SNAME + DHCP_SNAME_LEN, 0) == -1)) {
		*why = s.why;
		return -1;
	}
	if ((s.overload == -1 || !(s.overload & 1)) &&
	    memchr(p + DHCP_OFF_FILE, '\0', DHCP_FILE_LEN) == NULL) {
		*why = "file field without NUL";
		return -1;
	}
	if ((s.overload == -1 || !(s.overload & 2)) &&
	    memchr(p + DHCP_OFF_SNAME, '\0', DHCP_SNAME_LEN) == NULL) {
		*why = "sname field without NUL";
		return -1;
	}
	collect(m, &s);
	if (check_options(m, why) == -1)
		return -1;
	m->type = m->optbuf[m->optoff[OPT_MSGTYPE]];
	return 0;
}

int
dhcp_has(const struct dhcp_msg *m, int code)
{
	return (m->have[code / 8] & (1 << (code % 8))) != 0;
}

/*
 * Option 97 as RFC 4578 has it: type 0, then 16 bytes.  Anything else is
 * a broken firmware's, and ignored (the request is still answered).
 */
const uint8_t *
dhcp_uuid_opt(const struct dhcp_msg *m)
{
	const uint8_t	*p;
	size_t		 len;

	if ((p = dhcp_opt(m, OPT_UUID, &len)) == NULL || len != 17 ||
	    p[0] != 0)
		return NULL;
	return p;
}

/* The client's machine UUID, NULL if it sent none that names one. */
const uint8_t *
dhcp_client_uuid(const struct dhcp_msg *m)
{
	const uint8_t	*p;

	if ((p = dhcp_uuid_opt(m)) == NULL || !uuid_usable(p + 1))
		return NULL;
	return p + 1;
}

const uint8_t *
dhcp_opt(const struct dhcp_msg *m, int code, size_t *len)
{
	if (!dhcp_has(m, code))
		return NULL;
	*len = m->optlen[code];
	return m->optbuf + m->optoff[code];
}

int
dhcp_opt_addr(const struct dhcp_msg *m, int code, struct in_addr *a)
{
	const uint8_t	*p;
	size_t		 len;

	if ((p = dhcp_opt(m, code, &len)) == NULL || len != 4)
		return -1;
	memcpy(a, p, 4);
	return 0;
}

void
dhcp_reply_init(struct dhcp_reply *r, const struct dhcp_msg *m,
    uint8_t type)
{
	uint32_t	 cookie = htonl(DHCP_COOKIE);
	uint16_t	 flags = htons(m->flags & DHCP_BROADCAST);

	memset(r->buf, 0, DHCP_MINLEN);
	r->buf[DHCP_OFF_OP] = 2;
	r->buf[DHCP_OFF_HTYPE] = m->htype;
	r->buf[DHCP_OFF_HLEN] = m->hlen;
	memcpy(r->buf + DHCP_OFF_XID, &m->xid, 4);
	memcpy(r->buf + DHCP_OFF_FLAGS, &flags, 2);
	memcpy(r->buf + DHCP_OFF_GIADDR, &m->giaddr, 4);
	memcpy(r->buf + DHCP_OFF_CHADDR, m->chaddr, 16);
	memcpy(r->buf + DHCP_OFF_COOKIE, &cookie, 4);
	r->len = DHCP_MINLEN;
	r->overflow = 0;
	dhcp_reply_opt(r, OPT_MSGTYPE, &type, 1);
}

/* Append an option; one longer than 255 bytes is split (RFC 3396). */
void
dhcp_reply_opt(struct dhcp_reply *r, int code, const void *data, size_t len)
{
	const uint8_t	*p = data;
	size_t		 n;

	do {
		n = len > 255 ? 255 : len;
		if (r->len + 2 + n + 1 > sizeof(r->buf)) {
			r->overflow = 1;
			return;
		}
		r->buf[r->len++] = code;
		r->buf[r->len++] = n;
		if (n > 0)
			memcpy(r->buf + r->len, p, n);
		r->len += n;
		p += n;
		len -= n;
	} while (len > 0);
}

void
dhcp_reply_u32(struct dhcp_reply *r, int code, uint32_t v)
{
	v = htonl(v);
	dhcp_reply_opt(r, code, &v, 4);
}

void
dhcp_reply_addr(struct dhcp_reply *r, int code, struct in_addr a)
{
	dhcp_reply_opt(r, code, &a, 4);
}

/* Write a header field. */
void
dhcp_reply_set(struct dhcp_reply *r, size_t off, const void *data,
    size_t len)
{
	memcpy(r->buf + off, data, len);
}

int
dhcp_reply_finish(struct dhcp_reply *r)
{
	if (r->overflow)
		return -1;
	r->buf[r->len++] = OPT_END;
	if (r->len < DHCP_REPLYMIN) {
		memset(r->buf + r->len, 0, DHCP_REPLYMIN - r->len);
		r->len = DHCP_REPLYMIN;
	}
	return 0;
}

/* Client strings, made safe for a log line. */
void
dhcp_sanitize(const uint8_t *p, size_t len, char *out, size_t outlen)
{
	size_t	 i, o = 0;

	if (outlen == 0)
		return;
	for (i = 0; i < len && o + 1 < outlen; i++)
		out[o++] = p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' &&
		    p[i] != '\\' ? (char)p[i] : '?';
	out[o] = '\0';
}
