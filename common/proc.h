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
 * Processes and their channels: the master execs each worker afresh with
 * its imsg socket on fd 3; both ends wrap the socket in an imsgev that
 * the event loop drives.
 */

#ifndef PROC_H
#define PROC_H

#include <sys/queue.h>
#include <sys/types.h>

#include "ev.h"
#include "imsg.h"
#include "log.h"
#include "pxed.h"

#define PROC_IMSG_FD	3

struct imsgev;
typedef void (*imsgev_handler)(struct imsgev *, struct imsg *);
typedef void (*imsgev_closed)(struct imsgev *);

struct imsgev {
	struct imsgbuf	 ibuf;
	struct ev_io	 io;
	imsgev_handler	 handler;
	imsgev_closed	 closed;
	void		*data;
	int		 dead;
	int		 pending;	/* on the list to write this turn */
	TAILQ_ENTRY(imsgev) pend;
};

int	 imsgev_init(struct imsgev *, int, imsgev_handler, imsgev_closed,
	    void *);
void	 imsgev_update(struct imsgev *);
void	 imsgev_flush(struct imsgev *);
int	 imsgev_compose(struct imsgev *, uint32_t, uint32_t, pid_t, int,
	    const void *, size_t);
void	 imsgev_close(struct imsgev *);

pid_t	 proc_exec(const char *, enum proc_id, int, int, int *);

/* sandbox.c, seccomp.c */
void	 sandbox_drop(const char *, const char *);
void	 sandbox_landlock(int);
void	 sandbox_seccomp(enum proc_id);

/*
 * The worker side (worker.c): receive the configuration stream, drop
 * privileges, run the loop.  Each worker supplies these hooks.
 */
struct worker_sock {
	struct reconf_socket	 rs;
	int			 fd;
};

struct worker_ops {
	enum proc_id	 id;
	/* directory to chroot into, from the first configuration */
	const char	*(*chroot_dir)(const struct config *);
	/* after the sandbox: take the sockets, start serving */
	void		 (*start)(struct config *, struct worker_sock *,
			    size_t);
	/* a new configuration replaced the old one (freed after this) */
	void		 (*reconf)(struct config *);
	/* a host's state changed; conf already updated */
	void		 (*host_state)(struct host *);
	/* report counters with worker_stats(): its table */
	void		 (*stats)(void);
	/*
	 * a message of the worker's own (dhcpd's leases, tftpd's transfer
	 * list, httpd's answers); -1: unknown, the channel dies
	 */
	int		 (*dispatch)(struct imsg *);
	/* Landlock: may read files beneath its root (else: no files) */
	int		 reads_files;
};

__dead void	 worker_main(const struct worker_ops *, int, int);
void		 worker_stats(const struct stat_def *, size_t);
extern const struct stat_def	 worker_defs[];	/* every worker's counters */
extern const size_t		 worker_ndefs;
struct imsgev	*worker_master(void);

#endif /* PROC_H */
