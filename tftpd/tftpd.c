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
 * The TFTP worker, chrooted into the TFTP root: it reads requests from
 * the listening sockets the master passed it, IPv4 and IPv6, checks the
 * name, opens the real file or renders a generated one, and starts a
 * transfer on a socket of its own, of the request's family.  Everything
 * runs in the one event loop.
 */

#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "menu.h"
#include "proc.h"
#include "tftpd.h"

#define TFTPD_RECV_BATCH	64
#define TFTPD_FD_RESERVE	64	/* descriptors kept for everything else */

struct tftp_listener {
	int			 fd;
	struct ev_io		 io;
	union sockaddr46	 local;	/* the interface's address, port 0 */
	uint32_t		 mtu;
};

static const char	*tftpd_chroot(const struct config *);
static void		 tftpd_start(struct config *, struct worker_sock *, size_t);
static void		 tftpd_reconf(struct config *);
static void		 tftpd_stats(void);
static int		 tftpd_dispatch(struct imsg *);

/* Our counters: pxectl's name, the /metrics family, gauge, help. */
static const struct stat_def	 tftpd_defs[] = {
	{ "sockets", "sockets", 1, "Sockets the process serves",
	    &tftp_stats.sockets },
	{ "hosts", "hosts", 1, "Hosts of the inventory the process has",
	    &tftp_stats.hosts },
	{ "rrq", "tftp_read_requests_total", 0, "Read requests received",
	    &tftp_stats.rrq },
	{ "wrq_refused", "tftp_write_requests_refused_total", 0,
	    "Write requests refused (the root is read-only)",
	    &tftp_stats.wrq_refused },
	{ "malformed", "tftp_malformed_total", 0, "Malformed packets",
	    &tftp_stats.malformed },
	{ "not_found", "tftp_not_found_total", 0,
	    "Requests for files that do not exist", &tftp_stats.not_found },
	{ "refused", "tftp_refused_total", 0,
	    "Requests refused (access, bad names, options)",
	    &tftp_stats.refused },
	{ "busy", "tftp_busy_total", 0,
	    "Requests refused: as many transfers as allowed",
	    &tftp_stats.busy },
	{ "busy_client", "tftp_busy_client_total", 0,
	    "Requests refused: the address's share is full",
	    &tftp_stats.busy_client },
	{ "generated", "tftp_menus_generated_total", 0,
	    "Generated menus served", &tftp_stats.generated },
	{ "transfers_done", "tftp_transfers_done_total", 0,
	    "Transfers completed", &tftp_stats.transfers_done },
	{ "transfers_failed", "tftp_transfers_failed_total", 0,
	    "Transfers that failed (time-out, or an error from the client)",
	    &tftp_stats.transfers_failed },
	{ "tsize_probes", "tftp_tsize_probes_total", 0,
	    "Transfers the client ended after the OACK (size probes)",
	    &tftp_stats.tsize_probes },
	{ "final_ack_missing", "tftp_final_ack_missing_total", 0,
	    "Transfers sent whole whose last ACK never came",
	    &tftp_stats.final_ack_missing },
	{ "bytes_sent", "tftp_sent_bytes_total", 0, "File bytes sent",
	    &tftp_stats.bytes_sent },
	{ "packets_sent", "tftp_sent_packets_total", 0, "Packets sent",
	    &tftp_stats.packets_sent },
	{ "retransmits", "tftp_retransmits_total", 0, "Packets sent again",
	    &tftp_stats.retransmits },
	{ "errors_sent", "tftp_errors_sent_total", 0, "ERROR packets sent",
	    &tftp_stats.errors_sent },
	{ "strangers", "tftp_strangers_total", 0,
	    "Packets to a transfer from another address or port",
	    &tftp_stats.strangers },
	{ "active", "tftp_transfers_active", 1, "Transfers in flight",
	    &tftp_stats.active },
	{ "max_transfers", "tftp_transfers_max", 1,
	    "Transfers allowed at once", &tftp_stats.max_transfers },
};
static void		 tftpd_limits(void);
static void		 tftpd_listen(struct tftp_listener *,
			    const struct worker_sock *);
static void		 tftpd_read(int, int, void *);
static void		 tftpd_local(const struct tftp_listener *,
			    struct msghdr *, union sockaddr46 *);
static void		 tftpd_request(struct tftp_listener *, const uint8_t *,
			    size_t, const union sockaddr46 *,
			    const union sockaddr46 *);
static void		 tftpd_refuse(struct tftp_listener *,
			    const union sockaddr46 *, int, const char *,
			    const char *);
static int		 tftpd_open(const char *, struct tftp_src *,
			    const char **);
static int		 tftpd_source(struct tftp_start *, const char **);

const struct worker_ops tftpd_ops = {
	.id = PROC_TFTPD,
	.chroot_dir = tftpd_chroot,
	.start = tftpd_start,
	.reconf = tftpd_reconf,
	.stats = tftpd_stats,
	.dispatch = tftpd_dispatch,
	.reads_files = 1,
};

static const struct config	*tftpd_conf;
static struct tftp_listener	*listeners;
static size_t			 nlisteners;
static size_t			 max_transfers = TFTP_MAXTRANSFERS;
static int			 rootfd = -1;

static const char *
tftpd_chroot(const struct config *conf)
{
	return conf->server.tftp_root;
}

/* Two descriptors per transfer: raise the soft limit, cap the count. */
static void
tftpd_limits(void)
{
	struct rlimit	 rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return;
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return;
	if (rl.rlim_cur < TFTPD_FD_RESERVE + 2)
		max_transfers = 1;
	else if ((rl.rlim_cur - TFTPD_FD_RESERVE) / 2 < max_transfers)
		max_transfers = (rl.rlim_cur - TFTPD_FD_RESERVE) / 2;
}

/* A listening socket of either family; transfers bind to its address. */
static void
tftpd_listen(struct tftp_listener *l, const struct worker_sock *ws)
{
	struct ifreq	 ifr;

	l->fd = ws->fd;
	memset(&l->local, 0, sizeof(l->local));
	if (ws->rs.kind == SOCK_TFTP6) {
		l->local.sin6.sin6_family = AF_INET6;
		l->local.sin6.sin6_addr = ws->rs.ifaddr6;
	} else {
		l->local.sin.sin_family = AF_INET;
		l->local.sin.sin_addr = ws->rs.ifaddr;
	}
	memset(&ifr, 0, sizeof(ifr));
	strlcpy(ifr.ifr_name, ws->rs.ifname, sizeof(ifr.ifr_name));
	l->mtu = ioctl(l->fd, SIOCGIFMTU, &ifr) == -1 ? 1500 :
	    (uint32_t)ifr.ifr_mtu;
	if (ev_io_add(&l->io, l->fd, EV_READ, tftpd_read, l) == -1)
		fatal("tftp: ev_io_add");
}

static void
tftpd_start(struct config *conf, struct worker_sock *socks, size_t n)
{
	size_t	 i;

	tftpd_conf = conf;
	tftpd_limits();
	if ((rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1)
		fatal("tftp: open the root");
	if ((listeners = calloc(n ? n : 1, sizeof(*listeners))) == NULL)
		fatal("calloc");
	for (i = 0; i < n; i++) {
		if (socks[i].rs.kind == SOCK_TFTP ||
		    socks[i].rs.kind == SOCK_TFTP6)
			tftpd_listen(&listeners[nlisteners++], &socks[i]);
		else
			close(socks[i].fd);
	}
}

static void
tftpd_reconf(struct config *conf)
{
	tftpd_conf = conf;
}

static void
tftpd_read(int fd, int what, void *arg)
{
	struct tftp_listener	*l = arg;
	union sockaddr46	 from, local;
	struct in6_addr		 a;
	struct msghdr		 msg;
	struct iovec		 iov;
	union {
		struct cmsghdr	 hdr;
		char		 buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	}			 cmsgbuf;
	uint8_t			 pkt[TFTP_SEGSIZE + 4];
	ssize_t			 n;
	int			 i;

	(void)what;
	for (i = 0; i < TFTPD_RECV_BATCH; i++) {
		memset(&msg, 0, sizeof(msg));
		iov.iov_base = pkt;
		iov.iov_len = sizeof(pkt);
		msg.msg_name = &from;
		msg.msg_namelen = sizeof(from);
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = cmsgbuf.buf;
		msg.msg_controllen = sizeof(cmsgbuf.buf);
		if ((n = recvmsg(fd, &msg, 0)) == -1)
			return;
		if (sa_addr(&from, msg.msg_namelen, &a) == -1)
			continue;
		tftpd_local(l, &msg, &local);
		/* A request longer than a segment is not TFTP. */
		if (msg.msg_flags & MSG_TRUNC)
			tftpd_refuse(l, &from, TFTP_EBADOP, "request too long",
			    NULL);
		else
			tftpd_request(l, pkt, (size_t)n, &from, &local);
	}
}

/*
 * The address a request came to (its packet info), where its transfer
 * answers from; a link-local one is of the link it came in on.
 */
static void
tftpd_local(const struct tftp_listener *l, struct msghdr *msg,
    union sockaddr46 *local)
{
	struct cmsghdr		*cm;
	struct in_pktinfo	*pi;
	struct in6_pktinfo	*pi6;

	*local = l->local;
	for (cm = CMSG_FIRSTHDR(msg); cm != NULL; cm = CMSG_NXTHDR(msg, cm)) {
		if (local->sa.sa_family == AF_INET &&
		    cm->cmsg_level == IPPROTO_IP &&
		    cm->cmsg_type == IP_PKTINFO) {
			pi = (struct in_pktinfo *)(void *)CMSG_DATA(cm);
			local->sin.sin_addr = pi->ipi_spec_dst;
		} else if (local->sa.sa_family == AF_INET6 &&
		    cm->cmsg_level == IPPROTO_IPV6 &&
		    cm->cmsg_type == IPV6_PKTINFO) {
			pi6 = (struct in6_pktinfo *)(void *)CMSG_DATA(cm);
			local->sin6.sin6_addr = pi6->ipi6_addr;
			if (IN6_IS_ADDR_LINKLOCAL(&pi6->ipi6_addr))
				local->sin6.sin6_scope_id = pi6->ipi6_ifindex;
		}
	}
}

/* An ERROR from the listening socket, and the request's log line. */
static void
tftpd_refuse(struct tftp_listener *l, const union sockaddr46 *to, int code,
    const char *why, const char *file)
{
	uint8_t	 pkt[128];
	char	 peer[ADDR_PEERLEN];
	size_t	 n;

	n = tftp_build_error(pkt, sizeof(pkt), code, why);
	if (sendto(l->fd, pkt, n, 0, &to->sa, sa_len(to)) != -1)
		tftp_stats.errors_sent++;
	if (file != NULL)
		log_info("tftp: RRQ from %s file %s refused: %s",
		    sa_host(to, peer, sizeof(peer)), file, why);
	else {
		tftp_stats.malformed++;
		log_info("tftp: bad request from %s: %s",
		    sa_ntop(to, peer, sizeof(peer)), why);
	}
}

/*
 * The real file below the root.  The worker is chrooted into the root,
 * so every name, symbolic links included, resolves inside it.  Only
 * regular files are served.  Returns 0, or -1 with errno.
 */
static int
tftpd_open(const char *path, struct tftp_src *src, const char **why)
{
	struct stat	 st;
	int		 fd;

	fd = openat(rootfd, path, O_RDONLY | O_NONBLOCK | O_NOCTTY |
	    O_CLOEXEC);
	if (fd == -1)
		return -1;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		*why = "not a regular file";
		errno = EACCES;
		return -1;
	}
	src->fd = fd;
	src->size = (uint64_t)st.st_size;
	return 0;
}

/* The real file if there is one, else a generated one.  0 or an error. */
static int
tftpd_source(struct tftp_start *st, const char **why)
{
	struct buf	 out;
	int		 r;

	st->src.fd = -1;
	*why = "access violation";
	if (tftpd_open(st->path, &st->src, why) == 0)
		return 0;
	if (errno != ENOENT && errno != ENOTDIR)
		return TFTP_EACCESS;
	buf_init(&out);
	r = menu_generate(tftpd_conf, st->path, &st->addr, &menu_via_tftp,
	    &out, st->what, sizeof(st->what));
	if (r != 1) {
		buf_free(&out);
		*why = r == 0 ? "file not found" : "cannot render the file";
		return r == 0 ? TFTP_ENOTFOUND : TFTP_EUNDEF;
	}
	st->src.data = out.data;
	st->src.size = out.len;
	tftp_stats.generated++;
	return 0;
}

static void
tftpd_request(struct tftp_listener *l, const uint8_t *pkt, size_t len,
    const union sockaddr46 *from, const union sockaddr46 *local)
{
	struct tftp_start	 st;
	const char		*why;
	int			 r;

	memset(&st, 0, sizeof(st));
	if ((r = tftp_parse_request(pkt, len, &st.req, &why)) == -1)
		return;
	if (r != 0) {
		tftpd_refuse(l, from, r, why, NULL);
		return;
	}
	if (st.req.opcode == TFTP_WRQ) {
		tftp_stats.wrq_refused++;
		tftpd_refuse(l, from, TFTP_EACCESS, "read-only server",
		    st.req.file);
		return;
	}
	tftp_stats.rrq++;
	if ((r = tftp_map_path(st.req.file, st.path, sizeof(st.path),
	    &why)) != 0) {
		tftp_stats.refused++;
		tftpd_refuse(l, from, r, why, st.req.file);
		return;
	}
	if (tftp_xfer_dup(from, st.path, &st.req))
		return;
	if (tftp_xfer_count() >= max_transfers) {
		tftp_stats.busy++;
		tftpd_refuse(l, from, TFTP_EUNDEF, "too many transfers",
		    st.path);
		return;
	}
	/* One client's share, so that it cannot take every slot. */
	sa_addr(from, sa_len(from), &st.addr);
	if (tftp_xfer_of(&st.addr) >= tftpd_conf->server.tftp_per_client) {
		tftp_stats.busy_client++;
		tftpd_refuse(l, from, TFTP_EUNDEF, "too many transfers from "
		    "this address", st.path);
		return;
	}
	st.peer = *from;
	st.local = *local;
	st.mtu = l->mtu;
	if ((r = tftpd_source(&st, &why)) != 0) {
		if (r == TFTP_ENOTFOUND)
			tftp_stats.not_found++;
		else
			tftp_stats.refused++;
		tftpd_refuse(l, from, r, why, st.path);
		return;
	}
	if (tftp_xfer_start(&st) == -1) {
		if (st.src.fd != -1)
			close(st.src.fd);
		free(st.src.data);
		tftpd_refuse(l, from, TFTP_EUNDEF, "out of resources", st.path);
	}
}

/* The master's messages of our own: "pxectl show transfers". */
static int
tftpd_dispatch(struct imsg *imsg)
{
	if (imsg_get_type(imsg) != IMSG_TRANSFERS_REQ)
		return -1;
	tftp_xfer_report(imsg_get_peerid(imsg));
	return 0;
}

static void
tftpd_stats(void)
{
	tftp_stats.sockets = nlisteners;
	tftp_stats.hosts = tftpd_conf->nhosts;
	tftp_stats.max_transfers = max_transfers;
	worker_stats(tftpd_defs, nitems(tftpd_defs));
}
