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
 * The privilege drop every worker goes through once it has its first
 * configuration: chroot, drop to the unprivileged user, verify that root
 * cannot be regained, forbid new processes and new privileges.
 */

#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/types.h>

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include "log.h"
#include "proc.h"

void
sandbox_drop(const char *user, const char *root)
{
	struct passwd	*pw;
	struct rlimit	 rl;
	uid_t		 uid;
	gid_t		 gid;

	if ((pw = getpwnam(user)) == NULL)
		fatalx("unknown user %s", user);
	uid = pw->pw_uid;
	gid = pw->pw_gid;
	if (uid == 0)
		fatalx("user %s is root: refusing to run a worker as root",
		    user);
	if (chroot(root) == -1)
		fatal("chroot %s", root);
	if (chdir("/") == -1)
		fatal("chdir /");
	if (setgroups(1, &gid) == -1)
		fatal("setgroups");
	if (setresgid(gid, gid, gid) == -1)
		fatal("setresgid");
	if (setresuid(uid, uid, uid) == -1)
		fatal("setresuid");
	/* The drop must be final: getting root back has to fail. */
	if (setuid(0) != -1 || seteuid(0) != -1 || setgid(0) != -1)
		fatalx("could regain root after dropping privileges");
	rl.rlim_cur = rl.rlim_max = 0;
	if (setrlimit(RLIMIT_NPROC, &rl) == -1)
		fatal("setrlimit RLIMIT_NPROC");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		fatal("prctl PR_SET_NO_NEW_PRIVS");
}
