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
 * The privileged descriptors: the master binds every port on every
 * configured interface and hands each worker its own.  Sockets are
 * bound to their device, so pxed answers only where the inventory says.
 */

#include <sys/socket.h>
#include <sys/types.h>
#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "log.h"
#include "master.h"

#define HTTP_BACKLOG	1024
#define HTTP_CC_DEFAULT	"cubic"
#define DHCP_RCVBUF	(4 * 1024 * 1024)

/* The set being built, and the running one it may share sockets with. */
struct sockset {
	const struct config	*conf;
	const struct listener	*old;
	size_t			 nold;
	struct listener		*l;
	size_t			 n;
};

static int	 sockets_served(const struct config *, int, const void *);
static int	 sockets_ifaddr(const char *, int, void *,
		    const struct config *);
static int	 sockets_bind6(const char *, uint16_t, struct buf *);
static int	 sockets_ra(const char *, struct buf *);
static int	 sockets_bind(const char *, int, int, uint16_t, struct buf *);
static int	 sockets_packet(const char *, uint16_t,
		    const struct sock_fprog *, struct buf *);
static int	 sockets_raw(const char *, struct buf *);
static int	 sockets_watch(const char *, struct buf *);
static int	 sockets_add(struct sockset *, enum sock_kind, const char *,
		    uint16_t, struct buf *);
static int	 sockets_reuse(const struct listener *, size_t, enum sock_kind,
		    const char *, uint16_t);
static int	 sockets_congestion(int, const char *,
		    const struct server_conf *, struct buf *);
static int	 sockets_cc_system(char *, size_t);

/* addr (of family) lies in one of conf's subnets of that family. */
static int
sockets_served(const struct config *conf, int family, const void *addr)
{
	if (family == AF_INET)
		return subnet_find(conf, *(const struct in_addr *)addr) != -1;
	return subnet6_of(conf, addr) != -1;
}

/*
 * An address of ifname in family: IPv4, or an IPv6 one a client can
 * reach beyond the link (global or ULA: not link-local, loopback,
 * multicast or unspecified).  The first that lies in one of conf's
 * subnets (the link a client on ifname is on, the address it can
 * reach), else the first.
 */
static int
sockets_ifaddr(const char *ifname, int family, void *addr,
    const struct config *conf)
{
	struct ifaddrs		*ifa, *ifap;
	const struct in6_addr	*a6;
	const void		*a;
	int			 found = 0;

	if (getifaddrs(&ifap) == -1)
		return -1;
	for (ifa = ifap; ifa != NULL && found < 2; ifa = ifa->ifa_next) {
		if (ifa->ifa_addr == NULL ||
		    ifa->ifa_addr->sa_family != family ||
		    strcmp(ifa->ifa_name, ifname) != 0)
			continue;
		if (family == AF_INET)
			a = &((struct sockaddr_in *)(void *)
			    ifa->ifa_addr)->sin_addr;
		else {
			a = a6 = &((struct sockaddr_in6 *)(void *)
			    ifa->ifa_addr)->sin6_addr;
			if (IN6_IS_ADDR_LINKLOCAL(a6) ||
			    IN6_IS_ADDR_LOOPBACK(a6) ||
			    IN6_IS_ADDR_MULTICAST(a6) ||
			    IN6_IS_ADDR_UNSPECIFIED(a6))
				continue;
		}
		if (found == 0 || sockets_served(conf, family, a)) {
			memcpy(addr, a, family == AF_INET ?
			    sizeof(struct in_addr) : sizeof(struct in6_addr));
			found = 1 + sockets_served(conf, family, a);
		}
	}
	freeifaddrs(ifap);
	return found ? 0 : -1;
}

/*
 * server.address defaults to an IPv4 address of the first interface,
 * server.address6 to a global or ULA IPv6 one: the first in a served
 * subnet, else the first (sockets_ifaddr).  Each
 * is needed by the DHCP of its family (an IPv6-only appliance has no
 * IPv4 address to give); else it is only looked for.
 */
int
sockets_resolve_address(struct config *conf, struct buf *errs)
{
	struct server_conf	*sc = &conf->server;
	const char		*ifn = sc->nifs ? sc->ifnames[0] : "-";
	int		 need4, r = 0;

	need4 = sc->dhcp_mode != DHCP_MODE_OFF ||
	    sc->dhcp6_mode == DHCP_MODE_OFF;
	if (sc->address.s_addr == INADDR_ANY && (sc->nifs == 0 ||
	    sockets_ifaddr(ifn, AF_INET, &sc->address, conf) == -1) &&
	    need4) {
		buf_printf(errs, "server.address is not set and interface "
		    "%s has no IPv4 address\n", ifn);
		r = -1;
	}
	if (IN6_IS_ADDR_UNSPECIFIED(&sc->address6) && (sc->nifs == 0 ||
	    sockets_ifaddr(ifn, AF_INET6, &sc->address6, conf) == -1) &&
	    sc->dhcp6_mode != DHCP_MODE_OFF) {
		buf_printf(errs, "server.address6 is not set and interface "
		    "%s has no global or ULA IPv6 address\n", ifn);
		r = -1;
	}
	return r;
}

/*
 * udp/547 on ifname for DHCPv6: IPv6 only, joined to the All DHCP
 * Relay Agents and Servers group (ff02::1:2), with the arrival
 * interface reported so a reply leaves by the link it came from.
 */
static int
sockets_bind6(const char *ifname, uint16_t port, struct buf *errs)
{
	struct sockaddr_in6	 sin6;
	struct ipv6_mreq	 mr;
	int			 fd, on = 1;

	memset(&mr, 0, sizeof(mr));
	if ((mr.ipv6mr_interface = if_nametoindex(ifname)) == 0 ||
	    (fd = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1) {
		buf_printf(errs, "udp6 port %u on %s: %s\n", port, ifname,
		    strerror(errno));
		return -1;
	}
	inet_pton(AF_INET6, "ff02::1:2", &mr.ipv6mr_multiaddr);
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_port = htons(port);
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname,
	    strlen(ifname) + 1) == -1 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on,
	    sizeof(on)) == -1 ||
	    bind(fd, (struct sockaddr *)&sin6, sizeof(sin6)) == -1 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mr,
	    sizeof(mr)) == -1) {
		buf_printf(errs, "udp6 port %u on %s: %s\n", port, ifname,
		    strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * TFTP (udp) and HTTP (tcp, listening) on port of ifname, in family: an
 * IPv6 one is IPv6 only, so that each family has its own socket and an
 * IPv4 client never shows up as an IPv4-mapped address.  Datagram
 * sockets report the address each request came to, which a transfer
 * answers from.
 */
static int
sockets_bind(const char *ifname, int family, int type, uint16_t port,
    struct buf *errs)
{
	union sockaddr46	 sa;
	int			 fd, on = 1, v6 = family == AF_INET6;

	if ((fd = socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0))
	    == -1)
		goto fail;
	if ((v6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on,
	    sizeof(on)) == -1) ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname,
	    strlen(ifname) + 1) == -1)
		goto fail;
	if (type == SOCK_DGRAM && v6 && setsockopt(fd, IPPROTO_IPV6,
	    IPV6_RECVPKTINFO, &on, sizeof(on)) == -1)
		goto fail;
	if (type == SOCK_DGRAM && !v6 &&
	    (setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &on, sizeof(on)) == -1 ||
	    setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on)) == -1))
		goto fail;
	memset(&sa, 0, sizeof(sa));
	sa.sa.sa_family = family;
	if (v6)
		sa.sin6.sin6_port = htons(port);	/* in6addr_any */
	else {
		sa.sin.sin_port = htons(port);
		sa.sin.sin_addr.s_addr = htonl(INADDR_ANY);
	}
	if (bind(fd, &sa.sa, sa_len(&sa)) == -1)
		goto fail;
	if (type == SOCK_STREAM && listen(fd, HTTP_BACKLOG) == -1)
		goto fail;
	return fd;
 fail:
	buf_printf(errs, "%s%s port %u on %s: %s\n",
	    type == SOCK_STREAM ? "tcp" : "udp", v6 ? "6" : "", port, ifname,
	    strerror(errno));
	if (fd != -1)
		close(fd);
	return -1;
}

/*
 * A packet socket on ifname for protocol (0: send only, it receives
 * nothing), with prog as its receive filter when there is one.
 */
static int
sockets_packet(const char *ifname, uint16_t protocol,
    const struct sock_fprog *prog, struct buf *errs)
{
	struct sockaddr_ll	 sll;
	int			 fd = -1;

	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(protocol);
	if ((sll.sll_ifindex = if_nametoindex(ifname)) == 0 ||
	    (fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    htons(protocol))) == -1 ||
	    (prog != NULL && setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER,
	    prog, sizeof(*prog)) == -1) ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll)) == -1) {
		buf_printf(errs, "packet socket on %s: %s\n", ifname,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	return fd;
}

/*
 * A send-only packet socket for DHCP replies unicast to clients that
 * have no address yet.
 */
static int
sockets_raw(const char *ifname, struct buf *errs)
{
	return sockets_packet(ifname, 0, NULL, errs);
}

/*
 * dhcp mode off: a receive-only packet socket that sees the DHCP
 * requests sent to udp/67 on ifname, so that pxed learns which address
 * another server gives each inventory host without holding the port (a
 * DHCP server on this machine keeps it) and without ever answering.
 * The filter keeps everything else out: IPv4, UDP, first fragment,
 * destination port 67.
 */
static int
sockets_watch(const char *ifname, struct buf *errs)
{
	static struct sock_filter	 code[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9),		/* protocol */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_UDP, 0, 6),
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 6),		/* fragment */
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x1fff, 4, 0),
		BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),		/* header */
		BPF_STMT(BPF_LD | BPF_H | BPF_IND, 2),		/* dport */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 67, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	static const struct sock_fprog	 prog = {
		sizeof(code) / sizeof(code[0]), code
	};

	return sockets_packet(ifname, ETH_P_IP, &prog, errs);
}

/*
 * Router advertisements (dhcp6.ra): a raw ICMPv6 socket on ifname that
 * lets only router solicitations in (joined to ff02::2, where they are
 * sent), and sends with hop limit 255, as RFC 4861 6.1.2 wants of an
 * RA; it reports each solicitation's hop limit, which must be 255 too
 * (one from off the link is dropped).  The kernel fills in the checksum.
 */
static int
sockets_ra(const char *ifname, struct buf *errs)
{
	struct icmp6_filter	 filt;
	struct ipv6_mreq	 mr;
	int			 fd, hops = 255, off = 0, on = 1;

	memset(&mr, 0, sizeof(mr));
	ICMP6_FILTER_SETBLOCKALL(&filt);
	ICMP6_FILTER_SETPASS(ND_ROUTER_SOLICIT, &filt);
	inet_pton(AF_INET6, "ff02::2", &mr.ipv6mr_multiaddr);
	if ((mr.ipv6mr_interface = if_nametoindex(ifname)) == 0 ||
	    (fd = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    IPPROTO_ICMPV6)) == -1) {
		buf_printf(errs, "icmp6 socket on %s: %s\n", ifname,
		    strerror(errno));
		return -1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname,
	    strlen(ifname) + 1) == -1 ||
	    setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filt,
	    sizeof(filt)) == -1 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops,
	    sizeof(hops)) == -1 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops,
	    sizeof(hops)) == -1 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &off,
	    sizeof(off)) == -1 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on,
	    sizeof(on)) == -1 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mr,
	    sizeof(mr)) == -1) {
		buf_printf(errs, "icmp6 socket on %s: %s\n", ifname,
		    strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * A socket the running workers already have for the same kind, device
 * and port: binding it again would fail for TCP while a worker holds
 * the old one, so the new set shares it.
 */
static int
sockets_reuse(const struct listener *old, size_t nold, enum sock_kind kind,
    const char *ifname, uint16_t port)
{
	size_t	 i;

	for (i = 0; i < nold; i++)
		if (old[i].rs.kind == kind && old[i].port == port &&
		    strcmp(old[i].rs.ifname, ifname) == 0)
			return fcntl(old[i].fd, F_DUPFD_CLOEXEC, 0);
	return -1;
}

static int
sockets_add(struct sockset *ss, enum sock_kind kind, const char *ifname,
    uint16_t port, struct buf *errs)
{
	struct listener	*l;
	int		 fd, rcvbuf = DHCP_RCVBUF;

	if ((fd = sockets_reuse(ss->old, ss->nold, kind, ifname, port))
	    != -1)
		;
	else if (kind == SOCK_DHCP_RAW)
		fd = sockets_raw(ifname, errs);
	else if (kind == SOCK_DHCP_WATCH)
		fd = sockets_watch(ifname, errs);
	else if (kind == SOCK_DHCP6)
		fd = sockets_bind6(ifname, port, errs);
	else if (kind == SOCK_RA)
		fd = sockets_ra(ifname, errs);
	else
		fd = sockets_bind(ifname, kind == SOCK_TFTP6 ||
		    kind == SOCK_HTTP6 ? AF_INET6 : AF_INET,
		    kind == SOCK_HTTP || kind == SOCK_HTTP6 ? SOCK_STREAM :
		    SOCK_DGRAM, port, errs);
	if (fd == -1)
		return -1;
	/* Room for bursts: a DHCP storm must not overflow while dhcpd waits. */
	if ((kind == SOCK_DHCP || kind == SOCK_PROXY || kind == SOCK_DHCP6) &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
	    sizeof(rcvbuf)) == -1)
		log_warn("SO_RCVBUFFORCE on %s", ifname);
	if ((l = reallocarray(ss->l, ss->n + 1, sizeof(*l))) == NULL) {
		close(fd);
		buf_printf(errs, "out of memory\n");
		return -1;
	}
	ss->l = l;
	l = &l[ss->n++];
	memset(l, 0, sizeof(*l));
	l->rs.kind = kind;
	strlcpy(l->rs.ifname, ifname, sizeof(l->rs.ifname));
	if (sockets_ifaddr(ifname, AF_INET, &l->rs.ifaddr, ss->conf) == -1)
		l->rs.ifaddr.s_addr = INADDR_ANY;
	if (sockets_ifaddr(ifname, AF_INET6, &l->rs.ifaddr6, ss->conf) == -1)
		l->rs.ifaddr6 = in6addr_any;
	l->rs.ifindex = if_nametoindex(ifname);
	l->port = port;
	l->fd = fd;
	return 0;
}

/*
 * Every socket of conf, sharing those of the running set (old, may be
 * NULL) that it keeps.  On failure nothing of the running set is lost.
 */
int
sockets_open(const struct config *conf, const struct listener *old,
    size_t nold, struct listener **lp, size_t *np, struct buf *errs)
{
	const struct server_conf	*sc = &conf->server;
	struct sockset			 ss = { conf, old, nold, NULL, 0 };
	const char			*ifn;
	size_t				 i;
	int				 r = 0, v6;

	/* TFTP and HTTP over IPv6 too when the server has an address there. */
	v6 = !IN6_IS_ADDR_UNSPECIFIED(&sc->address6);

	for (i = 0; i < sc->nifs && r == 0; i++) {
		ifn = sc->ifnames[i];
		if (sc->dhcp_mode != DHCP_MODE_OFF)
			r = sockets_add(&ss, SOCK_DHCP, ifn, 67, errs);
		else
			r = sockets_add(&ss, SOCK_DHCP_WATCH, ifn, 0, errs);
		if (sc->dhcp_mode == DHCP_MODE_FULL && r == 0)
			r = sockets_add(&ss, SOCK_DHCP_RAW, ifn, 0, errs);
		if (sc->dhcp_mode == DHCP_MODE_PROXY && r == 0)
			r = sockets_add(&ss, SOCK_PROXY, ifn, 4011, errs);
		if (sc->dhcp6_mode == DHCP_MODE_FULL && r == 0)
			r = sockets_add(&ss, SOCK_DHCP6, ifn, 547, errs);
		if (sc->dhcp6_mode == DHCP_MODE_FULL && sc->ra && r == 0)
			r = sockets_add(&ss, SOCK_RA, ifn, 0, errs);
		if (r == 0)
			r = sockets_add(&ss, SOCK_TFTP, ifn, sc->tftp_port,
			    errs);
		if (r == 0)
			r = sockets_add(&ss, SOCK_HTTP, ifn, sc->http_port,
			    errs);
		if (v6 && r == 0)
			r = sockets_add(&ss, SOCK_TFTP6, ifn, sc->tftp_port,
			    errs);
		if (v6 && r == 0)
			r = sockets_add(&ss, SOCK_HTTP6, ifn, sc->http_port,
			    errs);
	}
	if (r != 0) {
		sockets_close(ss.l, ss.n);
		return -1;
	}
	*lp = ss.l;
	*np = ss.n;
	return 0;
}

/*
 * The congestion control of the HTTP listeners, which every accepted
 * connection inherits; set at start and at every reload (a listener the
 * workers keep across a reload changes in place).  On failure the
 * caller refuses the configuration.
 */
int
sockets_set_congestion(const struct listener *l, size_t n,
    const struct server_conf *sc, struct buf *errs)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if ((l[i].rs.kind == SOCK_HTTP ||
		    l[i].rs.kind == SOCK_HTTP6) &&
		    sockets_congestion(l[i].fd, l[i].rs.ifname, sc, errs) == -1)
			return -1;
	return 0;
}

/*
 * pxed moves kernels and initrds across a LAN: cubic, without the
 * pacing timers of bbr (a common system default), took a sixth less CPU
 * in the boot storm bench.  "system" is the kernel's default.  The
 * default is best effort (a warning if the kernel lacks cubic); an
 * algorithm the admin named must be there.
 */
static int
sockets_congestion(int fd, const char *ifname, const struct server_conf *sc,
    struct buf *errs)
{
	char		 sys[PXED_CCLEN];
	const char	*cc = sc->http_cc[0] != '\0' ? sc->http_cc :
			    HTTP_CC_DEFAULT;

	if (strcmp(cc, "system") == 0) {
		if (sockets_cc_system(sys, sizeof(sys)) == -1) {
			log_warn("tcp port %u on %s: the system's congestion "
			    "control", sc->http_port, ifname);
			return 0;
		}
		cc = sys;
	}
	if (setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, cc, strlen(cc)) == 0)
		return 0;
	if (sc->http_cc[0] == '\0') {
		log_warn("tcp port %u on %s: congestion control %s, keeping "
		    "the system's", sc->http_port, ifname, cc);
		return 0;
	}
	buf_printf(errs, "tcp port %u on %s: congestion control %s: %s "
	    "(server.http.congestion: system keeps the kernel's default)\n",
	    sc->http_port, ifname, cc, strerror(errno));
	return -1;
}

/* The kernel's default algorithm in the master's network namespace. */
static int
sockets_cc_system(char *cc, size_t len)
{
	ssize_t	 n;
	int	 fd;

	if ((fd = open("/proc/sys/net/ipv4/tcp_congestion_control",
	    O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, cc, len - 1);
	close(fd);
	if (n <= 0)
		return -1;
	cc[n] = '\0';
	cc[strcspn(cc, "\n")] = '\0';
	return cc[0] == '\0' ? -1 : 0;
}

void
sockets_close(struct listener *l, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		close(l[i].fd);
	free(l);
}

enum proc_id
sockets_owner(enum sock_kind kind)
{
	switch (kind) {
	case SOCK_DHCP:
	case SOCK_DHCP6:
	case SOCK_RA:
	case SOCK_PROXY:
	case SOCK_DHCP_RAW:
	case SOCK_DHCP_WATCH:
		return PROC_DHCPD;
	case SOCK_TFTP:
	case SOCK_TFTP6:
		return PROC_TFTPD;
	case SOCK_HTTP:
	case SOCK_HTTP6:
		return PROC_HTTPD;
	}
	return PROC_MASTER;
}

/*
 * Whether a reload touches what the workers were started with (their
 * sockets, user or chroot): then they are restarted, not reconfigured.
 * Whether there is an IPv6 address says whether TFTP and HTTP listen
 * over IPv6; which one it is only goes into templates.
 */
int
sockets_changed(const struct server_conf *a, const struct server_conf *b)
{
	return a->nifs != b->nifs ||
	    memcmp(a->ifnames, b->ifnames, sizeof(a->ifnames)) != 0 ||
	    a->address.s_addr != b->address.s_addr ||
	    strcmp(a->user, b->user) != 0 ||
	    strcmp(a->state, b->state) != 0 ||
	    strcmp(a->tftp_root, b->tftp_root) != 0 ||
	    strcmp(a->http_root, b->http_root) != 0 ||
	    a->tftp_port != b->tftp_port || a->http_port != b->http_port ||
	    a->dhcp_mode != b->dhcp_mode || a->dhcp6_mode != b->dhcp6_mode ||
	    a->ra != b->ra || IN6_IS_ADDR_UNSPECIFIED(&a->address6) !=
	    IN6_IS_ADDR_UNSPECIFIED(&b->address6);
}
