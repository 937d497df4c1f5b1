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
 * The state directory, owned by the master alone: the secret key that
 * makes install tokens, and the install state of every inventory host.
 * Every write is durable before it is announced.
 *
 * The host states are a snapshot (a temporary file, fsync, rename over
 * the old one, fsync of the directory) and a journal beside it: a
 * batch of install-done reports or a pxectl state change appends its
 * hosts' lines and calls fdatasync, instead of rewriting every host of
 * the inventory.  Each snapshot carries a serial, and the journal
 * names the serial it follows: a journal left behind by a crash
 * between a snapshot's rename and the journal's truncation is ignored.
 * The journal is folded into a new snapshot at every start, at a
 * reload that takes hosts out or moves the directory, and when it holds
 * more lines than the inventory has hosts; another reload appends only
 * the hosts it changes.
 */

#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "master.h"

#define STATE_MAGIC	"# pxed host states v1"
#define JOURNAL_MAGIC	"# pxed host journal v1 serial"
#define JOURNAL_FILE	PXED_HOSTSFILE ".journal"

static int	 state_dirfd = -1;
static uint8_t	 state_key[PXED_KEYLEN];
static uint32_t	 state_serial;		/* of the snapshot in use */
static int	 jfd = -1;		/* the journal, appending */
static off_t	 jlen;			/* its length; 0 needs the header */
static size_t	 jrecords;		/* host lines in it */
static int	 jstale = 1;		/* not known to follow the snapshot */

static int	 state_write_atomic(int, const char *, const void *, size_t,
		    mode_t);
static int	 state_load_key(int, uint8_t *);
static void	 state_token(const struct host *, const char *, char *);
static void	 state_tokens(struct host *);
static int	 state_read_line(const char *, struct host *, uint32_t *);
static void	 state_read_file(struct config *, const char *, uint32_t *);
static int	 state_journal_reset(void);
static int	 state_record(struct buf *, const struct host *);

/*
 * Open (creating if needed, 0700) the state directory, the key and the
 * empty directory dhcpd is chrooted into.
 */
int
state_open(const char *dir)
{
	uint8_t		 key[PXED_KEYLEN];
	struct stat	 st;
	int		 fd;

	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		log_warn("state directory %s", dir);
		return -1;
	}
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		log_warn("state directory %s", dir);
		return -1;
	}
	if ((fstat(fd, &st) == -1 || st.st_uid != 0 ||
	    (st.st_mode & 0077) != 0) &&
	    (fchown(fd, 0, 0) == -1 || fchmod(fd, 0700) == -1)) {
		log_warn("state directory %s: cannot make it root-owned 0700",
		    dir);
		goto fail;
	}
	if (mkdirat(fd, PXED_EMPTYDIR, 0555) == -1 && errno != EEXIST) {
		log_warn("%s/%s", dir, PXED_EMPTYDIR);
		goto fail;
	}
	if (state_load_key(fd, key) == -1)
		goto fail;
	/* Only a directory that is whole replaces the one in use. */
	if (state_dirfd != -1)
		close(state_dirfd);
	state_dirfd = fd;
	if (jfd != -1)
		close(jfd);
	jfd = -1;
	jstale = 1;
	state_serial = 0;
	memcpy(state_key, key, sizeof(state_key));
	sodium_memzero(key, sizeof(key));
	return 0;
 fail:
	sodium_memzero(key, sizeof(key));
	close(fd);
	return -1;
}

static int
state_load_key(int dirfd, uint8_t *key)
{
	ssize_t	 n;
	int	 fd;

	if ((fd = openat(dirfd, PXED_KEYFILE, O_RDONLY | O_CLOEXEC)) != -1) {
		n = read(fd, key, PXED_KEYLEN);
		close(fd);
		if (n == PXED_KEYLEN)
			return 0;
		log_warnx("%s: short key file", PXED_KEYFILE);
		return -1;
	}
	if (errno != ENOENT) {
		log_warn("%s", PXED_KEYFILE);
		return -1;
	}
	randombytes_buf(key, PXED_KEYLEN);
	if (state_write_atomic(dirfd, PXED_KEYFILE, key, PXED_KEYLEN, 0600)
	    == -1)
		return -1;
	log_info("created a new token key in the state directory");
	return 0;
}

struct state_bytes {
	const void	*data;
	size_t		 len;
};

static int
state_fill(int fd, void *arg)
{
	const struct state_bytes *b = arg;

	return write_all(fd, b->data, b->len);
}

static int
state_write_atomic(int dirfd, const char *name, const void *data,
    size_t len, mode_t mode)
{
	struct state_bytes	 b = { data, len };

	if (durable_replace(dirfd, name, mode, state_fill, &b) == -1) {
		log_warn("state: %s", name);
		return -1;
	}
	return 0;
}

/*
 * A keyed hash over the host, its MAC and its install generation; the
 * done token hashes the word "done" first, so neither token tells
 * anything of the other.
 */
static void
state_token(const struct host *h, const char *purpose, char *out)
{
	crypto_generichash_state	 st;
	uint8_t				 hash[PXED_TOKENLEN / 2], g[4];
	uint32_t			 gen = h->rt.generation;

	g[0] = gen & 0xff;
	g[1] = (gen >> 8) & 0xff;
	g[2] = (gen >> 16) & 0xff;
	g[3] = (gen >> 24) & 0xff;
	crypto_generichash_init(&st, state_key, sizeof(state_key),
	    sizeof(hash));
	if (purpose != NULL)
		crypto_generichash_update(&st, (const uint8_t *)purpose,
		    strlen(purpose) + 1);
	crypto_generichash_update(&st, (const uint8_t *)h->conf.name,
	    strlen(h->conf.name) + 1);
	crypto_generichash_update(&st, h->conf.macs[0],
	    sizeof(h->conf.macs[0]));
	crypto_generichash_update(&st, g, sizeof(g));
	crypto_generichash_final(&st, hash, sizeof(hash));
	sodium_bin2hex(out, PXED_TOKENLEN + 1, hash, sizeof(hash));
}

static void
state_tokens(struct host *h)
{
	state_token(h, NULL, h->rt.token);
	state_token(h, "done", h->rt.done);
}

/* "name state generation armed"; returns 0 and fills h->rt and *armed. */
static int
state_read_line(const char *line, struct host *h, uint32_t *armed)
{
	char		 name[PXED_NAMELEN], state[16];
	unsigned int	 gen, arm;

	if (sscanf(line, "%63s %15s %u %u", name, state, &gen, &arm) != 4)
		return -1;
	strlcpy(h->conf.name, name, sizeof(h->conf.name));
	if (strcmp(state, "install") == 0)
		h->rt.state = HOST_INSTALL;
	else if (strcmp(state, "local") == 0)
		h->rt.state = HOST_LOCAL;
	else
		return -1;
	h->rt.generation = gen;
	*armed = arm != 0;
	return 0;
}

/*
 * One host-state file over conf's hosts, later lines winning.  The
 * snapshot's serial line fills *serial; a journal is read only if its
 * header names that serial (serial == NULL).
 */
static void
state_read_file(struct config *conf, const char *name, uint32_t *serial)
{
	struct host	 rec, *h;
	uint32_t	 armed;
	unsigned int	 n;
	char		 line[256];
	FILE		*fp;
	int		 fd, journal = serial == NULL, first = 1;

	if ((fd = openat(state_dirfd, name, O_RDONLY | O_CLOEXEC)) == -1)
		return;
	if ((fp = fdopen(fd, "r")) == NULL) {
		close(fd);
		return;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (journal && first && (sscanf(line, JOURNAL_MAGIC " %u",
		    &n) != 1 || n != state_serial)) {
			log_info("state: %s follows an older snapshot; "
			    "ignored", name);
			break;
		}
		first = 0;
		if (!journal && sscanf(line, "# serial %u", &n) == 1)
			*serial = n;
		if (line[0] == '#')
			continue;
		memset(&rec, 0, sizeof(rec));
		if (state_read_line(line, &rec, &armed) == -1 ||
		    (h = config_find_host(conf, rec.conf.name)) == NULL)
			continue;
		if (!armed && h->conf.install) {
			rec.rt.state = HOST_INSTALL;	/* re-armed */
			rec.rt.generation++;
		}
		h->rt.state = rec.rt.state;
		h->rt.generation = rec.rt.generation;
	}
	fclose(fp);
}

/*
 * Give every host of conf its runtime state: from the state files,
 * else from old (a reload), else from the inventory's install flag.  A
 * host whose inventory flag went from false to true is armed again.
 */
void
state_apply(struct config *conf, const struct config *old)
{
	struct host	*h;
	size_t		 i;

	for (i = 0; i < conf->nhosts; i++) {
		conf->hosts[i].rt.generation = 0;
		conf->hosts[i].rt.state = conf->hosts[i].conf.install ?
		    HOST_INSTALL : HOST_LOCAL;
	}
	state_serial = 0;
	state_read_file(conf, PXED_HOSTSFILE, &state_serial);
	state_read_file(conf, JOURNAL_FILE, NULL);
	for (i = 0; old != NULL && i < old->nhosts; i++) {
		h = config_find_host(conf, old->hosts[i].conf.name);
		if (h != NULL && h->rt.generation < old->hosts[i].rt.generation)
			h->rt = old->hosts[i].rt;
	}
	for (i = 0; i < conf->nhosts; i++) {
		h = &conf->hosts[i];
		if (h->rt.generation == 0)
			h->rt.generation = 1;
		state_tokens(h);
	}
}

/*
 * A reload whose parser child already applied the host states (from
 * the files and from the inventory it was forked with, tokens made):
 * what changed in the master since, by a done report or pxectl, wins.
 * Every change starts a new generation, so the higher one is the later.
 * On disk are old's records (every change is journaled when it is
 * made): only the hosts whose record the new inventory changes (new,
 * armed again, their install flag changed) are journaled, so that the
 * master's loop neither hashes 100,000 pairs of tokens nor rewrites
 * 100,000 lines while DHCP waits.  A host taken out of the inventory
 * takes a new snapshot, as before, so that its lines go and a host of
 * that name added later starts afresh.  Returns -1 if they are not on
 * disk; the next change then writes a snapshot.
 */
int
state_reload(struct config *conf, const struct config *old)
{
	struct host		**dirty = NULL, *h;
	const struct host	 *o;
	size_t			  i, n = 0, kept = 0;
	int			  r, snapshot = 0;

	for (i = 0; i < conf->nhosts; i++) {
		h = &conf->hosts[i];
		if ((o = config_find_host(old, h->conf.name)) != NULL)
			kept++;
		if (o != NULL && h->rt.generation < o->rt.generation) {
			h->rt = o->rt;
			state_tokens(h);	/* its first MAC may be new */
		}
		if (snapshot || (o != NULL && o->rt.state == h->rt.state &&
		    o->rt.generation == h->rt.generation &&
		    o->conf.install == h->conf.install))
			continue;
		/* At most the hosts left from here on: one allocation. */
		if (dirty == NULL && (dirty = reallocarray(NULL,
		    conf->nhosts - i, sizeof(*dirty))) == NULL) {
			snapshot = 1;	/* short of memory */
			continue;
		}
		dirty[n++] = h;
	}
	if (snapshot || kept < old->nhosts)
		r = state_save(conf);
	else
		r = n > 0 || jstale ? state_journal(conf, dirty, n) : 0;
	free(dirty);
	if (r == -1)
		jstale = 1;
	return r;
}

static int
state_record(struct buf *b, const struct host *h)
{
	return buf_printf(b, "%s %s %u %u\n", h->conf.name,
	    host_state_name(h->rt.state), h->rt.generation, h->conf.install);
}

/*
 * Every host into a new snapshot with the next serial, then an empty
 * journal.  The snapshot is what counts: while the journal could not be
 * emptied, the next change writes a snapshot again.
 */
int
state_save(const struct config *conf)
{
	struct buf	 b;
	size_t		 i;
	int		 r;

	buf_init(&b);
	r = buf_printf(&b, "%s\n# serial %u\n", STATE_MAGIC,
	    state_serial + 1);
	for (i = 0; i < conf->nhosts && r == 0; i++)
		r = state_record(&b, &conf->hosts[i]);
	if (r == -1)
		log_warn("state: %s", PXED_HOSTSFILE);
	else
		r = state_write_atomic(state_dirfd, PXED_HOSTSFILE, b.data,
		    b.len, 0600);
	buf_free(&b);
	if (r == -1)
		return -1;
	state_serial++;
	jstale = 1;
	if (state_journal_reset() == -1)
		log_warn("state: %s", JOURNAL_FILE);
	return 0;
}

/* An empty journal for the snapshot in use. */
static int
state_journal_reset(void)
{
	int	 created = 0;

	if (jfd == -1) {
		jfd = openat(state_dirfd, JOURNAL_FILE, O_WRONLY | O_APPEND |
		    O_CREAT | O_CLOEXEC, 0600);
		if (jfd == -1)
			return -1;
		created = 1;
	}
	if (ftruncate(jfd, 0) == -1 || fsync(jfd) == -1 ||
	    (created && fsync(state_dirfd) == -1))
		return -1;
	jlen = 0;
	jrecords = 0;
	jstale = 0;
	return 0;
}

/*
 * The n hosts' states, durably, in one append and one fdatasync; a
 * failed append is cut off again.  A journal longer than the inventory
 * is folded into a new snapshot.
 */
int
state_journal(const struct config *conf, struct host *const *hosts,
    size_t n)
{
	struct buf	 b;
	size_t		 i;
	int		 r = 0, saved;

	/*
	 * A journal that may hold lines not in the snapshot (a reload to
	 * another state directory that could not write its snapshot, a
	 * failed cut) is not emptied: a new snapshot takes all in.
	 */
	if (jstale)
		return state_save(conf);
	buf_init(&b);
	if (jlen == 0 && buf_printf(&b, "%s %u\n", JOURNAL_MAGIC,
	    state_serial) == -1)
		r = -1;
	for (i = 0; i < n && r == 0; i++)
		r = state_record(&b, hosts[i]);
	if (r == 0)
		r = journal_append(jfd, jlen, b.data, b.len);
	if (r != 0) {
		saved = errno;
		log_warn("state: %s", JOURNAL_FILE);
		if (r == -2)
			jstale = 1;	/* the next change writes a snapshot */
		buf_free(&b);
		errno = saved;
		return -1;
	}
	jlen += (off_t)b.len;
	jrecords += n;
	buf_free(&b);
	if (jrecords > conf->nhosts + 1024 && state_save(conf) == -1)
		log_warnx("state: the journal stays unfolded");
	return 0;
}

/* A new state and generation in memory only; the caller saves. */
void
state_host_change(struct host *h, enum host_state st)
{
	h->rt.state = st;
	h->rt.generation++;
	state_tokens(h);
}

/*
 * Change a host's state durably.  Every change starts a new install
 * generation, so the tokens of the old one stop working.
 */
int
state_host_set(struct config *conf, struct host *h, enum host_state st)
{
	struct host_runtime	 saved = h->rt;

	state_host_change(h, st);
	if (state_journal(conf, &h, 1) == -1) {
		h->rt = saved;
		return -1;
	}
	return 0;
}

/* The state directory, for the lease journal beside the host states. */
int
state_dir(void)
{
	return state_dirfd;
}
