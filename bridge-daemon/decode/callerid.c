/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Caller ID from an initial INVITE, in the trust order of docs/callerid.md. */
#include "callerid.h"

#include "sip_attest.h"
#include "sip_identity.h"
#include "sip_scan.h"
#include "text.h"

#include <glib.h>
#include <osipparser2/osip_parser.h>
#include <stdio.h>
#include <string.h>

enum { MAX_IDS = SIP_SCAN_MAX_VALUES * 2 };

/* The identity headers' values, as the scanner found them, with values
 * that share a header line split apart. */
struct id_headers {
	struct sip_span from, to, request_uri, call_id;
	struct sip_span pai[MAX_IDS], ppi[MAX_IDS], rpid[MAX_IDS], privacy[MAX_IDS];
	int n_pai, n_ppi, n_rpid, n_privacy;
	struct sip_span diversion;
	struct sip_span history[SIP_SCAN_MAX_HISTORY * 2];
	int n_history;
	struct sip_span identity[MAX_IDS], attest_indicator[SIP_SCAN_MAX_VALUES];
	int n_identity, n_attest_indicator;
};

static void silence_osip(const char *fi, int li, osip_trace_level_t level, const char *chfr,
                         va_list ap)
{
	(void)level, (void)fi, (void)li, (void)chfr, (void)ap;
}

void sipcid_callerid_init(void)
{
	static gsize done = 0;
	if (g_once_init_enter(&done)) {
		parser_init();
		/* libosip2 prints parse errors to stdout unless told otherwise;
		 * stdout carries our JSON. */
		osip_trace_initialize_func(END_TRACE_LEVEL, silence_osip);
		for (int l = TRACE_LEVEL0; l < END_TRACE_LEVEL; l++)
			osip_trace_disable_level((osip_trace_level_t)l);
		g_once_init_leave(&done, 1);
	}
}

/* Adds every comma-separated value of one header line. */
static void add_split(struct sip_span line, struct sip_span *arr, int *n, int max)
{
	if (*n < max)
		*n += sipcid_sip_split_values(line, arr + *n, max - *n);
}

static void headers_from_scan(const struct sipcid_sip_scan *s, struct id_headers *h)
{
	h->from = s->from;
	h->to = s->to;
	h->request_uri = s->request_uri;
	h->call_id = s->call_id;
	for (int i = 0; i < MIN(s->n_pai, SIP_SCAN_MAX_VALUES); i++)
		add_split(s->pai[i], h->pai, &h->n_pai, MAX_IDS);
	for (int i = 0; i < MIN(s->n_ppi, SIP_SCAN_MAX_VALUES); i++)
		add_split(s->ppi[i], h->ppi, &h->n_ppi, MAX_IDS);
	for (int i = 0; i < MIN(s->n_rpid, SIP_SCAN_MAX_VALUES); i++)
		add_split(s->rpid[i], h->rpid, &h->n_rpid, MAX_IDS);
	for (int i = 0; i < MIN(s->n_privacy, SIP_SCAN_MAX_VALUES); i++)
		h->privacy[h->n_privacy++] = s->privacy[i];
	h->diversion = s->diversion;
	for (int i = 0; i < MIN(s->n_history, SIP_SCAN_MAX_HISTORY); i++)
		add_split(s->history[i], h->history, &h->n_history, (int)G_N_ELEMENTS(h->history));
	for (int i = 0; i < MIN(s->n_identity, SIP_SCAN_MAX_VALUES); i++)
		add_split(s->identity[i], h->identity, &h->n_identity, MAX_IDS);
	for (int i = 0; i < MIN(s->n_attest_indicator, SIP_SCAN_MAX_VALUES); i++)
		h->attest_indicator[h->n_attest_indicator++] = s->attest_indicator[i];
}

/* --- anonymous forms --------------------------------------------------- */

static bool word_is(const char *s, const char *const *words)
{
	for (int i = 0; words[i]; i++)
		if (!g_ascii_strcasecmp(s, words[i]))
			return true;
	return false;
}

static const char *const withheld_words[] = {
	"anonymous", "restricted", "private", "withheld", "anonymous caller",
	"private number", "number withheld", "blocked", NULL,
};
static const char *const unavailable_words[] = {
	"unavailable", "unknown", "out of area", "out-of-area", "outofarea", "out_of_area",
	"not available", "unknown caller", "unknown number", NULL,
};

/* Which presentation a text (display name or user part) stands for, or
 * ALLOWED when it is an ordinary name or number. */
static enum sipcid_presentation anonymous_form(const char *s)
{
	/* Most texts are numbers or ordinary names: rule them out cheaply. The
	 * words are 7 to 16 characters and start with one of these letters. */
	size_t n = strlen(s);
	if (n < 7 || n > 16 || !strchr("abnopruwABNOPRUW", s[0]))
		return SIPCID_PRES_ALLOWED;
	if (word_is(s, withheld_words))
		return SIPCID_PRES_RESTRICTED;
	if (word_is(s, unavailable_words))
		return SIPCID_PRES_UNAVAILABLE;
	return SIPCID_PRES_ALLOWED;
}

/* The presentation an identity URI stands for: anonymous@anonymous.invalid,
 * an anonymous user word, or an empty user part. */
static enum sipcid_presentation identity_form(const struct sip_identity *id)
{
	if (!id->present)
		return SIPCID_PRES_UNAVAILABLE;
	enum sipcid_presentation p = anonymous_form(id->user);
	if (p != SIPCID_PRES_ALLOWED)
		return p;
	if (!g_ascii_strcasecmp(id->host, "anonymous.invalid"))
		return SIPCID_PRES_RESTRICTED;
	if (!id->user[0] || id->user_invalid)
		return SIPCID_PRES_UNAVAILABLE;
	return SIPCID_PRES_ALLOWED;
}

static bool usable_number(const struct sip_identity *id)
{
	return id->present && id->user[0] && !id->user_invalid &&
	       identity_form(id) == SIPCID_PRES_ALLOWED;
}

static bool usable_name(const char *display)
{
	return display[0] && anonymous_form(display) == SIPCID_PRES_ALLOWED;
}

/* --- Privacy (RFC 3323 §4.2) -------------------------------------------- */

static bool privacy_withholds(const struct id_headers *h)
{
	for (int i = 0; i < h->n_privacy; i++) {
		char buf[256];
		sipcid_text_clean(h->privacy[i].p, h->privacy[i].len, buf, sizeof buf);
		char **vals = g_strsplit_set(buf, ";,", -1);
		bool hide = false;
		for (int j = 0; vals[j]; j++) {
			char *v = g_strstrip(vals[j]);
			if (!g_ascii_strcasecmp(v, "id") || !g_ascii_strcasecmp(v, "user") ||
			    !g_ascii_strcasecmp(v, "header"))
				hide = true;
		}
		g_strfreev(vals);
		if (hide)
			return true;
	}
	return false;
}

/* --- choosing the caller ------------------------------------------------- */

struct chosen {
	const struct sip_identity *number_id;
	struct sip_span number_value;   /* the header value number_id was read from */
	enum sipcid_id_source source;
	const char *name;
	bool hide_name, hide_number;
};

/* A PAI may carry a sip: and a tel: value; tel is preferred for the number. */
static const struct sip_identity *best_pai(const struct sip_identity *pai, int n)
{
	const struct sip_identity *best = NULL;
	for (int i = 0; i < n; i++) {
		if (!usable_number(&pai[i]))
			continue;
		if (!best || (pai[i].scheme == SIP_URI_TEL && best->scheme != SIP_URI_TEL))
			best = &pai[i];
	}
	return best;
}

static const char *first_display(const struct sip_identity *ids, int n)
{
	for (int i = 0; i < n; i++)
		if (usable_name(ids[i].display))
			return ids[i].display;
	return NULL;
}

static void copy_number(const struct sipcid_number_plan *plan, const char *raw, char *number,
                        char *number_raw)
{
	sipcid_call_strlcpy_utf8(number_raw, raw, SIPCID_NUMBER_MAX);
	sipcid_number_normalise(plan, raw, number, SIPCID_NUMBER_MAX);
}

/* The line called: the To user when it is a phone number (the DID), else the
 * Request-URI user (at the phone that is often a registration name). */
static void extract_called(const struct sipcid_number_plan *plan, const struct id_headers *h,
                           char *out)
{
	/* Not the caller, only the line: the quick manual reader is enough. */
	struct sip_identity to, ruri;
	sipcid_sip_identity_parse_quick(h->to, &to);
	sipcid_sip_identity_parse_quick(h->request_uri, &ruri);
	char tmp[SIPCID_NUMBER_MAX];
	const struct sip_identity *order[] = { &to, &ruri };
	for (int i = 0; i < 2; i++)
		if (order[i]->user[0] && !order[i]->user_invalid &&
		    sipcid_number_normalise(plan, order[i]->user, tmp, sizeof tmp)) {
			g_strlcpy(out, tmp, SIPCID_NUMBER_MAX);
			return;
		}
	for (int i = 0; i < 2; i++)
		if (order[i]->user[0] && !order[i]->user_invalid) {
			g_strlcpy(out, order[i]->user, SIPCID_NUMBER_MAX);
			return;
		}
	out[0] = '\0';
}

/* Who forwarded the call: the newest Diversion entry, else the History-Info
 * entry before the final target (RFC 7044: the one that retargeted). */
static void extract_via(const struct sipcid_number_plan *plan, const struct id_headers *h,
                        char *out)
{
	struct sip_identity id = { 0 };
	if (h->diversion.len)
		sipcid_sip_identity_parse(h->diversion, &id);
	else if (h->n_history >= 2)
		sipcid_sip_identity_parse(h->history[h->n_history - 2], &id);
	out[0] = '\0';
	if (id.present && id.user[0] && !id.user_invalid)
		sipcid_number_normalise(plan, id.user, out, SIPCID_NUMBER_MAX);
}

/* --- STIR/SHAKEN (docs/callerid.md) -------------------------------------- */

/* Folds one more reading into *have: the first one counts, a different one
 * makes it unknown for good (which header the carrier meant is a guess). */
static void agree(char *have, bool *conflict, char value)
{
	if (!value || *conflict)
		return;
	if (*have && *have != value) {
		*have = 0;
		*conflict = true;
		return;
	}
	*have = value;
}

/* Whether id names the caller's number as shown: a verstat speaks of its
 * own header's number, never of another one. */
static bool names_number(const struct sip_identity *id, const struct sipcid_number_plan *plan,
                         const char *number)
{
	char tmp[SIPCID_NUMBER_MAX];
	if (!number[0] || !usable_number(id))
		return false;
	sipcid_number_normalise(plan, id->user, tmp, sizeof tmp);
	return !strcmp(tmp, number);
}

/* verstat: of the header that gave the number, else of a P-Asserted-Identity
 * or From naming the same number. The attestation level: the verstat's
 * suffix, else P-Attestation-Indicator, else the Identity header's
 * PASSporT. Only called for the provider's messages. */
static void read_shaken(const struct id_headers *h, const struct chosen *c,
                        const struct sip_identity *pai, int n_pai,
                        const struct sip_identity *from, const struct sipcid_number_plan *plan,
                        struct sipcid_call *out)
{
	char level = 0;
	enum sipcid_verstat v = SIPCID_VERSTAT_NONE;
	if (c->number_id)
		v = sipcid_sip_attest_verstat(c->number_value, &level);
	for (int i = 0; v == SIPCID_VERSTAT_NONE && i < n_pai; i++)
		if (names_number(&pai[i], plan, out->number))
			v = sipcid_sip_attest_verstat(h->pai[i], &level);
	if (v == SIPCID_VERSTAT_NONE && names_number(from, plan, out->number))
		v = sipcid_sip_attest_verstat(h->from, &level);
	out->verstat = v;

	char ind = 0, claim = 0;
	bool ind_conflict = false, claim_conflict = false;
	for (int i = 0; !level && i < h->n_attest_indicator; i++)
		agree(&ind, &ind_conflict, sipcid_sip_attest_indicator(h->attest_indicator[i]));
	/* The PASSporT costs the most to read (base64url, then JSON): only when needed. */
	for (int i = 0; !level && !ind && i < h->n_identity; i++)
		agree(&claim, &claim_conflict, sipcid_sip_attest_identity(h->identity[i]));
	out->attest = level ? level : ind ? ind : claim;
}

/* Returns true when a value needed the manual reader. */
static bool choose_caller(const struct id_headers *h, bool trusted, struct sipcid_call *out,
                          const struct sipcid_number_plan *plan)
{
	struct sip_identity pai[MAX_IDS], rpid[MAX_IDS], ppi[MAX_IDS];
	struct sip_identity from;
	sipcid_sip_identity_parse(h->from, &from);
	int n_pai = trusted ? h->n_pai : 0;
	for (int i = 0; i < n_pai; i++)
		sipcid_sip_identity_parse(h->pai[i], &pai[i]);

	/* Remote-Party-ID: only the calling party's entry, only when trusted. */
	const struct sip_identity *rpid_caller = NULL;
	bool rpid_screened = true;
	const char *priv = "";
	for (int i = 0; trusted && i < h->n_rpid; i++) {
		sipcid_sip_identity_parse(h->rpid[i], &rpid[i]);
		if (rpid[i].party[0] && g_ascii_strcasecmp(rpid[i].party, "calling"))
			continue;
		rpid_caller = &rpid[i];
		break;
	}
	if (rpid_caller) {
		priv = rpid_caller->privacy;
		if (!g_ascii_strcasecmp(rpid_caller->screen, "no"))
			rpid_screened = false;
	}

	struct chosen c = { 0 };
	const struct sip_identity *p = best_pai(pai, n_pai);
	if (p) {
		c.number_id = p;
		c.number_value = h->pai[p - pai];
		c.source = SIPCID_SRC_PAI;
	} else if (rpid_caller && rpid_screened && usable_number(rpid_caller)) {
		c.number_id = rpid_caller;
		c.number_value = h->rpid[rpid_caller - rpid];
		c.source = SIPCID_SRC_RPID;
	} else if (usable_number(&from)) {
		c.number_id = &from;
		c.number_value = h->from;
		c.source = SIPCID_SRC_FROM;
	} else if (rpid_caller && usable_number(rpid_caller)) {
		/* An unscreened RPID is the caller's own claim: below From. */
		c.number_id = rpid_caller;
		c.number_value = h->rpid[rpid_caller - rpid];
		c.source = SIPCID_SRC_RPID;
	} else {
		/* P-Preferred-Identity is the last resort: read only when needed. */
		int n_ppi = h->n_ppi;
		for (int i = 0; i < n_ppi; i++)
			sipcid_sip_identity_parse(h->ppi[i], &ppi[i]);
		const struct sip_identity *pp = best_pai(ppi, n_ppi);
		if (pp) {
			c.number_id = pp;
			c.source = SIPCID_SRC_PPI;
		}
	}

	/* The name: the chosen header's display name, else any other display
	 * name in trust order (carriers often send PAI without one and put the
	 * name in From). */
	const char *name = NULL;
	if (c.number_id && usable_name(c.number_id->display))
		name = c.number_id->display;
	if (!name)
		name = first_display(pai, n_pai);
	if (!name && rpid_caller && usable_name(rpid_caller->display))
		name = rpid_caller->display;
	if (!name && usable_name(from.display))
		name = from.display;

	enum sipcid_presentation pres = SIPCID_PRES_ALLOWED;
	if (!c.number_id) {
		/* No number anywhere: say why, from the most trusted header present. */
		const struct sip_identity *why = n_pai ? &pai[0] : rpid_caller ? rpid_caller : &from;
		pres = identity_form(why);
		if (pres == SIPCID_PRES_ALLOWED)
			pres = SIPCID_PRES_UNAVAILABLE;
		if (anonymous_form(from.display) == SIPCID_PRES_RESTRICTED)
			pres = SIPCID_PRES_RESTRICTED;
	}
	if (privacy_withholds(h))
		c.hide_number = c.hide_name = true;
	if (rpid_caller && priv[0]) {
		if (!g_ascii_strcasecmp(priv, "full"))
			c.hide_number = c.hide_name = true;
		else if (!g_ascii_strcasecmp(priv, "uri"))
			c.hide_number = true;
		else if (!g_ascii_strcasecmp(priv, "name"))
			c.hide_name = true;
	}
	if (c.hide_number)
		pres = SIPCID_PRES_RESTRICTED;

	out->presentation = pres;
	out->source = c.number_id && !c.hide_number ? c.source : SIPCID_SRC_NONE;
	out->number[0] = out->number_raw[0] = out->name[0] = '\0';
	if (c.number_id && !c.hide_number)
		copy_number(plan, c.number_id->user, out->number, out->number_raw);
	if (name && !c.hide_name && pres == SIPCID_PRES_ALLOWED)
		sipcid_call_strlcpy_utf8(out->name, name, SIPCID_NAME_MAX);
	out->verstat = SIPCID_VERSTAT_NONE;
	out->attest = 0;
	if (trusted)
		read_shaken(h, &c, pai, n_pai, &from, plan, out);
	return from.manual || (c.number_id && c.number_id->manual);
}

enum sipcid_extract_result sipcid_callerid_extract_scanned(const struct sipcid_number_plan *plan,
                                                           const struct sipcid_sip_scan *scan,
                                                           bool identity_trusted,
                                                           struct sipcid_call *out,
                                                           struct sipcid_extract_info *info)
{
	if (info)
		info->used_fallback = false;
	if (!scan->is_request || scan->method != SIP_METHOD_INVITE)
		return SIPCID_EXTRACT_NOT_INVITE;
	if (scan->to_tag)
		return SIPCID_EXTRACT_IN_DIALOG;
	if (!scan->call_id.len && !scan->from.len)
		return SIPCID_EXTRACT_UNREADABLE;

	/* libosip2 reads every identity value (osip_from_parse); the scanner
	 * frames the message. A full osip_message_parse would cost more than the
	 * whole per-INVITE budget (docs/callerid.md) and tell us nothing more. */
	sipcid_callerid_init();
	struct id_headers h = { 0 };
	headers_from_scan(scan, &h);
	sipcid_text_clean(h.call_id.p ? h.call_id.p : "", h.call_id.len, out->call_id,
	                  sizeof out->call_id);
	bool manual = choose_caller(&h, identity_trusted, out, plan);
	extract_called(plan, &h, out->called);
	extract_via(plan, &h, out->via);
	if (info)
		info->used_fallback = manual;
	return SIPCID_EXTRACT_OK;
}

enum sipcid_extract_result sipcid_callerid_extract(const struct sipcid_number_plan *plan,
                                                   const char *msg, size_t len,
                                                   bool identity_trusted, struct sipcid_call *out,
                                                   struct sipcid_extract_info *info)
{
	struct sipcid_sip_scan scan;
	if (info)
		info->used_fallback = false;
	if (!sipcid_sip_scan(msg, len, &scan))
		return SIPCID_EXTRACT_UNREADABLE;
	return sipcid_callerid_extract_scanned(plan, &scan, identity_trusted, out, info);
}
