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

/* storm: the load client's machines and the parts that drive them. */

#include <netinet/in.h>

#include <stdint.h>

enum stage { ST_DHCP, ST_LOADER, ST_MENU, ST_KERNEL, ST_INITRD, ST_KS,
	ST_DONE, ST_N };
enum mstate { M_WAIT, M_RUN, M_DONE, M_FAILED };
/* Firmware kinds, one machine in four of each: option 93 and 77. */
enum kind { K_BIOS, K_UEFI, K_HTTP, K_IPXE };
enum dstate { D_DISCOVER, D_REQUEST };
enum hstate { H_IDLE, H_CONNECT, H_SEND, H_HEAD, H_BODY };

#define MENU_MAX	8192
#define URL_MAX		512

struct mach {
	int		 idx;
	enum mstate	 state;
	enum kind	 kind;
	enum stage	 stage;
	uint8_t		 mac[6];
	char		 macstr[18];
	uint32_t	 xid;
	double		 start_at, t0, stage_t0, deadline, timer, total;
	double		 lat[ST_N];
	int		 tries;
	enum stage	 fail_stage;
	const char	*fail_reason;

	enum dstate	 dstate;
	struct in_addr	 yiaddr, srvid;
	char		 file[URL_MAX];
	char		 menu[64];

	/* TFTP: the request, the server's TID, the window. */
	int		 tfd;
	int		 probe;
	char		 tname[URL_MAX];
	struct sockaddr_in tid;
	int		 have_tid;
	uint16_t	 expect, blksize, window, inwin;
	uint8_t		 last[600];
	size_t		 lastlen;
	struct sockaddr_in lastto;

	/* HTTP: one keep-alive connection. */
	int		 hfd;
	enum hstate	 hstate;
	char		 req[URL_MAX + 128];
	size_t		 reqlen, reqoff;
	char		 head[2048];
	size_t		 headlen;
	long long	 clen, cgot;
	int		 status, hclose, keep;
	int		 lowat;		/* the socket's SO_RCVLOWAT */

	/* The menu or iPXE script, and what it points to. */
	char		*body;
	size_t		 bodylen;
	char		 kernel[URL_MAX], initrd[URL_MAX], ks[URL_MAX],
			 done[URL_MAX];
};

struct storm {
	struct mach	*m;
	int		 n, ok, failed, active, quiet, ep;
	double		 now, begin, end, timeout_ms;
	int		 retrans[ST_N];	/* retransmits after a timeout */
	uint32_t	 xid0;
	char		 server[64], http[128];
	struct sockaddr_in srv, hsrv;
	char		 hhost[128];
	int		 dfd;
};

extern struct storm S;

void	 mach_fail(struct mach *, const char *);
void	 mach_next(struct mach *);
int	 body_add(struct mach *, const void *, size_t);
int	 menu_parse(struct mach *);
void	 fd_close(int *);

void	 dhcp_open(const char *);
void	 dhcp_start(struct mach *);
void	 dhcp_timeout(struct mach *);
void	 dhcp_input(void);

void	 tftp_start(struct mach *, const char *, int);
void	 tftp_timeout(struct mach *);
void	 tftp_input(struct mach *);
void	 tftp_close(struct mach *);

int	 http_base(const char *);
void	 http_get(struct mach *, const char *, int);
void	 http_event(struct mach *, uint32_t);
void	 http_close(struct mach *);
