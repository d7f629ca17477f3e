/* What the bridge has learned about the phone line by watching it: which
 * bridge port and addresses are the ATA's, and which addresses are its
 * provider's. Direction (is this INVITE the phone calling out?), trust (may
 * this PAI be believed?) and the ghost-call shield (is this INVITE from the
 * provider at all?) all read it. docs/datapath.md, "Learning the line",
 * explains the evidence and its limits.
 *
 * Evidence, all taken on the packet path:
 *  - A REGISTER that crosses the bridge names a candidate pair: its source
 *    is the ATA (with the bridge port it came in on, and the hosts of its
 *    Contact and Via), its destination the registrar. Nothing is believed
 *    until the registrar answers 2xx from that address to that ATA, on
 *    another bridge port when ports are known: a stranger's REGISTER toward
 *    the ATA gets no 200 from the ATA, so it teaches nothing.
 *  - An INVITE from the ATA to an address that answers it 2xx makes that
 *    address a dialog peer: the ATA only sends its calls to its provider.
 *  - The registrar's network (its /24, or /64 for IPv6) counts as the
 *    provider's: providers answer and call from pools of servers next to
 *    their registrar, while scanners are spread over the internet.
 * Learned addresses expire SIPCID_LINE_LEARN_LIFETIME_US after they were
 * last confirmed; an ATA re-registers well within that (an hour or less).
 *
 * Threading and cost: the pipeline owns one, under its lock. Fixed-size
 * tables, no allocation, no I/O; a full table replaces its oldest entry. */
#ifndef SIPCID_LINE_LEARN_H
#define SIPCID_LINE_LEARN_H

#include "call.h"
#include "packet.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

struct sip_scan;

enum {
	SIPCID_LINE_LEARN_ATA_MAX = 4,        /* the ATA's addresses: source, Contact, Via */
	SIPCID_LINE_LEARN_PROVIDER_MAX = 8,   /* registrars, and dialog peers, each */
	SIPCID_LINE_LEARN_PENDING_MAX = 8,    /* REGISTERs and INVITEs waiting for a 2xx */
};
#define SIPCID_LINE_LEARN_LIFETIME_US ((int64_t)24 * 3600 * G_USEC_PER_SEC)
/* A REGISTER or INVITE waits this long for its 2xx (RFC 3261 Timer F/B: 32 s). */
#define SIPCID_LINE_LEARN_PENDING_US ((int64_t)64 * G_USEC_PER_SEC)

struct sipcid_line_learn_entry {
	struct sipcid_endpoint ep;  /* family 0: unused */
	struct sipcid_endpoint peer;  /* pending entries: the other end (the ATA) */
	struct sipcid_endpoint names[2];  /* pending REGISTERs: the ATA's Contact and Via hosts */
	uint32_t ifindex;           /* the bridge port it was seen on; 0 unknown */
	int64_t seen_us;            /* last confirmed (or sent, when pending) */
};

struct sipcid_line_learn {
	uint32_t ata_ifindex;       /* the bridge port facing the ATA; 0 unknown */
	struct sipcid_line_learn_entry ata[SIPCID_LINE_LEARN_ATA_MAX];
	struct sipcid_line_learn_entry registrars[SIPCID_LINE_LEARN_PROVIDER_MAX];
	struct sipcid_line_learn_entry peers[SIPCID_LINE_LEARN_PROVIDER_MAX];
	struct sipcid_line_learn_entry pending_register[SIPCID_LINE_LEARN_PENDING_MAX];
	struct sipcid_line_learn_entry pending_invite[SIPCID_LINE_LEARN_PENDING_MAX];
	uint64_t registrations;     /* 2xx to a REGISTER seen */
};

void sipcid_line_learn_init(struct sipcid_line_learn *l);

/* A REGISTER crossing the bridge: remembers it until its 2xx. msg is the
 * whole message (its Contact and Via are read). */
void sipcid_line_learn_register(struct sipcid_line_learn *l, const struct sipcid_packet *pkt,
                                const char *msg, size_t len);
/* An INVITE the ATA sent (an outgoing call): remembers whom until its 2xx. */
void sipcid_line_learn_invite_out(struct sipcid_line_learn *l, const struct sipcid_packet *pkt);
/* Any response: a 2xx to a pending REGISTER or INVITE confirms what it named. */
void sipcid_line_learn_response(struct sipcid_line_learn *l, const struct sipcid_packet *pkt,
                                const struct sip_scan *scan);

/* True when the packet comes from the ATA: by its bridge port when both that
 * and the ATA's port are known, else by its source address. */
bool sipcid_line_learn_from_ata(const struct sipcid_line_learn *l,
                                const struct sipcid_packet *pkt);
/* True once a registration was confirmed and has not expired. */
bool sipcid_line_learn_knows_provider(const struct sipcid_line_learn *l, int64_t now_us);
/* True when src is a learned provider address (registrar, its network, or
 * a dialog peer), unexpired. */
bool sipcid_line_learn_is_provider(const struct sipcid_line_learn *l,
                                   const struct sipcid_endpoint *src, int64_t now_us);

/* Appends what was learned, one "key: value" line each, for --status. */
void sipcid_line_learn_format(const struct sipcid_line_learn *l, int64_t now_us, GString *out);

#endif
