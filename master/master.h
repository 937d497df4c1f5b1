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

/* The master: inventory loader, state store, sockets, control, supervision. */

#ifndef MASTER_H
#define MASTER_H

#include <stdio.h>

#include "buf.h"
#include "pxed.h"

#include "proc.h"
#include "reconf.h"

struct listener {
	struct reconf_socket	 rs;
	uint16_t		 port;
	int			 fd;
};

/* supervise.c: a worker, its channel, its restarts */
struct proc_slot {
	enum proc_id		 id;
	pid_t			 pid;		/* 0: not running */
	struct imsgev		 iev;
	int			 connected;
	uint64_t		 started;	/* ev_now() ms */
	uint32_t		 backoff;	/* ms before the next restart */
	uint32_t		 restarts;
	int			 planned;	/* restart at once, no backoff */
	struct ev_timer		 restart;
	struct reconf_tx	 tx;		/* its configuration stream */
	int			 tx_sockets;	/* ... is its first */
	uint64_t		 tx_reload;	/* ... of this reload */
	uint64_t		 tx_moved;	/* ... its last step, ms */
};

/* pxed.c: the master process: start, signals, the inventory in force */
extern struct config	*master_conf;

int	 master_load_config(struct config *, struct buf *);
int	 master_reload_apply(struct config *, struct buf *);
void	 master_log_errors(const char *, struct buf *);
int	 master_set_host_state(const char *, enum host_state, struct buf *);
void	 master_setverbose(int);
uint64_t master_reloads(void);
uint64_t master_uptime(void);

/* done.c: an installer's done report, decided by the master */
int	 master_host_done(struct host_done_msg *);

/* supervise.c: the workers, their channels and their restarts */
void	 supervise_init(const char *, int, int);
void	 supervise_set_listeners(struct listener *, size_t);
void	 supervise_start_all(void);
void	 supervise_reap(void);
void	 supervise_reconf_all(void);
void	 supervise_restart_all(void);
void	 supervise_broadcast(uint32_t, const void *, size_t);
void	 supervise_shutdown(void);
struct proc_slot *master_proc(enum proc_id);

/* state.c: the state directory, the token key, host states */
int	 state_open(const char *);
void	 state_apply(struct config *, const struct config *);
int	 state_reload(struct config *, const struct config *);
int	 state_save(const struct config *);
int	 state_journal(const struct config *, struct host *const *, size_t);
int	 state_host_set(struct config *, struct host *, enum host_state);
void	 state_host_change(struct host *, enum host_state);
int	 state_dir(void);

/* duid.c: the DHCPv6 server DUID, kept in the state directory */
int	 duid_load(struct server_conf *);

/* leasedb.c: the DHCP leases, durable before dhcpd ACKs them */
int	 leasedb_open(void);
void	 leasedb_commit(const struct lease_msg *, pid_t);
int	 leasedb_release(const struct lease_msg *);
void	 leasedb_send(struct imsgev *);
void	 leasedb_show(struct imsgev *);
size_t	 leasedb_count(void);
const char *lease_addr(const struct lease_msg *, char *, size_t);

/* reload.c: the inventory read again in a child, the master answering */
int	 reload_request(uint32_t, struct buf *);

/* bindings.c: which MAC holds which address, for tftpd and httpd */
void	 bindings_lease(const struct lease_msg *);
void	 bindings_flush(void);
int	 bindings_seen(const struct ident_msg *);
void	 bindings_send(struct imsgev *);

/* sockets.c: the privileged descriptors the workers get */
int	 sockets_resolve_address(struct config *, struct buf *);
int	 sockets_open(const struct config *, const struct listener *, size_t,
	    struct listener **, size_t *, struct buf *);
void	 sockets_close(struct listener *, size_t);
enum proc_id sockets_owner(enum sock_kind);
int	 sockets_set_congestion(const struct listener *, size_t,
	    const struct server_conf *, struct buf *);
int	 sockets_changed(const struct server_conf *,
	    const struct server_conf *);

/* control.c: the pxectl socket */
int	 control_init(const char *);
void	 control_cleanup(const char *);
void	 control_reload_done(uint32_t, int, struct buf *);

/* fanout.c: asking every worker at once, for pxectl and /metrics */
struct fanout_ops {
	void	(*stat)(void *, enum proc_id, pid_t,
		    const struct stat_entry *);
	void	(*transfer)(void *, enum proc_id,
		    const struct transfer_msg *);
	void	(*end)(void *);
};
uint32_t fanout_start(uint32_t, uint32_t, uint64_t,
	    const struct fanout_ops *, void *);
void	 fanout_cancel(uint32_t);
void	 fanout_stat(uint32_t, enum proc_id, pid_t,
	    const struct stat_entry *);
void	 fanout_transfer(uint32_t, enum proc_id,
	    const struct transfer_msg *);
void	 fanout_done(uint32_t, enum proc_id);
void	 fanout_proc_gone(enum proc_id);

/* unknown.c: PXE clients the inventory does not list */
int	 unknown_add(struct unknown_msg *);
void	 unknown_show(struct imsgev *, const struct config *);
void	 unknown_reconf(const struct config *);

/* metrics.c: the counters of every process, relayed to httpd */
void	 metrics_request(uint32_t);

/* config.c: the YAML inventory */

/*
 * Load and validate the inventory at path into conf (config_init'ed by
 * the caller).  Every error is appended to errs as one line
 * "file:line:column: message\n".  Returns the number of errors; on
 * errors conf is left for config_free only.
 */
int	 config_load(const char *, struct config *, struct buf *);

/* The normalized inventory, as YAML that config_load reads back the same. */
void	 config_print(const struct config *, FILE *);

#endif /* MASTER_H */
