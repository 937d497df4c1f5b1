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
 * The configuration the DHCP unit test and the DHCP fuzzer both serve
 * from: one subnet with every option, one host, every loader.
 */

#ifndef DHCP_FIXTURE_H
#define DHCP_FIXTURE_H

#include <arpa/inet.h>
#include <string.h>

#include "pxed.h"

static void
dhcp_fixture(struct config *cf, uint16_t http_port)
{
	struct subnet_conf	 sn;
	struct host		 h;

	config_init(cf);
	cf->server.address.s_addr = inet_addr("10.1.0.2");
	cf->server.http_port = http_port;
	cf->server.lease_secs = 3600;
	strlcpy(cf->server.boot[BOOT_BIOS], "pxelinux.0", PXED_STRLEN);
	strlcpy(cf->server.boot[BOOT_UEFI], "BOOTX64.EFI", PXED_STRLEN);
	strlcpy(cf->server.boot[BOOT_ARM64], "grubaa64.efi", PXED_STRLEN);
	strlcpy(cf->server.boot[BOOT_HTTP], "{{http}}/BOOTX64.EFI",
	    PXED_STRLEN);
	strlcpy(cf->server.boot[BOOT_HTTP_ARM64], "{{http}}/BOOTAA64.EFI",
	    PXED_STRLEN);
	strlcpy(cf->server.boot[BOOT_IPXE], "{{http}}/ipxe/{{mac}}",
	    PXED_STRLEN);
	memset(&sn, 0, sizeof(sn));
	sn.network.s_addr = inet_addr("10.1.0.0");
	sn.netmask.s_addr = inet_addr("255.255.255.0");
	sn.prefixlen = 24;
	sn.range_lo.s_addr = inet_addr("10.1.0.100");
	sn.range_hi.s_addr = inet_addr("10.1.0.103");
	sn.router.s_addr = inet_addr("10.1.0.1");
	sn.dns[0].s_addr = inet_addr("10.1.0.1");
	sn.ndns = 1;
	strlcpy(sn.domain, "lab.example", sizeof(sn.domain));
	config_add_subnet(cf, &sn);
	memset(&h, 0, sizeof(h));
	strlcpy(h.conf.name, "node01", sizeof(h.conf.name));
	memcpy(h.conf.macs[0], "\x52\x54\x00\x00\x00\x01", 6);
	h.conf.nmacs = 1;
	uuid_parse("4c4c4544-0051-3810-8035-b8c04f443531", h.conf.uuid);
	h.conf.ip.s_addr = inet_addr("10.1.0.91");
	h.conf.profile = -1;
	config_add_host(cf, &h);
}

#endif /* DHCP_FIXTURE_H */
