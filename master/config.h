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
 * The inventory loader's own header: config.c (sections), config6.c
 * (the IPv6 keys), config_yaml.c (libyaml nodes into values, with
 * positions for errors) and config_print.c share it.  Only the master
 * includes libyaml.
 */

#ifndef CONFIG_H
#define CONFIG_H

#include <limits.h>
#include <stdio.h>
#include <yaml.h>

#include "master.h"

/*
 * config internals: config.c parses the YAML into a struct config and
 * records where each thing came from; config_check.c keeps the errors
 * and does the checks that span the whole inventory (duplicates,
 * addresses against subnets, every template against its hosts).
 */
#define CONF_MAXERRS	100

/* A position: in the inventory (file 0) or in profile file-1's kickstart. */
struct conf_pos {
	uint32_t	 file;
	uint32_t	 line;		/* 1-based, 0: unknown */
	uint32_t	 col;
};

enum conf_style {
	CONF_PLAIN = 0,
	CONF_QUOTED,
	CONF_BLOCK,
	CONF_FILE,		/* a kickstart: positions are its own */
};

/* Where a templated YAML scalar starts, to place errors inside it. */
struct conf_src {
	struct conf_pos	 pos;
	enum conf_style	 style;
	uint32_t	 indent;	/* CONF_BLOCK: columns before the text */
};

struct conf_hostpos {
	struct conf_pos	 name;
	struct conf_pos	 mac[PXED_HOSTMACS];	/* one per valid MAC */
	struct conf_pos	 uuid;		/* line 0: no valid UUID */
	struct conf_pos	 ip;		/* line 0: no fixed ip */
	struct conf_pos	 ip6;		/* line 0: no fixed ip6 */
	struct conf_pos	 profile;	/* line 0: none given */
	struct conf_pos	 install;
};

struct conf_profpos {
	struct conf_pos	 name;
	struct conf_src	 append;
	char		 ksfile[PXED_PATHLEN];	/* as named in errors */
};

struct conf_err {
	struct conf_pos	 pos;
	size_t		 seq;
	char		 msg[PXED_ERRLEN];
};

struct conf_loader {
	const char		*path;
	struct config		*conf;
	struct conf_err		*errs;
	size_t			 nerrs;
	size_t			 dropped;
	struct conf_hostpos	*hostpos;	/* parallel to conf->hosts */
	struct conf_profpos	*profpos;	/* ... to conf->profiles */
	struct conf_pos		*netpos;	/* each subnet's network */
	struct conf_pos		*netpos6;	/* ... each dhcp6 subnet's */
	struct conf_src		 boot[BOOT_NKINDS];
	struct conf_pos		 mode;		/* dhcp.mode, or the nearest */
	struct conf_pos		 mode6;		/* dhcp6.mode, or dhcp6 */
	struct conf_pos		 user;		/* server.user, or server */
	int			 badsubnet;	/* a subnet was left out */
	int			 badsubnet6;	/* a dhcp6 subnet was */
};

void	 conf_err(struct conf_loader *, const struct conf_pos *,
	    const char *, ...)
	    __attribute__((__format__ (printf, 3, 4)));
int	 conf_err_flush(struct conf_loader *, struct buf *);
void	 config_check(struct conf_loader *);

#define CONF_MAXDEPTH	64		/* nesting of maps and lists */
#define CONF_MAXNODES	4000000		/* nodes, aliases expanded */
#define CONF_MAXVARS	256		/* vars of one host */
/* dhcp6 subnets: their prefix lengths, and the addresses of a range */
#define CONF_NET6_MINLEN	64
#define CONF_NET6_MAXLEN	120
#define CONF_POOL6_MAX		(1U << 24)	/* dhcpd indexes by offset */

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

int		 yp_read_file(const char *, size_t, char **, size_t *);
void		 yp_inventory_dir(const char *, char *, size_t);
struct conf_pos	 yp_mark_pos(const yaml_mark_t *);
void		 yp_yerr(struct yp *, const yaml_node_t *, const char *, ...)
		    __attribute__((__format__ (printf, 3, 4)));
const char	*yp_type_name(yaml_node_type_t);
int		 yp_node_null(const yaml_node_t *);
const char	*yp_node_str(const yaml_node_t *);
yaml_node_t	*yp_node_get(struct yp *, int);
int		 yp_node_want(struct yp *, yaml_node_t *, yaml_node_type_t,
		    const char *);
int		 yp_map_collect(struct yp *, yaml_node_t *, const char *,
		    const char *const *, struct kv *);
const char	*yp_get_scalar(struct yp *, const struct kv *, const char *);
int		 yp_get_str(struct yp *, const struct kv *, const char *,
		    char *, size_t);
void		 yp_get_path(struct yp *, const struct kv *, const char *,
		    char *, size_t);
int		 yp_get_addr(struct yp *, const struct kv *, const char *,
		    int, void *);
int		 yp_get_ip(struct yp *, const struct kv *, const char *,
		    struct in_addr *);
int		 yp_get_ip6(struct yp *, const struct kv *, const char *,
		    struct in6_addr *);
const char	*yp_ip6_kind(const struct in6_addr *);
int		 yp_get_unicast(struct yp *, const struct kv *, const char *,
		    int, void *);
const char	*yp_reserved(int, const void *, uint32_t);
int		 yp_addr_before(const char *, int, int, void *,
		    const char **);
int		 yp_parse_cidr(const char *, int, void *, uint32_t *);
int		 yp_host_bits(const void *, size_t, uint32_t, int);
void		 yp_get_duration(struct yp *, const struct kv *,
		    const char *, uint32_t *);
int		 yp_get_bool(struct yp *, const struct kv *, const char *,
		    uint32_t *);
void		 yp_get_num(struct yp *, const struct kv *, const char *,
		    uint32_t, uint32_t, uint32_t *);
void		 yp_get_port(struct yp *, const struct kv *, const char *,
		    uint16_t *);
int		 yp_get_enum(struct yp *, const struct kv *, const char *,
		    const char *const *, uint32_t *);
int		 yp_prescan(struct yp *);
void		 yp_syntax(struct yp *, const yaml_parser_t *);
int		 yp_one_document(struct yp *, yaml_parser_t *);
size_t		 yp_map_size(struct yp *, const struct kv *, const char *);
void		*yp_map_alloc(struct yp *, const struct kv *, const char *,
		    size_t);
void		 yp_map_each(struct yp *, const struct kv *,
		    void (*)(struct yp *, yaml_node_t *, yaml_node_t *));
int		 yp_node_name(struct yp *, yaml_node_t *, const char *);
void		 conf_parse_hosts(struct yp *, const struct kv *);
void		 conf_parse_subnets(struct yp *, const struct kv *,
		    const char *, struct conf_pos **, int *, const size_t *,
		    void (*)(struct yp *, yaml_node_t *, size_t));
const char	*conf_subnet_begin(struct yp *, yaml_node_t *, size_t,
		    const char *, const char *const *, struct kv *, char *,
		    size_t);
void		 conf_parse_range(struct yp *, const struct kv *,
		    const char *, int, const void *, uint32_t, void *, void *);
void		 conf_parse_dns(struct yp *, const struct kv *, const char *,
		    int, void *, uint32_t *);
void		 conf_parse_router(struct yp *, const struct kv *,
		    const char *, const char *, int, const void *, uint32_t,
		    const char *, void *);
void		 conf_parse_mode(struct yp *, const struct kv *, const char *,
		    const char *const *, struct conf_pos *, uint32_t *);
void		 conf_parse_dhcp6(struct yp *, const struct kv *);

extern const char *const conf_mode_names[];
extern const char *const conf_unknown_names[];

#endif /* CONFIG_H */
