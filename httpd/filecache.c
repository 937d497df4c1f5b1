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
 * Small files kept in memory.  A request for a small static file (a
 * GRUB module, a menu fragment, a preseed piece) costs open, fstat,
 * sendfile and close; from here it costs one stat of the path and the
 * response goes out with its head in one send.  An entry is used only
 * while the path still names the very file that was read: same device,
 * inode, size, modification and change times, so a file replaced
 * (rename, new inode) or rewritten (new times) is read again.  A path
 * that now leads elsewhere through a symlink finds another inode and
 * takes the open path again, with its RESOLVE_BENEATH check; one that
 * leads to the very file kept gets its bytes, which its own path gives
 * anyway (we are chrooted into the root: no path leaves it).  A file
 * changed less than FC_SETTLE seconds ago is not kept: two writes within
 * one tick of the file system's clock leave the same times, so the
 * first could otherwise stay in memory for good.
 */

#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "httpd.h"

#define FC_SLOTS	64		/* direct-mapped by path hash */
#define FC_SETTLE	2		/* seconds since the last change */

static struct fc_entry	 fc_slots[FC_SLOTS];

static struct fc_entry	*fc_slot(const char *);
static int		 fc_same(const struct stat *, const struct stat *);

/* The path's hash picks the one slot it may live in. */
static struct fc_entry *
fc_slot(const char *path)
{
	return &fc_slots[hash_fnv1a(path, strlen(path)) % FC_SLOTS];
}

static int
fc_same(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	    a->st_size == b->st_size &&
	    a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	    a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	    a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
	    a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/*
 * The entry of path (absolute, normalized), if kept and still the file
 * the path names, held for the caller; its stat in *st.  NULL
 * otherwise: open it.
 */
struct fc_entry *
filecache_get(const char *path, struct stat *st)
{
	struct fc_entry	*e = fc_slot(path);
	const char	*rel = path[1] != '\0' ? path + 1 : ".";

	if (e->data == NULL || strcmp(e->path, path) != 0)
		return NULL;
	if (fstatat(AT_FDCWD, rel, st, 0) == -1 || !fc_same(st, &e->st))
		return NULL;
	e->refs++;
	return e;
}

/*
 * Keep the file open on fd, of stat st, under path, if small, settled
 * and its slot is not being sent from; the entry, held for the caller,
 * or NULL (send it from fd).
 */
struct fc_entry *
filecache_put(const char *path, int fd, const struct stat *st)
{
	struct fc_entry	*e = fc_slot(path);
	struct stat	 after;
	uint8_t		*data;
	size_t		 len = st->st_size, got = 0;
	ssize_t		 n;

	if (!S_ISREG(st->st_mode) || st->st_size <= 0 ||
	    st->st_size > FILECACHE_MAX || strlen(path) >= FC_PATHMAX ||
	    time(NULL) - st->st_mtim.tv_sec < FC_SETTLE ||
	    time(NULL) - st->st_ctim.tv_sec < FC_SETTLE || e->refs > 0)
		return NULL;
	if ((data = malloc(len)) == NULL)
		return NULL;
	while (got < len) {
		n = pread(fd, data + got, len - got, got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += n;
	}
	/* changed while we read: not this time */
	if (got != len || fstat(fd, &after) == -1 || !fc_same(st, &after)) {
		free(data);
		return NULL;
	}
	free(e->data);
	strlcpy(e->path, path, sizeof(e->path));
	e->st = *st;
	e->data = data;
	e->refs = 1;
	return e;
}

/* The connection is done with the entry's bytes. */
void
filecache_release(struct fc_entry *e)
{
	if (e->refs > 0)
		e->refs--;
}
