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

#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "proc.h"

static void	 imsgev_dispatch(int, int, void *);
static void	 imsgev_write_pending(void);

int
imsgev_init(struct imsgev *iev, int fd, imsgev_handler handler,
    imsgev_closed closed, void *data)
{
	memset(iev, 0, sizeof(*iev));
	if (imsgbuf_init(&iev->ibuf, fd) == -1)
		return -1;
	iev->handler = handler;
	iev->closed = closed;
	iev->data = data;
	iev->pending = 0;
	ev_set_flush(imsgev_write_pending);
	if (ev_io_add(&iev->io, fd, EV_READ, imsgev_dispatch, iev) == -1) {
		imsgbuf_clear(&iev->ibuf);
		return -1;
	}
	return 0;
}

/*
 * Channels with messages composed this loop turn: written when the loop
 * is about to wait (one write for all of a turn's messages, no epoll
 * change to ask for EV_WRITE and one to drop it), and only what the
 * socket would not take waits for EV_WRITE.
 */
static TAILQ_HEAD(, imsgev)	 imsgev_pending =
    TAILQ_HEAD_INITIALIZER(imsgev_pending);

static void
imsgev_write_pending(void)
{
	struct imsgev	*iev;

	while ((iev = TAILQ_FIRST(&imsgev_pending)) != NULL) {
		TAILQ_REMOVE(&imsgev_pending, iev, pend);
		iev->pending = 0;
		/* an error is left for the dispatch to find (EV_WRITE) */
		(void)imsgbuf_write(&iev->ibuf);
		imsgev_update(iev);
	}
}

/* Ask for EV_WRITE only while something waits to be written. */
void
imsgev_update(struct imsgev *iev)
{
	int	 events = EV_READ;

	if (iev->dead)
		return;
	if (imsgbuf_queuelen(&iev->ibuf) > 0)
		events |= EV_WRITE;
	ev_io_set(&iev->io, events);
}

int
imsgev_compose(struct imsgev *iev, uint32_t type, uint32_t peerid,
    pid_t pid, int fd, const void *data, size_t len)
{
	if (iev->dead) {
		if (fd != -1)
			close(fd);
		errno = EPIPE;
		return -1;
	}
	if (imsg_compose(&iev->ibuf, type, peerid, pid, fd, data, len) == -1) {
		log_warn("imsg_compose type %u", type);
		if (fd != -1)
			close(fd);
		return -1;
	}
	if (!iev->pending) {
		iev->pending = 1;
		TAILQ_INSERT_TAIL(&imsgev_pending, iev, pend);
	}
	return 0;
}

/*
 * Write what waits now, for a message a client is waiting on: a busy
 * loop gets to the channel's EV_WRITE only after every other ready
 * descriptor, hundreds of milliseconds in a boot storm.  An error is
 * left for the dispatch to find.
 */
void
imsgev_flush(struct imsgev *iev)
{
	if (iev->dead)
		return;
	(void)imsgbuf_write(&iev->ibuf);
	imsgev_update(iev);
}

/* Stop using the channel; the owner's closed hook runs from dispatch. */
void
imsgev_close(struct imsgev *iev)
{
	if (iev->dead)
		return;
	iev->dead = 1;
	if (iev->pending) {
		TAILQ_REMOVE(&imsgev_pending, iev, pend);
		iev->pending = 0;
	}
	ev_io_del(&iev->io);
	close(iev->ibuf.fd);
	imsgbuf_clear(&iev->ibuf);
}

/*
 * Read before writing: a peer that sent its last words and exited
 * makes our write fail, and those words are still worth reading.
 */
static void
imsgev_dispatch(int fd, int what, void *arg)
{
	struct imsgev	*iev = arg;
	struct imsg	 imsg;
	ssize_t		 n;
	int		 eof = 0;

	(void)fd;
	if (what & EV_READ) {
		if ((n = imsgbuf_read(&iev->ibuf)) == -1) {
			log_warn("imsg read");
			goto dead;
		}
		eof = n == 0;
	}
	while (!iev->dead) {
		if ((n = imsg_get(&iev->ibuf, &imsg)) == -1) {
			log_warn("imsg get");
			goto dead;
		}
		if (n == 0)
			break;
		iev->handler(iev, &imsg);
		imsg_free(&imsg);
	}
	if (iev->dead || eof)
		goto dead;
	if ((what & EV_WRITE) && imsgbuf_write(&iev->ibuf) == -1) {
		if (errno != EPIPE)
			log_warn("imsg write");
		goto dead;
	}
	imsgev_update(iev);
	return;
 dead:
	imsgev_close(iev);
	if (iev->closed != NULL)
		iev->closed(iev);
}

/*
 * Fork and re-exec ourselves as worker id, with the imsg socket on
 * fd 3 and every other descriptor closed, so each worker starts from a
 * fresh address space.  Returns the child's pid; *fdp is our end.
 */
pid_t
proc_exec(const char *self, enum proc_id id, int debug, int verbose,
    int *fdp)
{
	char		*argv[8], name[16];
	int		 sp[2], argc = 0, devnull;
	pid_t		 pid;
	sigset_t	 none;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) == -1)
		return -1;
	log_flush();	/* or the child could write our buffered lines too */
	switch (pid = fork()) {
	case -1:
		close(sp[0]);
		close(sp[1]);
		return -1;
	case 0:
		break;
	default:
		close(sp[1]);
		if (fcntl(sp[0], F_SETFL, O_NONBLOCK) == -1)
			log_warn("fcntl");
		*fdp = sp[0];
		return pid;
	}

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (dup2(sp[1], PROC_IMSG_FD) == -1)
		_exit(1);
	if (!debug && (devnull = open("/dev/null", O_RDWR)) != -1) {
		dup2(devnull, STDIN_FILENO);
		dup2(devnull, STDOUT_FILENO);
		dup2(devnull, STDERR_FILENO);
	}
	closefrom(PROC_IMSG_FD + 1);
	argv[argc++] = (char *)"pxed";
	argv[argc++] = (char *)"-P";
	strlcpy(name, proc_name(id), sizeof(name));
	argv[argc++] = name;
	if (debug)
		argv[argc++] = (char *)"-d";
	if (verbose > 0)
		argv[argc++] = verbose > 1 ? (char *)"-vv" : (char *)"-v";
	argv[argc] = NULL;
	execv(self, argv);
	fprintf(stderr, "pxed: exec %s: %s\n", self, strerror(errno));
	_exit(1);
}
