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
 * The DHCP worker's counters: one line each in the table below, which
 * its stats reply (and so "pxectl show stats" and /metrics) reads.
 */

#include "dhcpd.h"
#include "proc.h"

struct dhcp_counters	 dhcp_stats;

/* Our counters: pxectl's name, the /metrics family, gauge, help. */
static const struct stat_def	 dhcpd_defs[] = {
	{ "sockets", "sockets", 1, "Sockets the process serves",
	    &dhcp_stats.sockets },
	{ "hosts", "hosts", 1, "Hosts of the inventory the process has",
	    &dhcp_stats.hosts },
	{ "leases", "dhcp_leases", 1, "DHCP leases in the table",
	    &dhcp_stats.leases },
	{ "discover", "dhcp_discovers_total", 0, "DHCPDISCOVERs received",
	    &dhcp_stats.discover },
	{ "offer", "dhcp_offers_total", 0, "DHCPOFFERs sent", &dhcp_stats.offer },
	{ "request", "dhcp_requests_total", 0, "DHCPREQUESTs received",
	    &dhcp_stats.request },
	{ "ack", "dhcp_acks_total", 0, "DHCPACKs sent", &dhcp_stats.ack },
	{ "nak", "dhcp_naks_total", 0, "DHCPNAKs sent", &dhcp_stats.nak },
	{ "decline", "dhcp_declines_total", 0, "DHCPDECLINEs received",
	    &dhcp_stats.decline },
	{ "release", "dhcp_releases_total", 0, "DHCPRELEASEs received",
	    &dhcp_stats.release },
	{ "inform", "dhcp_informs_total", 0, "DHCPINFORMs received",
	    &dhcp_stats.inform },
	{ "dropped_malformed", "dhcp_dropped_malformed_total", 0,
	    "Malformed packets dropped", &dhcp_stats.dropped_malformed },
	{ "dropped_flood", "dhcp_dropped_flood_total", 0,
	    "Packets dropped by the per-client rate limits",
	    &dhcp_stats.dropped_flood },
	{ "dropped", "dhcp_dropped_total", 0,
	    "Packets dropped for other reasons", &dhcp_stats.dropped },
	{ "ignored", "dhcp_ignored_total", 0,
	    "Packets not for us, or not answered by design", &dhcp_stats.ignored },
	{ "commit_failed", "dhcp_commits_failed_total", 0,
	    "Leases the master could not make durable", &dhcp_stats.commit_failed },
	{ "pool_exhausted", "dhcp_pool_exhausted_total", 0,
	    "Requests that found no free address", &dhcp_stats.pool_exhausted },
	{ "send_failed", "dhcp_sends_failed_total", 0,
	    "Replies that could not be sent", &dhcp_stats.send_failed },
	{ "sent_raw", "dhcp_sent_raw_total", 0,
	    "Replies sent on the raw socket (to clients without an address)",
	    &dhcp_stats.sent_raw },
	{ "unknown_reported", "dhcp_unknown_reported_total", 0,
	    "PXE clients not in the inventory, reported to the master",
	    &dhcp_stats.unknown_reported },
	{ "released_other", "dhcp_released_other_total", 0,
	    "Older leases ended when a host took its address on another NIC",
	    &dhcp_stats.released_other },
	{ "sockets6", "dhcp6_sockets", 1, "DHCPv6 sockets the process serves",
	    &dhcp_stats.sockets6 },
	{ "leases6", "dhcp6_leases", 1, "DHCPv6 leases in the table",
	    &dhcp_stats.leases6 },
	{ "solicit6", "dhcp6_solicits_total", 0, "DHCPv6 SOLICITs received",
	    &dhcp_stats.solicit6 },
	{ "advertise6", "dhcp6_advertises_total", 0, "DHCPv6 ADVERTISEs sent",
	    &dhcp_stats.advertise6 },
	{ "request6", "dhcp6_requests_total", 0, "DHCPv6 REQUESTs received",
	    &dhcp_stats.request6 },
	{ "renew6", "dhcp6_renews_total", 0, "DHCPv6 RENEWs received",
	    &dhcp_stats.renew6 },
	{ "rebind6", "dhcp6_rebinds_total", 0, "DHCPv6 REBINDs received",
	    &dhcp_stats.rebind6 },
	{ "reply6", "dhcp6_replies_total", 0, "DHCPv6 REPLYs sent",
	    &dhcp_stats.reply6 },
	{ "release6", "dhcp6_releases_total", 0, "DHCPv6 RELEASEs received",
	    &dhcp_stats.release6 },
	{ "decline6", "dhcp6_declines_total", 0, "DHCPv6 DECLINEs received",
	    &dhcp_stats.decline6 },
	{ "confirm6", "dhcp6_confirms_total", 0, "DHCPv6 CONFIRMs received",
	    &dhcp_stats.confirm6 },
	{ "inforeq6", "dhcp6_information_requests_total", 0,
	    "DHCPv6 INFORMATION-REQUESTs received", &dhcp_stats.inforeq6 },
	{ "dropped6_malformed", "dhcp6_dropped_malformed_total", 0,
	    "Malformed DHCPv6 packets dropped",
	    &dhcp_stats.dropped6_malformed },
	{ "dropped6_flood", "dhcp6_dropped_flood_total", 0,
	    "DHCPv6 packets dropped by the per-DUID rate limit",
	    &dhcp_stats.dropped6_flood },
	{ "dropped6", "dhcp6_dropped_total", 0,
	    "DHCPv6 packets dropped for other reasons", &dhcp_stats.dropped6 },
	{ "noaddrs6", "dhcp6_no_addresses_total", 0,
	    "DHCPv6 IA_NAs that found no address", &dhcp_stats.noaddrs6 },
	{ "ra6_sent", "ra_sent_total", 0, "Router advertisements sent",
	    &dhcp_stats.ra6_sent },
	{ "rs6_received", "ra_solicitations_total", 0,
	    "Router solicitations received", &dhcp_stats.rs6_received },
};

void
dhcp_counters_report(void)
{
	worker_stats(dhcpd_defs, nitems(dhcpd_defs));
}
