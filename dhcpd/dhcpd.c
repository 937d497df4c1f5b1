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
 * The DHCP worker, chrooted into an empty directory: full mode (RFC
 * 2131) or ProxyDHCP beside another server.  Every ACK waits for the
 * master to make its lease durable; OFFERs only reserve in memory.
 */

#include <sys/socket.h>
#include <sys/types.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dhcp6.h"
#include "dhcpd.h"
#include "proc.h"
#include "ratelimit.h"

#define DHCP_MAXSOCKS	(PXED_MAXIFS * 3)
#define DHCP_RXBURST	64
#define PEND_MAX	4096		/* ACKs waiting for the master */
#define LOGLINE		(PXED_STRLEN + 160)

/* An ACK waiting for its lease to be durable: the reply, then its log line. */
struct pending {
	uint32_t	 reqid;
	int		 used;
	struct lease_msg lm;
	struct dest	 dst;
	uint8_t		*data;
	size_t		 len;
};

static const char	*dhcpd_chroot(const struct config *);
static void		 dhcpd_start(struct config *, struct worker_sock *,
			    size_t);
static void		 dhcpd_reconf(struct config *);
static void		 dhcpd_stats(void);
static void		 dhcpd_lease(uint32_t, const struct lease_msg *);
static int		 dhcpd_dispatch(struct imsg *);
static void		 dhcpd_recv(int, int, void *);
static void		 dhcpd_handle(struct dsock *, struct dhcp_msg *,
			    const struct sockaddr_in *);
static int		 fixed_addr(const struct dhcp_ctx *, int,
			    struct in_addr *);
static void		 build(struct dhcp_reply *, struct dhcp_msg *,
			    struct dhcp_ctx *, uint8_t, struct in_addr, int);
static void		 full_discover(struct dsock *, struct dhcp_msg *,
			    struct dhcp_ctx *, int);
static void		 full_request(struct dsock *, struct dhcp_msg *,
			    struct dhcp_ctx *, int);
static int		 init_reboot(const struct dhcp_msg *,
			    const struct dhcp_ctx *, int, struct in_addr);
static int		 request_check(const struct dhcp_msg *,
			    const struct dhcp_ctx *, int, struct in_addr);
static void		 full_release(struct dhcp_msg *, struct dhcp_ctx *);
static void		 full_inform(struct dsock *, struct dhcp_msg *,
			    struct dhcp_ctx *);
static void		 proxy_handle(struct dsock *, struct dhcp_msg *,
			    struct dhcp_ctx *, const struct sockaddr_in *);
static void		 reply(struct dsock *, struct dhcp_msg *,
			    struct dhcp_ctx *, uint8_t, struct in_addr,
			    const struct sockaddr_in *);
static void		 logline(char *, size_t, uint8_t,
			    const struct dhcp_msg *, const struct dhcp_ctx *,
			    struct in_addr);
static void		 hostname(const struct dhcp_msg *, const struct host *,
			    char *, size_t);
static void		 send_counted(const struct dest *, const void *, size_t);
static void		 commit(struct dsock *, struct dhcp_msg *,
			    struct dhcp_ctx *, struct in_addr);
static void		 release_other(struct lease *, const uint8_t *, int);
static void		 release_tell(struct lease *, const uint8_t *, uint32_t,
			    int64_t);

const struct worker_ops dhcpd_ops = {
	.id = PROC_DHCPD,
	.chroot_dir = dhcpd_chroot,
	.start = dhcpd_start,
	.reconf = dhcpd_reconf,
	.stats = dhcpd_stats,
	.dispatch = dhcpd_dispatch,
};

static const struct config	*conf;
static struct dsock		 socks[DHCP_MAXSOCKS];
static size_t			 nsocks, nudp;
static struct pending		*pend;
static uint32_t			 next_reqid = 1;
static struct dhcp_msg		 msg;
static uint64_t			 exhausted_ms;


/* INFORMs a second per ciaddr, as DISCOVERs per MAC (flood_limit). */
static struct ratelimit		 informs = {
	.interval = 1000, .burst = 16
};

static const char *msgnames[] = { "?", "DISCOVER", "OFFER", "REQUEST",
    "DECLINE", "ACK", "NAK", "RELEASE", "INFORM" };

static const char *
dhcpd_chroot(const struct config *c)
{
	static char path[PXED_PATHLEN + sizeof(PXED_EMPTYDIR) + 1];

	snprintf(path, sizeof(path), "%s/%s", c->server.state,
	    PXED_EMPTYDIR);
	return path;
}

/* The raw socket of an interface goes with the UDP sockets of that name. */
static void
dhcpd_start(struct config *c, struct worker_sock *ws, size_t n)
{
	struct sockaddr_ll	 sll;
	socklen_t		 sl;
	size_t			 i, j;

	conf = c;
	if ((pend = calloc(PEND_MAX, sizeof(*pend))) == NULL)
		fatal("calloc");
	leases_init();
	leases_reconf(c);
	for (i = 0; i < n && nsocks < DHCP_MAXSOCKS; i++) {
		if (ws[i].rs.kind == SOCK_DHCP_RAW ||
		    ws[i].rs.kind == SOCK_DHCP6 || ws[i].rs.kind == SOCK_RA)
			continue;
		socks[nsocks].fd = ws[i].fd;
		socks[nsocks].kind = ws[i].rs.kind;
		socks[nsocks].ifaddr = ws[i].rs.ifaddr;
		socks[nsocks].rawfd = -1;
		for (j = 0; j < n; j++) {
			sl = sizeof(sll);
			if (ws[j].rs.kind != SOCK_DHCP_RAW ||
			    strcmp(ws[j].rs.ifname, ws[i].rs.ifname) != 0 ||
			    getsockname(ws[j].fd, (struct sockaddr *)&sll,
			    &sl) == -1)
				continue;
			socks[nsocks].rawfd = ws[j].fd;
			socks[nsocks].ifindex = sll.sll_ifindex;
		}
		if (ev_io_add(&socks[nsocks].io, ws[i].fd, EV_READ,
		    ws[i].rs.kind == SOCK_DHCP_WATCH ? watch_recv : dhcpd_recv,
		    &socks[nsocks]) == -1)
			fatal("ev_io_add");
		nsocks++;
		nudp++;
	}
	server6_start(c, ws, n);
	ra_start(c, ws, n);
	/* The replies of each loop turn go together as it ends. */
	ev_add_prepare(batch_flush);
}

static void
dhcpd_reconf(struct config *c)
{
	conf = c;
	leases_reconf(c);
	server6_reconf(c);
	ra_reconf(c);
}

static void
dhcpd_stats(void)
{
	/* Asked for while the first configuration is still arriving. */
	if (conf == NULL)
		return;
	dhcp_stats.sockets = nudp;
	dhcp_stats.hosts = conf->nhosts;
	dhcp_stats.leases = leases_count();
	dhcp_stats.sockets6 = server6_nsocks();
	dhcp_stats.leases6 = pool6_count();
	dhcp_counters_report();
}

/*
 * The master's messages of our own: a commit's result, or a whole number
 * of leases of the table (the first configuration's, or a reload's).
 */
static int
dhcpd_dispatch(struct imsg *imsg)
{
	struct lease_msg	 lm;
	uint32_t		 type = imsg_get_type(imsg);
	size_t			 len = imsg_get_len(imsg), i;

	if (type != IMSG_RECONF_LEASE && type != IMSG_LEASE_RESULT)
		return -1;
	if (len == 0 || len % sizeof(lm) != 0 ||
	    (type == IMSG_LEASE_RESULT && len != sizeof(lm)) ||
	    len / sizeof(lm) > IMSG_RECONF_LEASE_MAX)
		fatalx("bad lease message %u", type);
	for (i = 0; i < len / sizeof(lm); i++) {
		memcpy(&lm, (char *)imsg->data + i * sizeof(lm), sizeof(lm));
		lm.hostname[sizeof(lm.hostname) - 1] = '\0';
		if (lm.v6)
			server6_lease(type, &lm);
		else
			dhcpd_lease(type, &lm);
	}
	return 0;
}

static void
dhcpd_lease(uint32_t type, const struct lease_msg *lm)
{
	struct pending	*p;
	struct lease	*l;

	if (type == IMSG_RECONF_LEASE) {
		leases_init();
		leases_load(lm);
		return;
	}
	p = &pend[lm->reqid & (PEND_MAX - 1)];
	if (!p->used || p->reqid != lm->reqid)
		return;
	p->used = 0;
	if (lm->result != 0) {
		free(p->data);
		p->data = NULL;
		/* The master logged it, once for the whole batch. */
		dhcp_stats.commit_failed++;
		log_debug("dhcp: no ACK for %s: the lease could not be "
		    "stored: %s", inet_ntoa(p->lm.ip), strerror(lm->result));
		return;
	}
	l = leases_get(p->lm.ip, p->lm.mac);
	leases_set(l, p->lm.mac, LEASE_ACTIVE, p->lm.expires);
	memcpy(l->uuid, p->lm.uuid, sizeof(l->uuid));
	send_counted(&p->dst, p->data, p->len);
	dhcp_stats.ack++;
	log_info("%s", (char *)p->data + p->len);
	free(p->data);
	p->data = NULL;
}

/* Up to DHCP_RXBURST datagrams a wake-up, BATCH_RX a system call. */
static void
dhcpd_recv(int fd, int what, void *arg)
{
	struct dsock		*ds = arg;
	struct batch_rx		*b;
	struct sockaddr_in	 from;
	const char		*why;
	int			 i, n, got;

	(void)what;
	for (got = 0; got < DHCP_RXBURST; got += n) {
		b = batch_recv(fd, &n, "dhcp");
		for (i = 0; i < n; i++) {
			memcpy(&from, &b->from[i], sizeof(from));
			if (b->mm[i].msg_len > DHCP_MAXLEN ||
			    (b->mm[i].msg_hdr.msg_flags & MSG_TRUNC)) {
				dhcp_stats.dropped_malformed++;
				log_debug("dhcp: dropped from %s: truncated "
				    "datagram", inet_ntoa(from.sin_addr));
				continue;
			}
			if (dhcp_parse(&msg, b->buf[i], b->mm[i].msg_len,
			    &why) == -1) {
				dhcp_stats.dropped_malformed++;
				log_debug("dhcp: dropped from %s: %s",
				    inet_ntoa(from.sin_addr), why);
				continue;
			}
			dhcpd_handle(ds, &msg, &from);
		}
		if (n < BATCH_RX)
			return;
	}
}

static void
dhcpd_handle(struct dsock *ds, struct dhcp_msg *m,
    const struct sockaddr_in *from)
{
	struct dhcp_ctx	 c;
	struct lease	*l;
	char		 mac[18];
	int		 sn;

	memset(&c, 0, sizeof(c));
	c.conf = conf;
	if (m->htype != 1 || m->hlen != 6) {
		dhcp_stats.ignored++;
		log_debug("dhcp: ignored: hardware type %u length %u",
		    m->htype, m->hlen);
		return;
	}
	if ((l = leases_by_mac(m->chaddr)) != NULL &&
	    flood_limit(&l->ratecnt, &l->ratewin, ev_now())) {
		dhcp_stats.dropped_flood++;
		mac_format(m->chaddr, mac, sizeof(mac));
		log_debug("dhcp: dropped from %s: flood", mac);
		return;
	}
	/*
	 * Who: by MAC, else by the UUID of option 97, else by the UUID its
	 * lease remembers (the installer's DHCP client sends no option 97).
	 */
	if ((c.uuid = dhcp_client_uuid(m)) == NULL && l != NULL &&
	    uuid_usable(l->uuid))
		c.uuid = l->uuid;
	if ((c.host = leases_host(m->chaddr, c.uuid)) == NULL &&
	    unknown_seen(m))
		dhcp_stats.unknown_reported++;
	c.server = m->giaddr.s_addr != INADDR_ANY ||
	    ds->ifaddr.s_addr == INADDR_ANY ? conf->server.address :
	    ds->ifaddr;
	if (conf->server.dhcp_mode == DHCP_MODE_PROXY) {
		watch_request(m, c.host);
		proxy_handle(ds, m, &c, from);
		return;
	}
	sn = subnet_find(conf, m->giaddr.s_addr != INADDR_ANY ? m->giaddr :
	    ds->ifaddr);
	if (sn == -1) {
		dhcp_stats.ignored++;
		log_debug("dhcp: ignored %s: no subnet for it",
		    msgnames[m->type]);
		return;
	}
	c.subnet = &conf->subnets[sn];
	switch (m->type) {
	case DHCPDISCOVER:
		dhcp_stats.discover++;
		full_discover(ds, m, &c, sn);
		break;
	case DHCPREQUEST:
		dhcp_stats.request++;
		full_request(ds, m, &c, sn);
		break;
	case DHCPDECLINE:
	case DHCPRELEASE:
		full_release(m, &c);
		break;
	case DHCPINFORM:
		dhcp_stats.inform++;
		full_inform(ds, m, &c);
		break;
	default:
		dhcp_stats.ignored++;
		break;
	}
}

/* A host's fixed address, when it lies in the subnet it asks from. */
static int
fixed_addr(const struct dhcp_ctx *c, int sn, struct in_addr *ip)
{
	if (c->host == NULL || c->host->conf.ip.s_addr == INADDR_ANY ||
	    subnet_find(conf, c->host->conf.ip) != sn)
		return 0;
	*ip = c->host->conf.ip;
	return 1;
}

static void
full_discover(struct dsock *ds, struct dhcp_msg *m, struct dhcp_ctx *c,
    int sn)
{
	struct lease	*l;
	struct in_addr	 ip, want = { INADDR_ANY };

	if (fixed_addr(c, sn, &ip))
		l = leases_get(ip, m->chaddr);
	else {
		dhcp_opt_addr(m, OPT_REQADDR, &want);
		if ((l = leases_pick(conf, sn, m->chaddr, want)) == NULL) {
			/* Once a second at most: floods must not flood logs. */
			if (dhcp_stats.pool_exhausted++ > 0 &&
			    ev_now() - exhausted_ms < 1000)
				return;
			exhausted_ms = ev_now();
			log_warnx("dhcp: no free address in %s/%u for a "
			    "DISCOVER", inet_ntoa(c->subnet->network),
			    c->subnet->prefixlen);
			return;
		}
	}
	if (l->state != LEASE_ACTIVE || l->expires <= time(NULL))
		leases_set(l, m->chaddr, LEASE_OFFERED,
		    time(NULL) + DHCP_OFFER_SECS);
	pxe_decide(&c->pxe, m, conf, c->host, l->ip);
	reply(ds, m, c, DHCPOFFER, l->ip, NULL);
}

/* Whether mac may have ip in subnet sn: 0 yes, -1 NAK. */
static int
request_check(const struct dhcp_msg *m, const struct dhcp_ctx *c, int sn,
    struct in_addr ip)
{
	struct lease	*l;
	struct in_addr	 fixed;
	uint32_t	 h = ntohl(ip.s_addr);

	if (fixed_addr(c, sn, &fixed))
		return ip.s_addr == fixed.s_addr ? 0 : -1;
	if (subnet_find(conf, ip) != sn || leases_fixed_ip(ip) ||
	    h < ntohl(c->subnet->range_lo.s_addr) ||
	    h > ntohl(c->subnet->range_hi.s_addr))
		return -1;
	if ((l = leases_by_ip(ip)) == NULL)
		return 0;
	if (l->state == LEASE_DECLINED && l->expires > time(NULL))
		return -1;
	if (l->indexed && memcmp(l->mac, m->chaddr, 6) != 0 &&
	    (l->state == LEASE_ACTIVE || l->state == LEASE_OFFERED) &&
	    l->expires > time(NULL))
		return -1;
	return 0;
}

/*
 * INIT-REBOOT (RFC 2131 4.3.2): a client on the wrong network, or one
 * asking for another address than the one we know it by, gets a NAK; a
 * client we have no record of (no lease, no fixed address) gets no
 * answer, so that servers that do not talk to each other can share a
 * wire.  0: go on, 1: stay silent, -1: NAK.
 */
static int
init_reboot(const struct dhcp_msg *m, const struct dhcp_ctx *c, int sn,
    struct in_addr ip)
{
	struct lease	*l;
	struct in_addr	 fixed;
	char		 mac[18];

	if (subnet_find(conf, ip) != sn)
		return -1;
	if (fixed_addr(c, sn, &fixed))
		return 0;
	if ((l = leases_by_mac(m->chaddr)) != NULL && l->indexed)
		return l->ip.s_addr == ip.s_addr ? 0 : -1;
	dhcp_stats.ignored++;
	mac_format(m->chaddr, mac, sizeof(mac));
	log_debug("dhcp: INIT-REBOOT REQUEST for %s from %s, of whom there "
	    "is no record: no answer", inet_ntoa(ip), mac);
	return 1;
}

static void
full_request(struct dsock *ds, struct dhcp_msg *m, struct dhcp_ctx *c,
    int sn)
{
	struct lease	*l, *old;
	struct in_addr	 ip, sid;
	int		 selecting, rebooting = 0;

	if (dhcp_request_addr(m, &ip, &selecting) == -1) {
		dhcp_stats.ignored++;
		log_debug("dhcp: ignored REQUEST without an address");
		return;
	}
	if (selecting && (dhcp_opt_addr(m, OPT_SERVERID, &sid) == -1 ||
	    sid.s_addr != c->server.s_addr)) {
		/* The client chose another server: drop our offer. */
		if ((l = leases_by_mac(m->chaddr)) != NULL &&
		    l->state == LEASE_OFFERED)
			leases_set(l, NULL, LEASE_FREE, time(NULL));
		dhcp_stats.ignored++;
		return;
	}
	if (!selecting && m->ciaddr.s_addr == INADDR_ANY)
		rebooting = init_reboot(m, c, sn, ip);
	if (rebooting == 1)
		return;
	if (rebooting == -1 || request_check(m, c, sn, ip) == -1) {
		reply(ds, m, c, DHCPNAK, ip, NULL);
		return;
	}
	old = leases_by_mac(m->chaddr);
	l = leases_get(ip, m->chaddr);
	if (l->state != LEASE_ACTIVE)
		leases_set(l, m->chaddr, LEASE_OFFERED,
		    time(NULL) + DHCP_OFFER_SECS);
	pxe_decide(&c->pxe, m, conf, c->host, ip);
	commit(ds, m, c, ip);
	if (old != NULL && old != l)
		release_other(old, m->chaddr, sn);
}

/*
 * A MAC holds one lease per subnet: the one it binds now releases the
 * one it had, so that one client REQUESTing address after address cannot
 * drain the pool.
 */
static void
release_other(struct lease *old, const uint8_t *mac, int sn)
{
	char		 macs[18], ips[INET_ADDRSTRLEN];

	if ((old->state != LEASE_ACTIVE && old->state != LEASE_OFFERED) ||
	    subnet_find(conf, old->ip) != sn)
		return;
	dhcp_stats.released_other++;
	/* An offer was never durable: the master has nothing to free. */
	if (old->state == LEASE_OFFERED) {
		leases_set(old, NULL, LEASE_RELEASED, time(NULL));
		return;
	}
	release_tell(old, NULL, LEASE_RELEASED, time(NULL));
	mac_format(mac, macs, sizeof(macs));
	inet_ntop(AF_INET, &old->ip, ips, sizeof(ips));
	log_info("dhcp: %s released: %s took another address in its subnet",
	    ips, macs);
}

/* DECLINE quarantines the address; RELEASE frees it. */
static void
full_release(struct dhcp_msg *m, struct dhcp_ctx *c)
{
	struct lease	*l;
	struct in_addr	 ip;
	char		 mac[18];
	int		 decline = m->type == DHCPDECLINE;

	(void)c;
	if (decline) {
		dhcp_stats.decline++;
		if (dhcp_opt_addr(m, OPT_REQADDR, &ip) == -1)
			return;
	} else {
		dhcp_stats.release++;
		ip = m->ciaddr;
	}
	if ((l = leases_by_ip(ip)) == NULL || !l->indexed ||
	    memcmp(l->mac, m->chaddr, 6) != 0) {
		dhcp_stats.ignored++;
		return;
	}
	release_tell(l, m->chaddr, decline ? LEASE_DECLINED : LEASE_RELEASED,
	    time(NULL) + (decline ? conf->server.lease_secs : 0));
	mac_format(m->chaddr, mac, sizeof(mac));
	log_info("dhcp: %s %s from %s", msgnames[m->type], inet_ntoa(ip),
	    mac);
}

/*
 * A lease released or declined (state, until expires): in our table,
 * and to the master, which makes it durable.  mac: the client's, which
 * keeps the lease as its entry; NULL leaves the MAC index alone.
 */
static void
release_tell(struct lease *l, const uint8_t *mac, uint32_t state,
    int64_t expires)
{
	struct lease_msg lm;

	memset(&lm, 0, sizeof(lm));
	memcpy(lm.mac, l->mac, 6);
	lm.ip = l->ip;
	lm.state = state;
	lm.expires = expires;
	leases_set(l, mac, state, expires);
	imsgev_compose(worker_master(), IMSG_LEASE_RELEASE, 0, 0, -1, &lm,
	    sizeof(lm));
}

/*
 * INFORM: the client has an address and wants its options.  The ACK goes
 * to ciaddr, so only a ciaddr of a subnet we serve gets one (no reflection
 * off-subnet), and at most 16 a second per ciaddr.
 */
static void
full_inform(struct dsock *ds, struct dhcp_msg *m, struct dhcp_ctx *c)
{
	uint32_t	 quiet;

	if (m->ciaddr.s_addr == INADDR_ANY ||
	    subnet_find(conf, m->ciaddr) == -1) {
		dhcp_stats.ignored++;
		log_debug("dhcp: ignored INFORM for %s: not a served subnet",
		    inet_ntoa(m->ciaddr));
		return;
	}
	if (!ratelimit_ok(&informs, m->ciaddr, ev_now(), &quiet)) {
		dhcp_stats.dropped_flood++;
		return;
	}
	pxe_decide(&c->pxe, m, conf, c->host, m->ciaddr);
	reply(ds, m, c, DHCPACK, (struct in_addr){ INADDR_ANY }, NULL);
}

/*
 * ProxyDHCP: only PXE clients, never an address.  udp/67 answers a
 * DISCOVER, and a REQUEST addressed to us; udp/4011 answers a REQUEST
 * or INFORM back to where it came from.
 */
static void
proxy_handle(struct dsock *ds, struct dhcp_msg *m, struct dhcp_ctx *c,
    const struct sockaddr_in *from)
{
	struct in_addr	 sid, none = { INADDR_ANY };

	pxe_decide(&c->pxe, m, conf, c->host, none);
	if (!dhcp_has(m, OPT_CLASSID) || !c->pxe.pxe || !c->pxe.boot) {
		dhcp_stats.ignored++;
		log_debug("dhcp: proxy: ignored a client that is not PXE%s",
		    c->pxe.v6only ? " over IPv4 (it netboots over IPv6)" : "");
		return;
	}
	if (ds->kind == SOCK_PROXY) {
		if (m->type != DHCPREQUEST && m->type != DHCPINFORM) {
			dhcp_stats.ignored++;
			return;
		}
		dhcp_stats.request++;
		reply(ds, m, c, DHCPACK, none, from);
		return;
	}
	if (m->type == DHCPDISCOVER) {
		dhcp_stats.discover++;
		reply(ds, m, c, DHCPOFFER, none, NULL);
	} else if (m->type == DHCPREQUEST &&
	    dhcp_opt_addr(m, OPT_SERVERID, &sid) == 0 &&
	    sid.s_addr == c->server.s_addr) {
		dhcp_stats.request++;
		reply(ds, m, c, DHCPACK, none, NULL);
	} else
		dhcp_stats.ignored++;
}

static void
hostname(const struct dhcp_msg *m, const struct host *h, char *out,
    size_t len)
{
	const uint8_t	*p;
	size_t		 n;

	if (h != NULL)
		strlcpy(out, h->conf.name, len);
	else if ((p = dhcp_opt(m, OPT_HOSTNAME, &n)) != NULL)
		dhcp_sanitize(p, n, out, len);
	else
		out[0] = '\0';
}

/* "dhcp: ACK 10.1.0.91 to 88:99:aa:bb:cc:dd (node01) arch ... file ..." */
static void
logline(char *buf, size_t len, uint8_t type, const struct dhcp_msg *m,
    const struct dhcp_ctx *c, struct in_addr ip)
{
	char	 mac[18], name[PXED_NAMELEN], addr[INET_ADDRSTRLEN];
	int	 n;

	mac_format(m->chaddr, mac, sizeof(mac));
	hostname(m, c->host, name, sizeof(name));
	if (ip.s_addr == INADDR_ANY)
		strlcpy(addr, "-", sizeof(addr));
	else
		inet_ntop(AF_INET, &ip, addr, sizeof(addr));
	n = snprintf(buf, len, "dhcp: %s%s %s to %s (%s%s)",
	    c->subnet == NULL ? "proxy " : "", msgnames[type], addr, mac,
	    c->host != NULL ? name : name[0] != '\0' ? name : "unknown",
	    c->host != NULL && !host_has_mac(c->host, m->chaddr) ?
	    " by its UUID" : "");
	if (c->pxe.boot && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - n, " arch %s file %s", c->pxe.archname,
		    c->pxe.file);
	else if (c->pxe.v6only && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - n, " arch %s: no boot file, it "
		    "netboots over IPv6", c->pxe.archname);
}

static void
build(struct dhcp_reply *r, struct dhcp_msg *m, struct dhcp_ctx *c,
    uint8_t type, struct in_addr ip, int on4011)
{
	dhcp_reply_init(r, m, type);
	/* A relay broadcasts a NAK to a client that may have no address. */
	if (type == DHCPNAK && m->giaddr.s_addr != INADDR_ANY)
		r->buf[DHCP_OFF_FLAGS] |= 0x80;
	if (type != DHCPNAK) {
		dhcp_reply_set(r, DHCP_OFF_YIADDR, &ip, 4);
		if (m->type == DHCPINFORM || on4011)
			dhcp_reply_set(r, DHCP_OFF_CIADDR, &m->ciaddr, 4);
	}
	if (c->subnet == NULL)
		dhcp_options_proxy(r, m, c, on4011);
	else
		dhcp_options(r, m, c, type, type == DHCPNAK ||
		    m->type == DHCPINFORM ? 0 : conf->server.lease_secs);
}

/* Build and send at once: OFFER, NAK, proxy replies, ACK to INFORM. */
static void
reply(struct dsock *ds, struct dhcp_msg *m, struct dhcp_ctx *c, uint8_t type,
    struct in_addr ip, const struct sockaddr_in *from)
{
	static struct dhcp_reply r;
	struct dest	 d;
	char		 line[LOGLINE];

	build(&r, m, c, type, ip, from != NULL);
	if (dhcp_reply_finish(&r) == -1) {
		dhcp_stats.dropped++;
		log_warnx("dhcp: reply to a %s does not fit",
		    msgnames[m->type]);
		return;
	}
	dest_pick(&d, ds, m, type, ip, c->server, from);
	send_counted(&d, r.buf, r.len);
	if (type == DHCPOFFER)
		dhcp_stats.offer++;
	else if (type == DHCPNAK)
		dhcp_stats.nak++;
	else
		dhcp_stats.ack++;
	logline(line, sizeof(line), type, m, c, ip);
	log_info("%s", line);
}

/* An ACK waits for the master: the lease is durable before it leaves. */
static void
commit(struct dsock *ds, struct dhcp_msg *m, struct dhcp_ctx *c,
    struct in_addr ip)
{
	static struct dhcp_reply r;
	struct pending	*p;
	char		 name[PXED_NAMELEN], line[LOGLINE];
	size_t		 ll;

	build(&r, m, c, DHCPACK, ip, 0);
	if (dhcp_reply_finish(&r) == -1) {
		dhcp_stats.dropped++;
		return;
	}
	logline(line, sizeof(line), DHCPACK, m, c, ip);
	ll = strlen(line) + 1;
	/*
	 * Its slot still waits for the master (a backlog of PEND_MAX):
	 * this request goes unanswered, the client asks again.  Never the
	 * waiting one: its lease may be on disk already.
	 */
	p = &pend[next_reqid & (PEND_MAX - 1)];
	if (p->used) {
		dhcp_stats.dropped++;
		return;
	}
	free(p->data);
	if ((p->data = malloc(r.len + ll)) == NULL) {
		p->used = 0;
		dhcp_stats.dropped++;
		return;
	}
	memcpy(p->data, r.buf, r.len);
	memcpy(p->data + r.len, line, ll);
	p->len = r.len;
	memset(&p->lm, 0, sizeof(p->lm));
	p->used = 1;
	p->reqid = next_reqid++;
	p->lm.reqid = p->reqid;
	memcpy(p->lm.mac, m->chaddr, 6);
	if (c->uuid != NULL)
		memcpy(p->lm.uuid, c->uuid, sizeof(p->lm.uuid));
	p->lm.ip = ip;
	p->lm.state = LEASE_ACTIVE;
	p->lm.expires = time(NULL) + conf->server.lease_secs;
	hostname(m, c->host, name, sizeof(name));
	strlcpy(p->lm.hostname, name, sizeof(p->lm.hostname));
	dest_pick(&p->dst, ds, m, DHCPACK, ip, c->server, NULL);
	if (imsgev_compose(worker_master(), IMSG_LEASE_COMMIT, 0, 0, -1,
	    &p->lm, sizeof(p->lm)) == -1)
		p->used = 0;
}

static void
send_counted(const struct dest *d, const void *buf, size_t len)
{
	int	 r = deliver(d, buf, len);

	if (r == -1)
		dhcp_stats.send_failed++;
	else
		dhcp_stats.sent_raw += (uint64_t)r;
}
