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
 * DHCPv6 (RFC 8415, RFC 5970 boot options) in the DHCP worker: the
 * message parser and reply builder (packet6.c), the worker's IPv6 lease
 * table (pool6.c) and the protocol (server6.c).
 */

#ifndef DHCP6_H
#define DHCP6_H

#include <sys/queue.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "pxed.h"

#define DHCP6_SERVER_PORT	547
#define DHCP6_CLIENT_PORT	546
#define DHCP6_MAXLEN		4096	/* largest datagram we parse */
#define DHCP6_REPLYMAX		1232	/* IPv6 minimum MTU - 40 - 8 */
#define DHCP6_RELAY_MAX		32	/* relay layers we unwrap */
#define DHCP6_IA_MAX		4	/* IA_NAs of one message we answer */
#define DHCP6_NEST_MAX		4	/* options open in a reply at once */
#define DHCP6_VENDOR_DATA	64	/* option 16's first data, kept */

enum dhcp6_msgtype {
	DHCP6_SOLICIT = 1,
	DHCP6_ADVERTISE,
	DHCP6_REQUEST,
	DHCP6_CONFIRM,
	DHCP6_RENEW,
	DHCP6_REBIND,
	DHCP6_REPLY,
	DHCP6_RELEASE,
	DHCP6_DECLINE,
	DHCP6_RECONFIGURE,
	DHCP6_INFORMATION_REQUEST,
	DHCP6_RELAY_FORW,
	DHCP6_RELAY_REPL,
};

enum dhcp6_opt {
	D6O_CLIENTID = 1,
	D6O_SERVERID = 2,
	D6O_IA_NA = 3,
	D6O_IA_TA = 4,
	D6O_IAADDR = 5,
	D6O_ORO = 6,
	D6O_PREFERENCE = 7,
	D6O_ELAPSED_TIME = 8,
	D6O_RELAY_MSG = 9,
	D6O_AUTH = 11,
	D6O_UNICAST = 12,
	D6O_STATUS_CODE = 13,
	D6O_RAPID_COMMIT = 14,
	D6O_USER_CLASS = 15,
	D6O_VENDOR_CLASS = 16,
	D6O_VENDOR_OPTS = 17,
	D6O_INTERFACE_ID = 18,
	D6O_DNS_SERVERS = 23,
	D6O_DOMAIN_LIST = 24,
	D6O_IA_PD = 25,
	D6O_BOOTFILE_URL = 59,
	D6O_BOOTFILE_PARAM = 60,
	D6O_CLIENT_ARCH = 61,
	D6O_NII = 62,
	D6O_CLIENT_LINKLAYER = 79,
};

enum dhcp6_status {
	D6S_SUCCESS = 0,
	D6S_UNSPECFAIL,
	D6S_NOADDRSAVAIL,
	D6S_NOBINDING,
	D6S_NOTONLINK,
	D6S_USEMULTICAST,
};

enum duid_type {
	DUID_LLT = 1,
	DUID_EN = 2,
	DUID_LL = 3,
	DUID_UUID = 4,
};

#define DHCP6_ENTERPRISE_PXE	343	/* Intel: "PXEClient", "HTTPClient" */

/* One RELAY-FORW layer, outermost first: echoed in the RELAY-REPL. */
struct dhcp6_relay {
	uint8_t		 hops;
	struct in6_addr	 link;
	struct in6_addr	 peer;
	const uint8_t	*ifid;		/* option 18, NULL: none */
	size_t		 ifidlen;
};

/* One IA_NA of the client's message, and the first address it names. */
struct dhcp6_ia {
	uint32_t	 iaid;
	uint32_t	 t1, t2;
	int		 have_addr;
	struct in6_addr	 addr;		/* the first IAADDR inside */
};

/*
 * A parsed message: the innermost client message, the relay layers that
 * carried it and what the server needs of its options.  Pointers point
 * into buf, a copy of the datagram.  Unknown options are skipped;
 * anything that does not fit its length is an error.
 */
struct dhcp6_msg {
	uint8_t		 type;			/* enum dhcp6_msgtype */
	uint8_t		 xid[3];
	struct dhcp6_relay relays[DHCP6_RELAY_MAX];
	size_t		 nrelays;
	const uint8_t	*opts;			/* the client's options */
	size_t		 optslen;
	const uint8_t	*clientid;		/* option 1's DUID, NULL: none */
	size_t		 clientidlen;
	const uint8_t	*serverid;		/* option 2's DUID */
	size_t		 serveridlen;
	struct dhcp6_ia	 ias[DHCP6_IA_MAX];
	size_t		 nias;			/* IA_NAs past IA_MAX: ignored */
	const uint8_t	*oro;			/* option 6, pairs of bytes */
	size_t		 orolen;
	int		 rapid_commit;
	int		 have_arch;
	uint16_t	 arch;			/* option 61's first type */
	int		 have_vendor;
	uint32_t	 enterprise;		/* option 16 */
	char		 vendor[DHCP6_VENDOR_DATA];	/* its first data, NUL-
						   terminated, printable */
	int		 ipxe;			/* option 15 says "iPXE" */
	int		 have_llmac;		/* option 79 (innermost relay)
						   with hardware type 1 */
	uint8_t		 llmac[6];
	uint8_t		 buf[DHCP6_MAXLEN];
};

/* A reply being built: options may nest (IA_NA > IAADDR, status). */
struct dhcp6_reply {
	uint8_t		 buf[DHCP6_REPLYMAX];
	size_t		 len;
	int		 overflow;
	size_t		 open[DHCP6_NEST_MAX];	/* offsets of open options */
	size_t		 nopen;
};

/* packet6.c */
int		 dhcp6_parse(struct dhcp6_msg *, const uint8_t *, size_t,
		    const char **);
const uint8_t	*dhcp6_opt(const uint8_t *, size_t, uint16_t, size_t *);
int		 dhcp6_oro_has(const struct dhcp6_msg *, uint16_t);
int		 duid_mac(const uint8_t *, size_t, uint8_t [6]);
int		 duid_uuid(const uint8_t *, size_t, uint8_t [PXED_UUIDLEN]);
int		 eui64_mac(const struct in6_addr *, uint8_t [6]);
void		 dhcp6_reply_init(struct dhcp6_reply *, uint8_t,
		    const uint8_t [3]);
void		 dhcp6_reply_opt(struct dhcp6_reply *, uint16_t,
		    const void *, size_t);
void		 dhcp6_reply_data(struct dhcp6_reply *, const void *,
		    size_t);
void		 dhcp6_reply_begin(struct dhcp6_reply *, uint16_t);
void		 dhcp6_reply_end(struct dhcp6_reply *);
void		 dhcp6_reply_status(struct dhcp6_reply *, uint16_t,
		    const char *);
int		 dhcp6_reply_wrap(struct dhcp6_reply *,
		    const struct dhcp6_reply *, const struct dhcp6_msg *);

/* pool6.c: the worker's IPv6 leases */
struct lease6 {
	struct lease6		*anext;		/* address index */
	struct lease6		*dnext;		/* DUID index */
	TAILQ_ENTRY(lease6)	 q;		/* offers, or spare */
	struct in6_addr		 addr;
	int64_t			 expires;
	uint32_t		 iaid;
	int16_t			 subnet;	/* -1: outside every subnet */
	uint8_t			 state;		/* enum lease_state */
	uint8_t			 offered;	/* in the offers FIFO */
	uint8_t			 indexed;	/* in the DUID index */
	uint8_t			 stranger;	/* its client is not a host */
	uint8_t			 duidlen;
	uint8_t			 ratecnt;	/* flood limit: requests ... */
	uint32_t		 ratewin;	/* ... since this ev_now() */
	uint8_t			 mac[6];	/* zero: unknown */
	uint8_t			 uuid[PXED_UUIDLEN];
	uint8_t			 duid[PXED_DUIDMAX];
};

void		 pool6_init(const struct config *);
size_t		 pool6_count(void);
struct lease6	*pool6_by_addr(const struct in6_addr *);
struct lease6	*pool6_by_duid(const uint8_t *, size_t, int);
void		 pool6_bind(struct lease6 *, const uint8_t *, size_t, int,
		    int);
void		 pool6_set(struct lease6 *, uint8_t, int64_t);
struct lease6	*pool6_pick(const struct config *, int, int, int64_t);
struct lease6	*pool6_get(const struct in6_addr *);
void		 pool6_load(const struct lease_msg *);
uint64_t	 addr6_diff(const struct in6_addr *, const struct in6_addr *);
void		 addr6_add(const struct in6_addr *, uint64_t,
		    struct in6_addr *);

/* server6.c: the DHCPv6 protocol */
struct worker_sock;
void		 server6_start(const struct config *, struct worker_sock *,
		    size_t);
void		 server6_reconf(const struct config *);
void		 server6_lease(uint32_t, const struct lease_msg *);
size_t		 server6_nsocks(void);

/* ra.c: router advertisements */
void		 ra_start(const struct config *, struct worker_sock *, size_t);
void		 ra_reconf(const struct config *);
size_t		 ra_nsocks(void);

#endif /* DHCP6_H */
