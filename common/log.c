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

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

#define LOG_LINEMAX	1024

static int		 log_debugmode;	/* 1: stderr, 0: syslog */
static int		 log_verbose;
static const char	*log_procname;
static log_forward_fn	 log_forward;
static int		 log_buffered;	/* see log_setbuffered */
static char		 log_buf[16384];
static size_t		 log_buflen;

void
log_init(int debug, int facility)
{
	log_debugmode = debug;
	if (!debug)
		openlog("pxed", LOG_PID | LOG_NDELAY, facility);
	tzset();
}

void
log_procinit(const char *name)
{
	log_procname = name;
}

void
log_setverbose(int v)
{
	log_verbose = v;
}

int
log_getverbose(void)
{
	return log_verbose;
}

void
log_setforward(log_forward_fn fn)
{
	log_forward = fn;
}

/*
 * The master in the foreground writes a line per request of every
 * worker; one write(2) each cost it more than the rest of its work for
 * small files.  Buffered, informational lines leave together when its
 * loop is about to wait (log_flush), errors at once and in order.
 */
void
log_setbuffered(int on)
{
	log_flush();
	log_buffered = on;
}

void
log_flush(void)
{
	size_t	 off = 0;
	ssize_t	 n;

	while (off < log_buflen) {
		if ((n = write(STDERR_FILENO, log_buf + off, log_buflen - off))
		    == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;		/* stderr is gone: nothing to do */
		off += (size_t)n;
	}
	log_buflen = 0;
}

/* Write one finished line: to stderr or syslog.  The master calls this
 * for lines its workers forwarded. */
void
log_emit(int pri, const char *msg)
{
	size_t	 len;

	if (!log_debugmode) {
		syslog(pri, "%s", msg);
		return;
	}
	len = strlen(msg);
	if (log_buffered && pri > LOG_ERR && len < sizeof(log_buf)) {
		if (log_buflen + len + 1 > sizeof(log_buf))
			log_flush();
		memcpy(log_buf + log_buflen, msg, len);
		log_buf[log_buflen + len] = '\n';
		log_buflen += len + 1;
		return;
	}
	log_flush();
	fprintf(stderr, "%s\n", msg);
	fflush(stderr);
}

void
vlog(int pri, const char *fmt, va_list ap)
{
	char	 line[LOG_LINEMAX];

	if (pri == LOG_DEBUG && log_verbose < 1)
		return;
	vsnprintf(line, sizeof(line), fmt, ap);
	if (log_forward != NULL)
		log_forward(pri, line);
	else
		log_emit(pri, line);
}

void
logit(int pri, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(pri, fmt, ap);
	va_end(ap);
}

/* Fatal lines name the process, so a dying worker is recognizable. */
static void
vlog_errno(int pri, const char *fmt, va_list ap, int witherrno)
{
	char		 msg[LOG_LINEMAX];
	int		 saved = errno;
	const char	*who = "", *sep = "";

	if (pri == LOG_CRIT && log_procname != NULL) {
		who = log_procname;
		sep = ": ";
	}
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (witherrno)
		logit(pri, "%s%s%s: %s", who, sep, msg, strerror(saved));
	else
		logit(pri, "%s%s%s", who, sep, msg);
	errno = saved;
}

void
log_warn(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog_errno(LOG_ERR, fmt, ap, 1);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_ERR, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	 ap;

	if (log_verbose < 1)
		return;
	va_start(ap, fmt);
	vlog(LOG_DEBUG, fmt, ap);
	va_end(ap);
}

__dead void
fatal(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog_errno(LOG_CRIT, fmt, ap, 1);
	va_end(ap);
	exit(1);
}

__dead void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog_errno(LOG_CRIT, fmt, ap, 0);
	va_end(ap);
	exit(1);
}
