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
 * The event loop of every process: epoll for descriptors, a binary heap
 * for timers.  One loop per process, no threads.
 */

#ifndef EV_H
#define EV_H

#include <stddef.h>
#include <stdint.h>

#define EV_READ		0x1
#define EV_WRITE	0x2

typedef void (*ev_io_cb)(int, int, void *);
typedef void (*ev_timer_cb)(void *);

struct ev_io {
	int		 fd;
	int		 events;	/* EV_READ | EV_WRITE, 0: idle */
	int		 added;
	ev_io_cb	 cb;
	void		*arg;
};

struct ev_timer {
	uint64_t	 when;		/* ev_now() ms */
	uint64_t	 turn;		/* the loop turn that armed it */
	size_t		 slot;		/* heap index + 1, 0: not armed */
	ev_timer_cb	 cb;
	void		*arg;
};

int	 ev_init(void);
uint64_t ev_now(void);
uint64_t ev_clock(void);
int	 ev_io_add(struct ev_io *, int, int, ev_io_cb, void *);
int	 ev_io_set(struct ev_io *, int);
void	 ev_io_del(struct ev_io *);
void	 ev_timer_init(struct ev_timer *, ev_timer_cb, void *);
int	 ev_timer_add(struct ev_timer *, uint64_t);
void	 ev_timer_del(struct ev_timer *);
int	 ev_timer_pending(const struct ev_timer *);
int	 ev_loop(void);
void	 ev_add_prepare(void (*)(void));
void	 ev_set_flush(void (*)(void));
void	 ev_break(void);

#endif /* EV_H */
