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
 * The configuration stream, both ends.  The sender writes the server,
 * then each subnet (IPv4, then IPv6), profile (with its kickstart
 * template), host and var, every part a fixed-size message, at once or
 * in steps; the caller adds what else its receiver needs (sockets,
 * leases) and IMSG_RECONF_END.  The receiver checks each part for its
 * exact size (a subnet's bounds too) and builds a shadow configuration
 * that it hands over, whole, at END: all of the new configuration or
 * none of it.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "reconf.h"

static void	 reconf_send_array(struct imsgbuf *, uint32_t, const void *,
		    size_t, size_t, size_t);
static int	 reconf_rx_array(struct config *, struct imsg *, size_t,
		    size_t, int (*)(struct config *, const void *));
static int	 reconf_rx_subnet(struct config *, struct imsg *);
static int	 subnet_ok(uint32_t, uint32_t, uint32_t, const void *,
		    const void *, size_t);
static int	 reconf_rx_host(struct config *, const void *);
static int	 reconf_rx_var(struct config *, const void *);
static int	 reconf_rx_template(struct reconf_rx *, struct imsg *);

/* The whole stream at once, but for the caller's additions and END. */
void
reconf_send(struct imsgbuf *ibuf, const struct config *conf)
{
	struct reconf_tx	 tx;

	reconf_tx_begin(&tx, ibuf, conf);
	reconf_tx_step(&tx, ibuf, conf, SIZE_MAX);
}

/*
 * The start of a stream: the server, subnets and profiles with their
 * templates, all small.  The hosts and vars follow in steps, so that a
 * master streaming 100,000 hosts to three workers goes on serving.
 */
void
reconf_tx_begin(struct reconf_tx *tx, struct imsgbuf *ibuf,
    const struct config *conf)
{
	struct reconf_start	 rs;
	struct reconf_template	 rt;
	struct iovec		 iov[2];
	size_t			 i;

	memset(&rs, 0, sizeof(rs));
	rs.server = conf->server;
	rs.nhosts = conf->nhosts;
	rs.nmacs = conf->nmacs;
	rs.nvars = conf->nvars;
	imsg_compose(ibuf, IMSG_RECONF_START, 0, 0, -1, &rs, sizeof(rs));
	for (i = 0; i < conf->nsubnets; i++)
		imsg_compose(ibuf, IMSG_RECONF_SUBNET, 0, 0, -1,
		    &conf->subnets[i], sizeof(conf->subnets[i]));
	for (i = 0; i < conf->nsubnets6; i++)
		imsg_compose(ibuf, IMSG_RECONF_SUBNET6, 0, 0, -1,
		    &conf->subnets6[i], sizeof(conf->subnets6[i]));
	for (i = 0; i < conf->nprofiles; i++) {
		imsg_compose(ibuf, IMSG_RECONF_PROFILE, 0, 0, -1,
		    &conf->profiles[i], sizeof(conf->profiles[i]));
		if (conf->templates[i] == NULL)
			continue;
		rt.profile = i;
		rt.len = strlen(conf->templates[i]);
		iov[0].iov_base = &rt;
		iov[0].iov_len = sizeof(rt);
		iov[1].iov_base = conf->templates[i];
		iov[1].iov_len = rt.len;
		if (imsg_composev(ibuf, IMSG_RECONF_TEMPLATE, 0, 0, -1, iov,
		    2) == -1)
			log_warn("template of profile %s",
			    conf->profiles[i].name);
	}
	tx->active = 1;
	tx->host = tx->var = 0;
}

/*
 * About max more hosts and vars, many to a message (100,000 hosts are
 * 2,000 messages, not 100,000).  1 when all are sent: the caller adds
 * what else its receiver needs and IMSG_RECONF_END.
 */
int
reconf_tx_step(struct reconf_tx *tx, struct imsgbuf *ibuf,
    const struct config *conf, size_t max)
{
	size_t	 n;

	if (tx->host < conf->nhosts) {
		n = conf->nhosts - tx->host < max ? conf->nhosts - tx->host :
		    max;
		reconf_send_array(ibuf, IMSG_RECONF_HOST,
		    &conf->hosts[tx->host], n, sizeof(conf->hosts[0]),
		    RECONF_HOSTS_MAX);
		tx->host += n;
		max -= n;
	}
	if (max > 0 && tx->var < conf->nvars) {
		n = conf->nvars - tx->var < max ? conf->nvars - tx->var : max;
		reconf_send_array(ibuf, IMSG_RECONF_VAR, &conf->vars[tx->var],
		    n, sizeof(conf->vars[0]), RECONF_VARS_MAX);
		tx->var += n;
	}
	if (tx->host < conf->nhosts || tx->var < conf->nvars)
		return 0;
	tx->active = 0;
	return 1;
}

/* n elements of size bytes, at most max to a message. */
static void
reconf_send_array(struct imsgbuf *ibuf, uint32_t type, const void *base,
    size_t n, size_t size, size_t max)
{
	size_t	 i, k;

	for (i = 0; i < n; i += k) {
		k = n - i < max ? n - i : max;
		imsg_compose(ibuf, type, 0, 0, -1, (const char *)base + i * size,
		    k * size);
	}
}

void
reconf_rx_reset(struct reconf_rx *rx)
{
	if (rx->shadow != NULL) {
		config_free(rx->shadow);
		free(rx->shadow);
		rx->shadow = NULL;
	}
}

/* The elements of an array message (see reconf_send_array), to add. */
static int
reconf_rx_array(struct config *shadow, struct imsg *imsg, size_t size,
    size_t max, int (*add)(struct config *, const void *))
{
	size_t	 len = imsg_get_len(imsg), i;

	if (len == 0 || len % size != 0 || len / size > max)
		return -1;
	for (i = 0; i < len / size; i++)
		if (add(shadow, (const char *)imsg->data + i * size) == -1)
			return -1;
	return 0;
}

/*
 * A subnet of either family, one a message, with what the workers index
 * or loop by in bounds.
 */
static int
reconf_rx_subnet(struct config *shadow, struct imsg *imsg)
{
	union {
		struct subnet_conf	 v4;
		struct subnet6_conf	 v6;
	}	 sn;

	if (imsg_get_type(imsg) == IMSG_RECONF_SUBNET6) {
		if (imsg_get_data(imsg, &sn.v6, sizeof(sn.v6)) == -1 ||
		    !subnet_ok(sn.v6.prefixlen, 128, sn.v6.ndns,
		    &sn.v6.range_lo, &sn.v6.range_hi, 16))
			return -1;
		return config_add_subnet6(shadow, &sn.v6);
	}
	if (imsg_get_data(imsg, &sn.v4, sizeof(sn.v4)) == -1 ||
	    !subnet_ok(sn.v4.prefixlen, 32, sn.v4.ndns, &sn.v4.range_lo,
	    &sn.v4.range_hi, 4))
		return -1;
	return config_add_subnet(shadow, &sn.v4);
}

/* A prefix of 1 to bits, at most PXED_MAXDNS servers, lo <= hi. */
static int
subnet_ok(uint32_t plen, uint32_t bits, uint32_t ndns, const void *lo,
    const void *hi, size_t alen)
{
	return plen >= 1 && plen <= bits && ndns <= PXED_MAXDNS &&
	    memcmp(lo, hi, alen) <= 0;
}

static int
reconf_rx_host(struct config *shadow, const void *data)
{
	struct host	 h;

	memcpy(&h, data, sizeof(h));
	if (h.conf.profile < -1 ||
	    h.conf.profile >= (int32_t)shadow->nprofiles ||
	    h.conf.nmacs == 0 || h.conf.nmacs > PXED_HOSTMACS)
		return -1;
	return config_add_host(shadow, &h);
}

static int
reconf_rx_var(struct config *shadow, const void *data)
{
	struct host_var	 hv;

	memcpy(&hv, data, sizeof(hv));
	if (hv.host >= shadow->nhosts)
		return -1;
	return config_add_var(shadow, &hv);
}

static int
reconf_rx_template(struct reconf_rx *rx, struct imsg *imsg)
{
	struct reconf_template	 rt;
	size_t			 len = imsg_get_len(imsg);
	char			*text;

	if (len < sizeof(rt))
		return -1;
	memcpy(&rt, imsg->data, sizeof(rt));
	if (rt.len != len - sizeof(rt) || rt.len > PXED_TMPLMAX ||
	    rt.profile >= rx->shadow->nprofiles ||
	    rx->shadow->templates[rt.profile] != NULL)
		return -1;
	if ((text = malloc(rt.len + 1)) == NULL)
		fatal("malloc");
	memcpy(text, (char *)imsg->data + sizeof(rt), rt.len);
	text[rt.len] = '\0';
	rx->shadow->templates[rt.profile] = text;
	return 0;
}

/*
 * One message of the stream: 1 if it was one (at IMSG_RECONF_END, *done
 * is the whole configuration, the caller's), 0 if it is no part of the
 * stream, -1 if malformed or out of place.
 */
int
reconf_rx_msg(struct reconf_rx *rx, struct imsg *imsg, struct config **done)
{
	uint32_t		 type = imsg_get_type(imsg);
	struct reconf_start	 rs;
	struct profile_conf	 pc;
	int			 r = 0;

	*done = NULL;
	switch (type) {
	case IMSG_RECONF_START:
		reconf_rx_reset(rx);
		if ((rx->shadow = calloc(1, sizeof(*rx->shadow))) == NULL)
			fatal("calloc");
		config_init(rx->shadow);
		if (imsg_get_data(imsg, &rs, sizeof(rs)) == -1)
			return -1;
		rx->shadow->server = rs.server;
		/* Only a saving: short of memory, the arrays grow instead. */
		(void)config_reserve(rx->shadow, rs.nhosts, rs.nmacs,
		    rs.nvars);
		return 1;
	case IMSG_RECONF_SUBNET:
	case IMSG_RECONF_SUBNET6:
	case IMSG_RECONF_PROFILE:
	case IMSG_RECONF_TEMPLATE:
	case IMSG_RECONF_HOST:
	case IMSG_RECONF_VAR:
	case IMSG_RECONF_END:
		if (rx->shadow == NULL)
			return -1;
		break;
	default:
		return 0;
	}
	switch (type) {
	case IMSG_RECONF_SUBNET:
	case IMSG_RECONF_SUBNET6:
		r = reconf_rx_subnet(rx->shadow, imsg);
		break;
	case IMSG_RECONF_PROFILE:
		if ((r = imsg_get_data(imsg, &pc, sizeof(pc))) == 0)
			r = config_add_profile(rx->shadow, &pc);
		break;
	case IMSG_RECONF_TEMPLATE:
		r = reconf_rx_template(rx, imsg);
		break;
	case IMSG_RECONF_HOST:
		r = reconf_rx_array(rx->shadow, imsg, sizeof(struct host),
		    RECONF_HOSTS_MAX, reconf_rx_host);
		break;
	case IMSG_RECONF_VAR:
		r = reconf_rx_array(rx->shadow, imsg, sizeof(struct host_var),
		    RECONF_VARS_MAX, reconf_rx_var);
		break;
	case IMSG_RECONF_END:
		if (imsg_get_len(imsg) != 0)
			return -1;
		*done = rx->shadow;
		rx->shadow = NULL;
		break;
	}
	return r == -1 ? -1 : 1;
}
