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

#include <sys/epoll.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ev.h"

#define EV_MAXEVENTS	256

static int		  ev_epfd = -1;
static int		  ev_done;
static uint64_t		  ev_cached_now;
static uint64_t		  ev_turn;	/* loop turns so far */
static struct ev_timer	**ev_heap;
static size_t		  ev_nheap, ev_heapcap;
#define EV_MAXPREPARE	4
static void		(*ev_prepare[EV_MAXPREPARE])(void); /* before a wait */
static size_t		 ev_nprepare;
static void		(*ev_flush)(void);	/* after the prepare hooks */

static uint32_t	 ev_mask(int);
static void	 ev_heap_swap(size_t, size_t);
static void	 ev_heap_up(size_t);
static void	 ev_heap_down(size_t);
static int	 ev_next_timeout(void);
static void	 ev_run_timers(void);

int
ev_init(void)
{
	if (ev_epfd != -1)
		close(ev_epfd);
	if ((ev_epfd = epoll_create1(EPOLL_CLOEXEC)) == -1)
		return -1;
	ev_done = 0;
	ev_cached_now = ev_clock();
	return 0;
}

/* Milliseconds on the monotonic clock now, not as of the loop turn. */
uint64_t
ev_clock(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Milliseconds on a monotonic clock, updated once per loop turn. */
uint64_t
ev_now(void)
{
	return ev_cached_now;
}

static uint32_t
ev_mask(int events)
{
	uint32_t	 m = 0;

	if (events & EV_READ)
		m |= EPOLLIN;
	if (events & EV_WRITE)
		m |= EPOLLOUT;
	return m;
}

int
ev_io_add(struct ev_io *io, int fd, int events, ev_io_cb cb, void *arg)
{
	struct epoll_event	 ee;

	io->fd = fd;
	io->cb = cb;
	io->arg = arg;
	io->events = events;
	memset(&ee, 0, sizeof(ee));
	ee.events = ev_mask(events);
	ee.data.ptr = io;
	if (epoll_ctl(ev_epfd, EPOLL_CTL_ADD, fd, &ee) == -1)
		return -1;
	io->added = 1;
	return 0;
}

int
ev_io_set(struct ev_io *io, int events)
{
	struct epoll_event	 ee;

	if (!io->added || io->events == events)
		return 0;
	memset(&ee, 0, sizeof(ee));
	ee.events = ev_mask(events);
	ee.data.ptr = io;
	if (epoll_ctl(ev_epfd, EPOLL_CTL_MOD, io->fd, &ee) == -1)
		return -1;
	io->events = events;
	return 0;
}

void
ev_io_del(struct ev_io *io)
{
	if (!io->added)
		return;
	epoll_ctl(ev_epfd, EPOLL_CTL_DEL, io->fd, NULL);
	io->added = 0;
}

void
ev_timer_init(struct ev_timer *t, ev_timer_cb cb, void *arg)
{
	t->when = 0;
	t->slot = 0;
	t->cb = cb;
	t->arg = arg;
}

static void
ev_heap_swap(size_t a, size_t b)
{
	struct ev_timer	*t = ev_heap[a];

	ev_heap[a] = ev_heap[b];
	ev_heap[b] = t;
	ev_heap[a]->slot = a + 1;
	ev_heap[b]->slot = b + 1;
}

static void
ev_heap_up(size_t i)
{
	while (i > 0 && ev_heap[(i - 1) / 2]->when > ev_heap[i]->when) {
		ev_heap_swap(i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void
ev_heap_down(size_t i)
{
	size_t	 l, r, m;

	for (;;) {
		l = 2 * i + 1;
		r = l + 1;
		m = i;
		if (l < ev_nheap && ev_heap[l]->when < ev_heap[m]->when)
			m = l;
		if (r < ev_nheap && ev_heap[r]->when < ev_heap[m]->when)
			m = r;
		if (m == i)
			return;
		ev_heap_swap(i, m);
		i = m;
	}
}

/* Arm (or re-arm) a timer to fire ms milliseconds from now. */
int
ev_timer_add(struct ev_timer *t, uint64_t ms)
{
	struct ev_timer	**nh;
	size_t		  ncap;

	/*
	 * Armed again while pending, it keeps its turn: a timer armed at
	 * 0 ms from every turn's I/O (tftpd's reaper in a storm) still runs.
	 */
	t->turn = t->slot != 0 ? t->turn : ev_turn;
	ev_timer_del(t);
	if (ev_nheap == ev_heapcap) {
		ncap = ev_heapcap ? ev_heapcap * 2 : 64;
		nh = reallocarray(ev_heap, ncap, sizeof(*nh));
		if (nh == NULL)
			return -1;
		ev_heap = nh;
		ev_heapcap = ncap;
	}
	t->when = ev_cached_now + ms;
	ev_heap[ev_nheap] = t;
	t->slot = ++ev_nheap;
	ev_heap_up(t->slot - 1);
	return 0;
}

void
ev_timer_del(struct ev_timer *t)
{
	size_t	 i;

	if (t->slot == 0)
		return;
	i = t->slot - 1;
	t->slot = 0;
	if (--ev_nheap == i)
		return;
	ev_heap[i] = ev_heap[ev_nheap];
	ev_heap[i]->slot = i + 1;
	ev_heap_up(i);
	ev_heap_down(ev_heap[i]->slot - 1);
}

int
ev_timer_pending(const struct ev_timer *t)
{
	return t->slot != 0;
}

static int
ev_next_timeout(void)
{
	uint64_t	 when;

	if (ev_nheap == 0)
		return -1;
	when = ev_heap[0]->when;
	if (when <= ev_cached_now)
		return 0;
	if (when - ev_cached_now > 60000)
		return 60000;
	return (int)(when - ev_cached_now);
}

/*
 * The timers due, but not one armed in this turn: a timer that arms
 * itself again at 0 ms (work done in steps) runs once a turn, with the
 * I/O of the next turn in between, instead of in a loop here.
 */
static void
ev_run_timers(void)
{
	struct ev_timer	*t;

	while (ev_nheap > 0 && ev_heap[0]->when <= ev_cached_now &&
	    ev_heap[0]->turn != ev_turn) {
		t = ev_heap[0];
		ev_timer_del(t);
		t->cb(t->arg);
	}
}

/*
 * Run until ev_break().  A callback may delete any io or timer,
 * including its own; a deleted io is skipped for the rest of the batch
 * only if its memory stays valid, so owners free objects from a timer
 * or after marking them dead.
 */
int
ev_loop(void)
{
	struct epoll_event	 evs[EV_MAXEVENTS];
	struct ev_io		*io;
	int			 n, i, what;

	ev_done = 0;
	while (!ev_done) {
		ev_turn++;
		for (i = 0; i < (int)ev_nprepare; i++)
			ev_prepare[i]();
		/* last: what the hooks above composed goes out too */
		if (ev_flush != NULL)
			ev_flush();
		n = epoll_wait(ev_epfd, evs, EV_MAXEVENTS, ev_next_timeout());
		ev_cached_now = ev_clock();
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		for (i = 0; i < n && !ev_done; i++) {
			io = evs[i].data.ptr;
			what = 0;
			if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
				what |= EV_READ;
			if (evs[i].events & (EPOLLOUT | EPOLLERR))
				what |= EV_WRITE;
			what &= io->events | (evs[i].events &
			    (EPOLLHUP | EPOLLERR) ? EV_READ : 0);
			if (io->added && what)
				io->cb(io->fd, what, io->arg);
		}
		ev_run_timers();
	}
	return 0;
}

/*
 * fn runs each time the loop is about to wait, after those added before
 * it; adding one twice adds it once.
 */
void
ev_add_prepare(void (*fn)(void))
{
	size_t	 i;

	for (i = 0; i < ev_nprepare; i++)
		if (ev_prepare[i] == fn)
			return;
	if (ev_nprepare == EV_MAXPREPARE)
		abort();	/* a programming error: raise the limit */
	ev_prepare[ev_nprepare++] = fn;
}

/* fn runs each time the loop is about to wait, after every prepare hook. */
void
ev_set_flush(void (*fn)(void))
{
	ev_flush = fn;
}

void
ev_break(void)
{
	ev_done = 1;
}
