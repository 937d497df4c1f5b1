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

/* Small parsers and names shared by every process. */

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pxed.h"


static const char *const proc_names[PROC_MAX] = {
	"master", "dhcpd", "tftpd", "httpd"
};

static const char *const boot_kind_names[BOOT_NKINDS] = {
	"bios", "uefi", "arm64", "http", "http_arm64", "ipxe"
};

const char *
proc_name(enum proc_id id)
{
	if ((unsigned int)id >= PROC_MAX)
		return "unknown";
	return proc_names[id];
}

/* The value of a hex digit, or -1. */
int
hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * "aa:bb:cc:dd:ee:ff" or "aa-bb-cc-dd-ee-ff", either case, one kind of
 * separator.  Returns 0, or -1 when s is anything else.
 */
int
mac_parse(const char *s, uint8_t mac[6])
{
	uint8_t	 m[6];
	char	 sep;
	int	 i, hi, lo;

	if (s == NULL || strlen(s) != 17)
		return -1;
	sep = s[2];
	if (sep != ':' && sep != '-')
		return -1;
	for (i = 0; i < 6; i++, s += 3) {
		if ((hi = hex_digit(s[0])) == -1 ||
		    (lo = hex_digit(s[1])) == -1)
			return -1;
		if (i < 5 && s[2] != sep)
			return -1;
		m[i] = (uint8_t)(hi << 4 | lo);
	}
	memcpy(mac, m, sizeof(m));
	return 0;
}

/* Lowercase, colon-separated; len of at least 18 holds it all. */
void
mac_format(const uint8_t mac[6], char *out, size_t len)
{
	snprintf(out, len, "%02x:%02x:%02x:%02x:%02x:%02x",
	    mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

/*
 * An SMBIOS UUID as dmidecode prints it: 8-4-4-4-12 hex digits, either
 * case.  Returns 0 or -1.
 */
int
uuid_parse(const char *s, uint8_t uuid[PXED_UUIDLEN])
{
	uint8_t	 u[PXED_UUIDLEN];
	size_t	 i, n = 0;
	int	 hi, lo;

	if (s == NULL || strlen(s) != 36)
		return -1;
	for (i = 0; i < 36; ) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i++] != '-')
				return -1;
			continue;
		}
		if ((hi = hex_digit(s[i])) == -1 ||
		    (lo = hex_digit(s[i + 1])) == -1)
			return -1;
		u[n++] = (uint8_t)(hi << 4 | lo);
		i += 2;
	}
	memcpy(uuid, u, sizeof(u));
	return 0;
}

/* Lowercase, hyphenated; len of at least 37 holds it all. */
void
uuid_format(const uint8_t u[PXED_UUIDLEN], char *out, size_t len)
{
	snprintf(out, len, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", u[0], u[1], u[2], u[3], u[4], u[5],
	    u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
}

/*
 * The other byte order: firmware that copies the SMBIOS structure as a
 * GUID has the first three fields little-endian.  Its own inverse.
 */
void
uuid_swap(const uint8_t in[PXED_UUIDLEN], uint8_t out[PXED_UUIDLEN])
{
	static const uint8_t	 order[PXED_UUIDLEN] = { 3, 2, 1, 0, 5, 4,
	    7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };
	uint8_t			 u[PXED_UUIDLEN];
	size_t			 i;

	for (i = 0; i < PXED_UUIDLEN; i++)
		u[i] = in[order[i]];
	memcpy(out, u, sizeof(u));
}

/*
 * Whether a UUID names one machine: all zero and all FF are what boards
 * without one report (SMBIOS: "not present" and "not set").
 */
int
uuid_usable(const uint8_t u[PXED_UUIDLEN])
{
	size_t	 i, zero = 0, ff = 0;

	for (i = 0; i < PXED_UUIDLEN; i++) {
		zero += u[i] == 0x00;
		ff += u[i] == 0xff;
	}
	return zero != PXED_UUIDLEN && ff != PXED_UUIDLEN;
}

/*
 * Seconds, bare or with one unit: "3600", "30s", "15m", "12h", "7d",
 * "1w".  The result is at least 1 and at most INT32_MAX.  Returns 0 or
 * -1.
 */
int
duration_parse(const char *s, uint32_t *secs)
{
	char		 num[16];
	const char	*errstr;
	long long	 n, unit = 1;
	size_t		 len;

	if (s == NULL || (len = strlen(s)) == 0 || len >= sizeof(num))
		return -1;
	strlcpy(num, s, sizeof(num));
	switch (num[len - 1]) {
	case 's':
		unit = 1;
		break;
	case 'm':
		unit = 60;
		break;
	case 'h':
		unit = 3600;
		break;
	case 'd':
		unit = 86400;
		break;
	case 'w':
		unit = 7 * 86400;
		break;
	default:
		len++;
		break;
	}
	num[len - 1] = '\0';
	if (num[0] < '0' || num[0] > '9')
		return -1;
	n = strtonum(num, 1, INT32_MAX / unit, &errstr);
	if (errstr != NULL)
		return -1;
	*secs = (uint32_t)(n * unit);
	return 0;
}

const char *
boot_kind_name(enum boot_kind kind)
{
	if ((unsigned int)kind >= BOOT_NKINDS)
		return "unknown";
	return boot_kind_names[kind];
}

const char *
dhcp_mode_name(enum dhcp_mode mode)
{
	switch (mode) {
	case DHCP_MODE_OFF:
		return "off";
	case DHCP_MODE_FULL:
		return "full";
	case DHCP_MODE_PROXY:
		return "proxy";
	}
	return "unknown";
}

const char *
unknown_name(enum unknown_policy policy)
{
	switch (policy) {
	case UNKNOWN_LOCAL:
		return "local";
	case UNKNOWN_MENU:
		return "menu";
	case UNKNOWN_IGNORE:
		return "ignore";
	}
	return "unknown";
}

const char *
host_state_name(enum host_state state)
{
	switch (state) {
	case HOST_LOCAL:
		return "local";
	case HOST_INSTALL:
		return "install";
	}
	return "unknown";
}

/* Host and profile names: 1-63 of [A-Za-z0-9._-], starting alphanumeric. */
int
host_name_valid(const char *s)
{
	size_t	 i;

	if (s == NULL || !isalnum((unsigned char)s[0]))
		return 0;
	for (i = 0; s[i] != '\0'; i++) {
		if (i >= PXED_NAMELEN - 1)
			return 0;
		if (!isalnum((unsigned char)s[i]) && s[i] != '.' &&
		    s[i] != '_' && s[i] != '-')
			return 0;
	}
	return 1;
}

/* FNV-1a: the hash of every table keyed by a MAC or a host name. */
uint32_t
hash_fnv1a(const void *p, size_t len)
{
	const uint8_t	*b = p;
	uint32_t	 h = 2166136261U;
	size_t		 i;

	for (i = 0; i < len; i++)
		h = (h ^ b[i]) * 16777619U;
	return h;
}

/* Whether the first plen bits of a and b (network order) are equal. */
int
prefix_eq(const void *a, const void *b, uint32_t plen)
{
	const uint8_t	*x = a, *y = b;
	uint32_t	 n = plen / 8;
	uint8_t		 mask;

	if (memcmp(x, y, n) != 0)
		return 0;
	if (plen % 8 == 0)
		return 1;
	mask = 0xff << (8 - plen % 8);
	return ((x[n] ^ y[n]) & mask) == 0;
}

/* len bytes as lowercase hex, cut to fit out (at least 1 byte). */
void
hex_format(const uint8_t *p, size_t len, char *out, size_t olen)
{
	size_t	 i;

	for (i = 0; i < len && 2 * i + 2 < olen; i++)
		snprintf(out + 2 * i, 3, "%02x", p[i]);
	out[2 * i] = '\0';
}

/* All of p to fd, across short writes and signals. */
int
write_all(int fd, const void *p, size_t len)
{
	const char	*c = p;
	ssize_t		 n;

	while (len > 0) {
		if ((n = write(fd, c, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * qsort(3) for an array of pointers, cmp as qsort's (it gets pointers to
 * the elements), stable.  The workers sort with this, never qsort:
 * glibc's asks the kernel for the memory size (sysinfo) the first time
 * it sorts a large array, which their seccomp lists do not allow, and
 * the process is killed.  A bottom-up merge sort; -1 if out of memory
 * (v then unsorted).
 */
int
sort_ptrs(void **v, size_t n, int (*cmp)(const void *, const void *))
{
	void	**tmp, **src = v, **dst, **t;
	size_t	 w, lo, mid, hi, i, j, k;

	if (n < 2)
		return 0;
	if ((tmp = reallocarray(NULL, n, sizeof(*tmp))) == NULL)
		return -1;
	dst = tmp;
	for (w = 1; w < n; w *= 2) {
		for (lo = 0; lo < n; lo += 2 * w) {
			mid = lo + w < n ? lo + w : n;
			hi = lo + 2 * w < n ? lo + 2 * w : n;
			i = lo;
			j = mid;
			for (k = lo; k < hi; k++)
				dst[k] = i < mid && (j >= hi ||
				    cmp(&src[i], &src[j]) <= 0) ? src[i++] :
				    src[j++];
		}
		t = src;
		src = dst;
		dst = t;
	}
	if (src != v)
		memcpy(v, src, n * sizeof(*v));
	free(tmp);
	return 0;
}

/* A table line, as it travels. */
void
stat_entry_set(struct stat_entry *se, const struct stat_def *d)
{
	memset(se, 0, sizeof(*se));
	strlcpy(se->name, d->name, sizeof(se->name));
	strlcpy(se->metric, d->metric, sizeof(se->metric));
	strlcpy(se->help, d->help, sizeof(se->help));
	se->gauge = d->gauge != 0;
	se->value = *d->value;
}

/*
 * name in directory dirfd replaced durably by what fill(fd, arg) writes:
 * a temporary file beside it, written, synced and renamed over name, then
 * the directory synced.  On any failure before the rename the old file
 * stays whole; after it (the directory's sync) the new one is in place
 * but may not be durable.  Either way the temporary is removed, no
 * descriptor stays open, and -1 has the errno of the first failure.  The one way pxed replaces a file it must not
 * lose (host states, lease snapshots, the token key).
 */
int
durable_replace(int dirfd, const char *name, mode_t mode,
    int (*fill)(int, void *), void *arg)
{
	char	 tmp[PATH_MAX];
	int	 fd, r, saved;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", name) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    mode);
	if (fd == -1)
		return -1;
	r = fill(fd, arg) == -1 || fsync(fd) == -1 ? -1 : 0;
	saved = errno;
	if (close(fd) == -1 && r == 0) {
		r = -1;
		saved = errno;
	}
	if (r == 0 && (renameat(dirfd, tmp, dirfd, name) == -1 ||
	    fsync(dirfd) == -1)) {
		r = -1;
		saved = errno;
	}
	if (r == -1) {
		unlinkat(dirfd, tmp, 0);
		errno = saved;
	}
	return r;
}

/*
 * The journals' one write: p appended to fd, whose length was end, and
 * synced.  On failure what may have reached the file is cut off again,
 * since nobody was told of it: -1, or -2 if even the cut failed (the
 * file may end in a torn record).  errno is the first failure's.
 */
int
journal_append(int fd, off_t end, const void *p, size_t len)
{
	int	 saved, r = -1;

	if (write_all(fd, p, len) == 0 && fdatasync(fd) == 0)
		return 0;
	saved = errno;
	if (end == -1 || ftruncate(fd, end) == -1)
		r = -2;
	errno = saved;
	return r;
}
