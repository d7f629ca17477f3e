/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Outcomes in the rule file (sipcid-rules(5), "Outcomes"): block, reject
 * busy|decline|gone and drop are all blocks that say how the call is turned
 * away; the decision carries it in call->outcome, and [rules] block-outcome
 * says what a bare block does. */
#include "rules_test_util.h"

#include "config.h"
#include "rules_settings.h"

#include <glib/gstdio.h>

static void assert_error(const char *rules, const char *expected)
{
	g_autofree char *msg = load_error(rules, NULL);
	if (!strstr(msg, expected))
		g_error("expected the error to contain\n  %s\nbut it was\n  %s", expected, msg);
}

static const char outcome_rules[] =
	"reject busy number 5550000001\n"
	"reject decline number 5550000002\n"
	"reject gone number 5550000003\n"
	"drop number 5550000004\n"
	"block number 5550000005\n"
	"BLOCK Busy number 5550000006\n"
	"block gone name Spam*\n"
	"block drop number 5550000008\n"
	"allow number 5550000009\n"
	"reject busy presentation restricted number anonymous\n";

struct expect {
	const char *number;
	const char *name;
	int line;
	enum sipcid_action action;
	enum sipcid_outcome outcome;
};

static void assert_decisions(const struct sipcid_rules *r, const struct expect *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct sipcid_call c = make_call(e[i].number, e[i].name);
		if (!strcmp(e[i].number, "anonymous"))
			c.presentation = SIPCID_PRES_RESTRICTED;
		sipcid_rules_decide(r, true, &c);
		g_assert_cmpint(decided_line(&c), ==, e[i].line);
		g_assert_cmpint(c.action, ==, e[i].action);
		g_assert_cmpint(c.outcome, ==, e[i].outcome);
		/* a blocked call is never recorded, whatever record-default says */
		g_assert_true(c.record == (e[i].action == SIPCID_ACTION_ALLOW));
	}
}

static void test_outcomes_decided(void)
{
	g_autoptr(sipcid_rules) r = load_ok(outcome_rules, NULL);
	g_assert_cmpuint(sipcid_rules_count(r), ==, 10);
	const struct expect e[] = {
		{ "+15550000001", "", 1, SIPCID_ACTION_BLOCK, SIPCID_OUTCOME_BUSY },
		{ "+15550000002", "", 2, SIPCID_ACTION_BLOCK, SIPCID_OUTCOME_DECLINE },
		{ "+15550000003", "", 3, SIPCID_ACTION_BLOCK, SIPCID_OUTCOME_GONE },
		{ "+15550000004", "", 4, SIPCID_ACTION_BLOCK, SIPCID_OUTCOME_DROP },
		/* a bare block: decline unless [rules] block-outcome says otherwise */
		{ "+15550000005", "", 5, SIPCID_ACTION_BLOCK, SIPCID_OUTCOME_DECLINE },
		{ "+15550000006", "", 6, SIPCID_ACTION_BLOCK, SIPCID_OUTCOME_BUSY },
		{ "+15550000077", "Spam Inc", 7, SIPCID_ACTION_BLOCK, SIPCID_OUTCOME_GONE },
		{ "+15550000008", "", 8, SIPCID_ACTION_BLOCK, SIPCID_OUTCOME_DROP },
		{ "+15550000009", "", 9, SIPCID_ACTION_ALLOW, SIPCID_OUTCOME_NONE },
		{ "anonymous", "", 10, SIPCID_ACTION_BLOCK, SIPCID_OUTCOME_BUSY },
		{ "+15559999999", "", 0, SIPCID_ACTION_ALLOW, SIPCID_OUTCOME_NONE },
	};
	assert_decisions(r, e, G_N_ELEMENTS(e));

	/* The default changes only what a bare block does. */
	g_autoptr(sipcid_rules) r2 = load_ok(outcome_rules, NULL);
	sipcid_rules_set_block_outcome(r2, SIPCID_OUTCOME_GONE);
	const struct expect e2[] = {
		{ "+15550000005", "", 5, SIPCID_ACTION_BLOCK, SIPCID_OUTCOME_GONE },
		{ "+15550000001", "", 1, SIPCID_ACTION_BLOCK, SIPCID_OUTCOME_BUSY },
		{ "+15550000004", "", 4, SIPCID_ACTION_BLOCK, SIPCID_OUTCOME_DROP },
	};
	assert_decisions(r2, e2, G_N_ELEMENTS(e2));
}

/* A stale outcome in a reused call record never survives an allow. */
static void test_allowed_clears_outcome(void)
{
	g_autoptr(sipcid_rules) r = load_ok("allow *\n", NULL);
	struct sipcid_call c = make_call("+15550000001", "");
	c.outcome = SIPCID_OUTCOME_BUSY;
	c.action = SIPCID_ACTION_BLOCK;
	sipcid_rules_decide(r, false, &c);
	g_assert_cmpint(c.action, ==, SIPCID_ACTION_ALLOW);
	g_assert_cmpint(c.outcome, ==, SIPCID_OUTCOME_NONE);
	c.outcome = SIPCID_OUTCOME_BUSY;
	sipcid_rules_decide(NULL, false, &c);
	g_assert_cmpint(c.outcome, ==, SIPCID_OUTCOME_NONE);
}

/* Every outcome is a block, with a block's exemptions: emergency calls and
 * outgoing calls are never turned away, however the rule says to. */
static void test_exemptions(void)
{
	const char *const all[] = { "reject busy *\n", "reject decline *\n", "reject gone *\n",
		                    "drop *\n", "block *\n", "block drop *\n" };
	for (size_t i = 0; i < G_N_ELEMENTS(all); i++) {
		g_autoptr(sipcid_rules) r = load_ok(all[i], NULL);
		struct sipcid_call c = make_call("+15551112222", "");
		g_strlcpy(c.called, "911", sizeof c.called);
		struct sipcid_rules_verdict why;
		sipcid_rules_decide_why(r, false, &c, &why);
		g_assert_cmpint(c.action, ==, SIPCID_ACTION_ALLOW);
		g_assert_cmpint(c.outcome, ==, SIPCID_OUTCOME_NONE);
		g_assert_true(why.emergency_override);
		g_assert_cmpstr(c.rule, ==, "rules:1");

		c = make_call("+15551112222", "");
		c.direction = SIPCID_DIR_OUTGOING;
		c.origin = SIPCID_ORIGIN_PHONE;
		sipcid_rules_decide(r, false, &c);
		g_assert_cmpint(c.action, ==, SIPCID_ACTION_ALLOW);
		g_assert_cmpint(c.outcome, ==, SIPCID_OUTCOME_NONE);
	}
}

static void test_errors(void)
{
	assert_error("reject number 1\n", "rules:1:8: expected an outcome (busy, decline or gone) "
	                                  "after 'reject', not 'number'");
	assert_error("reject\n", "rules:1:7: expected an outcome (busy, decline or gone) after "
	                         "'reject'");
	assert_error("reject busy\n", "rules:1:12: expected a field (number, name, called, via, "
	                              "presentation, direction, source, verstat, attest, "
	                              "neighbour-spoof or list) or * after 'reject busy'");
	assert_error("reject later number 1\n", "rules:1:8: expected an outcome (busy, decline or "
	                                        "gone) after 'reject', not 'later'");
	assert_error("reject drop number 1\n", "rules:1:8: reject answers the call, so it cannot be "
	                                       "silent: use drop");
	assert_error("drop busy number 1\n", "rules:1:6: drop is an outcome already (silence); for "
	                                     "'busy' write block busy or reject busy");
	assert_error("allow busy number 1\n", "rules:1:7: only block and reject take an outcome");
	assert_error("record gone *\n", "rules:1:8: only block and reject take an outcome");
	assert_error("block busy * number 1\n", "rules:1:14: expected the end of the line: "
	                                        "'block *'");
	assert_error("reject gone direction outgoing\n", "rules:1:1: reject never applies to "
	                                                 "outgoing calls");
	assert_error("drop direction outgoing\n", "rules:1:1: drop never applies to outgoing calls");
	/* every bad line is reported, and the file is refused whole */
	g_autofree char *msg = load_error("reject busy number 1\nreject x *\ndrop gone *\n", NULL);
	g_assert_nonnull(strstr(msg, "rules:2:8:"));
	g_assert_nonnull(strstr(msg, "rules:3:6:"));
	g_assert_null(strstr(msg, "rules:1:"));
}

static void test_block_outcome_setting(void)
{
	const char *const values[] = { "busy", "decline", "gone", "drop", "Busy" };
	const enum sipcid_outcome want[] = { SIPCID_OUTCOME_BUSY, SIPCID_OUTCOME_DECLINE,
		                             SIPCID_OUTCOME_GONE, SIPCID_OUTCOME_DROP,
		                             SIPCID_OUTCOME_BUSY };
	g_autofree char *dir = g_dir_make_tmp("outcome-XXXXXX", NULL);
	g_autofree char *rules = g_build_filename(dir, "rules", NULL);
	g_assert_true(g_file_set_contents(rules, "block *\n", -1, NULL));
	struct sipcid_number_plan plan = nanp();
	for (size_t i = 0; i <= G_N_ELEMENTS(values); i++) {
		g_autofree char *text =
			i < G_N_ELEMENTS(values)
				? g_strdup_printf("[rules]\nrules = %s\nblock-outcome = %s\n", rules,
			                          values[i])
				: g_strdup_printf("[rules]\nrules = %s\n", rules);
		GError *error = NULL;
		struct sipcid_config *cfg = sipcid_config_load_data("sipcid.conf", text, &error);
		g_assert_no_error(error);
		struct sipcid_rules_settings s;
		g_assert_true(sipcid_rules_settings_load(cfg, &s, &error));
		g_assert_no_error(error);
		enum sipcid_outcome expected =
			i < G_N_ELEMENTS(values) ? want[i] : SIPCID_OUTCOME_DECLINE;
		g_assert_cmpint(s.block_outcome, ==, expected);
		g_autoptr(sipcid_rules) r = sipcid_rules_load_settings(&s, &plan, &error);
		g_assert_no_error(error);
		struct sipcid_call c = make_call("+15550000001", "");
		sipcid_rules_decide(r, false, &c);
		g_assert_cmpint(c.outcome, ==, expected);
		sipcid_rules_settings_clear(&s);
		sipcid_config_free(cfg);
	}
	GError *error = NULL;
	struct sipcid_config *cfg =
		sipcid_config_load_data("sipcid.conf", "[rules]\n\nblock-outcome = voicemail\n",
		                        &error);
	struct sipcid_rules_settings s;
	g_assert_false(sipcid_rules_settings_load(cfg, &s, &error));
	g_assert_nonnull(strstr(error->message, "sipcid.conf:3: [rules] block-outcome: expected one "
	                                        "of"));
	g_assert_nonnull(strstr(error->message, "'voicemail'"));
	g_error_free(error);
	sipcid_config_free(cfg);
	g_unlink(rules);
	g_rmdir(dir);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/rules/outcome/decided", test_outcomes_decided);
	g_test_add_func("/rules/outcome/allowed-clears", test_allowed_clears_outcome);
	g_test_add_func("/rules/outcome/exemptions", test_exemptions);
	g_test_add_func("/rules/outcome/errors", test_errors);
	g_test_add_func("/rules/outcome/block-outcome-setting", test_block_outcome_setting);
	return g_test_run();
}
