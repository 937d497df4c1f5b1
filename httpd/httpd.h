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
 * The HTTP worker: static files from the chrooted HTTP root and the
 * generated endpoints (kickstarts, done reports, iPXE scripts, metrics).
 */

#ifndef HTTPD_H
#define HTTPD_H

#include <sys/queue.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <netinet/in.h>

#include <stdint.h>
#include <time.h>

#include "addr.h"
#include "buf.h"
#include "ev.h"
#include "pxed.h"

#define HTTP_HEADMAX		8192	/* request line and headers */
#define HTTP_LINEMAX		4096	/* request line */
#define HTTP_MAXHEADERS		64
#define HTTP_BODYMAX		4096	/* request bodies are read, ignored */
#define HTTP_HDROUT		1024	/* our response head */
#define HTTP_MAXCONN		16384
#define HTTP_IDLE_TIMEOUT	30000	/* ms between requests */
#define HTTP_HEAD_TIMEOUT	10000	/* ms to send a whole request */
#define HTTP_SEND_TIMEOUT	30000	/* ms without progress writing */
#define HTTP_MASTER_TIMEOUT	5000	/* ms for /done and /metrics */

enum http_method {
	HTTP_GET = 0,
	HTTP_HEAD,
	HTTP_POST,
	HTTP_OTHER,		/* a known method we do not allow: 405 */
};

struct http_request {
	int		 method;	/* enum http_method */
	char		 mname[8];	/* as sent, for the log */
	int		 minor;		/* HTTP/1.minor */
	int		 keepalive;
	char		*path;		/* decoded, normalized; in the buffer */
	char		*query;		/* after '?', raw, or NULL */
	const char	*range;		/* header values or NULL */
	const char	*ims;
	const char	*inm;
	const char	*ifrange;
	uint64_t	 clen;		/* Content-Length of the body */
	size_t		 headlen;
};

/*
 * A small file of the HTTP root kept in memory (filecache.c); files up
 * to FILECACHE_MAX bytes, FC_SLOTS of them (64: at most 4 MiB).
 */
#define FILECACHE_MAX		65536
#define FC_PATHMAX		256
struct fc_entry {
	char		 path[FC_PATHMAX];
	struct stat	 st;
	uint8_t		*data;
	int		 refs;		/* connections sending from it */
};

/* A byte range of a file, resolved against its size. */
struct http_range {
	uint64_t	 off;
	uint64_t	 len;
};

enum conn_state {
	CONN_READ = 0,		/* waiting for (the rest of) a request */
	CONN_MASTER,		/* waiting for the master's answer */
	CONN_WRITE,		/* sending a response */
	CONN_LINGER,		/* closing: draining what the client sends */
	CONN_DEAD,		/* closed, freed from the reaper */
};

struct http_conn {
	TAILQ_ENTRY(http_conn)	 entry;		/* live or dead list */
	TAILQ_ENTRY(http_conn)	 ientry;	/* idle list, while idle */
	int			 idle;
	TAILQ_ENTRY(http_conn)	 wentry;	/* waiting for the master */
	uint32_t		 reqid;		/* of the master request */
	int			 fd;
	int			 state;		/* enum conn_state */
	struct ev_io		 io;
	struct ev_timer		 timer;
	uint64_t		 deadline;	/* ev_now() ms */
	int			 deadkind;	/* what the deadline is for */
	struct in6_addr		 peer;		/* either family (addr.h) */
	char			*in;		/* HTTP_HEADMAX bytes, lazily */
	size_t			 inlen;
	size_t			 scanned;	/* for the end of the head */
	struct http_request	 req;
	int			 parsed;	/* req is valid */
	size_t			 need;		/* head + body bytes */
	/* the response */
	char			*hdr;		/* HTTP_HDROUT, with in */
	size_t			 hdrlen, hdroff;
	struct buf		 body;		/* generated bodies */
	size_t			 bodyoff;
	int			 filefd;
	struct fc_entry		*fc;		/* or the bytes, from memory */
	off_t			 fileoff;
	uint64_t		 fileleft;
	int			 status;
	uint64_t		 bytes;		/* body bytes, for the log */
	int			 close_after;
	int			 cork;		/* big files go out corked */
	int			 corked;	/* TCP_CORK is on */
	struct timespec		 t0;		/* for the log */
	char			 what[32];	/* a generated menu's kind */
	struct ctl_stat		*mstats;	/* /metrics: relayed counters */
	size_t			 nmstats;
};

/* Counters, by status code slot. */
enum http_code_slot {
	HC_200, HC_206, HC_304, HC_400, HC_403, HC_404, HC_405, HC_408,
	HC_413, HC_414, HC_416, HC_431, HC_500, HC_501, HC_503, HC_505,
	HC_OTHER, HC_NSLOTS
};

struct http_counters {
	uint64_t	 requests[HC_NSLOTS];
	uint64_t	 bytes;
	uint64_t	 accepted;
	uint64_t	 active;
	uint64_t	 closed_idle;
	uint64_t	 closed_slow;
	uint64_t	 refused_cap;
	uint64_t	 refused_client;	/* the address's share is full */
	uint64_t	 evicted_idle;		/* made room for a new one */
	uint64_t	 done_ok;
	uint64_t	 done_refused;
	uint64_t	 menus;			/* generated menus served */
	uint64_t	 from_memory;		/* files from filecache.c */
	uint64_t	 sockets, hosts;	/* gauges, when asked */
};

extern const struct stat_def	 http_defs[];
extern const size_t		 http_ndefs;

extern struct http_counters	 http_stats;
extern const struct config	*http_conf;

/* request.c: the parser; pure functions over a buffer */
ssize_t	 http_head_end(const char *, size_t, size_t *);
int	 http_parse(char *, size_t, struct http_request *);
int	 http_path_normalize(char *);
int	 http_range_parse(const char *, uint64_t, struct http_range *);
int	 http_date_parse(const char *, time_t *);
void	 http_date_format(time_t, char *, size_t);

/* response.c: status lines, heads, static files */
const char *http_status_text(int);
int	 http_code_slot(int);
int	 http_slot_code(int);
void	 http_head(struct http_conn *, int, const char *, uint64_t,
	    const char *);
void	 http_error(struct http_conn *, int);
void	 http_text(struct http_conn *, int, const char *);
void	 http_body_reply(struct http_conn *, int, const char *);
void	 http_serve_file(struct http_conn *);
void	 http_file_drop(int, struct fc_entry *);
int	 http_file_exists(const char *);
const char *http_content_type(const char *);

/* filecache.c: small files from memory */
struct fc_entry *filecache_get(const char *, struct stat *);
struct fc_entry *filecache_put(const char *, int, const struct stat *);
void	 filecache_release(struct fc_entry *);

/* routes.c: the generated endpoints */
void	 routes_reconf(const struct config *);
int	 routes_dispatch(struct http_conn *);
int	 routes_menu(struct http_conn *);
void	 routes_done_result(struct http_conn *, int32_t);

/* metrics.c: /metrics in the Prometheus text format */
void	 metrics_add(struct http_conn *, const struct ctl_stat *);
void	 metrics_reply(struct http_conn *);
int	 metrics_parse(const struct ctl_stat *, char *, char *);
void	 routes_master_timeout(struct http_conn *);

/* httpd.c: the connections */
void	 http_respond(struct http_conn *);
uint32_t http_reqid(struct http_conn *);
void	 http_wait_master(struct http_conn *);
struct http_conn *http_conn_find(uint32_t);

#endif /* HTTPD_H */
