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
 * The event loop: a timer that arms itself again at 0 ms (work done in
 * steps, as the master streams an inventory to its workers) runs once
 * a loop turn, and I/O that is ready is served between two of its runs
 * instead of after all of them; and a timer armed again at 0 ms from
 * every turn's I/O (tftpd's reaper in a storm) still runs.
 */

#include <sys/types.h>

#include <string.h>
#include <unistd.h>

#include "ev.h"
#include "test.h"

static struct ev_timer	 step, reaper;
static struct ev_io	 io, busy;
static int		 steps, steps_at_io = -1, fds[2], bfds[2], reaped;
static int		 busy_turns;

static void
step_cb(void *arg)
{
	(void)arg;
	if (++steps == 3 && write(fds[1], "x", 1) != 1)
		return;
	if (steps < 1000)
		ev_timer_add(&step, 0);
	else
		ev_break();
}

static void
io_cb(int fd, int what, void *arg)
{
	char	 c;

	(void)what;
	(void)arg;
	if (read(fd, &c, 1) == 1 && steps_at_io == -1)
		steps_at_io = steps;
}

/* Readable every turn (never drained): arms the reaper again. */
static void
busy_cb(int fd, int what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	if (++busy_turns == 1000)
		ev_break();	/* bounded: the reaper never ran */
	ev_timer_add(&reaper, 0);
}

static void
reaper_cb(void *arg)
{
	(void)arg;
	if (++reaped == 5)
		ev_break();
}

int
main(void)
{
	CHECK(ev_init() == 0 && pipe(fds) == 0, "ev: set up");
	ev_timer_init(&step, step_cb, NULL);
	ev_io_add(&io, fds[0], EV_READ, io_cb, NULL);
	ev_timer_add(&step, 0);
	CHECK(ev_loop() == 0 && steps == 1000, "ev: a self-arming timer ran "
	    "its 1,000 steps");
	CHECK(steps_at_io >= 3 && steps_at_io <= 4,
	    "ev: ready I/O ran the turn after it became ready, between two "
	    "steps");

	CHECK(pipe(bfds) == 0 && write(bfds[1], "x", 1) == 1,
	    "ev: a descriptor readable every turn");
	ev_timer_init(&reaper, reaper_cb, NULL);
	ev_io_add(&busy, bfds[0], EV_READ, busy_cb, NULL);
	ev_timer_add(&reaper, 0);
	CHECK(ev_loop() == 0 && reaped == 5,
	    "ev: a timer armed again at 0 ms every turn still runs");
	TEST_EXIT();
}
