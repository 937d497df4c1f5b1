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
 * Framed messages over a local stream socket, with descriptor passing:
 * the same surface as OpenBSD's imsg, written for pxed.
 */

#ifndef IMSG_H
#define IMSG_H

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/uio.h>

#include <stddef.h>
#include <stdint.h>

#define IMSG_HEADER_SIZE	sizeof(struct imsg_hdr)
#define IMSG_MAXSIZE		(64 * 1024 + 512)	/* whole message */
#define IMSG_MAXFDQ		64	/* received fds not yet claimed */

/* Set in hdr.len on the wire when the message carries a descriptor. */
#define IMSGF_HASFD		0x80000000U

struct imsg_hdr {
	uint32_t	 type;
	uint32_t	 len;		/* including this header */
	uint32_t	 peerid;
	uint32_t	 pid;
};

struct imsg {
	struct imsg_hdr	 hdr;		/* len without IMSGF_HASFD */
	int		 fd;		/* -1 if none or taken */
	void		*data;		/* NULL if no data */
};

struct imsg_wmsg;

struct imsgbuf {
	int			 fd;
	unsigned char		*rbuf;		/* IMSG_MAXSIZE bytes */
	size_t			 rpos;		/* first byte not consumed */
	size_t			 rlen;		/* bytes held */
	int			 rfds[IMSG_MAXFDQ]; /* ring of received fds */
	unsigned int		 rfdhead;
	unsigned int		 rfdcnt;
	TAILQ_HEAD(, imsg_wmsg)	 wq;
	uint32_t		 wqlen;		/* messages queued */
	size_t			 wqbytes;	/* ... and their bytes unsent */
};

int	 imsgbuf_init(struct imsgbuf *, int);
void	 imsgbuf_clear(struct imsgbuf *);
int	 imsgbuf_read(struct imsgbuf *);
int	 imsgbuf_write(struct imsgbuf *);
int	 imsgbuf_flush(struct imsgbuf *);
uint32_t imsgbuf_queuelen(struct imsgbuf *);

int	 imsg_compose(struct imsgbuf *, uint32_t, uint32_t, pid_t, int,
	    const void *, size_t);
int	 imsg_composev(struct imsgbuf *, uint32_t, uint32_t, pid_t, int,
	    const struct iovec *, int);
ssize_t	 imsg_get(struct imsgbuf *, struct imsg *);
uint32_t imsg_get_type(struct imsg *);
uint32_t imsg_get_peerid(struct imsg *);
pid_t	 imsg_get_pid(struct imsg *);
size_t	 imsg_get_len(struct imsg *);
int	 imsg_get_data(struct imsg *, void *, size_t);
int	 imsg_get_fd(struct imsg *);
void	 imsg_free(struct imsg *);

#endif /* IMSG_H */
