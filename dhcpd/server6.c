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
 * DHCPv6 (RFC 8415) in the DHCP worker, beside DHCPv4: both hand out
 * leases that the master makes durable before the answer leaves, and
 * both answer the same machines, so they share the worker, its lease
 * channel and its unknown-client reports.  One address per client (its
 * first IA_NA; firmware asks one), boot URLs by RFC 5970.
 */

#include <sys/socket.h>
#include <sys/types.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dhcp6.h"
#include "dhcpd.h"
#include "log.h"
#include "proc.h"
#include "tmpl.h"

#define S6_MAXSOCKS	PXED_MAXIFS
#define S6_RXBURST	64

/* A datagram past DHCP6_MAXLEN is seen as truncated. */
_Static_assert(BATCH_RXLEN == DHCP6_MAXLEN + 1, "batch_rx buffers");
#define PEND6_MAX	4096		/* REPLYs waiting for the master */
#define S6_LOGLINE	(PXED_STRLEN + 240)
#define PREF_MAX	255		/* RFC 8415 21.8: do not wait for others */

struct sock6 {
	struct ev_io	 io;
	int		 fd;
	uint32_t	 ifindex;
	struct in6_addr	 ifaddr6;
};

/* A REPLY waiting for its lease to be durable: the reply, its log line. */
struct pend6 {
	uint32_t		 reqid;
	int			 used;
	struct lease_msg	 lm;
	struct sock6		*s;
	struct sockaddr_in6	 to;
	size_t			 len;
	uint8_t			*data;
	int			 sn;		/* its subnet6 */
	int			 stranger;	/* not an inventory host */
};

/* One client message, and what the server makes of it. */
struct ctx6 {
	struct dhcp6_msg	*m;
	struct sock6		*s;
	struct sockaddr_in6	 from;
	const struct host	*host;
	uint8_t			 mac[6];	/* zero: unknown */
	const uint8_t		*uuid;		/* DUID-UUID, NULL: none */
	uint8_t			 uuidbuf[PXED_UUIDLEN];
	int			 sn;		/* subnet6, -1: none */
	struct in6_addr		 addr;		/* the one we give, or :: */
	struct lease6		*lease;
	struct pxe_boot		 pxe;
};

static const struct config	*conf;
static struct sock6		 socks[S6_MAXSOCKS];
static size_t			 nsocks;
static struct pend6		*pend;
static uint32_t			 next_reqid = 1;
static struct dhcp6_msg		 msg;
static struct dhcp6_reply	 rep, wrapped;

static const char *names6[] = { "?", "SOLICIT", "ADVERTISE", "REQUEST",
    "CONFIRM", "RENEW", "REBIND", "REPLY", "RELEASE", "DECLINE",
    "RECONFIGURE", "INFORMATION-REQUEST" };

static void	 s6_recv(int, int, void *);
static void	 s6_handle(struct ctx6 *);
static int	 s6_serverid_ok(const struct dhcp6_msg *);
static void	 s6_identify(struct ctx6 *);
static int	 s6_subnet(const struct ctx6 *);
static int	 s6_address(struct ctx6 *);
static int	 s6_reusable(const struct lease6 *, int);
static void	 s6_boot(struct ctx6 *);
static void	 s6_begin(struct ctx6 *, uint8_t);
static void	 s6_ia(struct ctx6 *, const struct dhcp6_ia *, int);
static void	 s6_options(struct ctx6 *);
static void	 s6_send(struct ctx6 *, const char *);
static void	 s6_commit(struct ctx6 *, int);
static void	 s6_release(struct ctx6 *, uint8_t);
static void	 s6_confirm(struct ctx6 *);
static void	 s6_logline(struct ctx6 *, const char *, char *, size_t);
static int	 s6_pack(struct ctx6 *, struct sockaddr_in6 *);

void
server6_start(const struct config *c, struct worker_sock *ws, size_t n)
{
	size_t	 i;

	conf = c;
	pool6_init(c);
	if ((pend = calloc(PEND6_MAX, sizeof(*pend))) == NULL)
		fatal("calloc");
	for (i = 0; i < n && nsocks < S6_MAXSOCKS; i++) {
		if (ws[i].rs.kind != SOCK_DHCP6)
			continue;
		socks[nsocks].fd = ws[i].fd;
		socks[nsocks].ifindex = ws[i].rs.ifindex;
		socks[nsocks].ifaddr6 = ws[i].rs.ifaddr6;
		if (ev_io_add(&socks[nsocks].io, ws[i].fd, EV_READ, s6_recv,
		    &socks[nsocks]) == -1)
			fatal("ev_io_add");
		nsocks++;
	}
}

void
server6_reconf(const struct config *c)
{
	conf = c;
	pool6_init(c);
}

size_t
server6_nsocks(void)
{
	return nsocks;
}

/* The master's answer to a commit, or a lease of its table. */
void
server6_lease(uint32_t type, const struct lease_msg *lm)
{
	struct pend6	*p;
	struct lease6	*l;
	ssize_t		 r;

	if (type == IMSG_RECONF_LEASE) {
		pool6_load(lm);
		return;
	}
	if (pend == NULL)
		return;
	p = &pend[lm->reqid & (PEND6_MAX - 1)];
	if (!p->used || p->reqid != lm->reqid)
		return;
	p->used = 0;
	if (lm->result != 0) {
		dhcp_stats.commit_failed++;
		free(p->data);
		p->data = NULL;
		/* Its reservation goes: the client gets another next time. */
		if ((l = pool6_by_addr(&p->lm.ip6)) != NULL &&
		    l->state != LEASE_ACTIVE && l->duidlen == p->lm.duidlen &&
		    memcmp(l->duid, p->lm.duid, l->duidlen) == 0)
			pool6_set(l, LEASE_FREE, 0);
		return;
	}
	l = pool6_get(&p->lm.ip6);
	pool6_bind(l, p->lm.duid, p->lm.duidlen, p->sn, p->stranger);
	pool6_set(l, LEASE_ACTIVE, p->lm.expires);
	l->iaid = p->lm.iaid;
	memcpy(l->mac, p->lm.mac, sizeof(l->mac));
	r = batch_send(p->s->fd, &p->to, sizeof(p->to), p->data, p->len);
	if (r == -1) {
		dhcp_stats.send_failed++;
		log_warn("dhcp6: sendto");
	} else {
		dhcp_stats.reply6++;
		log_info("%s", (char *)p->data + p->len);
	}
	free(p->data);
	p->data = NULL;
}

/* Up to S6_RXBURST datagrams a wake-up, BATCH_RX a system call. */
static void
s6_recv(int fd, int what, void *arg)
{
	struct batch_rx		*b;
	struct ctx6		 c;
	char			 a[INET6_ADDRSTRLEN];
	const char		*why;
	int			 i, n, got;

	(void)what;
	for (got = 0; got < S6_RXBURST; got += n) {
		b = batch_recv(fd, &n, "dhcp6");
		for (i = 0; i < n; i++) {
			memset(&c, 0, sizeof(c));
			c.s = arg;
			memcpy(&c.from, &b->from[i], sizeof(c.from));
			if ((b->mm[i].msg_hdr.msg_flags & MSG_TRUNC) ||
			    dhcp6_parse(&msg, b->buf[i], b->mm[i].msg_len,
			    &why) == -1) {
				dhcp_stats.dropped6_malformed++;
				inet_ntop(AF_INET6, &c.from.sin6_addr, a,
				    sizeof(a));
				log_debug("dhcp6: dropped from %s: %s", a,
				    (b->mm[i].msg_hdr.msg_flags & MSG_TRUNC) ?
				    "truncated" : why);
				continue;
			}
			c.m = &msg;
			s6_handle(&c);
		}
		if (n < BATCH_RX)
			return;
	}
}

/*
 * RFC 8415 16: REQUEST, RENEW, RELEASE and DECLINE name their server;
 * SOLICIT, CONFIRM and REBIND name none; INFORMATION-REQUEST may.
 */
static int
s6_serverid_ok(const struct dhcp6_msg *m)
{
	int	 ours = m->serverid != NULL &&
		    m->serveridlen == conf->server.duidlen &&
		    memcmp(m->serverid, conf->server.duid, m->serveridlen) == 0;

	switch (m->type) {
	case DHCP6_REQUEST:
	case DHCP6_RENEW:
	case DHCP6_RELEASE:
	case DHCP6_DECLINE:
		return ours;
	case DHCP6_INFORMATION_REQUEST:
		return m->serverid == NULL || ours;
	default:
		return m->serverid == NULL;
	}
}

static void
s6_handle(struct ctx6 *c)
{
	struct dhcp6_msg	*m = c->m;
	struct lease6		*l;

	if (conf->server.duidlen == 0 || !s6_serverid_ok(m) ||
	    (m->clientid == NULL && m->type != DHCP6_INFORMATION_REQUEST)) {
		dhcp_stats.ignored++;
		return;
	}
	/* As DHCP per MAC: a client with a lease, by its DUID. */
	if (m->clientid != NULL && (l = pool6_by_duid(m->clientid,
	    m->clientidlen, -1)) != NULL &&
	    flood_limit(&l->ratecnt, &l->ratewin, ev_now())) {
		dhcp_stats.dropped6_flood++;
		return;
	}
	s6_identify(c);
	c->sn = s6_subnet(c);
	switch (m->type) {
	case DHCP6_SOLICIT:
		dhcp_stats.solicit6++;
		s6_commit(c, m->rapid_commit);
		break;
	case DHCP6_REQUEST:
		dhcp_stats.request6++;
		s6_commit(c, 1);
		break;
	case DHCP6_RENEW:
		dhcp_stats.renew6++;
		s6_commit(c, 1);
		break;
	case DHCP6_REBIND:
		dhcp_stats.rebind6++;
		s6_commit(c, 1);
		break;
	case DHCP6_RELEASE:
		dhcp_stats.release6++;
		s6_release(c, LEASE_RELEASED);
		break;
	case DHCP6_DECLINE:
		dhcp_stats.decline6++;
		s6_release(c, LEASE_DECLINED);
		break;
	case DHCP6_CONFIRM:
		dhcp_stats.confirm6++;
		s6_confirm(c);
		break;
	case DHCP6_INFORMATION_REQUEST:
		dhcp_stats.inforeq6++;
		s6_boot(c);
		s6_begin(c, DHCP6_REPLY);
		s6_options(c);
		s6_send(c, NULL);
		break;
	}
}

/*
 * Who the client is: the MAC its DUID names, else the one a relay saw
 * (RFC 6939), else its EUI-64 link-local address; the UUID of a
 * DUID-UUID.  The host is found by either.
 */
static void
s6_identify(struct ctx6 *c)
{
	const struct dhcp6_msg	*m = c->m;
	const struct in6_addr	*src = m->nrelays > 0 ?
				    &m->relays[m->nrelays - 1].peer :
				    &c->from.sin6_addr;
	static const uint8_t	 zero[PXED_UUIDLEN];

	if (m->clientid == NULL ||
	    duid_mac(m->clientid, m->clientidlen, c->mac) == -1) {
		if (m->have_llmac)
			memcpy(c->mac, m->llmac, 6);
		else if (eui64_mac(src, c->mac) == -1)
			memset(c->mac, 0, sizeof(c->mac));
	}
	if (m->clientid != NULL &&
	    duid_uuid(m->clientid, m->clientidlen, c->uuidbuf) == 0 &&
	    memcmp(c->uuidbuf, zero, sizeof(zero)) != 0)
		c->uuid = c->uuidbuf;
	c->host = config_host_by_client(conf, c->mac, c->uuid);
}

/*
 * The link the client is on: the address a relay gave (the one nearest
 * the client that gave one), else the receiving interface's; with one
 * subnet, that.
 */
static int
s6_subnet(const struct ctx6 *c)
{
	const struct dhcp6_msg	*m = c->m;
	const struct in6_addr	*a = &c->s->ifaddr6;
	size_t			 i;
	int			 sn;

	/* A lightweight relay (RFC 6221) gives ::: the next one out says. */
	for (i = m->nrelays; i > 0; i--)
		if (!IN6_IS_ADDR_UNSPECIFIED(&m->relays[i - 1].link)) {
			a = &m->relays[i - 1].link;
			break;
		}
	if ((sn = subnet6_of(conf, a)) != -1)
		return sn;
	if (m->nrelays == 0 && conf->nsubnets6 == 1)
		return 0;
	return -1;
}

/*
 * The address for the client: its host's fixed ip6 on this link, else
 * the lease it holds here, else a new one.  -1: none to give.
 */
static int
s6_address(struct ctx6 *c)
{
	const struct host	*h = c->host;
	const struct dhcp6_msg	*m = c->m;
	struct lease6		*l = NULL;
	int64_t			 now = time(NULL);

	if (h != NULL && !IN6_IS_ADDR_UNSPECIFIED(&h->conf.ip6) &&
	    (c->sn == -1 || prefix_eq(&h->conf.ip6,
	    &conf->subnets6[c->sn].network, conf->subnets6[c->sn].prefixlen)))
		l = pool6_get(&h->conf.ip6);
	else if (c->sn == -1)
		return -1;
	else if ((l = pool6_by_duid(m->clientid, m->clientidlen, c->sn))
	    == NULL || !s6_reusable(l, c->sn))
		l = pool6_pick(conf, c->sn, h == NULL, now);
	if (l == NULL)
		return -1;
	pool6_bind(l, m->clientid, m->clientidlen, c->sn, h == NULL);
	/*
	 * Reserved while it is offered or being stored, so that no other
	 * client is given it meanwhile (a live lease stays as it is).
	 */
	if (l->state != LEASE_ACTIVE || l->expires <= now)
		pool6_set(l, LEASE_OFFERED, now + DHCP_OFFER_SECS);
	c->addr = l->addr;
	c->lease = l;
	return 0;
}

/*
 * The client's lease in subnet sn is its address again: not declined
 * (nor given up after a refused commit), and still inside the range (a
 * reload may have moved it) and nobody's fixed address.
 */
static int
s6_reusable(const struct lease6 *l, int sn)
{
	const struct subnet6_conf	*s = &conf->subnets6[sn];

	return l->state != LEASE_DECLINED && l->state != LEASE_FREE &&
	    !IN6_IS_ADDR_UNSPECIFIED(&s->range_lo) &&
	    memcmp(&l->addr, &s->range_lo, sizeof(l->addr)) >= 0 &&
	    memcmp(&l->addr, &s->range_hi, sizeof(l->addr)) <= 0 &&
	    config_host_by_ip6(conf, &l->addr) == NULL;
}

/* The boot answer: PXE, HTTP or iPXE client, and its loader's URL. */
static void
s6_boot(struct ctx6 *c)
{
	static const uint8_t	 zero[6];
	const struct dhcp6_msg	*m = c->m;
	struct pxe_client	 pc;

	memset(&c->pxe, 0, sizeof(c->pxe));
	if (m->have_vendor && strncmp(m->vendor, "PXEClient", 9) == 0)
		c->pxe.pxe = 1;
	if (m->have_vendor && strncmp(m->vendor, "HTTPClient", 10) == 0)
		c->pxe.pxe = c->pxe.http = 1;
	c->pxe.ipxe = m->ipxe;
	if (!c->pxe.pxe && !c->pxe.ipxe)
		return;
	c->pxe.arch = m->have_arch ? m->arch : 0;
	if (c->host == NULL && memcmp(c->mac, zero, 6) != 0 &&
	    unknown_report(c->mac, c->uuid, c->pxe.arch, m->have_vendor ?
	    (const uint8_t *)m->vendor : NULL, strlen(m->vendor)))
		dhcp_stats.unknown_reported++;
	memset(&pc, 0, sizeof(pc));
	pc.mac = c->mac;
	pc.ip6 = c->addr;
	pc.v6 = 1;
	pxe_choose(&c->pxe, conf, c->host, &pc);
}

static void
s6_begin(struct ctx6 *c, uint8_t type)
{
	dhcp6_reply_init(&rep, type, c->m->xid);
	dhcp6_reply_opt(&rep, D6O_SERVERID, conf->server.duid,
	    conf->server.duidlen);
	if (c->m->clientid != NULL)
		dhcp6_reply_opt(&rep, D6O_CLIENTID, c->m->clientid,
		    c->m->clientidlen);
}

/*
 * IA_NA iaid with our address (ok), or with NoAddrsAvail; an address the
 * client named that is not ours to give goes back with lifetimes 0, so
 * that it stops using it (RFC 8415 18.3.4).
 */
static void
s6_ia(struct ctx6 *c, const struct dhcp6_ia *ia, int ok)
{
	uint32_t	 iaid = ia->iaid;
	uint32_t	 secs = conf->server.lease6_secs;
	uint8_t		 b[24];

	b[0] = iaid >> 24; b[1] = iaid >> 16; b[2] = iaid >> 8; b[3] = iaid;
	memset(b + 4, 0, 8);
	if (ok) {
		b[4] = (secs / 2) >> 24; b[5] = (secs / 2) >> 16;
		b[6] = (secs / 2) >> 8; b[7] = secs / 2;
		b[8] = (secs / 5 * 4) >> 24; b[9] = (secs / 5 * 4) >> 16;
		b[10] = (secs / 5 * 4) >> 8; b[11] = secs / 5 * 4;
	}
	dhcp6_reply_begin(&rep, D6O_IA_NA);
	dhcp6_reply_data(&rep, b, 12);
	if (!ok)
		dhcp6_reply_status(&rep, D6S_NOADDRSAVAIL, "no address");
	else {
		memcpy(b, &c->addr, 16);
		b[16] = b[20] = secs >> 24; b[17] = b[21] = secs >> 16;
		b[18] = b[22] = secs >> 8; b[19] = b[23] = secs;
		dhcp6_reply_opt(&rep, D6O_IAADDR, b, 24);
	}
	if (ia->have_addr && (!ok || memcmp(&ia->addr, &c->addr, 16) != 0) &&
	    c->m->type != DHCP6_SOLICIT) {
		memcpy(b, &ia->addr, 16);
		memset(b + 16, 0, 8);
		dhcp6_reply_opt(&rep, D6O_IAADDR, b, 24);
	}
	dhcp6_reply_end(&rep);
}

/* DNS servers of the link, and the boot URL (RFC 5970) with its class. */
static void
s6_options(struct ctx6 *c)
{
	const struct subnet6_conf	*sn;
	char				 url[PXED_STRLEN + 64];
	const char			*f = c->pxe.file;
	uint8_t				 vc[4 + 2 + 10];
	size_t				 n;

	if (c->sn != -1 && (sn = &conf->subnets6[c->sn])->ndns > 0)
		dhcp6_reply_opt(&rep, D6O_DNS_SERVERS, sn->dns,
		    sn->ndns * sizeof(sn->dns[0]));
	if (!c->pxe.boot)
		return;
	if (strstr(f, "://") != NULL)
		strlcpy(url, f, sizeof(url));
	else {
		if (c->pxe.http)
			tmpl_http_base(&conf->server, 1, url, sizeof(url));
		else
			tmpl_tftp_base(&conf->server, 1, url, sizeof(url));
		n = strlen(url);
		snprintf(url + n, sizeof(url) - n, "/%s", f + (f[0] == '/'));
	}
	dhcp6_reply_opt(&rep, D6O_BOOTFILE_URL, url, strlen(url));
	/* EDK2 takes an HTTP offer only with "HTTPClient" in option 16. */
	if (c->pxe.http) {
		vc[0] = vc[1] = 0;
		vc[2] = DHCP6_ENTERPRISE_PXE >> 8;
		vc[3] = DHCP6_ENTERPRISE_PXE & 0xff;
		vc[4] = 0;
		vc[5] = 10;
		memcpy(vc + 6, "HTTPClient", 10);
		dhcp6_reply_opt(&rep, D6O_VENDOR_CLASS, vc, sizeof(vc));
	}
}

/* The reply, in its relay layers, and where it goes. -1: it does not fit. */
static int
s6_pack(struct ctx6 *c, struct sockaddr_in6 *to)
{
	if (dhcp6_reply_wrap(&wrapped, &rep, c->m) == -1) {
		dhcp_stats.dropped6++;
		log_warnx("dhcp6: the reply to a %s does not fit",
		    names6[c->m->type]);
		return -1;
	}
	/* A client from its port 546, a relay from 547: back the same way. */
	*to = c->from;
	if (IN6_IS_ADDR_LINKLOCAL(&to->sin6_addr) && to->sin6_scope_id == 0)
		to->sin6_scope_id = c->s->ifindex;
	return 0;
}

/* "dhcp6: REPLY fd00::1000 to <duid> mac (node01) arch ... file ..." */
static void
s6_logline(struct ctx6 *c, const char *what, char *buf, size_t len)
{
	char	 a[INET6_ADDRSTRLEN], mac[18], duid[2 * 20 + 1];
	size_t	 n = c->m->clientid != NULL ? c->m->clientidlen : 0;

	if (IN6_IS_ADDR_UNSPECIFIED(&c->addr))
		strlcpy(a, "-", sizeof(a));
	else
		inet_ntop(AF_INET6, &c->addr, a, sizeof(a));
	mac_format(c->mac, mac, sizeof(mac));
	hex_format(c->m->clientid, n, duid, sizeof(duid));
	snprintf(buf, len, "dhcp6: %s %s to %s%s %s (%s)%s%s%s%s", what, a,
	    duid, n > 20 ? "..." : "", mac,
	    c->host != NULL ? c->host->conf.name : "-",
	    c->pxe.pxe ? " arch " : "", c->pxe.pxe ? c->pxe.archname : "",
	    c->pxe.boot ? " file " : "", c->pxe.boot ? c->pxe.file : "");
}

/* Send what is built now: ADVERTISE, and REPLYs that store nothing. */
static void
s6_send(struct ctx6 *c, const char *what)
{
	struct sockaddr_in6	 to;
	char			 line[S6_LOGLINE];

	if (s6_pack(c, &to) == -1)
		return;
	if (batch_send(c->s->fd, &to, sizeof(to), wrapped.buf, wrapped.len)
	    == -1) {
		dhcp_stats.send_failed++;
		log_warn("dhcp6: sendto");
		return;
	}
	if (rep.buf[0] == DHCP6_ADVERTISE)
		dhcp_stats.advertise6++;
	else
		dhcp_stats.reply6++;
	if (what != NULL) {
		s6_logline(c, what, line, sizeof(line));
		log_info("%s", line);
	}
}

/*
 * SOLICIT, REQUEST, RENEW, REBIND: an address for the first IA_NA (the
 * others get NoAddrsAvail).  durable: a REPLY, which waits for the
 * master to store the lease; else an ADVERTISE, sent at once.
 */
static void
s6_commit(struct ctx6 *c, int durable)
{
	const struct dhcp6_msg	*m = c->m;
	struct pend6		*p;
	uint8_t			 pref = PREF_MAX;
	char			 line[S6_LOGLINE];
	size_t			 i, ll;
	int			 ok = 0;

	if (m->nias > 0 && !(ok = s6_address(c) == 0))
		dhcp_stats.noaddrs6++;
	s6_boot(c);
	s6_begin(c, durable ? DHCP6_REPLY : DHCP6_ADVERTISE);
	if (durable && m->type == DHCP6_SOLICIT)
		dhcp6_reply_opt(&rep, D6O_RAPID_COMMIT, NULL, 0);
	for (i = 0; i < m->nias; i++)
		s6_ia(c, &m->ias[i], ok && i == 0);
	if (!durable)
		dhcp6_reply_opt(&rep, D6O_PREFERENCE, &pref, 1);
	s6_options(c);
	if (!durable || !ok) {
		s6_send(c, durable ? "REPLY" : "ADVERTISE");
		return;
	}
	/*
	 * Its slot still waits for the master (a backlog of PEND6_MAX):
	 * this request goes unanswered, the client asks again.  Never the
	 * waiting one: its lease may be on disk already.
	 */
	p = &pend[next_reqid & (PEND6_MAX - 1)];
	if (p->used) {
		dhcp_stats.dropped6++;
		return;
	}
	if (s6_pack(c, &p->to) == -1)
		return;
	s6_logline(c, "REPLY", line, sizeof(line));
	ll = strlen(line) + 1;
	if ((p->data = malloc(wrapped.len + ll)) == NULL) {
		dhcp_stats.dropped6++;
		return;
	}
	memcpy(p->data, wrapped.buf, wrapped.len);
	memcpy(p->data + wrapped.len, line, ll);
	p->len = wrapped.len;
	p->s = c->s;
	p->sn = c->sn;
	p->stranger = c->host == NULL;
	memset(&p->lm, 0, sizeof(p->lm));
	p->reqid = p->lm.reqid = next_reqid++;
	p->lm.v6 = 1;
	p->lm.ip6 = c->addr;
	p->lm.iaid = m->ias[0].iaid;
	p->lm.duidlen = (uint8_t)m->clientidlen;
	memcpy(p->lm.duid, m->clientid, m->clientidlen);
	memcpy(p->lm.mac, c->mac, 6);
	if (c->uuid != NULL)
		memcpy(p->lm.uuid, c->uuid, PXED_UUIDLEN);
	p->lm.state = LEASE_ACTIVE;
	p->lm.expires = time(NULL) + conf->server.lease6_secs;
	if (c->host != NULL)
		strlcpy(p->lm.hostname, c->host->conf.name,
		    sizeof(p->lm.hostname));
	if (imsgev_compose(worker_master(), IMSG_LEASE_COMMIT, 0, 0, -1,
	    &p->lm, sizeof(p->lm)) == 0)
		p->used = 1;
	else {
		free(p->data);
		p->data = NULL;
	}
}

/* RELEASE and DECLINE of the client's own addresses; always a REPLY. */
static void
s6_release(struct ctx6 *c, uint8_t state)
{
	const struct dhcp6_msg	*m = c->m;
	struct lease_msg	 lm;
	struct lease6		*l;
	int64_t			 now = time(NULL);
	size_t			 i;

	for (i = 0; i < m->nias; i++) {
		if (!m->ias[i].have_addr ||
		    (l = pool6_by_addr(&m->ias[i].addr)) == NULL ||
		    l->duidlen != m->clientidlen ||
		    memcmp(l->duid, m->clientid, l->duidlen) != 0)
			continue;
		pool6_set(l, state, state == LEASE_DECLINED ?
		    now + conf->server.lease6_secs : now);
		memset(&lm, 0, sizeof(lm));
		lm.v6 = 1;
		lm.ip6 = l->addr;
		lm.iaid = m->ias[i].iaid;
		lm.duidlen = l->duidlen;
		memcpy(lm.duid, l->duid, l->duidlen);
		memcpy(lm.mac, l->mac, 6);
		lm.state = state;
		lm.expires = l->expires;
		imsgev_compose(worker_master(), IMSG_LEASE_RELEASE, 0, 0, -1,
		    &lm, sizeof(lm));
		c->addr = l->addr;
	}
	s6_begin(c, DHCP6_REPLY);
	dhcp6_reply_status(&rep, D6S_SUCCESS, "");
	s6_send(c, state == LEASE_DECLINED ? "DECLINE" : "RELEASE");
}

/* CONFIRM: are the client's addresses on this link?  No answer if unsure. */
static void
s6_confirm(struct ctx6 *c)
{
	const struct dhcp6_msg		*m = c->m;
	const struct subnet6_conf	*sn;
	size_t				 i, naddr = 0;
	int				 onlink = 1;

	if (c->sn == -1)
		return;
	sn = &conf->subnets6[c->sn];
	for (i = 0; i < m->nias; i++) {
		if (!m->ias[i].have_addr)
			continue;
		naddr++;
		if (!prefix_eq(&m->ias[i].addr, &sn->network,
		    sn->prefixlen))
			onlink = 0;
	}
	if (naddr == 0)
		return;
	s6_begin(c, DHCP6_REPLY);
	dhcp6_reply_status(&rep, onlink ? D6S_SUCCESS : D6S_NOTONLINK,
	    onlink ? "" : "not on link");
	s6_send(c, onlink ? "CONFIRM ok" : "CONFIRM not on link");
}
