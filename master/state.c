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
 * Every write is durable before it is announced: a temporary file,
 * fsync, rename over the old one, fsync of the directory.
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

static int	 state_dirfd = -1;
static uint8_t	 state_key[PXED_KEYLEN];

static int	 state_write_atomic(int, const char *, const void *, size_t,
		    mode_t);
static int	 state_load_key(int, uint8_t *);
static void	 state_token(const struct host *, char *);
static int	 state_read_line(const char *, struct host *, uint32_t *);

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

static int
state_write_atomic(int dirfd, const char *name, const void *data,
    size_t len, mode_t mode)
{
	char		 tmp[PATH_MAX];
	const char	*p = data;
	ssize_t		 n;
	int		 fd;

	snprintf(tmp, sizeof(tmp), "%s.tmp", name);
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    mode);
	if (fd == -1) {
		log_warn("state: %s", tmp);
		return -1;
	}
	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) == -1)
		goto fail;
	if (close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	if (renameat(dirfd, tmp, dirfd, name) == -1 || fsync(dirfd) == -1) {
		log_warn("state: %s", name);
		unlinkat(dirfd, tmp, 0);
		return -1;
	}
	return 0;
 fail:
	log_warn("state: %s", tmp);
	if (fd != -1)
		close(fd);
	unlinkat(dirfd, tmp, 0);
	return -1;
}

/* A keyed hash over the host, its MAC and its install generation. */
static void
state_token(const struct host *h, char *out)
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
	crypto_generichash_update(&st, (const uint8_t *)h->conf.name,
	    strlen(h->conf.name) + 1);
	crypto_generichash_update(&st, h->conf.mac, sizeof(h->conf.mac));
	crypto_generichash_update(&st, g, sizeof(g));
	crypto_generichash_final(&st, hash, sizeof(hash));
	sodium_bin2hex(out, PXED_TOKENLEN + 1, hash, sizeof(hash));
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
 * Give every host of conf its runtime state: from the state file, else
 * from old (a reload), else from the inventory's install flag.  A host
 * whose inventory flag went from false to true is armed again.
 */
void
state_apply(struct config *conf, const struct config *old)
{
	struct host	 rec, *h;
	uint32_t	 armed;
	char		 line[256];
	FILE		*fp = NULL;
	size_t		 i;
	int		 fd;

	for (i = 0; i < conf->nhosts; i++) {
		conf->hosts[i].rt.generation = 0;
		conf->hosts[i].rt.state = conf->hosts[i].conf.install ?
		    HOST_INSTALL : HOST_LOCAL;
	}
	if ((fd = openat(state_dirfd, PXED_HOSTSFILE, O_RDONLY | O_CLOEXEC))
	    != -1 && (fp = fdopen(fd, "r")) == NULL)
		close(fd);
	while (fp != NULL && fgets(line, sizeof(line), fp) != NULL) {
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
	if (fp != NULL)
		fclose(fp);
	for (i = 0; old != NULL && i < old->nhosts; i++) {
		h = config_find_host(conf, old->hosts[i].conf.name);
		if (h != NULL && h->rt.generation < old->hosts[i].rt.generation)
			h->rt = old->hosts[i].rt;
	}
	for (i = 0; i < conf->nhosts; i++) {
		h = &conf->hosts[i];
		if (h->rt.generation == 0)
			h->rt.generation = 1;
		state_token(h, h->rt.token);
	}
}

int
state_save(const struct config *conf)
{
	struct buf		 b;
	const struct host	*h;
	size_t			 i;
	int			 r;

	buf_init(&b);
	buf_printf(&b, "%s\n", STATE_MAGIC);
	for (i = 0; i < conf->nhosts; i++) {
		h = &conf->hosts[i];
		buf_printf(&b, "%s %s %u %u\n", h->conf.name,
		    host_state_name(h->rt.state), h->rt.generation,
		    h->conf.install);
	}
	r = state_write_atomic(state_dirfd, PXED_HOSTSFILE, b.data, b.len,
	    0600);
	buf_free(&b);
	return r;
}

/* A new state and generation in memory only; the caller saves. */
void
state_host_change(struct host *h, enum host_state st)
{
	h->rt.state = st;
	h->rt.generation++;
	state_token(h, h->rt.token);
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
	if (state_save(conf) == -1) {
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
