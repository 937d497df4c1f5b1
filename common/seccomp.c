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
 * The last layers of a worker's sandbox.  Landlock (where the kernel has
 * it): read-only beneath the chroot for tftpd and httpd, no file access
 * at all for dhcpd; no TCP bind or connect (ABI 4), no abstract unix
 * sockets or signals outside the worker (ABI 6).  Seccomp: an allow-list
 * per worker, installed once the loop is set up; the architecture is
 * checked first and anything else kills the process.  Only tftpd makes
 * sockets after setup, and only UDP ones of IPv4 or IPv6 (an argument
 * filter); no worker calls ioctl after setup.  Built with
 * -DSECCOMP_DEBUG, a forbidden call traps instead and the worker names
 * it on stderr before it exits.
 */

#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/landlock.h>
#include <linux/seccomp.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "proc.h"

#if defined(__x86_64__)
#define SECCOMP_AUDIT_ARCH	AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SECCOMP_AUDIT_ARCH	AUDIT_ARCH_AARCH64
#else
#error "no seccomp architecture for this machine"
#endif

#ifdef SECCOMP_DEBUG
#define SECCOMP_DENY	SECCOMP_RET_TRAP
#else
#define SECCOMP_DENY	SECCOMP_RET_KILL_PROCESS
#endif

/* What every worker's loop, imsg channel and allocator need. */
static const int sc_common[] = {
	SYS_read, SYS_write, SYS_readv, SYS_writev, SYS_close,
	SYS_epoll_pwait, SYS_epoll_ctl, SYS_ppoll,
#ifdef SYS_poll
	SYS_poll,
#endif
#ifdef SYS_epoll_wait
	SYS_epoll_wait,
#endif
	SYS_recvmsg, SYS_sendmsg, SYS_fcntl,
	SYS_clock_gettime, SYS_gettimeofday, SYS_getpid,
	SYS_brk, SYS_mmap, SYS_munmap, SYS_mremap, SYS_madvise,
	SYS_newfstatat, SYS_fstat, SYS_lseek, SYS_futex,
	SYS_rt_sigreturn, SYS_restart_syscall, SYS_exit, SYS_exit_group,
	SYS_getrandom, SYS_sigaltstack,
};

/* Replies to clients, over the passed sockets and a raw packet socket. */
static const int sc_dhcpd[] = {
	SYS_recvfrom, SYS_sendto, SYS_recvmmsg, SYS_sendmmsg,
	SYS_getsockname,
};

/*
 * Files beneath the TFTP root; one ephemeral UDP socket per transfer
 * (socket itself is filtered by its arguments: sc_udp_socket).
 */
static const int sc_tftpd[] = {
	SYS_openat, SYS_pread64, SYS_recvfrom, SYS_sendto, SYS_recvmmsg,
	SYS_sendmmsg, SYS_bind, SYS_setsockopt, SYS_getsockopt,
	SYS_getsockname,
};

/* Files beneath the HTTP root, sent with sendfile. */
static const int sc_httpd[] = {
	SYS_accept, SYS_accept4, SYS_openat, SYS_openat2, SYS_pread64,
	SYS_sendfile,
	SYS_recvfrom, SYS_sendto, SYS_setsockopt, SYS_getsockopt,
	SYS_getsockname, SYS_getpeername, SYS_shutdown,
};

#define SC_MAXFILTER	160
#define SC_ARG(n)	(offsetof(struct seccomp_data, args) + \
			    (n) * sizeof(uint64_t))

static size_t	 sc_add(struct sock_filter *, size_t, const int *, size_t);
static size_t	 sc_udp_socket(struct sock_filter *, size_t);

#ifdef SECCOMP_DEBUG
static void
seccomp_trap(int sig, siginfo_t *si, void *ctx)
{
	char	 msg[64] = "pxed: seccomp forbids syscall ";
	char	 num[16];
	int	 n = si->si_syscall, i = 0, len;

	(void)sig;
	(void)ctx;
	do {
		num[i++] = '0' + n % 10;
		n /= 10;
	} while (n > 0 && i < (int)sizeof(num));
	len = strlen(msg);
	while (i > 0 && len < (int)sizeof(msg) - 2)
		msg[len++] = num[--i];
	msg[len++] = '\n';
	write(STDERR_FILENO, msg, len);
	_exit(1);
}
#endif

static size_t
sc_add(struct sock_filter *f, size_t n, const int *calls, size_t ncalls)
{
	size_t	 i;

	for (i = 0; i < ncalls && n + 2 <= SC_MAXFILTER - 1; i++) {
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		    (uint32_t)calls[i], 0, 1);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
		    SECCOMP_RET_ALLOW);
	}
	return n;
}

/*
 * socket(AF_INET or AF_INET6, SOCK_DGRAM with any of SOCK_NONBLOCK and
 * SOCK_CLOEXEC, 0 or IPPROTO_UDP) is allowed; any other socket call
 * kills.  The low 32 bits of each argument are the int the call takes.
 * Every other call goes past the block with its number still loaded.
 */
static size_t
sc_udp_socket(struct sock_filter *f, size_t n)
{
	/* Not socket: skip the 11 instructions after this one. */
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
	    SYS_socket, 0, 11);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    SC_ARG(0));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
	    AF_INET, 1, 0);
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
	    AF_INET6, 0, 7);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    SC_ARG(1));
	f[n++] = (struct sock_filter)BPF_STMT(BPF_ALU | BPF_AND | BPF_K,
	    ~(uint32_t)(SOCK_NONBLOCK | SOCK_CLOEXEC));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
	    SOCK_DGRAM, 0, 4);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    SC_ARG(2));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
	    0, 1, 0);
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
	    IPPROTO_UDP, 0, 1);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
	    SECCOMP_RET_ALLOW);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_DENY);
	return n;
}

void
sandbox_seccomp(enum proc_id id)
{
	struct sock_filter	 f[SC_MAXFILTER];
	struct sock_fprog	 prog;
	size_t			 n = 0;
#ifdef SECCOMP_DEBUG
	struct sigaction	 sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = seccomp_trap;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSYS, &sa, NULL);
#endif
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, arch));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
	    SECCOMP_AUDIT_ARCH, 1, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
	    SECCOMP_RET_KILL_PROCESS);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, nr));
	n = sc_add(f, n, sc_common, sizeof(sc_common) / sizeof(sc_common[0]));
	switch (id) {
	case PROC_DHCPD:
		n = sc_add(f, n, sc_dhcpd, sizeof(sc_dhcpd) / sizeof(int));
		break;
	case PROC_TFTPD:
		n = sc_add(f, n, sc_tftpd, sizeof(sc_tftpd) / sizeof(int));
		n = sc_udp_socket(f, n);
		break;
	case PROC_HTTPD:
		n = sc_add(f, n, sc_httpd, sizeof(sc_httpd) / sizeof(int));
		break;
	default:
		fatalx("no seccomp policy for %s", proc_name(id));
	}
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_DENY);
	prog.len = n;
	prog.filter = f;
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == -1)
		fatal("seccomp");
}

/*
 * Landlock's ruleset attribute as of ABI 6, for headers older than the
 * running kernel (Debian 12's stop at ABI 3); the size passed tells the
 * kernel which fields it gets.
 */
struct ll_ruleset_attr {
	uint64_t	 handled_access_fs;
	uint64_t	 handled_access_net;	/* ABI 4 */
	uint64_t	 scoped;		/* ABI 6 */
};
#define LL_ACCESS_NET_BIND_TCP		(1ULL << 0)
#define LL_ACCESS_NET_CONNECT_TCP	(1ULL << 1)
#define LL_SCOPE_ABSTRACT_UNIX_SOCKET	(1ULL << 0)
#define LL_SCOPE_SIGNAL			(1ULL << 1)

/*
 * Landlock, best effort: an older kernel without it keeps the chroot,
 * the unprivileged user and seccomp.  readable: allow reading files and
 * directories beneath "/" (the chroot); otherwise no file access at all.
 * Every worker: no TCP bind or connect (httpd accepts on the socket the
 * master passed, which Landlock does not restrict), and neither abstract
 * unix sockets nor signals reach outside the worker, where the kernel's
 * ABI has them.
 */
void
sandbox_landlock(int readable)
{
	struct ll_ruleset_attr		 ra;
	struct landlock_path_beneath_attr pb;
	size_t				 size;
	long				 abi;
	int				 rfd, dfd;

	abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 1) {
		log_debug("landlock not available: %s", strerror(errno));
		return;
	}
	memset(&ra, 0, sizeof(ra));
	ra.handled_access_fs = (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1;
	if (abi >= 2)
		ra.handled_access_fs |= LANDLOCK_ACCESS_FS_REFER;
	size = offsetof(struct ll_ruleset_attr, handled_access_net);
	if (abi >= 4) {
		ra.handled_access_net = LL_ACCESS_NET_BIND_TCP |
		    LL_ACCESS_NET_CONNECT_TCP;
		size = offsetof(struct ll_ruleset_attr, scoped);
	}
	if (abi >= 6) {
		ra.scoped = LL_SCOPE_ABSTRACT_UNIX_SOCKET | LL_SCOPE_SIGNAL;
		size = sizeof(ra);
	}
	if ((rfd = syscall(SYS_landlock_create_ruleset, &ra, size, 0))
	    == -1)
		fatal("landlock_create_ruleset");
	if (readable) {
		if ((dfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1)
			fatal("open /");
		pb.allowed_access = LANDLOCK_ACCESS_FS_READ_FILE |
		    LANDLOCK_ACCESS_FS_READ_DIR;
		pb.parent_fd = dfd;
		if (syscall(SYS_landlock_add_rule, rfd,
		    LANDLOCK_RULE_PATH_BENEATH, &pb, 0) == -1)
			fatal("landlock_add_rule");
		close(dfd);
	}
	if (syscall(SYS_landlock_restrict_self, rfd, 0) == -1)
		fatal("landlock_restrict_self");
	close(rfd);
	log_debug("landlock ABI %ld: files%s%s", abi, abi >= 4 ? ", TCP" : "",
	    abi >= 6 ? ", scopes" : "");
}
