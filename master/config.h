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
 * The inventory loader's own header: config.c (sections),
 * config_yaml.c (libyaml nodes into values, with positions for errors)
 * and config_print.c share it.  Only the master includes libyaml.
 */

#ifndef CONFIG_H
#define CONFIG_H

#include <limits.h>
#include <stdio.h>
#include <yaml.h>

#include "master.h"

#define CONF_MAXDEPTH	64		/* nesting of maps and lists */
#define CONF_MAXNODES	4000000		/* nodes, aliases expanded */
#define CONF_MAXVARS	256		/* vars of one host */

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
int		 yp_get_ip(struct yp *, const struct kv *, const char *,
		    struct in_addr *);
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
int		 yp_node_name(struct yp *, yaml_node_t *, const char *);
void		 conf_parse_hosts(struct yp *, const struct kv *);

extern const char *const conf_mode_names[];
extern const char *const conf_unknown_names[];

#endif /* CONFIG_H */
