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
 * Types shared by the master, the workers and pxectl: the configuration
 * (filled by the master's YAML loader, rebuilt by each worker from the
 * RECONF stream), the imsg types and their fixed-size wire structs.
 */

#ifndef PXED_H
#define PXED_H

#include <sys/types.h>
#include <netinet/in.h>
#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

#define PXED_CONF		"/etc/pxed/pxed.yaml"
#define PXED_SOCKET		"/var/run/pxed.sock"
#define PXED_USER		"_pxed"
#define PXED_STATEDIR		"/var/db/pxed"
#define PXED_TFTPROOT		"/srv/pxed/tftp"
#define PXED_HTTPROOT		"/srv/pxed/http"
#define PXED_EMPTYDIR		"empty"		/* dhcpd chroot, in state dir */
#define PXED_KEYFILE		"secret.key"
#define PXED_HOSTSFILE		"hosts"

#define PXED_NAMELEN		64	/* host and profile names, with NUL */
#define PXED_USERLEN		32
#define PXED_PATHLEN		256
#define PXED_CCLEN		16	/* TCP_CA_NAME_MAX */
#define PXED_STRLEN		512	/* boot file names and URLs */
#define PXED_APPENDLEN		1024
#define PXED_VARKEYLEN		64
#define PXED_VARVALLEN		256
#define PXED_DOMAINLEN		256
#define PXED_MAXIFS		8
#define PXED_MAXDNS		4
#define PXED_TOKENLEN		32	/* hex characters */
#define PXED_KEYLEN		32	/* crypto_generichash_KEYBYTES */
#define PXED_TMPLMAX		(60 * 1024)	/* largest kickstart template */
#define PXED_ERRLEN		512
#ifndef nitems
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#define PXED_STATNAMELEN	48
#define PXED_METRICLEN		64
#define PXED_HELPLEN		96
#define PXED_TFTP_PER_CLIENT	16	/* a storm of machines never needs more */
#define PXED_HTTP_PER_CLIENT	64
#define PXED_HOSTMACS		8	/* NICs of one host */
#define PXED_UUIDLEN		16	/* SMBIOS system UUID, bytes */
#define PXED_DUIDMAX		130	/* RFC 8415 11.1: type code included */

enum dhcp_mode {
	DHCP_MODE_OFF = 0,
	DHCP_MODE_FULL,
	DHCP_MODE_PROXY,
};

/* First-stage loader by client kind; index into server_conf.boot. */
enum boot_kind {
	BOOT_BIOS = 0,
	BOOT_UEFI,
	BOOT_ARM64,
	BOOT_HTTP,
	BOOT_HTTP_ARM64,
	BOOT_IPXE,
	BOOT_NKINDS
};

enum unknown_policy {
	UNKNOWN_LOCAL = 0,
	UNKNOWN_MENU,
	UNKNOWN_IGNORE,
};

enum host_state {
	HOST_LOCAL = 0,
	HOST_INSTALL,
};

enum proc_id {
	PROC_MASTER = 0,
	PROC_DHCPD,
	PROC_TFTPD,
	PROC_HTTPD,
	PROC_MAX
};

struct server_conf {
	char		 ifnames[PXED_MAXIFS][IF_NAMESIZE];
	uint32_t	 nifs;
	struct in_addr	 address;
	char		 user[PXED_USERLEN];
	char		 state[PXED_PATHLEN];
	char		 tftp_root[PXED_PATHLEN];
	uint16_t	 tftp_port;
	uint32_t	 tftp_per_client;	/* transfers of one address */
	char		 http_root[PXED_PATHLEN];
	uint16_t	 http_port;
	uint32_t	 http_per_client;	/* connections of one address */
	char		 http_cc[PXED_CCLEN];	/* "" the default: cubic */
	uint32_t	 dhcp_mode;		/* enum dhcp_mode */
	uint32_t	 lease_secs;
	char		 boot[BOOT_NKINDS][PXED_STRLEN];
	uint32_t	 unknown;		/* enum unknown_policy */
	/* IPv6: address6 "::" (unset) takes the first interface's */
	struct in6_addr	 address6;
	uint32_t	 dhcp6_mode;		/* DHCP_MODE_OFF or _FULL */
	uint32_t	 lease6_secs;
	uint32_t	 ra;			/* send router advertisements */
	/* not the inventory's: the master's, from the state directory */
	uint16_t	 duidlen;		/* the DHCPv6 server DUID */
	uint8_t		 duid[PXED_DUIDMAX];
};

struct subnet_conf {
	struct in_addr	 network;
	struct in_addr	 netmask;
	uint32_t	 prefixlen;
	struct in_addr	 range_lo;
	struct in_addr	 range_hi;
	struct in_addr	 router;		/* INADDR_ANY: none */
	struct in_addr	 dns[PXED_MAXDNS];
	uint32_t	 ndns;
	char		 domain[PXED_DOMAINLEN];
};

/* A dhcp6 subnet: the on-link prefix, its pool and what REPLYs carry. */
struct subnet6_conf {
	struct in6_addr	 network;
	uint32_t	 prefixlen;
	uint32_t	 ndns;
	struct in6_addr	 range_lo;
	struct in6_addr	 range_hi;
	struct in6_addr	 router;		/* "::": none, RA lifetime 0 */
	struct in6_addr	 dns[PXED_MAXDNS];
	uint32_t	 slaac;			/* RA prefix A flag */
};

struct profile_conf {
	char		 name[PXED_NAMELEN];
	char		 kernel[PXED_PATHLEN];
	char		 initrd[PXED_PATHLEN];
	char		 append[PXED_APPENDLEN];
	char		 kickstart[PXED_PATHLEN];	/* path, "" if none */
};

/*
 * A host is a machine: any of its MACs, or its SMBIOS UUID, is it.  The
 * UUID is kept in the order dmidecode prints it; all zero: none.
 */
struct host_conf {
	char		 name[PXED_NAMELEN];
	uint8_t		 macs[PXED_HOSTMACS][6];
	uint32_t	 nmacs;			/* at least 1 */
	uint8_t		 uuid[PXED_UUIDLEN];
	struct in_addr	 ip;			/* INADDR_ANY: from the pool */
	int32_t		 profile;		/* index, -1: none */
	uint32_t	 install;		/* inventory's install: flag */
	struct in6_addr	 ip6;			/* "::": from the dhcp6 pool */
};

struct host_var {
	uint32_t	 host;			/* index into hosts */
	char		 key[PXED_VARKEYLEN];
	char		 value[PXED_VARVALLEN];
};

/*
 * Runtime state of a host, owned by the master.  Two keyed hashes of
 * the same generation: token opens the kickstart, done reports the end
 * of the install; knowing one gives nothing of the other.
 */
struct host_runtime {
	uint32_t	 state;			/* enum host_state */
	uint32_t	 generation;
	char		 token[PXED_TOKENLEN + 1];
	char		 done[PXED_TOKENLEN + 1];
};

struct host {
	struct host_conf	 conf;
	struct host_runtime	 rt;
};

struct config {
	struct server_conf	 server;
	struct subnet_conf	*subnets;
	size_t			 nsubnets, subnets_cap;
	struct subnet6_conf	*subnets6;
	size_t			 nsubnets6, subnets6_cap;
	struct profile_conf	*profiles;
	char			**templates;	/* per profile, NULL if none */
	size_t			 nprofiles, profiles_cap;
	struct host		*hosts;
	size_t			 nhosts, hosts_cap;
	uint32_t		*byname;	/* host index + 1 by name, */
	uint32_t		*byip;		/* by fixed address, */
	uint32_t		*byuuid;	/* by UUID, */
	uint32_t		*byip6;		/* by fixed IPv6 address */
	size_t			 idx_mask;	/* slots - 1 of each */
	uint32_t		*bymac;		/* every MAC of every host */
	size_t			 mac_mask;	/* its slots - 1 */
	size_t			 nmacs;		/* MACs in it */
	struct host_var		*vars;
	size_t			 nvars, vars_cap;
};

/*
 * Messages between the master and its workers (fd 3), and between the
 * master and pxectl (control socket).
 */
enum imsg_type {
	IMSG_NONE = 0,
	/* master -> worker: the configuration, as a stream */
	IMSG_RECONF_START,	/* struct reconf_start */
	IMSG_RECONF_SUBNET,	/* struct subnet_conf */
	IMSG_RECONF_SUBNET6,	/* struct subnet6_conf */
	IMSG_RECONF_PROFILE,	/* struct profile_conf */
	IMSG_RECONF_TEMPLATE,	/* struct reconf_template + text */
	IMSG_RECONF_HOST,	/* 1..RECONF_HOSTS_MAX struct host */
	IMSG_RECONF_VAR,	/* 1..RECONF_VARS_MAX struct host_var */
	IMSG_RECONF_SOCKET,	/* struct reconf_socket, with an fd */
	IMSG_RECONF_END,	/* no data */
	/* master -> worker: a host's state changed */
	IMSG_HOST_STATE,	/* struct host_state_msg */
	/* master -> worker, and pxectl -> master */
	IMSG_CTL_LOG_VERBOSE,	/* int32_t level */
	/* worker -> master */
	IMSG_LOG,		/* int32_t priority + text */
	IMSG_STATS_REQ,		/* master -> worker, no data */
	IMSG_STATS,		/* struct stat_entry */
	IMSG_STATS_END,		/* no data */
	/* pxectl -> master */
	IMSG_CTL_SHOW_HOSTS,	/* no data */
	IMSG_CTL_SHOW_STATS,	/* no data */
	IMSG_CTL_RELOAD,	/* no data */
	IMSG_CTL_HOST_SET,	/* struct ctl_host_set */
	/* master -> pxectl */
	IMSG_CTL_HOST,		/* struct ctl_host */
	IMSG_CTL_STAT,		/* struct ctl_stat */
	IMSG_CTL_OK,		/* no data */
	IMSG_CTL_ERROR,		/* text, NUL-terminated, may be sent several times */
	IMSG_CTL_END,		/* no data: the end of a reply */
	/* DHCP leases: the master owns them (issue: DHCP worker) */
	IMSG_RECONF_LEASE,	/* master -> dhcpd: 1..IMSG_RECONF_LEASE_MAX
				   struct lease_msg */
	IMSG_LEASE_COMMIT,	/* dhcpd -> master: struct lease_msg */
	IMSG_LEASE_RESULT,	/* master -> dhcpd: struct lease_msg */
	IMSG_LEASE_RELEASE,	/* dhcpd -> master: struct lease_msg */
	IMSG_CTL_SHOW_LEASES,	/* pxectl -> master, no data */
	IMSG_CTL_LEASE,		/* master -> pxectl: 1..IMSG_RECONF_LEASE_MAX
				   struct lease_msg */
	/* install done (issue: HTTP worker) */
	IMSG_HOST_DONE,		/* httpd -> master: struct host_done_msg */
	/* transfers in flight (issue: TFTP worker) */
	IMSG_CTL_SHOW_TRANSFERS, /* pxectl -> master, no data */
	IMSG_TRANSFERS_REQ,	/* master -> worker, no data */
	IMSG_TRANSFER,		/* worker -> master: struct transfer_msg */
	IMSG_TRANSFERS_END,	/* worker -> master, no data */
	IMSG_CTL_TRANSFER,	/* master -> pxectl: struct transfer_msg */
	/* install done and metrics (issue: HTTP worker) */
	IMSG_HOST_DONE_RESULT,	/* master -> httpd: struct host_done_msg */
	IMSG_METRICS_REQ,	/* httpd -> master, no data; peerid: reqid */
	IMSG_METRICS_STAT,	/* master -> httpd: struct ctl_stat */
	IMSG_METRICS_END,	/* master -> httpd, no data */
	/* PXE clients not in the inventory (issue: for admins) */
	IMSG_UNKNOWN_SEEN,	/* dhcpd -> master: struct unknown_msg */
	IMSG_CTL_SHOW_UNKNOWN,	/* pxectl -> master, no data */
	IMSG_CTL_UNKNOWN,	/* master -> pxectl: struct unknown_msg */
	IMSG_CTL_PROFILE,	/* master -> pxectl: struct ctl_profile */
	/* who is asking: address bindings (common/ident.c) */
	IMSG_IDENT,		/* master -> tftpd, httpd: 1..IMSG_IDENT_MAX
				   struct ident_msg */
	IMSG_IDENT_SEEN,	/* dhcpd -> master: struct ident_msg, a
				   DHCPREQUEST seen in proxy or off mode */
	/* the master's inventory parser child -> master (reload.c) */
	IMSG_RELOAD_ERRORS,	/* text without a NUL */
	IMSG_RELOAD_FAILED,	/* no data: the errors are all sent */
	IMSG_MAX
};

/* Which socket an IMSG_RECONF_SOCKET carries. */
enum sock_kind {
	SOCK_DHCP = 0,		/* udp/67 */
	SOCK_PROXY,		/* udp/4011 */
	SOCK_TFTP,		/* udp/69 */
	SOCK_HTTP,		/* tcp/80, listening */
	SOCK_DHCP_RAW,		/* AF_PACKET, to unicast DHCP replies */
	SOCK_DHCP_WATCH,	/* AF_PACKET, udp/67 seen, never answered
				   (dhcp mode off) */
	SOCK_DHCP6,		/* udp/547, joined to ff02::1:2 */
	SOCK_RA,		/* raw ICMPv6: router solicitations in,
				   advertisements out (dhcp6.ra) */
	SOCK_TFTP6,		/* udp6/69, when the server has an IPv6
				   address */
	SOCK_HTTP6,		/* tcp6/80, listening, likewise */
};

struct reconf_socket {
	uint32_t	 kind;			/* enum sock_kind */
	char		 ifname[IF_NAMESIZE];
	struct in_addr	 ifaddr;
	struct in6_addr	 ifaddr6;		/* first global or ULA, or :: */
	uint32_t	 ifindex;
};

struct reconf_template {
	uint32_t	 profile;		/* index */
	uint32_t	 len;			/* text bytes that follow */
};

struct host_state_msg {
	char			 name[PXED_NAMELEN];
	struct host_runtime	 rt;
};

/*
 * One counter of a process, as it travels: its name for "pxectl show
 * stats", its /metrics family (pxed_ is prefixed; it may carry labels,
 * {code="200"}), its help text and whether it is a gauge (goes up and
 * down) or a counter (only grows).
 */
struct stat_entry {
	char		 name[PXED_STATNAMELEN];
	char		 metric[PXED_METRICLEN];
	char		 help[PXED_HELPLEN];
	uint32_t	 gauge;
	uint64_t	 value;
};

/*
 * Where a counter is defined: one line in its process's table, which
 * the stats reply, "pxectl show stats" and /metrics all read.
 */
struct stat_def {
	const char	*name;
	const char	*metric;
	int		 gauge;
	const char	*help;
	const uint64_t	*value;
};

void		 stat_entry_set(struct stat_entry *, const struct stat_def *);
int		 sort_ptrs(void **, size_t, int (*)(const void *, const void *));

struct ctl_stat {
	char		 proc[16];
	int32_t		 pid;
	struct stat_entry entry;
};

struct ctl_host {
	char		 name[PXED_NAMELEN];
	uint8_t		 macs[PXED_HOSTMACS][6];
	uint32_t	 nmacs;
	uint8_t		 uuid[PXED_UUIDLEN];	/* zero: none */
	struct in_addr	 ip;
	char		 profile[PXED_NAMELEN];
	struct host_runtime rt;
	struct in6_addr	 ip6;			/* "::": none */
};

struct ctl_host_set {
	char		 name[PXED_NAMELEN];
	uint32_t	 state;			/* enum host_state */
};

enum lease_state {
	LEASE_FREE = 0,
	LEASE_OFFERED,
	LEASE_ACTIVE,
	LEASE_RELEASED,
	LEASE_DECLINED,		/* quarantined */
};

/*
 * A lease of either family.  IPv4: ip, keyed by it, the client by mac.
 * IPv6 (v6 set): ip6, the client by its DUID (the IAID is kept, but
 * firmware draws a new one each boot), mac when the DUID or the link-
 * local source names one (zero: unknown).
 */
struct lease_msg {
	uint32_t	 reqid;		/* dhcpd's, echoed in the result */
	int32_t		 result;	/* 0, or an errno: not durable */
	uint8_t		 mac[6];
	uint8_t		 v6;		/* 1: an IPv6 lease */
	uint8_t		 duidlen;
	struct in_addr	 ip;
	uint32_t	 state;		/* enum lease_state */
	int64_t		 expires;	/* time(3) seconds */
	char		 hostname[PXED_NAMELEN];
	uint8_t		 uuid[PXED_UUIDLEN];	/* option 97, zero: none */
	struct in6_addr	 ip6;
	uint32_t	 iaid;
	uint8_t		 duid[PXED_DUIDMAX];
	uint16_t	 pad;
};

/* leases in one IMSG_RECONF_LEASE or IMSG_CTL_LEASE, under IMSG_MAXSIZE */
#define IMSG_RECONF_LEASE_MAX	(64 * 1024 / sizeof(struct lease_msg))

struct host_done_msg {
	char		 name[PXED_NAMELEN];
	char		 token[PXED_TOKENLEN + 1];
	struct in6_addr	 from;		/* either family (addr.h) */
	uint32_t	 reqid;		/* httpd's, echoed in the result */
	int32_t		 result;	/* 0: done, now local; else refused */
};

struct transfer_msg {
	char		 proc[16];
	char		 peer[64];	/* address:port, [address]:port */
	char		 file[PXED_PATHLEN];
	uint64_t	 bytes;
	uint64_t	 size;		/* 0: unknown */
	uint32_t	 blksize;
	uint32_t	 windowsize;
	uint64_t	 started_ms;	/* age in ms */
};

/*
 * A booting MAC the inventory does not list.  From dhcpd only mac, uuid,
 * arch, archname and vendor count; the master keeps the times and the
 * count.
 */
struct unknown_msg {
	uint8_t		 mac[6];
	uint16_t	 arch;		/* option 93 */
	uint8_t		 uuid[PXED_UUIDLEN];	/* option 97, zero: none */
	char		 archname[16];
	char		 vendor[64];	/* option 60, printable */
	int64_t		 first;		/* time(3) seconds */
	int64_t		 last;
	uint32_t	 count;
	uint32_t	 pad;
};

struct ctl_profile {
	char		 name[PXED_NAMELEN];
};

enum ident_op {
	IDENT_BIND = 1,
	IDENT_UNBIND,
};

/*
 * An address bound to a client: IPv4 in ip, or with v6 set (an IPv6
 * lease) in ip6.  The client is its MAC, zero when an IPv6 client named
 * none, and its UUID.
 */
struct ident_msg {
	uint32_t	 op;		/* enum ident_op */
	struct in_addr	 ip;
	uint8_t		 mac[6];
	uint8_t		 v6;
	uint8_t		 pad;
	uint8_t		 uuid[PXED_UUIDLEN];	/* option 97, zero: none */
	struct in6_addr	 ip6;
};

#define IMSG_IDENT_MAX		512	/* bindings in one IMSG_IDENT */

/* util.c */
const char	*proc_name(enum proc_id);
int		 hex_digit(int);
int		 mac_parse(const char *, uint8_t [6]);
void		 mac_format(const uint8_t [6], char *, size_t);
int		 uuid_parse(const char *, uint8_t [PXED_UUIDLEN]);
void		 uuid_format(const uint8_t [PXED_UUIDLEN], char *, size_t);
void		 uuid_swap(const uint8_t [PXED_UUIDLEN],
		    uint8_t [PXED_UUIDLEN]);
int		 uuid_usable(const uint8_t [PXED_UUIDLEN]);
int		 duration_parse(const char *, uint32_t *);
const char	*boot_kind_name(enum boot_kind);
const char	*dhcp_mode_name(enum dhcp_mode);
const char	*unknown_name(enum unknown_policy);
const char	*host_state_name(enum host_state);
int		 host_name_valid(const char *);
uint32_t	 hash_fnv1a(const void *, size_t);
int		 prefix_eq(const void *, const void *, uint32_t);
void		 hex_format(const uint8_t *, size_t, char *, size_t);
int		 write_all(int, const void *, size_t);
int		 journal_append(int, off_t, const void *, size_t);
int		 durable_replace(int, const char *, mode_t,
		    int (*)(int, void *), void *);

/* config helpers shared by master and workers (conf.c) */
void		 config_init(struct config *);
void		 config_free(struct config *);
struct host	*config_find_host(const struct config *, const char *);
struct host	*config_host_by_mac(const struct config *, const uint8_t [6]);
struct host	*config_host_by_uuid(const struct config *,
		    const uint8_t [PXED_UUIDLEN]);
struct host	*config_host_by_client(const struct config *, const uint8_t [6],
		    const uint8_t [PXED_UUIDLEN]);
int		 host_has_mac(const struct host *, const uint8_t [6]);
struct host	*config_host_by_ip(const struct config *, struct in_addr);
struct host	*config_host_by_ip6(const struct config *,
		    const struct in6_addr *);
int		 subnet_find(const struct config *, struct in_addr);
int		 subnet6_of(const struct config *, const struct in6_addr *);
int		 config_reserve(struct config *, size_t, size_t, size_t);
int		 config_add_subnet(struct config *, const struct subnet_conf *);
int		 config_add_subnet6(struct config *,
		    const struct subnet6_conf *);
int		 config_add_profile(struct config *, const struct profile_conf *);
int		 config_add_host(struct config *, const struct host *);
int		 config_add_var(struct config *, const struct host_var *);
const char	*config_host_var(const struct config *, size_t, const char *);

#endif /* PXED_H */
