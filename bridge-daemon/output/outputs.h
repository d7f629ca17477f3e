/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The outputs of one run of sipcidd, live or --read: printing, LAN
 * announcements, the call log and recorder, phonebook suggestions, and MQTT
 * when [mqtt] names a broker.
 * Opened and fed on the main loop's thread, never on the packet path. */
#ifndef SIPCID_OUTPUTS_H
#define SIPCID_OUTPUTS_H

#include "output.h"
#include "pipeline.h"
#include "rules.h"
#include "settings.h"
#include "output_archive.h"

#include <glib.h>
#include <stdbool.h>

struct sipcid_outputs_options {
	bool print;        /* one line per call on stdout */
	bool json;         /* ...as JSON */
	bool live;         /* ...each line written at once */
	bool announce;     /* [notify]: false with --no-notify */
	bool archive;      /* [log] and [record]: output_archive.h */
	bool serve;        /* servers clients connect to ([ncid]): live runs only */
};

struct sipcid_outputs {
	GPtrArray *list;                   /* struct sipcid_output *, fed in this order */
	struct sipcid_output_archive archive;
	struct sipcid_output *suggestions; /* NULL when [rules] suggestions is off */
	char box[SIPCID_BOX_MAX];          /* stamped on every event ([mqtt] box) */
	struct sipcid_number_plan numbers; /* [numbers]: what the number is, on every event */
	/* The outputs that tell people about calls (announcements, NCID,
	 * webhooks, MQTT) behind one rate limit (output_rate.h); NULL when
	 * there are none. */
	struct sipcid_output *notify_gate;
	guint notify_tick;                 /* live: its summary timer */
	GPtrArray *webhooks;               /* struct sipcid_output *, also in list (webhook.h) */
	/* The control socket's watchers (output_watch.h), also in list; NULL
	 * unless the run serves clients (live). */
	struct sipcid_output *watch;
};

/* Errors (a socket that can't be made, a call log that can't be opened)
 * are returned in plain words; nothing is left open then. */
bool sipcid_outputs_open(struct sipcid_outputs *o, const struct sipcid_settings *s,
                         struct sipcid_pipeline *pl, const struct sipcid_outputs_options *opts,
                         GError **error);
void sipcid_outputs_emit(struct sipcid_outputs *o, const struct sipcid_call *call);
/* A line or voicemail event, stamped with the box, to every output that
 * takes them (output.h). */
void sipcid_outputs_emit_line(struct sipcid_outputs *o, const struct sipcid_line_event *ev);
/* The rules changed: outputs that consult the phonebook follow. */
void sipcid_outputs_set_rules(struct sipcid_outputs *o, struct sipcid_rules *rules);
/* Closes every output (each finishes its pending work for a bounded time). */
void sipcid_outputs_close(struct sipcid_outputs *o);

#endif
