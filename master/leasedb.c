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
 * DHCP leases, owned by the master.  dhcpd asks before every ACK; the
 * commits that arrive within a few milliseconds share one append to
 * the journal and one fsync, then are answered together.  The journal
 * is compacted into a snapshot (written aside, fsync'd, renamed) when
 * it grows.  Records are text lines, "ip mac state expires [uuid]"
 * (the UUID the client sent, when it sent one), and for IPv6 "ip6 mac
 * state expires uuid|- duid iaid" (mac 00:...:00 when unknown, the DUID
 * in hex); a torn last line, from a crash in the middle of an append,
 * is cut off.  An IPv4 and an IPv6 lease never share a key.
 */

#include <sys/stat.h>
#include <sys/types.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "master.h"

#define LEASES_SNAP	"leases"
#define LEASES_JOURNAL	"leases.journal"
#define LEASES_BUCKETS	(1 << 17)
#define LEASES_SLAB	1024
#define BATCH_WINDOW	2		/* ms to gather commits */
#define BATCH_MAX	4096
#define SLACK_SECS	60		/* clock slack on a commit's expiry */
#define LEASES_PERMSG	(IMSG_RECONF_LEASE_MAX)

/* The IPv6 part of a lease: most tables hold none, so it stands apart. */
struct mlease6 {
	struct in6_addr	 ip6;
	uint32_t	 iaid;
	uint8_t		 duidlen;
	uint8_t		 duid[PXED_DUIDMAX];
};

struct mlease {
	struct mlease	*next;
	struct in_addr	 ip;
	uint8_t		 mac[6];
	uint8_t		 state;
	int64_t		 expires;
	uint8_t		 uuid[PXED_UUIDLEN];	/* zero: none */
	struct mlease6	*v6;			/* NULL: IPv4 */
};

struct pending_commit {
	struct lease_msg lm;
	pid_t		 pid;		/* dhcpd that asked; 0: a release */
};

static struct mlease		**tab;
static struct mlease		 *slab;
static size_t			  slab_used = LEASES_SLAB, nleases;
static int			  jfd = -1;
static size_t			  jrecords;
static struct pending_commit	 *batch;
static size_t			  nbatch;
static struct ev_timer		  flush_timer;

static uint32_t		 key_hash(const struct lease_msg *);
static struct mlease	*lease_find(const struct lease_msg *);
static void		 lease_msg(const struct mlease *, struct lease_msg *);
static int		 lease_parse6(char **, size_t, struct lease_msg *);
static int		 validate6(const struct lease_msg *);
static struct mlease	*lease_put(const struct lease_msg *);
static int		 lease_parse(char *, struct lease_msg *);
static int		 load_file(const char *, int);
static int		 record(struct buf *, const struct lease_msg *);
static int		 validate(const struct lease_msg *);
static void		 enqueue(const struct lease_msg *, pid_t);
static void		 lease_moved(const struct lease_msg *);
static void		 flush(void *);
static void		 compact(void);
static void		 answer(const struct pending_commit *, int);
static int		 ip_cmp(const void *, const void *);
static void		 leasedb_bind_active(void);

/* A lease's key: its IPv4 address, or its IPv6 one. */
static uint32_t
key_hash(const struct lease_msg *lm)
{
	if (lm->v6)
		return hash_fnv1a(&lm->ip6, sizeof(lm->ip6)) &
		    (LEASES_BUCKETS - 1);
	return (ntohl(lm->ip.s_addr) * 2654435761u) & (LEASES_BUCKETS - 1);
}

static struct mlease *
lease_find(const struct lease_msg *key)
{
	struct mlease	*l;

	for (l = tab[key_hash(key)]; l != NULL; l = l->next) {
		if (key->v6 ? l->v6 != NULL && memcmp(&l->v6->ip6,
		    &key->ip6, sizeof(key->ip6)) == 0 :
		    l->v6 == NULL && l->ip.s_addr == key->ip.s_addr)
			return l;
	}
	return NULL;
}

static struct mlease *
lease_put(const struct lease_msg *lm)
{
	struct mlease	*l;
	uint32_t	 b;

	if ((l = lease_find(lm)) == NULL) {
		if (slab_used == LEASES_SLAB) {
			if ((slab = calloc(LEASES_SLAB, sizeof(*slab))) ==
			    NULL)
				fatal("leases");
			slab_used = 0;
		}
		l = &slab[slab_used++];
		l->ip = lm->ip;
		if (lm->v6) {
			if ((l->v6 = calloc(1, sizeof(*l->v6))) == NULL)
				fatal("leases");
			l->v6->ip6 = lm->ip6;
		}
		b = key_hash(lm);
		l->next = tab[b];
		tab[b] = l;
		nleases++;
	}
	memcpy(l->mac, lm->mac, sizeof(l->mac));
	memcpy(l->uuid, lm->uuid, sizeof(l->uuid));
	l->state = lm->state;
	l->expires = lm->expires;
	if (l->v6 != NULL) {
		l->v6->iaid = lm->iaid;
		l->v6->duidlen = lm->duidlen;
		memcpy(l->v6->duid, lm->duid, lm->duidlen);
	}
	return l;
}

/* A lease as it travels. */
static void
lease_msg(const struct mlease *l, struct lease_msg *lm)
{
	memset(lm, 0, sizeof(*lm));
	lm->ip = l->ip;
	memcpy(lm->mac, l->mac, sizeof(lm->mac));
	memcpy(lm->uuid, l->uuid, sizeof(lm->uuid));
	lm->state = l->state;
	lm->expires = l->expires;
	if (l->v6 != NULL) {
		lm->v6 = 1;
		lm->ip6 = l->v6->ip6;
		lm->iaid = l->v6->iaid;
		lm->duidlen = l->v6->duidlen;
		memcpy(lm->duid, l->v6->duid, l->v6->duidlen);
	}
}

/* "10.1.0.100 52:54:00:00:00:01 active 1764100000[ uuid]" */
static int
lease_parse(char *line, struct lease_msg *lm)
{
	char		*f[7], *p = line;
	const char	*errstr;
	size_t		 n = 0;

	memset(lm, 0, sizeof(*lm));
	while (n < 7 && (f[n] = strsep(&p, " ")) != NULL)
		n++;
	if (n == 7 && p == NULL && lease_parse6(f, n, lm) == 0)
		n = 4;
	else if (n > 5 || inet_pton(AF_INET, f[0], &lm->ip) != 1)
		return -1;
	if (n < 4 || p != NULL || mac_parse(f[1], lm->mac) == -1 ||
	    (n == 5 && (uuid_parse(f[4], lm->uuid) == -1 ||
	    !uuid_usable(lm->uuid))))
		return -1;
	if (strcmp(f[2], "active") == 0)
		lm->state = LEASE_ACTIVE;
	else if (strcmp(f[2], "released") == 0)
		lm->state = LEASE_RELEASED;
	else if (strcmp(f[2], "declined") == 0)
		lm->state = LEASE_DECLINED;
	else
		return -1;
	lm->expires = strtonum(f[3], 0, INT64_MAX, &errstr);
	return errstr == NULL ? 0 : -1;
}

/* The IPv6 fields: address, then "uuid|- duid iaid" after the expiry. */
static int
lease_parse6(char **f, size_t n, struct lease_msg *lm)
{
	const char	*errstr;
	size_t		 len = strlen(f[5]), i;
	int		 hi, lo;

	if (n != 7 || inet_pton(AF_INET6, f[0], &lm->ip6) != 1 ||
	    len == 0 || len % 2 != 0 || len / 2 > PXED_DUIDMAX ||
	    (strcmp(f[4], "-") != 0 && (uuid_parse(f[4], lm->uuid) == -1 ||
	    !uuid_usable(lm->uuid))))
		return -1;
	for (i = 0; i < len / 2; i++) {
		if ((hi = hex_digit(f[5][2 * i])) == -1 ||
		    (lo = hex_digit(f[5][2 * i + 1])) == -1)
			return -1;
		lm->duid[i] = (uint8_t)(hi << 4 | lo);
	}
	lm->duidlen = (uint8_t)(len / 2);
	lm->iaid = (uint32_t)strtonum(f[6], 0, UINT32_MAX, &errstr);
	lm->v6 = 1;
	return errstr == NULL ? 0 : -1;
}

/* Load one file; the journal's torn tail is cut so appends stay whole. */
static int
load_file(const char *name, int journal)
{
	struct lease_msg lm;
	struct buf	 b;
	char		 chunk[65536], *line, *p, *nl;
	ssize_t		 n;
	size_t		 good = 0, bad = 0;
	int		 fd;

	if ((fd = openat(state_dir(), name, O_RDONLY | O_CLOEXEC)) == -1)
		return errno == ENOENT ? 0 : -1;
	buf_init(&b);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		if (buf_add(&b, chunk, (size_t)n) == -1)
			n = -1;
	close(fd);
	if (n == -1) {
		buf_free(&b);
		return -1;
	}
	buf_cstr(&b);
	for (p = b.data; (nl = memchr(p, '\n', b.data + b.len - p)) != NULL;
	    p = nl + 1) {
		*nl = '\0';
		line = p;
		good = (size_t)(nl + 1 - b.data);
		if (lease_parse(line, &lm) == -1) {
			bad++;
			continue;
		}
		lease_put(&lm);
		if (journal)
			jrecords++;
	}
	if (good != b.len) {
		log_warnx("leases: %s: cut a torn last record", name);
		if (journal && jfd != -1 && ftruncate(jfd, (off_t)good) == -1)
			log_warn("leases: %s", name);
	}
	if (bad > 0)
		log_warnx("leases: %s: skipped %zu bad records", name, bad);
	buf_free(&b);
	return 0;
}

/* The hosts' addresses from the leases still running at start. */
static void
leasedb_bind_active(void)
{
	struct lease_msg	 lm;
	struct mlease		*l;
	time_t			 now = time(NULL);
	size_t			 b;

	for (b = 0; b < LEASES_BUCKETS; b++)
		for (l = tab[b]; l != NULL; l = l->next) {
			if (l->state != LEASE_ACTIVE || l->expires <= now)
				continue;
			lease_msg(l, &lm);
			bindings_lease(&lm);
		}
	bindings_flush();	/* before any worker: the table is sent whole */
}

int
leasedb_open(void)
{
	tab = calloc(LEASES_BUCKETS, sizeof(*tab));
	batch = calloc(BATCH_MAX, sizeof(*batch));
	if (tab == NULL || batch == NULL)
		fatal("leases");
	ev_timer_init(&flush_timer, flush, NULL);
	jfd = openat(state_dir(), LEASES_JOURNAL, O_WRONLY | O_APPEND |
	    O_CREAT | O_CLOEXEC, 0600);
	if (jfd == -1 || load_file(LEASES_SNAP, 0) == -1 ||
	    load_file(LEASES_JOURNAL, 1) == -1) {
		log_warn("leases: cannot load the leases");
		return -1;
	}
	log_debug("leases: %zu loaded", nleases);
	leasedb_bind_active();
	return 0;
}

static int
record(struct buf *b, const struct lease_msg *lm)
{
	static const char	*names[] = { "free", "offered", "active",
	    "released", "declined" };
	char			 mac[18], uuid[38], ip6[INET6_ADDRSTRLEN];
	char			 duid[2 * PXED_DUIDMAX + 1];
	uint32_t		 state = lm->state;

	mac_format(lm->mac, mac, sizeof(mac));
	uuid[0] = '\0';
	if (uuid_usable(lm->uuid)) {
		uuid[0] = ' ';
		uuid_format(lm->uuid, uuid + 1, sizeof(uuid) - 1);
	}
	if (state > LEASE_DECLINED)
		state = LEASE_FREE;
	if (!lm->v6)
		return buf_printf(b, "%s %s %s %lld%s\n", inet_ntoa(lm->ip),
		    mac, names[state], (long long)lm->expires, uuid);
	hex_format(lm->duid, lm->duidlen, duid, sizeof(duid));
	return buf_printf(b, "%s %s %s %lld %s %s %u\n",
	    inet_ntop(AF_INET6, &lm->ip6, ip6, sizeof(ip6)), mac,
	    names[state], (long long)lm->expires,
	    uuid[0] != '\0' ? uuid + 1 : "-", duid, lm->iaid);
}

/*
 * A worker's request is checked against the inventory: the address in
 * a subnet (a pool or the host's own fixed address), no other host's
 * fixed address, no other MAC's live lease.  A host's fixed address goes
 * to whichever of its NICs asks (by MAC or by the UUID the client sent),
 * taking it from the one that had it.
 */
static int
validate(const struct lease_msg *lm)
{
	const struct config	*conf = master_conf;
	const struct subnet_conf *s;
	const struct host	*fixed;
	const struct mlease	*l;
	uint32_t		 h = ntohl(lm->ip.s_addr);
	size_t			 i;
	int			 own = 0, inpool = 0;
	time_t			 now = time(NULL);

	if (lm->expires > now + conf->server.lease_secs + SLACK_SECS)
		return EINVAL;
	if ((fixed = config_host_by_ip(conf, lm->ip)) != NULL) {
		if (config_host_by_client(conf, lm->mac, lm->uuid) != fixed)
			return EADDRINUSE;
		own = 1;
	}
	for (i = 0; i < conf->nsubnets && !inpool; i++) {
		s = &conf->subnets[i];
		inpool = (lm->ip.s_addr & s->netmask.s_addr) ==
		    s->network.s_addr && (own ||
		    (h >= ntohl(s->range_lo.s_addr) &&
		    h <= ntohl(s->range_hi.s_addr)));
	}
	if (!inpool)
		return EINVAL;
	if (!own && (l = lease_find(lm)) != NULL && l->expires > now &&
	    memcmp(l->mac, lm->mac, 6) != 0 &&
	    (l->state == LEASE_ACTIVE || l->state == LEASE_DECLINED))
		return EADDRINUSE;
	return 0;
}

/*
 * IPv6: the address in a dhcp6 subnet's range, or the host's own fixed
 * one (the host known by the MAC or UUID its DUID names), and no other
 * DUID's live lease on it.
 */
static int
validate6(const struct lease_msg *lm)
{
	const struct config	*conf = master_conf;
	const struct host	*fixed;
	const struct mlease	*l;
	size_t			 i;
	int			 own = 0, inpool = 0;
	time_t			 now = time(NULL);

	if (lm->expires > now + conf->server.lease6_secs + SLACK_SECS ||
	    lm->duidlen == 0 || lm->duidlen > PXED_DUIDMAX)
		return EINVAL;
	if ((fixed = config_host_by_ip6(conf, &lm->ip6)) != NULL) {
		if (config_host_by_client(conf, lm->mac, lm->uuid) != fixed)
			return EADDRINUSE;
		own = 1;
	}
	for (i = 0; i < conf->nsubnets6 && !inpool; i++)
		inpool = own ||
		    (!IN6_IS_ADDR_UNSPECIFIED(&conf->subnets6[i].range_lo) &&
		    memcmp(&lm->ip6, &conf->subnets6[i].range_lo,
		    sizeof(lm->ip6)) >= 0 && memcmp(&lm->ip6,
		    &conf->subnets6[i].range_hi, sizeof(lm->ip6)) <= 0);
	if (!inpool)
		return EINVAL;
	if (!own && (l = lease_find(lm)) != NULL && l->expires > now &&
	    (l->v6->duidlen != lm->duidlen ||
	    memcmp(l->v6->duid, lm->duid, lm->duidlen) != 0) &&
	    (l->state == LEASE_ACTIVE || l->state == LEASE_DECLINED))
		return EADDRINUSE;
	return 0;
}

static void
enqueue(const struct lease_msg *lm, pid_t pid)
{
	if (nbatch == BATCH_MAX)
		flush(NULL);
	batch[nbatch].lm = *lm;
	batch[nbatch].pid = pid;
	nbatch++;
	if (!ev_timer_pending(&flush_timer))
		ev_timer_add(&flush_timer, BATCH_WINDOW);
}

void
leasedb_commit(const struct lease_msg *lm, pid_t pid)
{
	struct pending_commit	 pc;
	char			 mac[18], ip[INET6_ADDRSTRLEN];
	int			 r;

	if (lm->state != LEASE_ACTIVE)
		r = EINVAL;
	else
		r = lm->v6 ? validate6(lm) : validate(lm);
	if (r != 0) {
		pc.lm = *lm;
		pc.pid = pid;
		mac_format(lm->mac, mac, sizeof(mac));
		log_warnx("leases: refused %s for %s: %s",
		    lease_addr(lm, ip, sizeof(ip)), mac, strerror(r));
		answer(&pc, r);
		return;
	}
	enqueue(lm, pid);
}

/* A lease's address as text, of either family. */
const char *
lease_addr(const struct lease_msg *lm, char *buf, size_t len)
{
	return inet_ntop(lm->v6 ? AF_INET6 : AF_INET, lm->v6 ?
	    (const void *)&lm->ip6 : (const void *)&lm->ip, buf, len);
}

/*
 * RELEASE and DECLINE: only for the MAC (IPv6: the DUID) that holds the
 * lease.
 */
int
leasedb_release(const struct lease_msg *lm)
{
	const struct mlease	*l;
	uint32_t		 secs = lm->v6 ? master_conf->server.lease6_secs :
				    master_conf->server.lease_secs;

	if ((lm->state != LEASE_RELEASED && lm->state != LEASE_DECLINED) ||
	    (l = lease_find(lm)) == NULL ||
	    lm->expires > time(NULL) + secs + SLACK_SECS)
		return -1;
	if (lm->v6 ? lm->duidlen != l->v6->duidlen ||
	    memcmp(lm->duid, l->v6->duid, lm->duidlen) != 0 :
	    memcmp(l->mac, lm->mac, 6) != 0)
		return -1;
	enqueue(lm, 0);
	return 0;
}

static void
answer(const struct pending_commit *pc, int result)
{
	struct proc_slot	*p = master_proc(PROC_DHCPD);
	struct lease_msg	 lm = pc->lm;

	if (pc->pid == 0 || !p->connected || p->pid != pc->pid)
		return;
	lm.result = result;
	imsgev_compose(&p->iev, IMSG_LEASE_RESULT, 0, 0, -1, &lm,
	    sizeof(lm));
}

/* A host's fixed address taken by another of its NICs: the older ends. */
static void
lease_moved(const struct lease_msg *lm)
{
	const struct mlease	*l;
	const struct host	*h;
	char			 from[18], to[18];

	if (lm->v6 || lm->state != LEASE_ACTIVE ||
	    (l = lease_find(lm)) == NULL ||
	    l->state != LEASE_ACTIVE || l->expires <= time(NULL) ||
	    memcmp(l->mac, lm->mac, 6) == 0 ||
	    (h = config_host_by_ip(master_conf, lm->ip)) == NULL)
		return;
	mac_format(l->mac, from, sizeof(from));
	mac_format(lm->mac, to, sizeof(to));
	log_info("host %s: %s moves from %s to %s", h->conf.name,
	    inet_ntoa(lm->ip), from, to);
}

/* One append and one fsync for the whole batch, then every answer. */
static void
flush(void *arg)
{
	struct buf	 b;
	off_t		 end;
	size_t		 i, n = nbatch;
	int		 r = 0, cut = 0;

	(void)arg;
	ev_timer_del(&flush_timer);
	if (n == 0)
		return;
	buf_init(&b);
	for (i = 0; i < n && r == 0; i++)
		if (record(&b, &batch[i].lm) == -1)
			r = ENOMEM;
	end = lseek(jfd, 0, SEEK_END);
	if (r == 0 && (cut = journal_append(jfd, end, b.data, b.len)) != 0)
		r = errno;
	buf_free(&b);
	if (r != 0)
		log_warnx("leases: cannot store %zu leases: %s; no ACK for "
		    "them%s", n, strerror(r), cut == -2 ?
		    "; the journal may end in a torn record" : "");
	for (i = 0; i < n && r == 0; i++) {
		lease_moved(&batch[i].lm);
		lease_put(&batch[i].lm);
		bindings_lease(&batch[i].lm);
	}
	/* tftpd and httpd know the hosts' addresses before their ACKs leave. */
	bindings_flush();
	for (i = 0; i < n; i++)
		answer(&batch[i], r);
	nbatch = 0;
	if (r == 0 && (jrecords += n) > 2 * nleases + 1024)
		compact();
}

/* The live table, written to fd in 64 KiB pieces. */
static int
snapshot_fill(int fd, void *arg)
{
	struct lease_msg lm;
	struct buf	 b;
	struct mlease	*l;
	size_t		 i;
	int		 r = 0;

	(void)arg;
	buf_init(&b);
	for (i = 0; i < LEASES_BUCKETS && r == 0; i++)
		for (l = tab[i]; l != NULL && r == 0; l = l->next) {
			lease_msg(l, &lm);
			if (record(&b, &lm) == -1)
				r = -1;
			if (r == 0 && b.len >= 65536) {
				r = write_all(fd, b.data, b.len);
				buf_reset(&b);
			}
		}
	if (r == 0)
		r = write_all(fd, b.data, b.len);
	buf_free(&b);
	return r;
}

/* The live table into a fresh snapshot, then an empty journal. */
static void
compact(void)
{
	if (durable_replace(state_dir(), LEASES_SNAP, 0600, snapshot_fill,
	    NULL) == -1) {
		log_warn("leases: snapshot");
		return;
	}
	/* The snapshot holds everything: the journal may go. */
	if (ftruncate(jfd, 0) == -1 || fsync(jfd) == -1)
		log_warn("leases: journal");
	jrecords = 0;
}

/*
 * The table, inside a new dhcpd's first configuration stream, many
 * leases to a message: 100,000 small messages would cost the master
 * megabytes of heap it never gets back.
 */
void
leasedb_send(struct imsgev *iev)
{
	static struct lease_msg	 lm[LEASES_PERMSG];
	struct mlease		*l;
	size_t			 i, n = 0;

	for (i = 0; i < LEASES_BUCKETS; i++)
		for (l = tab[i]; l != NULL; l = l->next) {
			lease_msg(l, &lm[n]);
			if (++n == LEASES_PERMSG) {
				imsgev_compose(iev, IMSG_RECONF_LEASE, 0, 0,
				    -1, lm, n * sizeof(lm[0]));
				n = 0;
			}
		}
	if (n > 0)
		imsgev_compose(iev, IMSG_RECONF_LEASE, 0, 0, -1, lm,
		    n * sizeof(lm[0]));
}

/* IPv4 leases first, by address, then IPv6 ones by address. */
static int
ip_cmp(const void *a, const void *b)
{
	const struct mlease	*x = *(const struct mlease * const *)a;
	const struct mlease	*y = *(const struct mlease * const *)b;

	if ((x->v6 == NULL) != (y->v6 == NULL))
		return x->v6 == NULL ? -1 : 1;
	if (x->v6 != NULL)
		return memcmp(&x->v6->ip6, &y->v6->ip6, sizeof(x->v6->ip6));
	if (ntohl(x->ip.s_addr) != ntohl(y->ip.s_addr))
		return ntohl(x->ip.s_addr) < ntohl(y->ip.s_addr) ? -1 : 1;
	return 0;
}

/*
 * pxectl show leases: by address, with the inventory name of the MAC,
 * many to a message like the table sent to dhcpd.
 */
void
leasedb_show(struct imsgev *iev)
{
	static struct lease_msg	 lm[LEASES_PERMSG];
	const struct config	*conf = master_conf;
	const struct host	*h;
	struct mlease		**v, *l;
	size_t			 i, k = 0, n = 0;

	if ((v = reallocarray(NULL, nleases + 1, sizeof(*v))) == NULL) {
		log_warn("leases: show");
		return;
	}
	for (i = 0; i < LEASES_BUCKETS; i++)
		for (l = tab[i]; l != NULL; l = l->next)
			v[n++] = l;
	qsort(v, n, sizeof(*v), ip_cmp);
	for (i = 0; i < n; i++) {
		lease_msg(v[i], &lm[k]);
		if ((h = config_host_by_client(conf, lm[k].mac,
		    lm[k].uuid)) != NULL)
			strlcpy(lm[k].hostname, h->conf.name,
			    sizeof(lm[k].hostname));
		if (++k == LEASES_PERMSG || i + 1 == n) {
			imsgev_compose(iev, IMSG_CTL_LEASE, 0, 0, -1, lm,
			    k * sizeof(lm[0]));
			k = 0;
		}
	}
	free(v);
}

size_t
leasedb_count(void)
{
	return nleases;
}
