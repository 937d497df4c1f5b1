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

#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <linux/landlock.h>
#include <netinet/in.h>

#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>

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
sock_of(int family, int type)
{
	int	 fd = socket(family, type | SOCK_CLOEXEC, 0);

	return fd == -1;
}

static int tcp4(void) { return sock_of(AF_INET, SOCK_STREAM); }
static int tcp6(void) { return sock_of(AF_INET6, SOCK_STREAM); }
static int udp4(void) { return sock_of(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK); }
static int udp6(void) { return sock_of(AF_INET6, SOCK_DGRAM); }
static int raw4(void) { return sock_of(AF_INET, SOCK_RAW); }
static int unix_dgram(void) { return sock_of(AF_UNIX, SOCK_DGRAM); }
static int netlink(void) { return sock_of(AF_NETLINK, SOCK_RAW); }
static int packet(void) { return sock_of(AF_PACKET, SOCK_DGRAM); }

static int
forbidden_ioctl(void)
{
	int	 n;

	ioctl(STDIN_FILENO, FIONREAD, &n);
	return 0;
}

/*
 * Landlock on its own (no seccomp): a TCP connect to a listener of ours
 * and an abstract unix socket outside the worker are refused; 2 when
 * the kernel's ABI lacks the rule, so the caller says SKIP.
 */
static int
landlock_net(int abi_needed, int (*try)(void))
{
	pid_t	 pid;
	int	 status;
	long	 abi;

	abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < abi_needed)
		return 2;
	if ((pid = fork()) == 0) {
		sandbox_landlock(0);
		_exit(try());
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

/* 0 when a TCP connect to 127.0.0.1 is refused with EACCES. */
static int
tcp_connect_refused(void)
{
	struct sockaddr_in	 sin;
	int			 fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(9);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 &&
	    errno == EACCES ? 0 : 1;
}

/* 0 when connecting to an abstract unix socket of the parent is refused. */
static int
abstract_refused(void)
{
	struct sockaddr_un	 sun;
	int			 fd = socket(AF_UNIX, SOCK_STREAM, 0);

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, "\0pxed-seccomp-test", 19);
	return connect(fd, (struct sockaddr *)&sun,
	    offsetof(struct sockaddr_un, sun_path) + 19) == -1 &&
	    errno == EPERM ? 0 : 1;
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

#define KILLED(st)	(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS)
#define ALLOWED(st)	(WIFEXITED(st) && WEXITSTATUS(st) == 0)

/* Which sockets each worker may still make, and ioctl for none. */
static void
sockets(void)
{
	static const struct {
		const char	*name;
		int		 (*fn)(void);
	} kinds[] = {
		{ "TCP/IPv4", tcp4 }, { "TCP/IPv6", tcp6 }, { "raw IPv4", raw4 },
		{ "AF_UNIX", unix_dgram }, { "netlink", netlink },
		{ "AF_PACKET", packet },
	};
	static const enum proc_id workers[] = {
		PROC_DHCPD, PROC_TFTPD, PROC_HTTPD
	};
	char	 name[96];
	size_t	 i, w;

	for (w = 0; w < 3; w++) {
		for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
			snprintf(name, sizeof(name), "%s: a %s socket kills "
			    "the process", proc_name(workers[w]),
			    kinds[i].name);
			CHECK(KILLED(under_filter(workers[w], kinds[i].fn)),
			    name);
		}
		snprintf(name, sizeof(name), "%s: ioctl kills the process",
		    proc_name(workers[w]));
		CHECK(KILLED(under_filter(workers[w], forbidden_ioctl)), name);
	}
	CHECK(KILLED(under_filter(PROC_DHCPD, udp4)),
	    "dhcpd: even a UDP socket kills the process");
	CHECK(KILLED(under_filter(PROC_HTTPD, udp4)),
	    "httpd: even a UDP socket kills the process");
	CHECK(ALLOWED(under_filter(PROC_TFTPD, udp4)),
	    "tftpd: a UDP/IPv4 socket (non-blocking) is allowed");
	CHECK(ALLOWED(under_filter(PROC_TFTPD, udp6)),
	    "tftpd: a UDP/IPv6 socket is allowed");
}

/* A listener on [::1] with a connection waiting, for accept6. */
static int	 listen6 = -1;

/*
 * An IPv6 transfer as tftpd makes one: a non-blocking UDP socket bound
 * to [::1]:0, a datagram out of it and back in.
 */
static int
udp6_transfer(void)
{
	struct sockaddr_in6	 sin6;
	struct pollfd		 pfd;
	socklen_t		 len = sizeof(sin6);
	char			 b[8];
	int			 fd;

	fd = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_addr = in6addr_loopback;
	if (fd == -1 ||
	    bind(fd, (struct sockaddr *)&sin6, sizeof(sin6)) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin6, &len) == -1 ||
	    sendto(fd, "tftp", 4, 0, (struct sockaddr *)&sin6, len) != 4)
		return 1;
	pfd.fd = fd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 1000) != 1)
		return 1;
	return recvfrom(fd, b, sizeof(b), 0, NULL, NULL) == 4 ? 0 : 1;
}

/* httpd's accept of an IPv6 connection, and who the peer is. */
static int
accept6(void)
{
	struct sockaddr_in6	 peer;
	socklen_t		 len = sizeof(peer);
	int			 fd;

	fd = accept4(listen6, (struct sockaddr *)&peer, &len,
	    SOCK_NONBLOCK | SOCK_CLOEXEC);
	return fd == -1 || len != sizeof(peer) ||
	    peer.sin6_family != AF_INET6 ||
	    getpeername(fd, (struct sockaddr *)&peer, &len) == -1;
}

/* IPv6 needs nothing more of the filters: tftpd and httpd serve it. */
static void
ipv6(void)
{
	struct sockaddr_in6	 sin6;
	socklen_t		 len = sizeof(sin6);
	int			 fd, st;

	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_addr = in6addr_loopback;
	if ((listen6 = socket(AF_INET6, SOCK_STREAM, 0)) == -1 ||
	    bind(listen6, (struct sockaddr *)&sin6, sizeof(sin6)) == -1 ||
	    listen(listen6, 1) == -1 ||
	    getsockname(listen6, (struct sockaddr *)&sin6, &len) == -1 ||
	    (fd = socket(AF_INET6, SOCK_STREAM, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sin6, len) == -1) {
		printf("SKIP: seccomp: no IPv6 loopback (%s)\n",
		    strerror(errno));
		return;
	}
	st = under_filter(PROC_TFTPD, udp6_transfer);
	CHECK(ALLOWED(st),
	    "tftpd: an IPv6 transfer socket binds, sends and receives");
	st = under_filter(PROC_HTTPD, accept6);	/* one connection waits */
	CHECK(ALLOWED(st), "httpd: accepts an IPv6 connection");
	close(fd);
	close(listen6);
}

static void
landlock(void)
{
	struct sockaddr_un	 sun;
	int			 r, fd;

	r = landlock_net(4, tcp_connect_refused);
	if (r == 2)
		printf("SKIP: landlock: no TCP rules (ABI below 4)\n");
	else
		CHECK(r == 0, "landlock: a worker's TCP connect is refused");
	/* An abstract socket that the worker must not reach. */
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, "\0pxed-seccomp-test", 19);
	if (bind(fd, (struct sockaddr *)&sun,
	    offsetof(struct sockaddr_un, sun_path) + 19) == -1 ||
	    listen(fd, 1) == -1) {
		CHECK(0, "landlock: an abstract socket to reach");
		return;
	}
	r = landlock_net(6, abstract_refused);
	if (r == 2)
		printf("SKIP: landlock: no scopes (ABI below 6)\n");
	else
		CHECK(r == 0, "landlock: an abstract unix socket outside the "
		    "worker is refused");
	close(fd);
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
	sockets();
	ipv6();
	landlock();
	TEST_EXIT();
}
