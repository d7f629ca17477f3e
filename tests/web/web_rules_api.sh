#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The rule file through sipcid-web on loopback: GET /api/rules, POST
# /api/rules/check (line-numbered errors, nothing written), POST /api/rules
# (saved only if it loads: 422 with the errors and the file byte-identical
# otherwise; [lists] known as sipcidd knows them), POST /api/rules/test (the
# same JSON as sipcid-rules test). Hostile file text comes back as JSON text.
# usage: web_rules_api.sh SIPCID_WEB SIPCID_RULES
set -u
SIPCID_WEB=$1; SIPCID_RULES=$2
. "$(dirname "$0")/web_edit_lib.sh"

code=$(api GET /api/rules)
check "GET /api/rules: the text and the path" \
	'[ "$code" = 200 ] && [ "$(body .text)" = "$(cat "$WEB_TMP/rules")" ] && [ "$(body .path)" = "$WEB_TMP/rules" ]'

broken=$'allow name Mom\nblok *\nblock number "x\n'
keep rules
code=$(api POST /api/rules/check --data-urlencode "text=$broken")
check "check: 200, every error with its line and column, nothing written" \
	'[ "$code" = 200 ] && [ "$(jq -c "[.ok,[.errors[] | [.line,.column]]]" "$WEB_TMP/body")" = "[false,[[2,1],[3,14]]]" ] && body ".errors[0].message" | grep -q "expected an action" && same rules'
code=$(api POST /api/rules/check --data-urlencode $'text=block list spam\n')
check "check of a good text naming a list: ok" '[ "$code" = 200 ] && [ "$(body .ok)" = true ] && [ "$(body ".errors | length")" = 0 ]'

code=$(api POST /api/rules --data-urlencode "text=$broken")
check "save of a broken text: 422, the errors, the file byte-identical" \
	'[ "$code" = 422 ] && [ "$(jq -c "[.errors[] | .line]" "$WEB_TMP/body")" = "[2,3]" ] && body .error | grep -q "rules:2:1: expected an action" && same rules'
check "the old rules are still in force" '[ "$(decide +15550009999 | jq -r .action)" = block ]'
good=$'# from the web\nblock list spam\nreject gone number +15557778888\n'
code=$(api POST /api/rules --data-urlencode "text=$good")
check "save of a good text: 200, the file is the text" \
	'[ "$code" = 200 ] && [ "$(body .ok)" = true ] && [ "$(cat "$WEB_TMP/rules"; echo .)" = "$(printf "%s." "$good")" ]'
check "the save is logged with the client" 'logged "127\.0\.0\.1: saved the rule file"'
check "the saved rules decide" '[ "$(decide +15557778888 | jq -r .outcome)" = gone ]'

code=$(api POST /api/rules/test --data-urlencode number=5557778888 -d name=Someone)
check "test: the JSON of sipcid-rules test" \
	'[ "$code" = 200 ] && [ "$(jq -cS "del(.rule)" "$WEB_TMP/body")" = "$(decide 5557778888 | jq -cS "del(.rule)")" ] && [ "$(body .outcome)" = gone ]'
code=$(api POST /api/rules/test -d number= )
check "test of a withheld caller: allowed by these rules" '[ "$code" = 200 ] && [ "$(body .action)" = allow ]'
code=$(api POST /api/rules/test --data-urlencode number=5551112222 -d direction=sideways)
check "test with a wrong direction: 422 with words" '[ "$code" = 422 ] && body .error | grep -q "expected incoming or outgoing"'

# Hostile file text: quotes, a NUL-free control character, invalid UTF-8, a script.
printf '# "quoted" \\ back \001 <script>alert(1)</script> \xff\xfe\nallow *\n' >"$WEB_TMP/rules"
code=$(api GET /api/rules)
check "GET of hostile text: valid JSON, the text as text" \
	'[ "$code" = 200 ] && body .text | grep -q "<script>alert(1)</script>" && body .text | grep -qF "\"quoted\" \\ back"'
web_edit_done
