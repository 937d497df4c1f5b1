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
 * Each worker's seccomp filter, installed in a child: what its loop
 * needs still works, and a call outside its list kills the process.
 */

#include <sys/socket.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc.h"
#include "test.h"

/* Run fn in a child under id's filter; return its wait status. */
static int
under_filter(enum proc_id id, int (*fn)(void))
{
	pid_t	 pid;
	int	 status;

	if ((pid = fork()) == 0) {
		sandbox_seccomp(id);
		_exit(fn());
	}
	waitpid(pid, &status, 0);
	return status;
}

static int
allowed_io(void)
{
	char	 c = 0;

	return write(STDOUT_FILENO, &c, 0) == 0 ? 0 : 1;
}

static int
forbidden_socket(void)
{
	socket(AF_UNIX, SOCK_STREAM, 0);
	return 0;
}

static int
forbidden_open(void)
{
	open("/etc/passwd", O_RDONLY);
	return 0;
}

static int
forbidden_fork(void)
{
	fork();
	return 0;
}

static int
allowed_open(void)
{
	int	 fd = open("/dev/null", O_RDONLY);

	return fd == -1;
}

int
main(void)
{
	int	 st;

	st = under_filter(PROC_DHCPD, allowed_io);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "dhcpd: write allowed");
	st = under_filter(PROC_DHCPD, forbidden_open);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS,
	    "dhcpd: open kills the process");
	st = under_filter(PROC_DHCPD, forbidden_socket);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS,
	    "dhcpd: socket kills the process");
	st = under_filter(PROC_TFTPD, allowed_open);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "tftpd: open allowed");
	st = under_filter(PROC_HTTPD, allowed_open);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "httpd: open allowed");
	st = under_filter(PROC_HTTPD, forbidden_socket);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS,
	    "httpd: socket kills the process");
	st = under_filter(PROC_TFTPD, forbidden_fork);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS,
	    "tftpd: fork kills the process");
	TEST_EXIT();
}
