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
 * The YAML inventory, pxed.yaml(5): libyaml's document API into a
 * struct config.  Each section is parsed on its own and every problem
 * found is recorded (conf_err) with its position, so that one run of
 * "pxed -n" shows them all; config_check.c then checks what spans
 * sections.  A YAML syntax error ends the parse.
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
#include "master.h"

#define CONF_MAXSIZE	(16 * 1024 * 1024)	/* largest inventory */

struct yp {
	struct conf_loader	*ld;
	struct config		*conf;
	yaml_document_t		 doc;
	const char		*text;
	size_t			 textlen;
	char			 dir[PATH_MAX];	/* the inventory's */
};

/* A known key of a map and its value; val is NULL when absent or null. */
struct kv {
	yaml_node_t	*key;
	yaml_node_t	*val;
};

static int	 read_file(const char *, size_t, char **, size_t *);
static void	 inventory_dir(const char *, char *, size_t);
static struct conf_pos mark_pos(const yaml_mark_t *);
static void	 yerr(struct yp *, const yaml_node_t *, const char *, ...)
		    __attribute__((__format__ (printf, 3, 4)));
static const char *type_name(yaml_node_type_t);
static int	 node_null(const yaml_node_t *);
static const char *node_str(const yaml_node_t *);
static yaml_node_t *node_get(struct yp *, int);
static int	 node_want(struct yp *, yaml_node_t *, yaml_node_type_t,
		    const char *);
static int	 map_collect(struct yp *, yaml_node_t *, const char *,
		    const char *const *, struct kv *);
static const char *get_scalar(struct yp *, const struct kv *, const char *);
static int	 get_str(struct yp *, const struct kv *, const char *, char *,
		    size_t);
static void	 get_path(struct yp *, const struct kv *, const char *,
		    char *, size_t);
static int	 get_ip(struct yp *, const struct kv *, const char *,
		    struct in_addr *);
static void	 get_port(struct yp *, const struct kv *, const char *,
		    uint16_t *);
static int	 get_enum(struct yp *, const struct kv *, const char *,
		    const char *const *, uint32_t *);
static void	 yaml_syntax(struct yp *, const yaml_parser_t *);
static int	 one_document(struct yp *, yaml_parser_t *);
static void	 set_defaults(struct config *);
static int	 parse_root(struct yp *, yaml_node_t *);
static void	 parse_server(struct yp *, const struct kv *);
static void	 parse_ifs(struct yp *, const struct kv *);
static int	 ifname_valid(const char *);
static void	 parse_service(struct yp *, const struct kv *, const char *,
		    char *, uint16_t *);
static void	 parse_dhcp(struct yp *, const struct kv *);
static void	 parse_subnets(struct yp *, const struct kv *);
static void	 parse_subnet(struct yp *, yaml_node_t *, size_t);
static int	 ip_before(const char *, int, struct in_addr *,
		    const char **);
static int	 parse_cidr(const char *, struct subnet_conf *);
static void	 parse_range(struct yp *, const struct kv *, const char *,
		    struct subnet_conf *);
static void	 parse_dns(struct yp *, const struct kv *, const char *,
		    struct subnet_conf *);
static void	 parse_boot(struct yp *, const struct kv *);
static void	 set_src(struct yp *, const yaml_node_t *,
		    struct conf_src *);
static void	 parse_profiles(struct yp *, const struct kv *);
static size_t	 map_size(struct yp *, const struct kv *, const char *);
static void	 parse_profile(struct yp *, yaml_node_t *, yaml_node_t *);
static int	 node_name(struct yp *, yaml_node_t *, const char *);
static void	 load_kickstart(struct yp *, size_t, const struct kv *,
		    const char *);
static void	 parse_hosts(struct yp *, const struct kv *);
static void	 parse_host(struct yp *, yaml_node_t *, yaml_node_t *);
static void	 parse_mac(struct yp *, const struct kv *, const char *,
		    struct host *, struct conf_hostpos *);
static void	 parse_host_ip(struct yp *, const struct kv *, const char *,
		    struct host *, struct conf_hostpos *);
static void	 parse_host_profile(struct yp *, const struct kv *,
		    const char *, struct host *, struct conf_hostpos *);
static void	 parse_install(struct yp *, const struct kv *, const char *,
		    struct host *, struct conf_hostpos *);
static void	 parse_vars(struct yp *, const struct kv *, const char *,
		    size_t);
static int	 var_key_valid(const char *);
static void	 print_scalar(FILE *, const char *);
static void	 print_str(FILE *, int, const char *, const char *);
static void	 print_duration(FILE *, uint32_t);
static void	 print_server(const struct config *, FILE *);
static void	 print_dhcp(const struct config *, FILE *);
static void	 print_profiles(const struct config *, FILE *);
static void	 print_hosts(const struct config *, FILE *);

static const char *const top_keys[] = {
	"server", "dhcp", "boot", "profiles", "hosts", NULL
};
enum { TOP_SERVER, TOP_DHCP, TOP_BOOT, TOP_PROFILES, TOP_HOSTS, TOP_N };

static const char *const server_keys[] = {
	"interfaces", "address", "user", "state", "tftp", "http", NULL
};
enum { SRV_IFS, SRV_ADDR, SRV_USER, SRV_STATE, SRV_TFTP, SRV_HTTP, SRV_N };

static const char *const service_keys[] = { "root", "port", NULL };
enum { SVC_ROOT, SVC_PORT, SVC_N };

static const char *const dhcp_keys[] = { "mode", "lease", "subnets", NULL };
enum { DHCP_MODE, DHCP_LEASE, DHCP_SUBNETS, DHCP_N };

static const char *const subnet_keys[] = {
	"network", "range", "router", "dns", "domain", NULL
};
enum { SN_NETWORK, SN_RANGE, SN_ROUTER, SN_DNS, SN_DOMAIN, SN_N };

/* In enum boot_kind order, then "unknown". */
static const char *const boot_keys[] = {
	"bios", "uefi", "arm64", "http", "ipxe", "unknown", NULL
};

static const char *const profile_keys[] = {
	"kernel", "initrd", "append", "kickstart", NULL
};
enum { PR_KERNEL, PR_INITRD, PR_APPEND, PR_KICKSTART, PR_N };

static const char *const host_keys[] = {
	"mac", "ip", "profile", "install", "vars", NULL
};
enum { H_MAC, H_IP, H_PROFILE, H_INSTALL, H_VARS, H_N };

/* In enum order. */
static const char *const mode_names[] = { "off", "full", "proxy", NULL };
static const char *const unknown_names[] = {
	"local", "menu", "ignore", NULL
};

int
config_load(const char *path, struct config *conf, struct buf *errs)
{
	struct conf_loader	 ld;
	struct yp		 yp;
	yaml_parser_t		 parser;
	yaml_node_t		*root;
	struct conf_pos		 top = { 0, 1, 1 };
	char			*text = NULL;
	size_t			 len;
	int			 n;

	memset(&ld, 0, sizeof(ld));
	memset(&yp, 0, sizeof(yp));
	ld.path = path;
	ld.conf = conf;
	ld.mode = top;
	yp.ld = &ld;
	yp.conf = conf;
	set_defaults(conf);
	inventory_dir(path, yp.dir, sizeof(yp.dir));

	if (read_file(path, CONF_MAXSIZE, &text, &len) == -1) {
		conf_err(&ld, &top, "%s", strerror(errno));
		return conf_err_flush(&ld, errs);
	}
	yp.text = text;
	yp.textlen = len;
	if (!yaml_parser_initialize(&parser)) {
		conf_err(&ld, &top, "%s", strerror(ENOMEM));
		free(text);
		return conf_err_flush(&ld, errs);
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text,
	    len);
	if (!yaml_parser_load(&parser, &yp.doc))
		yaml_syntax(&yp, &parser);
	else {
		if ((root = yaml_document_get_root_node(&yp.doc)) == NULL ||
		    node_null(root))
			conf_err(&ld, &top, "the inventory is empty");
		else if (one_document(&yp, &parser) == 0 &&
		    parse_root(&yp, root) == 0)
			config_check(&ld);
		yaml_document_delete(&yp.doc);
	}
	yaml_parser_delete(&parser);
	free(text);
	n = conf_err_flush(&ld, errs);
	free(ld.hostpos);
	free(ld.profpos);
	free(ld.netpos);
	return n;
}

/*
 * Read a whole regular file of at most max bytes into a NUL-terminated
 * buffer.  Returns 0, or -1 with errno set (EFBIG: too large).
 */
static int
read_file(const char *path, size_t max, char **textp, size_t *lenp)
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
static void
inventory_dir(const char *path, char *dir, size_t size)
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

static struct conf_pos
mark_pos(const yaml_mark_t *mark)
{
	struct conf_pos	 pos;

	pos.file = 0;
	pos.line = mark->line + 1;
	pos.col = mark->column + 1;
	return pos;
}

static void
yerr(struct yp *yp, const yaml_node_t *node, const char *fmt, ...)
{
	struct conf_pos	 pos = mark_pos(&node->start_mark);
	char		 msg[PXED_ERRLEN];
	va_list		 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	conf_err(yp->ld, &pos, "%s", msg);
}

static const char *
type_name(yaml_node_type_t type)
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
static int
node_null(const yaml_node_t *node)
{
	const char	*s;

	if (node->type != YAML_SCALAR_NODE ||
	    node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	s = node_str(node);
	return s[0] == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
	    strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0;
}

static const char *
node_str(const yaml_node_t *node)
{
	return (const char *)node->data.scalar.value;
}

static yaml_node_t *
node_get(struct yp *yp, int id)
{
	return yaml_document_get_node(&yp->doc, id);
}

static int
node_want(struct yp *yp, yaml_node_t *node, yaml_node_type_t type,
    const char *what)
{
	if (node->type == type)
		return 0;
	yerr(yp, node, "%s must be %s, not %s", what, type_name(type),
	    type_name(node->type));
	return -1;
}

/*
 * Find the values of the keys of map node (named what in messages, NULL
 * for the top level); any other key and a key given twice are errors.
 * An absent or null node is an empty map.  Returns 0, or -1 when node is
 * not a map.
 */
static int
map_collect(struct yp *yp, yaml_node_t *node, const char *what,
    const char *const *keys, struct kv *kv)
{
	yaml_node_pair_t	*pair;
	yaml_node_t		*k, *v;
	size_t			 i;

	for (i = 0; keys[i] != NULL; i++)
		kv[i].key = kv[i].val = NULL;
	if (node == NULL || node_null(node))
		return 0;
	if (node_want(yp, node, YAML_MAPPING_NODE,
	    what != NULL ? what : "the inventory") == -1)
		return -1;
	for (pair = node->data.mapping.pairs.start;
	    pair < node->data.mapping.pairs.top; pair++) {
		k = node_get(yp, pair->key);
		v = node_get(yp, pair->value);
		if (node_want(yp, k, YAML_SCALAR_NODE, "a key") == -1)
			continue;
		for (i = 0; keys[i] != NULL; i++) {
			if (strcmp(keys[i], node_str(k)) == 0)
				break;
		}
		if (keys[i] == NULL && what == NULL)
			yerr(yp, k, "unknown top-level key '%s'", node_str(k));
		else if (keys[i] == NULL)
			yerr(yp, k, "unknown key '%s' in %s", node_str(k),
			    what);
		else if (kv[i].key != NULL && what == NULL)
			yerr(yp, k, "duplicate top-level key '%s'",
			    node_str(k));
		else if (kv[i].key != NULL)
			yerr(yp, k, "duplicate key '%s' in %s", node_str(k),
			    what);
		else {
			kv[i].key = k;
			kv[i].val = node_null(v) ? NULL : v;
		}
	}
	return 0;
}

/* The string value of kv, or NULL when absent or not a string. */
static const char *
get_scalar(struct yp *yp, const struct kv *kv, const char *what)
{
	const char	*s;

	if (kv->val == NULL ||
	    node_want(yp, kv->val, YAML_SCALAR_NODE, what) == -1)
		return NULL;
	s = node_str(kv->val);
	if (strlen(s) != kv->val->data.scalar.length) {
		yerr(yp, kv->val, "%s contains a NUL character", what);
		return NULL;
	}
	return s;
}

/* Copy kv's string into dst when it is there.  Returns 0, or -1. */
static int
get_str(struct yp *yp, const struct kv *kv, const char *what, char *dst,
    size_t size)
{
	const char	*s;

	if ((s = get_scalar(yp, kv, what)) == NULL)
		return kv->val == NULL ? 0 : -1;
	if (strlcpy(dst, s, size) >= size) {
		yerr(yp, kv->val, "%s is too long (at most %zu bytes)", what,
		    size - 1);
		return -1;
	}
	return 0;
}

static void
get_path(struct yp *yp, const struct kv *kv, const char *what, char *dst,
    size_t size)
{
	if (get_str(yp, kv, what, dst, size) == 0 && kv->val != NULL &&
	    dst[0] != '/')
		yerr(yp, kv->val, "%s must be an absolute path", what);
}

/* Returns 0 when kv holds an address, -1 when absent or bad. */
static int
get_ip(struct yp *yp, const struct kv *kv, const char *what,
    struct in_addr *ip)
{
	const char	*s;

	if ((s = get_scalar(yp, kv, what)) == NULL)
		return -1;
	if (inet_pton(AF_INET, s, ip) != 1) {
		yerr(yp, kv->val, "bad IPv4 address '%s' for %s", s, what);
		return -1;
	}
	return 0;
}

static void
get_port(struct yp *yp, const struct kv *kv, const char *what,
    uint16_t *port)
{
	const char	*s, *errstr;
	long long	 n;

	if ((s = get_scalar(yp, kv, what)) == NULL)
		return;
	n = strtonum(s, 1, 65535, &errstr);
	if (errstr != NULL)
		yerr(yp, kv->val, "bad port '%s' for %s", s, what);
	else
		*port = (uint16_t)n;
}

/* One of names (NULL-terminated), as its index.  Returns 0, or -1. */
static int
get_enum(struct yp *yp, const struct kv *kv, const char *what,
    const char *const *names, uint32_t *val)
{
	char		 want[128] = "";
	const char	*s;
	uint32_t	 i;

	if ((s = get_scalar(yp, kv, what)) == NULL)
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
	yerr(yp, kv->val, "bad %s '%s' (want %s)", what, s, want);
	return -1;
}

/* libyaml's reason for giving up on the file: the only error then. */
static void
yaml_syntax(struct yp *yp, const yaml_parser_t *parser)
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
		pos = mark_pos(&parser->problem_mark);
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
static int
one_document(struct yp *yp, yaml_parser_t *parser)
{
	yaml_document_t	 doc;
	yaml_node_t	*root;
	struct conf_pos	 pos;
	int		 rc = 0;

	if (!yaml_parser_load(parser, &doc)) {
		yaml_syntax(yp, parser);
		return -1;
	}
	if ((root = yaml_document_get_root_node(&doc)) != NULL &&
	    !node_null(root)) {
		pos = mark_pos(&doc.start_mark);
		conf_err(yp->ld, &pos, "a second YAML document: the inventory "
		    "is one");
		rc = -1;
	}
	yaml_document_delete(&doc);
	return rc;
}

static void
set_defaults(struct config *conf)
{
	struct server_conf	*sc = &conf->server;

	sc->address.s_addr = INADDR_ANY;
	strlcpy(sc->user, PXED_USER, sizeof(sc->user));
	strlcpy(sc->state, PXED_STATEDIR, sizeof(sc->state));
	strlcpy(sc->tftp_root, PXED_TFTPROOT, sizeof(sc->tftp_root));
	sc->tftp_port = 69;
	strlcpy(sc->http_root, PXED_HTTPROOT, sizeof(sc->http_root));
	sc->http_port = 80;
	sc->dhcp_mode = DHCP_MODE_FULL;
	sc->lease_secs = 12 * 3600;
	sc->unknown = UNKNOWN_LOCAL;
}

/*
 * Sections in an order that lets hosts name profiles defined after them.
 * Returns -1 when the inventory is no map at all.
 */
static int
parse_root(struct yp *yp, yaml_node_t *root)
{
	struct kv	 kv[TOP_N];

	if (map_collect(yp, root, NULL, top_keys, kv) == -1)
		return -1;
	if (kv[TOP_DHCP].key != NULL)
		yp->ld->mode = mark_pos(&kv[TOP_DHCP].key->start_mark);
	if (kv[TOP_SERVER].key == NULL)
		yerr(yp, root, "missing section 'server'");
	parse_server(yp, &kv[TOP_SERVER]);
	parse_dhcp(yp, &kv[TOP_DHCP]);
	parse_boot(yp, &kv[TOP_BOOT]);
	parse_profiles(yp, &kv[TOP_PROFILES]);
	parse_hosts(yp, &kv[TOP_HOSTS]);
	return 0;
}

static void
parse_server(struct yp *yp, const struct kv *top)
{
	struct server_conf	*sc = &yp->conf->server;
	struct kv		 kv[SRV_N];

	if (top->key == NULL ||
	    map_collect(yp, top->val, "server", server_keys, kv) == -1)
		return;
	if (kv[SRV_IFS].val == NULL)
		yerr(yp, top->key, "missing key 'interfaces' in server");
	else
		parse_ifs(yp, &kv[SRV_IFS]);
	if (kv[SRV_ADDR].val != NULL &&
	    get_ip(yp, &kv[SRV_ADDR], "server.address", &sc->address) == 0 &&
	    (ntohl(sc->address.s_addr) >= 0xe0000000 ||
	    (ntohl(sc->address.s_addr) >> 24) == 127))
		yerr(yp, kv[SRV_ADDR].val, "server.address must be a unicast "
		    "address of this machine");
	if (get_str(yp, &kv[SRV_USER], "server.user", sc->user,
	    sizeof(sc->user)) == 0 && sc->user[0] == '\0')
		yerr(yp, kv[SRV_USER].val, "server.user is empty");
	get_path(yp, &kv[SRV_STATE], "server.state", sc->state,
	    sizeof(sc->state));
	parse_service(yp, &kv[SRV_TFTP], "server.tftp", sc->tftp_root,
	    &sc->tftp_port);
	parse_service(yp, &kv[SRV_HTTP], "server.http", sc->http_root,
	    &sc->http_port);
}

static void
parse_ifs(struct yp *yp, const struct kv *kv)
{
	struct server_conf	*sc = &yp->conf->server;
	yaml_node_item_t	*item;
	yaml_node_t		*n;
	const char		*s;
	uint32_t		 i;

	if (node_want(yp, kv->val, YAML_SEQUENCE_NODE,
	    "server.interfaces") == -1)
		return;
	if (kv->val->data.sequence.items.start ==
	    kv->val->data.sequence.items.top)
		yerr(yp, kv->val, "server.interfaces is empty");
	for (item = kv->val->data.sequence.items.start;
	    item < kv->val->data.sequence.items.top; item++) {
		n = node_get(yp, *item);
		if (node_want(yp, n, YAML_SCALAR_NODE,
		    "an interface") == -1)
			continue;
		s = node_str(n);
		if (strlen(s) >= IF_NAMESIZE) {
			yerr(yp, n, "interface name '%s' is too long (at most "
			    "%d bytes)", s, IF_NAMESIZE - 1);
			continue;
		}
		if (!ifname_valid(s)) {
			yerr(yp, n, "bad interface name '%s'", s);
			continue;
		}
		for (i = 0; i < sc->nifs; i++) {
			if (strcmp(sc->ifnames[i], s) == 0)
				break;
		}
		if (i < sc->nifs)
			yerr(yp, n, "interface %s is listed twice", s);
		else if (sc->nifs == PXED_MAXIFS)
			yerr(yp, n, "too many interfaces (at most %d)",
			    PXED_MAXIFS);
		else
			strlcpy(sc->ifnames[sc->nifs++], s, IF_NAMESIZE);
	}
}

/* What Linux takes as a network interface name. */
static int
ifname_valid(const char *s)
{
	if (s[0] == '\0' || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return 0;
	for (; *s != '\0'; s++) {
		if (*s == '/' || *s == ':' || isspace((unsigned char)*s) ||
		    !isprint((unsigned char)*s))
			return 0;
	}
	return 1;
}

static void
parse_service(struct yp *yp, const struct kv *top, const char *what,
    char *root, uint16_t *port)
{
	struct kv	 kv[SVC_N];
	char		 name[32];

	if (map_collect(yp, top->val, what, service_keys, kv) == -1)
		return;
	snprintf(name, sizeof(name), "%s.root", what);
	get_path(yp, &kv[SVC_ROOT], name, root, PXED_PATHLEN);
	snprintf(name, sizeof(name), "%s.port", what);
	get_port(yp, &kv[SVC_PORT], name, port);
}

static void
parse_dhcp(struct yp *yp, const struct kv *top)
{
	struct server_conf	*sc = &yp->conf->server;
	struct kv		 kv[DHCP_N];
	const char		*s;

	if (map_collect(yp, top->val, "dhcp", dhcp_keys, kv) == -1)
		return;
	if (kv[DHCP_MODE].val != NULL) {
		yp->ld->mode = mark_pos(&kv[DHCP_MODE].val->start_mark);
		/* checked as off: nothing more about subnets to say */
		if (get_enum(yp, &kv[DHCP_MODE], "dhcp.mode", mode_names,
		    &sc->dhcp_mode) == -1)
			sc->dhcp_mode = DHCP_MODE_OFF;
	}
	if ((s = get_scalar(yp, &kv[DHCP_LEASE], "dhcp.lease")) != NULL &&
	    duration_parse(s, &sc->lease_secs) == -1)
		yerr(yp, kv[DHCP_LEASE].val, "bad duration '%s' for dhcp.lease "
		    "(want a number of seconds, or of minutes, hours, days or "
		    "weeks as in 30m, 12h, 7d, 1w)", s);
	parse_subnets(yp, &kv[DHCP_SUBNETS]);
}

static void
parse_subnets(struct yp *yp, const struct kv *kv)
{
	yaml_node_item_t	*start, *item;
	size_t			 n, before;

	if (kv->val == NULL)
		return;
	/* one left out: no "outside every subnet" for its hosts */
	yp->ld->badsubnet = 1;
	if (node_want(yp, kv->val, YAML_SEQUENCE_NODE, "dhcp.subnets") == -1)
		return;
	start = kv->val->data.sequence.items.start;
	n = kv->val->data.sequence.items.top - start;
	if (n > 0 &&
	    (yp->ld->netpos = calloc(n, sizeof(*yp->ld->netpos))) == NULL) {
		yerr(yp, kv->val, "%s", strerror(errno));
		return;
	}
	before = yp->conf->nsubnets;
	for (item = start; item < start + n; item++)
		parse_subnet(yp, node_get(yp, *item), item - start);
	yp->ld->badsubnet = yp->conf->nsubnets - before != n;
}

static void
parse_subnet(struct yp *yp, yaml_node_t *node, size_t idx)
{
	struct subnet_conf	 sn;
	struct kv		 kv[SN_N];
	const char		*s;
	char			 what[64], field[80];

	snprintf(what, sizeof(what), "dhcp.subnets[%zu]", idx);
	if (map_collect(yp, node, what, subnet_keys, kv) == -1)
		return;
	memset(&sn, 0, sizeof(sn));
	snprintf(field, sizeof(field), "%s.network", what);
	if (kv[SN_NETWORK].val == NULL) {
		yerr(yp, node, "missing key 'network' in %s", what);
		return;
	}
	if ((s = get_scalar(yp, &kv[SN_NETWORK], field)) == NULL)
		return;
	if (parse_cidr(s, &sn) == -1) {
		yerr(yp, kv[SN_NETWORK].val, "bad network '%s' for %s (want "
		    "a.b.c.d/len, the address with no host bits set)", s,
		    field);
		return;
	}
	parse_range(yp, &kv[SN_RANGE], what, &sn);
	snprintf(field, sizeof(field), "%s.router", what);
	if (kv[SN_ROUTER].val != NULL &&
	    get_ip(yp, &kv[SN_ROUTER], field, &sn.router) == 0 &&
	    (sn.router.s_addr & sn.netmask.s_addr) != sn.network.s_addr)
		yerr(yp, kv[SN_ROUTER].val, "router %s is outside %s",
		    node_str(kv[SN_ROUTER].val), s);
	parse_dns(yp, &kv[SN_DNS], what, &sn);
	snprintf(field, sizeof(field), "%s.domain", what);
	get_str(yp, &kv[SN_DOMAIN], field, sn.domain, sizeof(sn.domain));
	yp->ld->netpos[yp->conf->nsubnets] =
	    mark_pos(&kv[SN_NETWORK].val->start_mark);
	if (config_add_subnet(yp->conf, &sn) == -1)
		yerr(yp, node, "%s", strerror(errno));
}

/* The address in s up to sep; *rest is what follows sep.  0, or -1. */
static int
ip_before(const char *s, int sep, struct in_addr *ip, const char **rest)
{
	char		 addr[INET_ADDRSTRLEN];
	const char	*p;

	if ((p = strchr(s, sep)) == NULL || (size_t)(p - s) >= sizeof(addr))
		return -1;
	memcpy(addr, s, p - s);
	addr[p - s] = '\0';
	if (inet_pton(AF_INET, addr, ip) != 1)
		return -1;
	*rest = p + 1;
	return 0;
}

/* "a.b.c.d/len" with no host bits set, len 1 to 32.  Returns 0, or -1. */
static int
parse_cidr(const char *s, struct subnet_conf *sn)
{
	const char	*rest, *errstr;
	uint32_t	 mask;
	long long	 len;

	if (ip_before(s, '/', &sn->network, &rest) == -1)
		return -1;
	len = strtonum(rest, 1, 32, &errstr);
	if (errstr != NULL)
		return -1;
	mask = 0xffffffffU << (32 - len);
	sn->netmask.s_addr = htonl(mask);
	sn->prefixlen = len;
	if ((sn->network.s_addr & ~sn->netmask.s_addr) != 0)
		return -1;
	return 0;
}

/* "lo-hi", inside the subnet and short of its network and broadcast. */
static void
parse_range(struct yp *yp, const struct kv *kv, const char *what,
    struct subnet_conf *sn)
{
	char		 field[80], str[INET_ADDRSTRLEN];
	const char	*s, *hi;
	uint32_t	 l, h, net, mask, first, last;

	snprintf(field, sizeof(field), "%s.range", what);
	if ((s = get_scalar(yp, kv, field)) == NULL)
		return;
	if (ip_before(s, '-', &sn->range_lo, &hi) == -1 ||
	    inet_pton(AF_INET, hi, &sn->range_hi) != 1) {
		yerr(yp, kv->val, "bad range '%s' for %s (want "
		    "a.b.c.d-a.b.c.d)", s, field);
		goto bad;
	}
	l = ntohl(sn->range_lo.s_addr);
	h = ntohl(sn->range_hi.s_addr);
	net = first = ntohl(sn->network.s_addr);
	mask = ntohl(sn->netmask.s_addr);
	last = first | ~mask;
	if (sn->prefixlen < 31) {
		first++;
		last--;
	}
	inet_ntop(AF_INET, &sn->network, str, sizeof(str));
	if (l > h)
		yerr(yp, kv->val, "range %s starts after its end", s);
	else if ((l & mask) != net || (h & mask) != net)
		yerr(yp, kv->val, "range %s is outside %s/%u", s, str,
		    sn->prefixlen);
	else if (l < first || h > last)
		yerr(yp, kv->val, "range %s holds the network or broadcast "
		    "address of %s/%u", s, str, sn->prefixlen);
	else
		return;
 bad:
	/* no pool, rather than one that other checks would trip over */
	sn->range_lo.s_addr = sn->range_hi.s_addr = INADDR_ANY;
}

static void
parse_dns(struct yp *yp, const struct kv *kv, const char *what,
    struct subnet_conf *sn)
{
	yaml_node_item_t	*item;
	struct kv		 one;
	char			 field[80];

	snprintf(field, sizeof(field), "%s.dns", what);
	if (kv->val == NULL ||
	    node_want(yp, kv->val, YAML_SEQUENCE_NODE, field) == -1)
		return;
	one.key = kv->key;
	for (item = kv->val->data.sequence.items.start;
	    item < kv->val->data.sequence.items.top; item++) {
		one.val = node_get(yp, *item);
		if (sn->ndns == PXED_MAXDNS) {
			yerr(yp, one.val, "too many servers in %s (at most %d)",
			    field, PXED_MAXDNS);
			break;
		}
		if (get_ip(yp, &one, field, &sn->dns[sn->ndns]) == 0)
			sn->ndns++;
	}
}

static void
parse_boot(struct yp *yp, const struct kv *top)
{
	struct server_conf	*sc = &yp->conf->server;
	struct kv		 kv[BOOT_NKINDS + 1];
	char			 what[32];
	int			 k;

	if (map_collect(yp, top->val, "boot", boot_keys, kv) == -1)
		return;
	for (k = 0; k < BOOT_NKINDS; k++) {
		snprintf(what, sizeof(what), "boot.%s", boot_keys[k]);
		if (kv[k].val != NULL && get_str(yp, &kv[k], what,
		    sc->boot[k], sizeof(sc->boot[k])) == 0)
			set_src(yp, kv[k].val, &yp->ld->boot[k]);
	}
	if (kv[BOOT_NKINDS].val != NULL)
		get_enum(yp, &kv[BOOT_NKINDS], "boot.unknown", unknown_names,
		    &sc->unknown);
}

/*
 * Where the text of a templated scalar starts.  A block scalar's text
 * starts on the next line that is not blank, after its indentation.
 */
static void
set_src(struct yp *yp, const yaml_node_t *node, struct conf_src *src)
{
	const char	*p = yp->text, *end = yp->text + yp->textlen;
	uint32_t	 line;

	src->pos = mark_pos(&node->start_mark);
	src->indent = 0;
	switch (node->data.scalar.style) {
	case YAML_LITERAL_SCALAR_STYLE:
	case YAML_FOLDED_SCALAR_STYLE:
		src->style = CONF_BLOCK;
		break;
	case YAML_SINGLE_QUOTED_SCALAR_STYLE:
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
		src->style = CONF_QUOTED;
		return;
	default:
		src->style = CONF_PLAIN;
		return;
	}
	for (line = 1; p < end && line <= src->pos.line; p++) {
		if (*p == '\n')
			line++;
	}
	for (;;) {
		while (p < end && *p == ' ') {
			src->indent++;
			p++;
		}
		if (p == end || *p != '\n')
			break;
		src->indent = 0;
		p++;
	}
}

/* The number of pairs in map kv (named what), 0 if absent or no map. */
static size_t
map_size(struct yp *yp, const struct kv *kv, const char *what)
{
	if (kv->val == NULL ||
	    node_want(yp, kv->val, YAML_MAPPING_NODE, what) == -1)
		return 0;
	return kv->val->data.mapping.pairs.top -
	    kv->val->data.mapping.pairs.start;
}

static void
parse_profiles(struct yp *yp, const struct kv *top)
{
	yaml_node_pair_t	*pair;
	size_t			 n;

	if ((n = map_size(yp, top, "profiles")) == 0)
		return;
	if ((yp->ld->profpos = calloc(n, sizeof(*yp->ld->profpos))) == NULL) {
		yerr(yp, top->val, "%s", strerror(errno));
		return;
	}
	for (pair = top->val->data.mapping.pairs.start;
	    pair < top->val->data.mapping.pairs.top; pair++)
		parse_profile(yp, node_get(yp, pair->key),
		    node_get(yp, pair->value));
}

/* A profile whose body is wrong is still added: hosts may name it. */
static void
parse_profile(struct yp *yp, yaml_node_t *k, yaml_node_t *v)
{
	struct config		*conf = yp->conf;
	struct profile_conf	 pc;
	struct conf_profpos	*pp;
	struct kv		 kv[PR_N];
	char			 what[PXED_NAMELEN + 16];
	char			 field[PXED_NAMELEN + 32];
	size_t			 i, idx = conf->nprofiles;

	if (node_name(yp, k, "profile") == -1)
		return;
	for (i = 0; i < conf->nprofiles; i++) {
		if (strcmp(conf->profiles[i].name, node_str(k)) == 0) {
			yerr(yp, k, "duplicate profile '%s' (first at line %u)",
			    node_str(k), yp->ld->profpos[i].name.line);
			return;
		}
	}
	memset(&pc, 0, sizeof(pc));
	strlcpy(pc.name, node_str(k), sizeof(pc.name));
	pp = &yp->ld->profpos[idx];
	pp->name = mark_pos(&k->start_mark);
	snprintf(what, sizeof(what), "profiles.%s", pc.name);
	if (map_collect(yp, v, what, profile_keys, kv) == 0) {
		snprintf(field, sizeof(field), "%s.kernel", what);
		get_str(yp, &kv[PR_KERNEL], field, pc.kernel,
		    sizeof(pc.kernel));
		snprintf(field, sizeof(field), "%s.initrd", what);
		get_str(yp, &kv[PR_INITRD], field, pc.initrd,
		    sizeof(pc.initrd));
		snprintf(field, sizeof(field), "%s.append", what);
		if (kv[PR_APPEND].val != NULL && get_str(yp, &kv[PR_APPEND],
		    field, pc.append, sizeof(pc.append)) == 0)
			set_src(yp, kv[PR_APPEND].val, &pp->append);
	}
	if (config_add_profile(conf, &pc) == -1) {
		yerr(yp, k, "%s", strerror(errno));
		return;
	}
	snprintf(field, sizeof(field), "%s.kickstart", what);
	load_kickstart(yp, idx, &kv[PR_KICKSTART], field);
}

/* A host or profile name; what says which.  Returns 0, or -1. */
static int
node_name(struct yp *yp, yaml_node_t *k, const char *what)
{
	char	 msg[32];

	snprintf(msg, sizeof(msg), "a %s name", what);
	if (node_want(yp, k, YAML_SCALAR_NODE, msg) == -1)
		return -1;
	if (!host_name_valid(node_str(k))) {
		yerr(yp, k, "bad %s name '%s' (1 to 63 letters, digits, '.', "
		    "'_' or '-', starting with a letter or digit)", what,
		    node_str(k));
		return -1;
	}
	return 0;
}

/*
 * Read the kickstart template of profile idx.  A relative path is
 * relative to the inventory's directory, and named so in errors; the
 * configuration keeps the absolute path.
 */
static void
load_kickstart(struct yp *yp, size_t idx, const struct kv *kv,
    const char *what)
{
	struct conf_profpos	*pp = &yp->ld->profpos[idx];
	struct profile_conf	*pc = &yp->conf->profiles[idx];
	char			 abs[PATH_MAX], *text;
	const char		*s;
	size_t			 len, size = sizeof(pp->ksfile);
	int			 n;

	if ((s = get_scalar(yp, kv, what)) == NULL || s[0] == '\0')
		return;
	if (s[0] == '/' || yp->dir[0] == '\0')
		n = snprintf(pp->ksfile, size, "%s", s);
	else
		n = snprintf(pp->ksfile, size, "%s%s%s", yp->dir,
		    yp->dir[strlen(yp->dir) - 1] == '/' ? "" : "/", s);
	if (n < 0 || (size_t)n >= size) {
		yerr(yp, kv->val, "%s is too long (at most %zu bytes)", what,
		    size - 1);
		return;
	}
	if (realpath(pp->ksfile, abs) == NULL ||
	    read_file(abs, PXED_TMPLMAX, &text, &len) == -1) {
		if (errno == EFBIG)
			yerr(yp, kv->val, "kickstart %s is too large (at most "
			    "%d bytes)", pp->ksfile, PXED_TMPLMAX);
		else
			yerr(yp, kv->val, "cannot read kickstart %s: %s",
			    pp->ksfile, strerror(errno));
		return;
	}
	if (strlen(text) != len)
		yerr(yp, kv->val, "kickstart %s contains a NUL byte",
		    pp->ksfile);
	else if (strlcpy(pc->kickstart, abs, sizeof(pc->kickstart)) >=
	    sizeof(pc->kickstart))
		yerr(yp, kv->val, "kickstart path %s is too long (at most "
		    "%zu bytes)", abs, sizeof(pc->kickstart) - 1);
	else {
		yp->conf->templates[idx] = text;
		return;
	}
	free(text);
}

static void
parse_hosts(struct yp *yp, const struct kv *top)
{
	yaml_node_pair_t	*pair;
	size_t			 n;

	if ((n = map_size(yp, top, "hosts")) == 0)
		return;
	if ((yp->ld->hostpos = calloc(n, sizeof(*yp->ld->hostpos))) == NULL) {
		yerr(yp, top->val, "%s", strerror(errno));
		return;
	}
	for (pair = top->val->data.mapping.pairs.start;
	    pair < top->val->data.mapping.pairs.top; pair++)
		parse_host(yp, node_get(yp, pair->key),
		    node_get(yp, pair->value));
}

/*
 * A host is added even when some of it is wrong, so that the checks
 * across hosts see it; duplicate names are found there too.
 */
static void
parse_host(struct yp *yp, yaml_node_t *k, yaml_node_t *v)
{
	struct host		 h;
	struct conf_hostpos	*hp;
	struct kv		 kv[H_N];
	char			 what[PXED_NAMELEN + 16];
	size_t			 idx = yp->conf->nhosts;

	if (node_name(yp, k, "host") == -1)
		return;
	memset(&h, 0, sizeof(h));
	strlcpy(h.conf.name, node_str(k), sizeof(h.conf.name));
	h.conf.profile = -1;
	hp = &yp->ld->hostpos[idx];
	hp->name = mark_pos(&k->start_mark);
	snprintf(what, sizeof(what), "hosts.%s", h.conf.name);
	if (map_collect(yp, v, what, host_keys, kv) == 0) {
		if (kv[H_MAC].val == NULL)
			yerr(yp, k, "missing key 'mac' in %s", what);
		else
			parse_mac(yp, &kv[H_MAC], what, &h, hp);
		parse_host_ip(yp, &kv[H_IP], what, &h, hp);
		parse_host_profile(yp, &kv[H_PROFILE], what, &h, hp);
		parse_install(yp, &kv[H_INSTALL], what, &h, hp);
	}
	if (config_add_host(yp->conf, &h) == -1) {
		yerr(yp, k, "%s", strerror(errno));
		return;
	}
	parse_vars(yp, &kv[H_VARS], what, idx);
}

static void
parse_mac(struct yp *yp, const struct kv *kv, const char *what,
    struct host *h, struct conf_hostpos *hp)
{
	char		 field[PXED_NAMELEN + 32];
	const char	*s;

	snprintf(field, sizeof(field), "%s.mac", what);
	if ((s = get_scalar(yp, kv, field)) == NULL)
		return;
	if (mac_parse(s, h->conf.mac) == -1)
		yerr(yp, kv->val, "bad MAC address '%s' for %s", s, field);
	else
		hp->mac = mark_pos(&kv->val->start_mark);
}

static void
parse_host_ip(struct yp *yp, const struct kv *kv, const char *what,
    struct host *h, struct conf_hostpos *hp)
{
	char		 field[PXED_NAMELEN + 32];
	uint32_t	 a;

	snprintf(field, sizeof(field), "%s.ip", what);
	if (kv->val == NULL || get_ip(yp, kv, field, &h->conf.ip) == -1)
		return;
	a = ntohl(h->conf.ip.s_addr);
	if (a == 0 || a >= 0xe0000000 || a >> 24 == 127) {
		yerr(yp, kv->val, "ip %s of %s is not a unicast address",
		    node_str(kv->val), h->conf.name);
		h->conf.ip.s_addr = INADDR_ANY;
	} else
		hp->ip = mark_pos(&kv->val->start_mark);
}

static void
parse_host_profile(struct yp *yp, const struct kv *kv, const char *what,
    struct host *h, struct conf_hostpos *hp)
{
	struct config	*conf = yp->conf;
	char		 field[PXED_NAMELEN + 32];
	const char	*s;
	size_t		 i;

	snprintf(field, sizeof(field), "%s.profile", what);
	if ((s = get_scalar(yp, kv, field)) == NULL)
		return;
	hp->profile = mark_pos(&kv->val->start_mark);
	for (i = 0; i < conf->nprofiles; i++) {
		if (strcmp(conf->profiles[i].name, s) == 0) {
			h->conf.profile = i;
			return;
		}
	}
	yerr(yp, kv->val, "unknown profile '%s' for host %s", s,
	    h->conf.name);
}

static void
parse_install(struct yp *yp, const struct kv *kv, const char *what,
    struct host *h, struct conf_hostpos *hp)
{
	char		 field[PXED_NAMELEN + 32];
	const char	*s;

	snprintf(field, sizeof(field), "%s.install", what);
	if ((s = get_scalar(yp, kv, field)) == NULL)
		return;
	if (strcasecmp(s, "true") == 0 || strcasecmp(s, "yes") == 0)
		h->conf.install = 1;
	else if (strcasecmp(s, "false") == 0 || strcasecmp(s, "no") == 0)
		h->conf.install = 0;
	else {
		yerr(yp, kv->val, "bad %s '%s' (want true or false)", field, s);
		return;
	}
	hp->install = mark_pos(&kv->val->start_mark);
}

static void
parse_vars(struct yp *yp, const struct kv *top, const char *what,
    size_t idx)
{
	yaml_node_pair_t	*pair;
	struct host_var		 hv;
	struct kv		 kv;
	char			 field[PXED_NAMELEN + 32], vfield[160];
	const char		*key;

	snprintf(field, sizeof(field), "%s.vars", what);
	if (map_size(yp, top, field) == 0)
		return;
	for (pair = top->val->data.mapping.pairs.start;
	    pair < top->val->data.mapping.pairs.top; pair++) {
		kv.key = node_get(yp, pair->key);
		kv.val = node_get(yp, pair->value);
		if (node_want(yp, kv.key, YAML_SCALAR_NODE, "a var name") == -1)
			continue;
		key = node_str(kv.key);
		if (!var_key_valid(key)) {
			yerr(yp, kv.key, "bad var name '%s' in %s (1 to 63 "
			    "letters, digits, '_' or '.')", key, field);
			continue;
		}
		if (config_host_var(yp->conf, idx, key) != NULL) {
			yerr(yp, kv.key, "duplicate key '%s' in %s", key,
			    field);
			continue;
		}
		memset(&hv, 0, sizeof(hv));
		hv.host = idx;
		strlcpy(hv.key, key, sizeof(hv.key));
		snprintf(vfield, sizeof(vfield), "%s.%s", field, key);
		if (node_null(kv.val))
			kv.val = NULL;
		if (get_str(yp, &kv, vfield, hv.value, sizeof(hv.value)) == 0 &&
		    config_add_var(yp->conf, &hv) == -1)
			yerr(yp, kv.key, "%s", strerror(errno));
	}
}

/* What {{vars.KEY}} can name: 1-63 of [A-Za-z0-9_.], not starting with '.'. */
static int
var_key_valid(const char *s)
{
	size_t	 i;

	if (s[0] == '.')
		return 0;
	for (i = 0; s[i] != '\0'; i++) {
		if (i >= PXED_VARKEYLEN - 1 || !(isalnum((unsigned char)s[i]) ||
		    s[i] == '_' || s[i] == '.'))
			return 0;
	}
	return i > 0;
}

/*
 * config_print: every key with its value or default, in one layout, so
 * that printing what it loads gives the same text again.
 */
void
config_print(const struct config *conf, FILE *fp)
{
	const struct server_conf	*sc = &conf->server;
	int				 k;

	print_server(conf, fp);
	print_dhcp(conf, fp);
	fprintf(fp, "\nboot:\n");
	for (k = 0; k < BOOT_NKINDS; k++)
		print_str(fp, 2, boot_keys[k], sc->boot[k]);
	print_str(fp, 2, "unknown", unknown_name(sc->unknown));
	print_profiles(conf, fp);
	print_hosts(conf, fp);
}

/*
 * A plain scalar when that reads back as the same string in any
 * context, a double-quoted one otherwise.
 */
static void
print_scalar(FILE *fp, const char *s)
{
	const char	*p;
	int		 plain;

	plain = isalnum((unsigned char)s[0]) || s[0] == '_' || s[0] == '/' ||
	    s[0] == '.';
	for (p = s; plain && *p != '\0'; p++)
		plain = isalnum((unsigned char)*p) ||
		    strchr("_./+=@%-", *p) != NULL;
	if (plain && strcasecmp(s, "null") != 0) {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	for (p = s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(fp, "\\%c", *p);
		else if ((unsigned char)*p < 0x20 || *p == 0x7f)
			fprintf(fp, "\\x%02x", (unsigned char)*p);
		else
			fputc(*p, fp);
	}
	fputc('"', fp);
}

/* "key: value" at indent; nothing for an empty value. */
static void
print_str(FILE *fp, int indent, const char *key, const char *val)
{
	if (val[0] == '\0')
		return;
	fprintf(fp, "%*s%s: ", indent, "", key);
	print_scalar(fp, val);
	fputc('\n', fp);
}

/* In the largest unit that divides it. */
static void
print_duration(FILE *fp, uint32_t secs)
{
	static const struct {
		uint32_t	 secs;
		char		 unit;
	} units[] = {
		{ 7 * 86400, 'w' }, { 86400, 'd' }, { 3600, 'h' }, { 60, 'm' },
		{ 1, 's' }
	};
	size_t	 i;

	for (i = 0; secs % units[i].secs != 0; i++)
		;
	fprintf(fp, "%u%c", secs / units[i].secs, units[i].unit);
}

static void
print_server(const struct config *conf, FILE *fp)
{
	const struct server_conf	*sc = &conf->server;
	char				 addr[INET_ADDRSTRLEN];
	uint32_t			 i;

	fprintf(fp, "server:\n  interfaces: [");
	for (i = 0; i < sc->nifs; i++) {
		fputs(i > 0 ? ", " : "", fp);
		print_scalar(fp, sc->ifnames[i]);
	}
	inet_ntop(AF_INET, &sc->address, addr, sizeof(addr));
	fprintf(fp, "]\n  address: %s\n", addr);
	print_str(fp, 2, "user", sc->user);
	print_str(fp, 2, "state", sc->state);
	fprintf(fp, "  tftp:\n");
	print_str(fp, 4, "root", sc->tftp_root);
	fprintf(fp, "    port: %u\n  http:\n", sc->tftp_port);
	print_str(fp, 4, "root", sc->http_root);
	fprintf(fp, "    port: %u\n", sc->http_port);
}

static void
print_dhcp(const struct config *conf, FILE *fp)
{
	const struct subnet_conf	*sn;
	char				 a[INET_ADDRSTRLEN];
	char				 b[INET_ADDRSTRLEN];
	size_t				 i;
	uint32_t			 j;

	fprintf(fp, "\ndhcp:\n  mode: %s\n  lease: ",
	    dhcp_mode_name(conf->server.dhcp_mode));
	print_duration(fp, conf->server.lease_secs);
	fprintf(fp, "\n  subnets:%s\n", conf->nsubnets == 0 ? " []" : "");
	for (i = 0; i < conf->nsubnets; i++) {
		sn = &conf->subnets[i];
		inet_ntop(AF_INET, &sn->network, a, sizeof(a));
		fprintf(fp, "    - network: %s/%u\n", a, sn->prefixlen);
		if (sn->range_lo.s_addr != INADDR_ANY) {
			inet_ntop(AF_INET, &sn->range_lo, a, sizeof(a));
			inet_ntop(AF_INET, &sn->range_hi, b, sizeof(b));
			fprintf(fp, "      range: %s-%s\n", a, b);
		}
		if (sn->router.s_addr != INADDR_ANY)
			fprintf(fp, "      router: %s\n", inet_ntop(AF_INET,
			    &sn->router, a, sizeof(a)));
		for (j = 0; j < sn->ndns; j++)
			fprintf(fp, "%s%s", j == 0 ? "      dns: [" : ", ",
			    inet_ntop(AF_INET, &sn->dns[j], a, sizeof(a)));
		fputs(sn->ndns > 0 ? "]\n" : "", fp);
		print_str(fp, 6, "domain", sn->domain);
	}
}

static void
print_profiles(const struct config *conf, FILE *fp)
{
	const struct profile_conf	*pc;
	size_t				 i;

	fprintf(fp, "\nprofiles:%s\n", conf->nprofiles == 0 ? " {}" : "");
	for (i = 0; i < conf->nprofiles; i++) {
		pc = &conf->profiles[i];
		fprintf(fp, "  %s:%s\n", pc->name, pc->kernel[0] == '\0' &&
		    pc->initrd[0] == '\0' && pc->append[0] == '\0' &&
		    pc->kickstart[0] == '\0' ? " {}" : "");
		print_str(fp, 4, "kernel", pc->kernel);
		print_str(fp, 4, "initrd", pc->initrd);
		print_str(fp, 4, "append", pc->append);
		print_str(fp, 4, "kickstart", pc->kickstart);
	}
}

static void
print_hosts(const struct config *conf, FILE *fp)
{
	const struct host_conf	*hc;
	char			 mac[18], ip[INET_ADDRSTRLEN];
	size_t			 i, v;

	fprintf(fp, "\nhosts:%s\n", conf->nhosts == 0 ? " {}" : "");
	for (i = 0, v = 0; i < conf->nhosts; i++) {
		hc = &conf->hosts[i].conf;
		mac_format(hc->mac, mac, sizeof(mac));
		fprintf(fp, "  %s:\n    mac: %s\n", hc->name, mac);
		if (hc->ip.s_addr != INADDR_ANY)
			fprintf(fp, "    ip: %s\n", inet_ntop(AF_INET, &hc->ip,
			    ip, sizeof(ip)));
		if (hc->profile >= 0)
			print_str(fp, 4, "profile",
			    conf->profiles[hc->profile].name);
		fprintf(fp, "    install: %s\n",
		    hc->install ? "true" : "false");
		for (; v < conf->nvars && conf->vars[v].host < i; v++)
			;
		for (; v < conf->nvars && conf->vars[v].host == i; v++) {
			if (v == 0 || conf->vars[v - 1].host != i)
				fprintf(fp, "    vars:\n");
			fprintf(fp, "      %s: ", conf->vars[v].key);
			print_scalar(fp, conf->vars[v].value);
			fputc('\n', fp);
		}
	}
}
