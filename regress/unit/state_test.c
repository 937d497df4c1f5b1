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
 * The host states on disk (master/state.c): a snapshot and a journal,
 * read back by a new start, a journal left over from before the last
 * snapshot ignored, a long journal folded; and the pieces under them,
 * the host tables by name, MAC and address (common/conf.c),
 * buf_printf, and durable_replace on a full disk.
 */

#include <sys/mount.h>
#include <sys/stat.h>

#include <arpa/inet.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"
#include "master.h"
#include "test.h"

static char	 dir[256];

static void	 make_conf(struct config *, size_t);
static const char *slurp(const char *);
static void	 put(const char *, const char *);
static struct config *restart(size_t);
static int	 is(struct config *, const char *, enum host_state, uint32_t);
static void	 test_byname(void);
static void	 test_buf_printf(void);
static struct config *state_first(void);
static struct config *state_stale(struct config *);
static struct config *state_fold(struct config *);
static void	 state_reopen(void);
static void	 state_inventory(void);
static void	 reload_conf(struct config *);
static int	 same_states(const struct config *, const struct config *);
static void	 state_reloaded(void);
static void	 test_state(void);
static int	 nfds(void);
static int	 fill(int, void *);
static int	 whole(const char *, const char *);
static void	 test_durable(const char *);

/* A configuration of n hosts "h<i>", the even ones armed. */
static void
make_conf(struct config *conf, size_t n)
{
	struct host	 h;
	size_t		 i;

	config_init(conf);
	for (i = 0; i < n; i++) {
		memset(&h, 0, sizeof(h));
		snprintf(h.conf.name, sizeof(h.conf.name), "h%zu", i);
		h.conf.macs[0][0] = 0x52;	/* a NIC's: never all zero */
		h.conf.macs[0][5] = (uint8_t)i;
		h.conf.macs[0][4] = (uint8_t)(i >> 8);
		h.conf.nmacs = 1;
		h.conf.install = i % 2 == 0;
		h.conf.profile = -1;
		if (i % 3 == 0)		/* a fixed address for some */
			h.conf.ip.s_addr = htonl(0x0a000000 | (uint32_t)i);
		if (config_add_host(conf, &h) == -1)
			abort();
	}
}

/* The whole of a file in the state directory. */
static const char *
slurp(const char *name)
{
	static char	 out[1 << 20];
	char		 path[PATH_MAX];
	size_t		 n = 0;
	FILE		*fp;

	out[0] = '\0';
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fp = fopen(path, "r")) != NULL) {
		n = fread(out, 1, sizeof(out) - 1, fp);
		fclose(fp);
	}
	out[n] = '\0';
	return out;
}

static void
put(const char *name, const char *text)
{
	char	 path[PATH_MAX];
	FILE	*fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fp = fopen(path, "w")) == NULL)
		abort();
	fputs(text, fp);
	fclose(fp);
}

/* A new start: a fresh configuration of n hosts over the files. */
static struct config *
restart(size_t n)
{
	static struct config	 c;

	config_free(&c);
	make_conf(&c, n);
	state_apply(&c, NULL);
	return &c;
}

static int
is(struct config *conf, const char *name, enum host_state st, uint32_t gen)
{
	struct host	*h = config_find_host(conf, name);

	return h != NULL && h->rt.state == st && h->rt.generation == gen;
}

static void
test_byname(void)
{
	struct config	 conf, view;
	struct host	 h, *f;
	struct in_addr	 ip;
	uint8_t		 mac[6];
	char		 name[32];
	size_t		 i, bad = 0;

	make_conf(&conf, 5000);
	for (i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "h%zu", i);
		if ((f = config_find_host(&conf, name)) != &conf.hosts[i])
			bad++;
	}
	CHECK(bad == 0, "by name: each of 5000 hosts found at its index");
	for (i = 0, bad = 0; i < 5000; i++)
		if (config_host_by_mac(&conf, conf.hosts[i].conf.macs[0]) !=
		    &conf.hosts[i])
			bad++;
	CHECK(bad == 0, "by MAC: each of 5000 hosts found at its index");
	for (i = 0, bad = 0; i < 5000; i++) {
		ip.s_addr = htonl(0x0a000000 | (uint32_t)i);
		f = config_host_by_ip(&conf, ip);
		if (f != (i % 3 == 0 ? &conf.hosts[i] : NULL))
			bad++;
	}
	CHECK(bad == 0, "by address: the 1667 fixed addresses, and no other");
	ip.s_addr = INADDR_ANY;
	CHECK(config_host_by_ip(&conf, ip) == NULL,
	    "by address: 0.0.0.0 is no host's");
	memset(mac, 0xee, sizeof(mac));
	CHECK(config_host_by_mac(&conf, mac) == NULL,
	    "by MAC: a MAC not in the inventory is not found");
	CHECK(config_find_host(&conf, "h5000") == NULL &&
	    config_find_host(&conf, "") == NULL,
	    "by name: a name not in the inventory is not found");
	CHECK(conf.idx_mask + 1 >= 2 * conf.nhosts,
	    "by name: the table stays at most half full");
	memset(&h, 0, sizeof(h));
	strlcpy(h.conf.name, "h7", sizeof(h.conf.name));
	config_add_host(&conf, &h);
	CHECK(config_find_host(&conf, "h7") == &conf.hosts[7],
	    "by name: of two equal names the first wins");
	view = conf;
	view.byname = view.bymac = view.byip = NULL;
	view.idx_mask = 0;
	ip.s_addr = htonl(0x0a000000 | 4323);
	CHECK(config_find_host(&view, "h4321") == &conf.hosts[4321] &&
	    config_find_host(&view, "nope") == NULL &&
	    config_host_by_mac(&view, conf.hosts[17].conf.macs[0]) ==
	    &conf.hosts[17] && config_host_by_ip(&view, ip) ==
	    &conf.hosts[4323],
	    "a configuration without the tables is searched");
	config_free(&conf);
}

static void
test_buf_printf(void)
{
	struct buf	 b;
	char		 want[64];
	size_t		 i, off = 0;
	int		 ok = 1;

	buf_init(&b);
	for (i = 0; i < 3000 && ok; i++)
		ok = buf_printf(&b, "%zu %s\n", i, i % 7 ? "x" :
		    "a longer line, past the room a small buffer has") == 0;
	for (i = 0; i < 3000 && ok; i++) {
		snprintf(want, sizeof(want), "%zu %s\n", i, i % 7 ? "x" :
		    "a longer line, past the room a small buffer has");
		ok = b.len - off >= strlen(want) &&
		    memcmp(b.data + off, want, strlen(want)) == 0;
		off += strlen(want);
	}
	CHECK(ok && off == b.len,
	    "buf_printf: 3000 lines across many growths, each whole");
	buf_free(&b);
}

/* The first snapshot, a batch journaled, a start, and the fold. */
static struct config *
state_first(void)
{
	struct config	*c;
	struct host	*hs[2];
	const char	*j;
	char		 old[4096];

	c = restart(10);
	CHECK(state_save(c) == 0, "state: the first snapshot is written");
	CHECK(strstr(slurp("hosts"), "# serial 1\n") != NULL &&
	    strstr(slurp("hosts"), "\nh0 install 1 1\n") != NULL &&
	    strstr(slurp("hosts"), "\nh1 local 1 0\n") != NULL,
	    "state: the snapshot has its serial and every host");
	CHECK(*slurp("hosts.journal") == '\0',
	    "state: the journal starts empty");

	/* Two hosts installed: one append. */
	hs[0] = config_find_host(c, "h0");
	hs[1] = config_find_host(c, "h2");
	state_host_change(hs[0], HOST_LOCAL);
	state_host_change(hs[1], HOST_LOCAL);
	CHECK(state_journal(c, hs, 2) == 0, "state: a batch is journaled");
	j = slurp("hosts.journal");
	CHECK(strcmp(j, "# pxed host journal v1 serial 1\n"
	    "h0 local 2 1\nh2 local 2 1\n") == 0,
	    "state: the journal names its snapshot, then the batch");
	strlcpy(old, j, sizeof(old));
	CHECK(strstr(slurp("hosts"), "\nh0 install 1 1\n") != NULL,
	    "state: the snapshot is not rewritten for a batch");

	c = restart(10);
	CHECK(is(c, "h0", HOST_LOCAL, 2) && is(c, "h2", HOST_LOCAL, 2) &&
	    is(c, "h4", HOST_INSTALL, 1) && is(c, "h1", HOST_LOCAL, 1),
	    "state: a start reads the snapshot, then the journal");

	/* The start folds: new snapshot, empty journal. */
	CHECK(state_save(c) == 0 &&
	    strstr(slurp("hosts"), "# serial 2\n") != NULL &&
	    strstr(slurp("hosts"), "\nh0 local 2 1\n") != NULL &&
	    *slurp("hosts.journal") == '\0',
	    "state: a snapshot takes the journal in and empties it");
	return c;
}

/* Journals that do not follow the snapshot are ignored. */
static struct config *
state_stale(struct config *c)
{
	struct host	*hs[1];

	/*
	 * A crash between the snapshot's rename and the journal's
	 * truncation leaves the old journal beside the new snapshot: it
	 * must not put h0 back to what it said.
	 */
	hs[0] = config_find_host(c, "h0");
	state_host_change(hs[0], HOST_INSTALL);		/* generation 3 */
	CHECK(state_save(c) == 0, "state: h0 re-armed in a snapshot");
	put("hosts.journal", "# pxed host journal v1 serial 2\n"
	    "h0 local 2 1\n");
	c = restart(10);
	CHECK(is(c, "h0", HOST_INSTALL, 3),
	    "state: a journal that follows an older snapshot is ignored");
	put("hosts.journal", "h0 local 9 1\n");
	c = restart(10);
	CHECK(is(c, "h0", HOST_INSTALL, 3),
	    "state: a journal without its header is ignored");
	put("hosts.journal", "");
	return c;
}

/* Appends on a new serial, and a long journal folded. */
static struct config *
state_fold(struct config *c)
{
	struct host	*hs[1];
	int		 i, ok;

	/* After the snapshot, appends start a journal of the new serial. */
	CHECK(state_save(c) == 0, "state: snapshot 4");
	hs[0] = config_find_host(c, "h0");
	state_host_change(hs[0], HOST_LOCAL);
	CHECK(state_journal(c, hs, 1) == 0 && strcmp(slurp("hosts.journal"),
	    "# pxed host journal v1 serial 4\nh0 local 4 1\n") == 0,
	    "state: the next journal names the new serial");

	/* A journal longer than the inventory is folded. */
	ok = 1;
	for (i = 0; i < 1100 && ok; i++) {
		state_host_change(hs[0], i % 2 ? HOST_LOCAL : HOST_INSTALL);
		ok = state_journal(c, hs, 1) == 0;
	}
	CHECK(ok, "state: 1100 appends");
	CHECK(strstr(slurp("hosts"), "# serial 5\n") != NULL &&
	    strlen(slurp("hosts.journal")) < 100 * 16,
	    "state: past the inventory plus 1024 lines, a snapshot folds it");
	c = restart(10);
	CHECK(is(c, "h0", HOST_LOCAL, 1104),
	    "state: after the fold a start still sees the last change");
	return c;
}

/* A state directory opened again. */
static void
state_reopen(void)
{
	struct config	*c;
	struct host	*hs[1];

	/*
	 * The directory opened again (a reload to another state directory
	 * does that): until a snapshot is written, a change writes one
	 * rather than append to a journal it does not know.
	 */
	c = restart(10);
	CHECK(state_save(c) == 0 && state_open(dir) == 0,
	    "state: the directory opened again");
	c = restart(10);
	hs[0] = config_find_host(c, "h4");
	state_host_change(hs[0], HOST_LOCAL);
	CHECK(state_journal(c, hs, 1) == 0 &&
	    strstr(slurp("hosts"), "\nh4 local 2 1\n") != NULL &&
	    *slurp("hosts.journal") == '\0',
	    "state: a change before the first snapshot writes a snapshot");
	c = restart(10);
	CHECK(is(c, "h4", HOST_LOCAL, 2),
	    "state: ... which a start reads back");
}

/* Host states across changes to the inventory. */
static void
state_inventory(void)
{
	struct config	*c;

	/* A host taken out of the inventory and its lines: skipped. */
	c = restart(3);
	CHECK(c->nhosts == 3 && is(c, "h0", HOST_LOCAL, 1104) &&
	    is(c, "h2", HOST_LOCAL, 2),
	    "state: lines of hosts no longer listed are skipped");
	/* Disarmed in the inventory and armed again: a new generation. */
	c = restart(10);
	c->hosts[2].conf.install = 0;
	CHECK(state_save(c) == 0, "state: h2 disarmed in a snapshot");
	c = restart(10);
	CHECK(is(c, "h2", HOST_INSTALL, 3),
	    "state: armed again in the inventory: install, next generation");
}

/* The inventory of a reload: h0-h11, h1 armed (it was not). */
static void
reload_conf(struct config *c)
{
	make_conf(c, 12);
	c->hosts[1].conf.install = 1;
	state_apply(c, NULL);		/* as the parser child does */
}

static int
same_states(const struct config *a, const struct config *b)
{
	size_t	 i;

	if (a->nhosts != b->nhosts)
		return 0;
	for (i = 0; i < a->nhosts; i++)
		if (a->hosts[i].rt.state != b->hosts[i].rt.state ||
		    a->hosts[i].rt.generation != b->hosts[i].rt.generation)
			return 0;
	return 1;
}

/*
 * A reload: the parser child applied the files; the master carries
 * what changed since and journals only the hosts whose line the new
 * inventory changes, without rewriting every host.
 */
static void
state_reloaded(void)
{
	struct config	*old, nw, again;
	struct host	*h4;
	char		 snap[4096], j[4096];

	old = restart(10);
	CHECK(state_save(old) == 0, "reload: the running inventory saved");
	strlcpy(snap, slurp("hosts"), sizeof(snap));
	reload_conf(&nw);
	/* Installed while the child parsed: journaled by the master. */
	h4 = config_find_host(old, "h4");
	CHECK(state_host_set(old, h4, HOST_LOCAL) == 0,
	    "reload: h4 done while the child parses");
	strlcpy(j, slurp("hosts.journal"), sizeof(j));
	CHECK(state_reload(&nw, old) == 0, "reload: put in place");
	CHECK(is(&nw, "h4", HOST_LOCAL, h4->rt.generation) &&
	    strcmp(config_find_host(&nw, "h4")->rt.token, h4->rt.token) == 0,
	    "reload: the master's newer state wins, with its token");
	CHECK(strcmp(slurp("hosts"), snap) == 0,
	    "reload: the snapshot is not rewritten");
	CHECK(strncmp(slurp("hosts.journal"), j, strlen(j)) == 0 &&
	    strcmp(slurp("hosts.journal") + strlen(j), "h1 install 2 1\n"
	    "h10 install 1 1\nh11 local 1 0\n") == 0,
	    "reload: only the re-armed and the new hosts are appended");
	strlcpy(j, slurp("hosts.journal"), sizeof(j));
	reload_conf(&again);
	CHECK(same_states(&again, &nw),
	    "reload: the files read back give the reload's states");
	CHECK(state_reload(&again, &nw) == 0 &&
	    strcmp(slurp("hosts.journal"), j) == 0,
	    "reload: a reload that changes nothing writes nothing");
	/* h11 taken out: a snapshot without it, as a start would write. */
	config_free(&nw);
	make_conf(&nw, 11);
	nw.hosts[1].conf.install = 1;
	state_apply(&nw, NULL);
	CHECK(state_reload(&nw, &again) == 0 &&
	    strstr(slurp("hosts"), "\nh11 ") == NULL &&
	    strstr(slurp("hosts"), "\nh10 install 1 1\n") != NULL &&
	    *slurp("hosts.journal") == '\0',
	    "reload: a host taken out writes a snapshot without its line");
	config_free(&again);
	config_free(&nw);
}

/* The snapshot and its journal, across starts. */
static void
test_state(void)
{
	struct config	*c;

	c = state_first();
	c = state_stale(c);
	c = state_fold(c);
	state_reopen();
	state_inventory();
	state_reloaded();
}

/* Open descriptors of this process. */
static int
nfds(void)
{
	DIR		*d;
	int		 n = 0;

	if ((d = opendir("/proc/self/fd")) == NULL)
		return -1;
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n;
}

struct bytes {
	const char	*p;
	size_t		 len;
	int		 fail;		/* then fail with ENOSPC */
};

static int
fill(int fd, void *arg)
{
	struct bytes	*b = arg;

	if (write_all(fd, b->p, b->len) == -1)
		return -1;
	if (b->fail) {
		errno = ENOSPC;
		return -1;
	}
	return 0;
}

/* The file is old's bytes, and no temporary is left beside it. */
static int
whole(const char *d, const char *old)
{
	char	 path[PATH_MAX], got[64] = "";
	FILE	*fp;

	snprintf(path, sizeof(path), "%s/f.tmp", d);
	if (access(path, F_OK) == 0)
		return 0;
	snprintf(path, sizeof(path), "%s/f", d);
	if ((fp = fopen(path, "r")) == NULL)
		return 0;
	got[fread(got, 1, sizeof(got) - 1, fp)] = '\0';
	fclose(fp);
	return strcmp(got, old) == 0;
}

/*
 * durable_replace: a failing writer, and a real full disk (a 64 KiB
 * tmpfs in a mount namespace of this process's own): -1 with the errno,
 * the old file whole, no temporary, no descriptor left open.
 */
static void
test_durable(const char *top)
{
	static char	 big[256 * 1024];
	struct bytes	 b = { "old\n", 4, 0 };
	char		 d[PATH_MAX - 16], path[PATH_MAX];
	int		 dfd, n0, r, fd;

	snprintf(d, sizeof(d), "%s/durable", top);
	if (mkdir(d, 0700) == -1 || (dfd = open(d, O_RDONLY | O_DIRECTORY))
	    == -1)
		abort();
	CHECK(durable_replace(dfd, "f", 0600, fill, &b) == 0 &&
	    whole(d, "old\n"), "durable: a file written");
	n0 = nfds();
	b.p = "new, half written";
	b.len = 17;
	b.fail = 1;
	r = durable_replace(dfd, "f", 0600, fill, &b);
	CHECK(r == -1 && errno == ENOSPC, "durable: a failing writer: -1, "
	    "its errno");
	CHECK(whole(d, "old\n") && nfds() == n0, "durable: the old file "
	    "whole, no temporary, no descriptor left");
	close(dfd);

	/* A real full disk. */
	if (unshare(CLONE_NEWNS) == -1 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1 ||
	    mount("pxed-full", d, "tmpfs", 0, "size=64k,mode=0700") == -1) {
		printf("FAIL: durable: a 64 KiB tmpfs: %s\n", strerror(errno));
		return;
	}
	if ((dfd = open(d, O_RDONLY | O_DIRECTORY)) == -1)
		abort();
	b.p = "old\n";
	b.len = 4;
	b.fail = 0;
	CHECK(durable_replace(dfd, "f", 0600, fill, &b) == 0,
	    "durable: a file on the small disk");
	memset(big, 'x', sizeof(big));
	n0 = nfds();
	b.p = big;
	b.len = sizeof(big);
	r = durable_replace(dfd, "f", 0600, fill, &b);
	CHECK(r == -1 && errno == ENOSPC, "durable: a full disk: -1, ENOSPC");
	CHECK(whole(d, "old\n") && nfds() == n0, "durable: on a full disk "
	    "the old file stays whole, no temporary, no descriptor left");
	/* And once there is room again, the same call goes through. */
	b.len = 16 * 1024;
	CHECK(durable_replace(dfd, "f", 0600, fill, &b) == 0, "durable: "
	    "with room again it replaces the file");
	snprintf(path, sizeof(path), "%s/f", d);
	fd = open(path, O_RDONLY);
	CHECK(fd != -1 && lseek(fd, 0, SEEK_END) == 16 * 1024,
	    "durable: ... whole");
	if (fd != -1)
		close(fd);
	close(dfd);
	umount(d);
}

int
main(void)
{
	char	 tmpl[] = "/tmp/pxed-state.XXXXXX", cmd[PATH_MAX + 16];

	if (sodium_init() == -1)
		abort();
	log_init(1, LOG_DAEMON);
	test_byname();
	test_buf_printf();
	if (geteuid() != 0) {
		printf("SKIP: state: the state directory must be root's\n");
		TEST_EXIT();
	}
	if (mkdtemp(tmpl) == NULL)
		abort();
	snprintf(dir, sizeof(dir), "%s/state", tmpl);
	if (state_open(dir) == -1) {
		printf("FAIL: state: cannot open %s\n", dir);
		return 1;
	}
	test_state();
	test_durable(tmpl);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl);
	if (system(cmd) != 0)
		printf("FAIL: state: cannot remove %s\n", tmpl);
	TEST_EXIT();
}
