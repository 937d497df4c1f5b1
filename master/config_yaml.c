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
 * libyaml nodes into values: scalars, addresses, ports, enums, with the
 * node's position kept for every error.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>

#include "pxed.h"
#include "config.h"

/*
 * Read a whole regular file of at most max bytes into a NUL-terminated
 * buffer.  Returns 0, or -1 with errno set (EFBIG: too large).
 */
int
yp_read_file(const char *path, size_t max, char **textp, size_t *lenp)
{
	struct stat	 st;
	char		*text = NULL;
	size_t		 size, len = 0;
	ssize_t		 n;
	int		 fd, saved;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &st) == -1)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		goto fail;
	}
	if ((uintmax_t)st.st_size > max) {
		errno = EFBIG;
		goto fail;
	}
	size = st.st_size;
	if ((text = malloc(size + 1)) == NULL)
		goto fail;
	while (len < size && (n = read(fd, text + len, size - len)) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		len += n;
	}
	close(fd);
	text[len] = '\0';
	*textp = text;
	*lenp = len;
	return 0;
 fail:
	saved = errno;
	free(text);
	close(fd);
	errno = saved;
	return -1;
}

/* The directory part of path, "" for none: kickstarts are relative to it. */
void
yp_inventory_dir(const char *path, char *dir, size_t size)
{
	char	*slash;

	if (strlcpy(dir, path, size) >= size ||
	    (slash = strrchr(dir, '/')) == NULL)
		dir[0] = '\0';
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
}

struct conf_pos
yp_mark_pos(const yaml_mark_t *mark)
{
	struct conf_pos	 pos;

	pos.file = 0;
	pos.line = mark->line + 1;
	pos.col = mark->column + 1;
	return pos;
}

void
yp_yerr(struct yp *yp, const yaml_node_t *node, const char *fmt, ...)
{
	struct conf_pos	 pos = yp_mark_pos(&node->start_mark);
	char		 msg[PXED_ERRLEN];
	va_list		 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	conf_err(yp->ld, &pos, "%s", msg);
}

const char *
yp_type_name(yaml_node_type_t type)
{
	switch (type) {
	case YAML_MAPPING_NODE:
		return "a map";
	case YAML_SEQUENCE_NODE:
		return "a list";
	default:
		return "a string";
	}
}

/* An empty value, "~" or "null": the same as leaving the key out. */
int
yp_node_null(const yaml_node_t *node)
{
	const char	*s;

	if (node->type != YAML_SCALAR_NODE ||
	    node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	s = yp_node_str(node);
	return s[0] == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
	    strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0;
}

const char *
yp_node_str(const yaml_node_t *node)
{
	return (const char *)node->data.scalar.value;
}

yaml_node_t *
yp_node_get(struct yp *yp, int id)
{
	return yaml_document_get_node(&yp->doc, id);
}

int
yp_node_want(struct yp *yp, yaml_node_t *node, yaml_node_type_t type,
    const char *what)
{
	if (node->type == type)
		return 0;
	yp_yerr(yp, node, "%s must be %s, not %s", what, yp_type_name(type),
	    yp_type_name(node->type));
	return -1;
}

/*
 * Find the values of the keys of map node (named what in messages, NULL
 * for the top level); any other key and a key given twice are errors.
 * An absent or null node is an empty map.  Returns 0, or -1 when node is
 * not a map.
 */
int
yp_map_collect(struct yp *yp, yaml_node_t *node, const char *what,
    const char *const *keys, struct kv *kv)
{
	yaml_node_pair_t	*pair;
	yaml_node_t		*k, *v;
	size_t			 i;

	for (i = 0; keys[i] != NULL; i++)
		kv[i].key = kv[i].val = NULL;
	if (node == NULL || yp_node_null(node))
		return 0;
	if (yp_node_want(yp, node, YAML_MAPPING_NODE,
	    what != NULL ? what : "the inventory") == -1)
		return -1;
	for (pair = node->data.mapping.pairs.start;
	    pair < node->data.mapping.pairs.top; pair++) {
		k = yp_node_get(yp, pair->key);
		v = yp_node_get(yp, pair->value);
		if (yp_node_want(yp, k, YAML_SCALAR_NODE, "a key") == -1)
			continue;
		for (i = 0; keys[i] != NULL; i++) {
			if (strcmp(keys[i], yp_node_str(k)) == 0)
				break;
		}
		if (keys[i] == NULL && what == NULL)
			yp_yerr(yp, k, "unknown top-level key '%s'", yp_node_str(k));
		else if (keys[i] == NULL)
			yp_yerr(yp, k, "unknown key '%s' in %s", yp_node_str(k),
			    what);
		else if (kv[i].key != NULL && what == NULL)
			yp_yerr(yp, k, "duplicate top-level key '%s'",
			    yp_node_str(k));
		else if (kv[i].key != NULL)
			yp_yerr(yp, k, "duplicate key '%s' in %s", yp_node_str(k),
			    what);
		else {
			kv[i].key = k;
			kv[i].val = yp_node_null(v) ? NULL : v;
		}
	}
	return 0;
}

/* The string value of kv, or NULL when absent or not a string. */
const char *
yp_get_scalar(struct yp *yp, const struct kv *kv, const char *what)
{
	const char	*s;

	if (kv->val == NULL ||
	    yp_node_want(yp, kv->val, YAML_SCALAR_NODE, what) == -1)
		return NULL;
	s = yp_node_str(kv->val);
	if (strlen(s) != kv->val->data.scalar.length) {
		yp_yerr(yp, kv->val, "%s contains a NUL character", what);
		return NULL;
	}
	return s;
}

/* Copy kv's string into dst when it is there.  Returns 0, or -1. */
int
yp_get_str(struct yp *yp, const struct kv *kv, const char *what, char *dst,
    size_t size)
{
	const char	*s;

	if ((s = yp_get_scalar(yp, kv, what)) == NULL)
		return kv->val == NULL ? 0 : -1;
	if (strlcpy(dst, s, size) >= size) {
		yp_yerr(yp, kv->val, "%s is too long (at most %zu bytes)", what,
		    size - 1);
		return -1;
	}
	return 0;
}

void
yp_get_path(struct yp *yp, const struct kv *kv, const char *what, char *dst,
    size_t size)
{
	if (yp_get_str(yp, kv, what, dst, size) == 0 && kv->val != NULL &&
	    dst[0] != '/')
		yp_yerr(yp, kv->val, "%s must be an absolute path", what);
}

/* Returns 0 when kv holds an address of af, -1 when absent or bad. */
int
yp_get_addr(struct yp *yp, const struct kv *kv, const char *what, int af,
    void *addr)
{
	const char	*s;

	if ((s = yp_get_scalar(yp, kv, what)) == NULL)
		return -1;
	if (inet_pton(af, s, addr) != 1) {
		yp_yerr(yp, kv->val, "bad IPv%d address '%s' for %s",
		    af == AF_INET ? 4 : 6, s, what);
		return -1;
	}
	return 0;
}

int
yp_get_ip(struct yp *yp, const struct kv *kv, const char *what,
    struct in_addr *ip)
{
	return yp_get_addr(yp, kv, what, AF_INET, ip);
}

/*
 * An IPv6 address a host, a server, a router or a name server can be
 * told of: a global or unique-local unicast one.  *ip6 is left alone
 * unless kv holds one.  Returns 0, or -1 when absent or bad.
 */
int
yp_get_ip6(struct yp *yp, const struct kv *kv, const char *what,
    struct in6_addr *ip6)
{
	struct in6_addr	 a;
	const char	*kind;

	if (yp_get_addr(yp, kv, what, AF_INET6, &a) == -1)
		return -1;
	if ((kind = yp_ip6_kind(&a)) != NULL) {
		yp_yerr(yp, kv->val, "%s %s is %s (want a global or "
		    "unique-local unicast address)", what, yp_node_str(kv->val),
		    kind);
		return -1;
	}
	*ip6 = a;
	return 0;
}

/* What a is when it is no global or unique-local unicast address. */
const char *
yp_ip6_kind(const struct in6_addr *a)
{
	if (IN6_IS_ADDR_UNSPECIFIED(a))
		return "the unspecified address";
	if (IN6_IS_ADDR_LOOPBACK(a))
		return "the loopback address";
	if (IN6_IS_ADDR_MULTICAST(a))
		return "a multicast address";
	if (IN6_IS_ADDR_LINKLOCAL(a))
		return "a link-local address";
	if (IN6_IS_ADDR_V4MAPPED(a))
		return "an IPv4-mapped address";
	return NULL;
}

/* An address of af a client is told of: IPv6 ones checked as above. */
int
yp_get_unicast(struct yp *yp, const struct kv *kv, const char *what, int af,
    void *addr)
{
	if (af == AF_INET6)
		return yp_get_ip6(yp, kv, what, addr);
	return yp_get_addr(yp, kv, what, af, addr);
}

/*
 * What address a of a subnet of af, prefix plen, is that no host may
 * have (IPv4: the network and broadcast addresses, but in /31 and /32;
 * IPv6: the Subnet-Router anycast address, RFC 4291 2.6.1), or NULL.
 */
const char *
yp_reserved(int af, const void *a, uint32_t plen)
{
	if (af == AF_INET6)
		return yp_host_bits(a, 16, plen, 0) ?
		    "subnet-router anycast address" : NULL;
	if (plen < 31 && (yp_host_bits(a, 4, plen, 0) ||
	    yp_host_bits(a, 4, plen, 1)))
		return "network or broadcast address";
	return NULL;
}

/*
 * The address of af in s up to sep into addr; *rest is what follows
 * sep.  0, or -1.
 */
int
yp_addr_before(const char *s, int sep, int af, void *addr,
    const char **rest)
{
	char		 buf[INET6_ADDRSTRLEN];
	const char	*p;

	if ((p = strchr(s, sep)) == NULL || (size_t)(p - s) >= sizeof(buf))
		return -1;
	memcpy(buf, s, p - s);
	buf[p - s] = '\0';
	if (inet_pton(af, buf, addr) != 1)
		return -1;
	*rest = p + 1;
	return 0;
}

/*
 * "address/len" of af with no host bits set, len from 1 to the
 * address's bits.  Returns 0, or -1.
 */
int
yp_parse_cidr(const char *s, int af, void *net, uint32_t *plen)
{
	const char	*rest, *errstr;
	size_t		 alen = af == AF_INET ? 4 : 16;
	long long	 len;

	if (yp_addr_before(s, '/', af, net, &rest) == -1)
		return -1;
	len = strtonum(rest, 1, alen * 8, &errstr);
	if (errstr != NULL || !yp_host_bits(net, alen, len, 0))
		return -1;
	*plen = len;
	return 0;
}

/* Whether every bit of a (alen bytes) past plen is ones (1) or zero. */
int
yp_host_bits(const void *a, size_t alen, uint32_t plen, int ones)
{
	const uint8_t	*x = a;
	uint8_t		 want = ones ? 0xff : 0, mask;
	size_t		 i = plen / 8;

	if (plen % 8 != 0) {
		mask = 0xff >> (plen % 8);
		if ((x[i] & mask) != (want & mask))
			return 0;
		i++;
	}
	for (; i < alen; i++) {
		if (x[i] != want)
			return 0;
	}
	return 1;
}

void
yp_get_duration(struct yp *yp, const struct kv *kv, const char *what,
    uint32_t *secs)
{
	const char	*s;

	if ((s = yp_get_scalar(yp, kv, what)) != NULL &&
	    duration_parse(s, secs) == -1)
		yp_yerr(yp, kv->val, "bad duration '%s' for %s (want a "
		    "number of seconds, or of minutes, hours, days or weeks "
		    "as in 30m, 12h, 7d, 1w)", s, what);
}

/* true or yes, false or no, in any case.  Returns 0, or -1. */
int
yp_get_bool(struct yp *yp, const struct kv *kv, const char *what,
    uint32_t *val)
{
	const char	*s;

	if ((s = yp_get_scalar(yp, kv, what)) == NULL)
		return -1;
	if (strcasecmp(s, "true") == 0 || strcasecmp(s, "yes") == 0)
		*val = 1;
	else if (strcasecmp(s, "false") == 0 || strcasecmp(s, "no") == 0)
		*val = 0;
	else {
		yp_yerr(yp, kv->val, "bad %s '%s' (want true or false)", what,
		    s);
		return -1;
	}
	return 0;
}

void
yp_get_port(struct yp *yp, const struct kv *kv, const char *what,
    uint16_t *port)
{
	const char	*s, *errstr;
	long long	 n;

	if ((s = yp_get_scalar(yp, kv, what)) == NULL)
		return;
	n = strtonum(s, 1, 65535, &errstr);
	if (errstr != NULL)
		yp_yerr(yp, kv->val, "bad port '%s' for %s", s, what);
	else
		*port = (uint16_t)n;
}

/* A whole number from lo to hi. */
void
yp_get_num(struct yp *yp, const struct kv *kv, const char *what,
    uint32_t lo, uint32_t hi, uint32_t *val)
{
	const char	*s, *errstr;
	long long	 n;

	if ((s = yp_get_scalar(yp, kv, what)) == NULL)
		return;
	n = strtonum(s, lo, hi, &errstr);
	if (errstr != NULL)
		yp_yerr(yp, kv->val, "bad number '%s' for %s (want %u to %u)",
		    s, what, lo, hi);
	else
		*val = (uint32_t)n;
}

/* One of names (NULL-terminated), as its index.  Returns 0, or -1. */
int
yp_get_enum(struct yp *yp, const struct kv *kv, const char *what,
    const char *const *names, uint32_t *val)
{
	char		 want[128] = "";
	const char	*s;
	uint32_t	 i;

	if ((s = yp_get_scalar(yp, kv, what)) == NULL)
		return -1;
	for (i = 0; names[i] != NULL; i++) {
		if (strcmp(s, names[i]) == 0) {
			*val = i;
			return 0;
		}
		if (i > 0)
			strlcat(want, names[i + 1] != NULL ? ", " : " or ",
			    sizeof(want));
		strlcat(want, names[i], sizeof(want));
	}
	yp_yerr(yp, kv->val, "bad %s '%s' (want %s)", what, s, want);
	return -1;
}

/*
 * What an inventory may be, checked on libyaml's events before the
 * document is built: nesting at most CONF_MAXDEPTH deep (libyaml's
 * scanner is quadratic in depth), and aliases that expand the document
 * to at most CONF_MAXNODES nodes (an alias bomb of 46 KB grew to 320 MB
 * on our walk of it).  The size of each anchored node is known when it
 * ends, so the expansion is counted in one pass.  0, or -1 with the
 * error at the event that broke the bound (or libyaml's syntax error).
 */
#define PRESCAN_MAXANCHORS	4096

struct prescan {
	size_t		 size[CONF_MAXDEPTH + 1];	/* nodes so far */
	char		*anchor[CONF_MAXDEPTH + 1];
	struct {
		char	*name;
		size_t	 size;
	}		 anchors[PRESCAN_MAXANCHORS];
	size_t		 nanchors;
};

static int
prescan_anchor(struct prescan *ps, const char *name, size_t *size)
{
	size_t	 i;

	/* The latest anchor of a name is the one an alias means. */
	for (i = ps->nanchors; i > 0; i--)
		if (strcmp(ps->anchors[i - 1].name, name) == 0) {
			*size = ps->anchors[i - 1].size;
			return 0;
		}
	return -1;
}

static int
prescan_event(struct yp *yp, struct prescan *ps, size_t *depth,
    const yaml_event_t *ev)
{
	struct conf_pos	 pos = yp_mark_pos(&ev->start_mark);
	const unsigned char *name = NULL;
	char		*anchor = NULL;	/* ours to keep or free */
	size_t		 n = 1, total;

	switch (ev->type) {
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (*depth == CONF_MAXDEPTH) {
			conf_err(yp->ld, &pos, "nested more than %d deep",
			    CONF_MAXDEPTH);
			return -1;
		}
		name = ev->type == YAML_MAPPING_START_EVENT ?
		    ev->data.mapping_start.anchor :
		    ev->data.sequence_start.anchor;
		++*depth;
		ps->size[*depth] = 0;
		ps->anchor[*depth] = name != NULL ?
		    strdup((const char *)name) : NULL;
		return 0;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		n = ps->size[*depth] + 1;
		anchor = ps->anchor[*depth];
		ps->anchor[*depth] = NULL;
		--*depth;
		break;
	case YAML_SCALAR_EVENT:
		if (ev->data.scalar.anchor != NULL &&
		    (anchor = strdup((const char *)ev->data.scalar.anchor)) ==
		    NULL)
			return -1;
		break;
	case YAML_ALIAS_EVENT:
		if (prescan_anchor(ps, (const char *)ev->data.alias.anchor,
		    &n) == -1)
			n = 1;	/* libyaml reports the unknown anchor */
		break;
	default:
		return 0;
	}
	if (anchor != NULL) {
		if (ps->nanchors == PRESCAN_MAXANCHORS) {
			free(anchor);
			conf_err(yp->ld, &pos, "more than %d anchors",
			    PRESCAN_MAXANCHORS);
			return -1;
		}
		ps->anchors[ps->nanchors].name = anchor;
		ps->anchors[ps->nanchors++].size = n;
	}
	total = ps->size[*depth] + n;
	if (n > CONF_MAXNODES || total > CONF_MAXNODES) {
		conf_err(yp->ld, &pos, "the inventory has more than %d "
		    "nodes, aliases expanded", CONF_MAXNODES);
		return -1;
	}
	ps->size[*depth] = total;
	return 0;
}

int
yp_prescan(struct yp *yp)
{
	static struct prescan	 ps;
	yaml_parser_t		 parser;
	yaml_event_t		 ev;
	size_t			 depth = 0, i;
	int			 rc = 0, done = 0;

	memset(&ps, 0, sizeof(ps));
	if (!yaml_parser_initialize(&parser)) {
		conf_err(yp->ld, &(struct conf_pos){ 0, 1, 1 }, "%s",
		    strerror(ENOMEM));
		return -1;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)yp->text,
	    yp->textlen);
	while (!done && rc == 0) {
		if (!yaml_parser_parse(&parser, &ev)) {
			yp_syntax(yp, &parser);
			rc = -1;
			break;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		rc = prescan_event(yp, &ps, &depth, &ev);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	for (i = 0; i < ps.nanchors; i++)
		free(ps.anchors[i].name);
	for (i = 0; i <= CONF_MAXDEPTH; i++)
		free(ps.anchor[i]);
	return rc;
}

/* libyaml's reason for giving up on the file: the only error then. */
void
yp_syntax(struct yp *yp, const yaml_parser_t *parser)
{
	struct conf_pos	 pos = { 0, 1, 1 };
	size_t		 i;

	if (parser->error == YAML_READER_ERROR) {
		for (i = 0; i < parser->problem_offset && i < yp->textlen;
		    i++) {
			if (yp->text[i] == '\n') {
				pos.line++;
				pos.col = 1;
			} else
				pos.col++;
		}
	} else if (parser->error != YAML_MEMORY_ERROR)
		pos = yp_mark_pos(&parser->problem_mark);
	if (parser->error == YAML_MEMORY_ERROR || parser->problem == NULL)
		conf_err(yp->ld, &pos, "%s", parser->error ==
		    YAML_MEMORY_ERROR ? strerror(ENOMEM) : "YAML syntax error");
	else if (parser->context != NULL)
		conf_err(yp->ld, &pos, "%s (%s at line %zu)", parser->problem,
		    parser->context, parser->context_mark.line + 1);
	else
		conf_err(yp->ld, &pos, "%s", parser->problem);
}

/* A second document would be ignored: refuse it.  Returns 0, or -1. */
int
yp_one_document(struct yp *yp, yaml_parser_t *parser)
{
	yaml_document_t	 doc;
	yaml_node_t	*root;
	struct conf_pos	 pos;
	int		 rc = 0;

	if (!yaml_parser_load(parser, &doc)) {
		yp_syntax(yp, parser);
		return -1;
	}
	if ((root = yaml_document_get_root_node(&doc)) != NULL &&
	    !yp_node_null(root)) {
		pos = yp_mark_pos(&doc.start_mark);
		conf_err(yp->ld, &pos, "a second YAML document: the inventory "
		    "is one");
		rc = -1;
	}
	yaml_document_delete(&doc);
	return rc;
}

/* The number of pairs in map kv (named what), 0 if absent or no map. */
size_t
yp_map_size(struct yp *yp, const struct kv *kv, const char *what)
{
	if (kv->val == NULL ||
	    yp_node_want(yp, kv->val, YAML_MAPPING_NODE, what) == -1)
		return 0;
	return kv->val->data.mapping.pairs.top -
	    kv->val->data.mapping.pairs.start;
}

/*
 * For a map of named sections (hosts, profiles): an array of n zeroed
 * elements of size, n the map's pairs, for their positions; NULL when
 * the map is absent, empty or wrong (said), or memory is short (said).
 */
void *
yp_map_alloc(struct yp *yp, const struct kv *kv, const char *what,
    size_t size)
{
	void	*p;
	size_t	 n;

	if ((n = yp_map_size(yp, kv, what)) == 0)
		return NULL;
	if ((p = calloc(n, size)) == NULL)
		yp_yerr(yp, kv->val, "%s", strerror(errno));
	return p;
}

/* fn(key, value) for each pair of the map kv, checked by yp_map_size. */
void
yp_map_each(struct yp *yp, const struct kv *kv,
    void (*fn)(struct yp *, yaml_node_t *, yaml_node_t *))
{
	yaml_node_pair_t	*pair;

	for (pair = kv->val->data.mapping.pairs.start;
	    pair < kv->val->data.mapping.pairs.top; pair++)
		fn(yp, yp_node_get(yp, pair->key),
		    yp_node_get(yp, pair->value));
}

/* A host or profile name; what says which.  Returns 0, or -1. */
int
yp_node_name(struct yp *yp, yaml_node_t *k, const char *what)
{
	char	 msg[32];

	snprintf(msg, sizeof(msg), "a %s name", what);
	if (yp_node_want(yp, k, YAML_SCALAR_NODE, msg) == -1)
		return -1;
	if (!host_name_valid(yp_node_str(k))) {
		yp_yerr(yp, k, "bad %s name '%s' (1 to 63 letters, digits, '.', "
		    "'_' or '-', starting with a letter or digit)", what,
		    yp_node_str(k));
		return -1;
	}
	return 0;
}
