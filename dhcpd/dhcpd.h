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
 * The DHCP worker: packet parsing and building (packet.c), reply
 * options (options.c), the in-memory lease table (pool.c), the PXE
 * boot decision (pxe.c) and the sockets and protocol (dhcpd.c).
 */

#ifndef DHCPD_H
#define DHCPD_H

#include <sys/queue.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "ev.h"
#include "pxed.h"

#define DHCP_MINLEN		240	/* header and cookie */
#define DHCP_MAXLEN		1500	/* largest datagram we parse */
#define DHCP_REPLYMAX		1024	/* largest reply we build */
#define DHCP_REPLYMIN		300	/* BOOTP minimum, padded */
#define DHCP_SERVER_PORT	67
#define DHCP_CLIENT_PORT	68
#define DHCP_PROXY_PORT		4011
#define DHCP_COOKIE		0x63825363
#define DHCP_BROADCAST		0x8000
#define DHCP_OFFER_SECS		30	/* how long an OFFER reserves */

/* Header offsets (RFC 2131 figure 1). */
#define DHCP_OFF_OP		0
#define DHCP_OFF_HTYPE		1
#define DHCP_OFF_HLEN		2
#define DHCP_OFF_HOPS		3
#define DHCP_OFF_XID		4
#define DHCP_OFF_SECS		8
#define DHCP_OFF_FLAGS		10
#define DHCP_OFF_CIADDR		12
#define DHCP_OFF_YIADDR		16
#define DHCP_OFF_SIADDR		20
#define DHCP_OFF_GIADDR		24
#define DHCP_OFF_CHADDR		28
#define DHCP_OFF_SNAME		44
#define DHCP_OFF_FILE		108
#define DHCP_OFF_COOKIE		236
#define DHCP_SNAME_LEN		64
#define DHCP_FILE_LEN		128

enum dhcp_msgtype {
	DHCPDISCOVER = 1,
	DHCPOFFER,
	DHCPREQUEST,
	DHCPDECLINE,
	DHCPACK,
	DHCPNAK,
	DHCPRELEASE,
	DHCPINFORM,
};

enum dhcp_opt {
	OPT_PAD = 0,
	OPT_NETMASK = 1,
	OPT_ROUTER = 3,
	OPT_DNS = 6,
	OPT_HOSTNAME = 12,
	OPT_DOMAIN = 15,
	OPT_BROADCAST = 28,
	OPT_VENDOR = 43,
	OPT_REQADDR = 50,
	OPT_LEASE = 51,
	OPT_OVERLOAD = 52,
	OPT_MSGTYPE = 53,
	OPT_SERVERID = 54,
	OPT_PARAMS = 55,
	OPT_MESSAGE = 56,
	OPT_MAXSIZE = 57,
	OPT_RENEWAL = 58,
	OPT_REBINDING = 59,
	OPT_CLASSID = 60,
	OPT_CLIENTID = 61,
	OPT_TFTPSERVER = 66,
	OPT_BOOTFILE = 67,
	OPT_USERCLASS = 77,
	OPT_RELAY = 82,
	OPT_ARCH = 93,
	OPT_NDI = 94,
	OPT_UUID = 97,
	OPT_IPXE = 175,
	OPT_END = 255,
};

/* A parsed request: the header, and every option concatenated by code. */
struct dhcp_msg {
	uint8_t		 op, htype, hlen, hops;
	uint32_t	 xid;			/* network order, echoed */
	uint16_t	 secs, flags;		/* host order */
	struct in_addr	 ciaddr, yiaddr, siaddr, giaddr;
	uint8_t		 chaddr[16];
	uint8_t		 type;			/* enum dhcp_msgtype */
	uint16_t	 optoff[256];
	uint16_t	 optlen[256];
	uint8_t		 have[256 / 8];
	uint8_t		 optbuf[DHCP_MAXLEN];
};

/* A reply being built. */
struct dhcp_reply {
	uint8_t		 buf[DHCP_REPLYMAX];
	size_t		 len;
	int		 overflow;
};

/* packet.c */
int		 dhcp_parse(struct dhcp_msg *, const uint8_t *, size_t,
		    const char **);
int		 dhcp_has(const struct dhcp_msg *, int);
const uint8_t	*dhcp_opt(const struct dhcp_msg *, int, size_t *);
const uint8_t	*dhcp_uuid_opt(const struct dhcp_msg *);
const uint8_t	*dhcp_client_uuid(const struct dhcp_msg *);
int		 dhcp_opt_addr(const struct dhcp_msg *, int,
		    struct in_addr *);
void		 dhcp_reply_init(struct dhcp_reply *, const struct dhcp_msg *,
		    uint8_t);
void		 dhcp_reply_opt(struct dhcp_reply *, int, const void *,
		    size_t);
void		 dhcp_reply_u32(struct dhcp_reply *, int, uint32_t);
void		 dhcp_reply_addr(struct dhcp_reply *, int, struct in_addr);
void		 dhcp_reply_set(struct dhcp_reply *, size_t, const void *,
		    size_t);
int		 dhcp_reply_finish(struct dhcp_reply *);
void		 dhcp_sanitize(const uint8_t *, size_t, char *, size_t);

/* pxe.c: the boot decision */
struct pxe_boot {
	int		 pxe;		/* a PXE, HTTP or iPXE client */
	int		 http;		/* answer as UEFI HTTP boot */
	int		 ipxe;
	int		 boot;		/* file is set: hand out a loader */
	int		 v6only;	/* the host netboots over IPv6 only */
	uint16_t	 arch;
	char		 archname[16];
	char		 file[PXED_STRLEN];
};

/* Who the loader is rendered for: {{mac}}, {{ip}}, {{ip6}}, the family. */
struct pxe_client {
	const uint8_t	*mac;
	struct in_addr	 ip;
	struct in6_addr	 ip6;
	int		 v6;
};

void		 pxe_decide(struct pxe_boot *, const struct dhcp_msg *,
		    const struct config *, const struct host *,
		    struct in_addr);
void		 pxe_choose(struct pxe_boot *, const struct config *,
		    const struct host *, const struct pxe_client *);
const char	*pxe_arch_name(uint16_t, char *, size_t);
int		 pxe_is_ipxe(const struct dhcp_msg *);
uint16_t	 pxe_arch(const struct dhcp_msg *, const uint8_t *, size_t);

/* unknown.c */
int		 unknown_seen(const struct dhcp_msg *);
int		 unknown_report(const uint8_t *, const uint8_t *, uint16_t,
		    const uint8_t *, size_t);

/* watch.c: the addresses another DHCP server gives inventory hosts */
int		 dhcp_request_addr(const struct dhcp_msg *, struct in_addr *,
		    int *);
void		 watch_request(const struct dhcp_msg *, const struct host *);
void		 watch_recv(int, int, void *);

/* options.c: the options of a reply */
struct dhcp_ctx {
	const struct config	*conf;
	const struct subnet_conf *subnet;	/* NULL in proxy mode */
	const struct host	*host;
	const uint8_t		*uuid;		/* the machine's, NULL: none */
	struct in_addr		 server;	/* option 54 */
	struct pxe_boot		 pxe;
};

void		 dhcp_options(struct dhcp_reply *, const struct dhcp_msg *,
		    const struct dhcp_ctx *, uint8_t, uint32_t);
void		 dhcp_options_proxy(struct dhcp_reply *,
		    const struct dhcp_msg *, const struct dhcp_ctx *, int);

/* deliver.c: a socket we answer on, and where one reply goes */
struct dsock {
	struct ev_io	 io;
	int		 fd;
	int		 kind;		/* enum sock_kind */
	struct in_addr	 ifaddr;
	int		 rawfd;		/* this interface's, or -1 */
	int		 ifindex;
};

struct dest {
	struct dsock		*ds;
	struct sockaddr_in	 to;
	int			 raw;		/* unicast through rawfd */
	uint8_t			 mac[6];
	struct in_addr		 src;
};

/* batch.c: requests by recvmmsg, the replies of a loop turn by sendmmsg */
#define BATCH_RX	16
#define BATCH_RXLEN	4097		/* DHCP6_MAXLEN + 1: see truncation */
struct batch_rx {
	struct mmsghdr		 mm[BATCH_RX];
	struct iovec		 iov[BATCH_RX];
	struct sockaddr_storage	 from[BATCH_RX];
	uint8_t			 buf[BATCH_RX][BATCH_RXLEN];
};
struct batch_rx	*batch_recv(int, int *, const char *);
int		 batch_send(int, const void *, socklen_t, const void *, size_t);
void		 batch_flush(void);

void		 dest_pick(struct dest *, struct dsock *,
		    const struct dhcp_msg *, uint8_t, struct in_addr,
		    struct in_addr, const struct sockaddr_in *);
int		 deliver(const struct dest *, const void *, size_t);

/* counters.c: what the worker counts, a line a counter */
struct dhcp_counters {
	uint64_t	 sockets, hosts, leases;	/* gauges, when asked */
	uint64_t	 discover, offer, request, ack, nak, decline, release,
			 inform, dropped_malformed, dropped_flood, dropped,
			 ignored, commit_failed, pool_exhausted, send_failed,
			 sent_raw, unknown_reported, released_other;
	uint64_t	 sockets6, leases6;		/* gauges */
	uint64_t	 solicit6, advertise6, request6, renew6, rebind6,
			 reply6, release6, decline6, confirm6, inforeq6,
			 dropped6_malformed, dropped6_flood, dropped6, noaddrs6,
			 ra6_sent, rs6_received;
};
extern struct dhcp_counters	 dhcp_stats;
void	 dhcp_counters_report(void);

/* pool.c: the worker's view of the leases the master keeps */
struct lease {
	TAILQ_ENTRY(lease)	 q;
	struct lease		*macnext;
	struct lease		*ipnext;
	uint8_t			 mac[6];
	uint8_t			 indexed;	/* in the MAC index */
	uint8_t			 queue;		/* LQ_* */
	struct in_addr		 ip;
	uint8_t			 state;		/* enum lease_state */
	uint8_t			 ratecnt;	/* flood limit: requests ... */
	int16_t			 subnet;	/* -1: outside every pool */
	uint32_t		 ratewin;	/* ... since this ev_now() */
	int64_t			 expires;
	uint8_t			 uuid[PXED_UUIDLEN];	/* its machine's, or 0 */
};

void		 leases_init(void);
void		 leases_load(const struct lease_msg *);
void		 leases_reconf(const struct config *);
struct lease	*leases_by_mac(const uint8_t *);
struct lease	*leases_by_ip(struct in_addr);
int		 leases_fixed_ip(struct in_addr);
const struct host *leases_host(const uint8_t *, const uint8_t *);
struct lease	*leases_pick(const struct config *, size_t, const uint8_t *,
		    struct in_addr);
void		 leases_set(struct lease *, const uint8_t *, uint32_t, int64_t);
void		 leases_bind(struct lease *, const uint8_t *);
struct lease	*leases_get(struct in_addr, const uint8_t *);
size_t		 leases_count(void);
int		 flood_limit(uint8_t *, uint32_t *, uint64_t);

#endif /* DHCPD_H */
