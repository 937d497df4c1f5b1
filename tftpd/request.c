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
 * TFTP requests: RRQ/WRQ parsing with every field bounds-checked, the
 * mapping of a requested name onto a path below the root, and the small
 * packets built from them (ERROR, OACK).
 */

#include <sys/types.h>

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "tftpd.h"

static const char	*req_field(const uint8_t **, const uint8_t *);
static int		 req_num(const char *, uint64_t, uint64_t *);
static void		 req_option(struct tftp_req *, const char *,
			    const char *);
static size_t		 oack_add(uint8_t *, size_t, size_t, const char *,
			    uint64_t);

/* The NUL-terminated string at *p, or NULL if none ends before end. */
static const char *
req_field(const uint8_t **p, const uint8_t *end)
{
	const uint8_t	*s = *p, *nul;

	if (s >= end || (nul = memchr(s, '\0', end - s)) == NULL)
		return NULL;
	*p = nul + 1;
	return (const char *)s;
}

/* Decimal digits only, no sign or blanks, at most max. */
static int
req_num(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t	 v = 0;
	size_t		 i;

	if (s[0] == '\0' || strlen(s) > 19)
		return -1;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

/*
 * One option: names are case-insensitive, the first of a duplicate
 * wins, and an invalid value drops the option (RFC 2347).  A blksize
 * above the maximum is answered with the maximum.
 */
static void
req_option(struct tftp_req *req, const char *name, const char *val)
{
	uint64_t	 v;

	if (strcasecmp(name, "blksize") == 0 &&
	    !(req->opts & TFTP_OPT_BLKSIZE)) {
		if (req_num(val, UINT64_MAX / 16, &v) == -1 ||
		    v < TFTP_BLKSIZE_MIN)
			return;
		req->blksize = v > TFTP_BLKSIZE_MAX ? TFTP_BLKSIZE_MAX :
		    (uint32_t)v;
		req->opts |= TFTP_OPT_BLKSIZE;
	} else if (strcasecmp(name, "tsize") == 0 &&
	    !(req->opts & TFTP_OPT_TSIZE)) {
		if (req_num(val, UINT64_MAX / 16, &v) == -1)
			return;
		req->tsize = v;
		req->opts |= TFTP_OPT_TSIZE;
	} else if (strcasecmp(name, "timeout") == 0 &&
	    !(req->opts & TFTP_OPT_TIMEOUT)) {
		if (req_num(val, TFTP_TIMEOUT_MAX, &v) == -1 || v < 1)
			return;
		req->timeout = (uint32_t)v;
		req->opts |= TFTP_OPT_TIMEOUT;
	} else if (strcasecmp(name, "windowsize") == 0 &&
	    !(req->opts & TFTP_OPT_WINDOWSIZE)) {
		if (req_num(val, 65535, &v) == -1 || v < 1)
			return;
		req->windowsize = (uint32_t)v;
		req->opts |= TFTP_OPT_WINDOWSIZE;
	}
}

/*
 * Returns 0 for a well-formed RRQ or WRQ, -1 for a packet to drop
 * without an answer (an ERROR), else the TFTP error code to answer
 * with, *why saying why.
 */
int
tftp_parse_request(const uint8_t *pkt, size_t len, struct tftp_req *req,
    const char **why)
{
	const uint8_t	*p, *end = pkt + len;
	const char	*file, *mode, *name, *val;

	memset(req, 0, sizeof(*req));
	req->blksize = TFTP_SEGSIZE;
	req->windowsize = 1;
	*why = "malformed request";
	if (len < 4) {
		*why = "short packet";
		return TFTP_EBADOP;
	}
	req->opcode = (uint16_t)(pkt[0] << 8 | pkt[1]);
	switch (req->opcode) {
	case TFTP_RRQ:
	case TFTP_WRQ:
		break;
	case TFTP_ERROR:
		return -1;
	case TFTP_DATA:
	case TFTP_ACK:
	case TFTP_OACK:
		*why = "unknown transfer ID";
		return TFTP_EBADID;
	default:
		*why = "illegal operation";
		return TFTP_EBADOP;
	}
	p = pkt + 2;
	if ((file = req_field(&p, end)) == NULL) {
		*why = "file name without NUL";
		return TFTP_EBADOP;
	}
	if ((mode = req_field(&p, end)) == NULL) {
		*why = "mode without NUL";
		return TFTP_EBADOP;
	}
	if (file[0] == '\0') {
		*why = "empty file name";
		return TFTP_EACCESS;
	}
	if (strlcpy(req->file, file, sizeof(req->file)) >= sizeof(req->file)) {
		*why = "file name too long";
		return TFTP_EACCESS;
	}
	if (strcasecmp(mode, "netascii") == 0)
		req->netascii = 1;
	else if (strcasecmp(mode, "octet") != 0) {
		*why = "unsupported mode";
		return TFTP_EBADOP;
	}
	/* A truncated option list ends the options; it is not an error. */
	while ((name = req_field(&p, end)) != NULL &&
	    (val = req_field(&p, end)) != NULL)
		req_option(req, name, val);
	return 0;
}

/*
 * The requested name as a path relative to the root: "\" is "/",
 * leading "/" and empty or "." components are dropped; "..", control
 * characters and an empty result are refused.
 */
int
tftp_map_path(const char *in, char *out, size_t outlen, const char **why)
{
	const char	*s = in, *comp;
	size_t		 n = 0, clen;
	char		 c;

	for (; *s != '\0'; s++) {
		c = *s;
		if ((unsigned char)c < 0x20 || c == 0x7f) {
			*why = "control character in file name";
			return TFTP_EACCESS;
		}
	}
	for (s = in; *s != '\0';) {
		while (*s == '/' || *s == '\\')
			s++;
		comp = s;
		while (*s != '\0' && *s != '/' && *s != '\\')
			s++;
		clen = s - comp;
		if (clen == 0 || (clen == 1 && comp[0] == '.'))
			continue;
		if (clen == 2 && comp[0] == '.' && comp[1] == '.') {
			*why = "\"..\" in file name";
			return TFTP_EACCESS;
		}
		if (n + (n > 0) + clen + 1 > outlen) {
			*why = "file name too long";
			return TFTP_EACCESS;
		}
		if (n > 0)
			out[n++] = '/';
		memcpy(out + n, comp, clen);
		n += clen;
	}
	if (n == 0) {
		*why = "empty file name";
		return TFTP_EACCESS;
	}
	out[n] = '\0';
	return 0;
}

size_t
tftp_build_error(uint8_t *pkt, size_t size, int code, const char *msg)
{
	size_t	 mlen = strlen(msg);

	if (size < 5)
		return 0;
	if (mlen > size - 5)
		mlen = size - 5;
	pkt[0] = 0;
	pkt[1] = TFTP_ERROR;
	pkt[2] = (uint8_t)(code >> 8);
	pkt[3] = (uint8_t)code;
	memcpy(pkt + 4, msg, mlen);
	pkt[4 + mlen] = '\0';
	return 5 + mlen;
}

static size_t
oack_add(uint8_t *pkt, size_t size, size_t n, const char *name,
    uint64_t val)
{
	char	 num[24];
	size_t	 nl = strlen(name) + 1, vl;

	vl = (size_t)snprintf(num, sizeof(num), "%llu",
	    (unsigned long long)val) + 1;
	if (n == 0 || n + nl + vl > size)
		return 0;
	memcpy(pkt + n, name, nl);
	memcpy(pkt + n + nl, num, vl);
	return n + nl + vl;
}

/*
 * The OACK for the options the request kept, lowercase, with tsize
 * answered as the size.  0 when there is nothing to acknowledge.
 */
size_t
tftp_build_oack(uint8_t *pkt, size_t size, const struct tftp_req *req,
    uint64_t tsize)
{
	size_t	 n = 2;

	if (req->opts == 0 || size < 2)
		return 0;
	pkt[0] = 0;
	pkt[1] = TFTP_OACK;
	if (req->opts & TFTP_OPT_BLKSIZE)
		n = oack_add(pkt, size, n, "blksize", req->blksize);
	if (req->opts & TFTP_OPT_TSIZE)
		n = oack_add(pkt, size, n, "tsize", tsize);
	if (req->opts & TFTP_OPT_TIMEOUT)
		n = oack_add(pkt, size, n, "timeout", req->timeout);
	if (req->opts & TFTP_OPT_WINDOWSIZE)
		n = oack_add(pkt, size, n, "windowsize", req->windowsize);
	return n;
}

/*
 * The absolute block number with the low 16 bits of wire, at or after
 * base: block numbers on the wire wrap from 65535 to 0.
 */
uint64_t
tftp_block_abs(uint64_t base, uint16_t wire)
{
	return base + (uint16_t)(wire - (uint16_t)base);
}
