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
 * The DHCPv6 server DUID (RFC 8415 11.2, DUID-LLT): made once from the
 * first interface's MAC and the time, kept in the state directory, so
 * that clients holding a lease still find their server after a restart
 * or a new NIC.
 */

#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/if.h>
#include <net/if_arp.h>

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "master.h"

#define DUID_FILE	"duid"
#define DUID_EPOCH	946684800	/* 2000-01-01 00:00:00 UTC */
#define DUID_LLT_LEN	14

static int	 duid_fill(int, void *);
static void	 duid_make(const char *, uint8_t *);

static int
duid_fill(int fd, void *arg)
{
	return write_all(fd, arg, DUID_LLT_LEN);
}

/* Type 1, hardware type 1, the time, then the MAC (random if none). */
static void
duid_make(const char *ifname, uint8_t *d)
{
	struct ifreq	 ifr;
	uint32_t	 t = (uint32_t)(time(NULL) - DUID_EPOCH);
	int		 s, ok = 0;
	static const uint8_t zero[6];

	d[0] = 0;
	d[1] = 1;
	d[2] = 0;
	d[3] = 1;
	d[4] = t >> 24;
	d[5] = t >> 16;
	d[6] = t >> 8;
	d[7] = t;
	memset(&ifr, 0, sizeof(ifr));
	strlcpy(ifr.ifr_name, ifname, sizeof(ifr.ifr_name));
	if ((s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) != -1) {
		ok = ioctl(s, SIOCGIFHWADDR, &ifr) == 0 &&
		    ifr.ifr_hwaddr.sa_family == ARPHRD_ETHER &&
		    memcmp(ifr.ifr_hwaddr.sa_data, zero, 6) != 0;
		close(s);
	}
	if (ok)
		memcpy(d + 8, ifr.ifr_hwaddr.sa_data, 6);
	else {
		/* A locally administered unicast MAC of our own. */
		randombytes_buf(d + 8, 6);
		d[8] = (d[8] & 0xfc) | 0x02;
	}
}

/*
 * Put the server DUID into sc: the state directory's, else a new one
 * written there first.  -1 if neither can be had.
 */
int
duid_load(struct server_conf *sc)
{
	uint8_t	 d[PXED_DUIDMAX + 1];
	ssize_t	 n;
	int	 fd, dirfd = state_dir();

	sc->duidlen = 0;	/* none, unless one is had below */
	if ((fd = openat(dirfd, DUID_FILE, O_RDONLY | O_CLOEXEC)) != -1) {
		n = read(fd, d, sizeof(d));
		close(fd);
		if (n < 4 || n > PXED_DUIDMAX) {
			log_warnx("%s: not a DUID", DUID_FILE);
			return -1;
		}
		memcpy(sc->duid, d, (size_t)n);
		sc->duidlen = (uint16_t)n;
		return 0;
	}
	if (errno != ENOENT) {
		log_warn("%s", DUID_FILE);
		return -1;
	}
	duid_make(sc->nifs > 0 ? sc->ifnames[0] : "", d);
	if (durable_replace(dirfd, DUID_FILE, 0600, duid_fill, d) == -1) {
		log_warn("%s", DUID_FILE);
		return -1;
	}
	memcpy(sc->duid, d, DUID_LLT_LEN);
	sc->duidlen = DUID_LLT_LEN;
	log_info("created the DHCPv6 server DUID in the state directory");
	return 0;
}
