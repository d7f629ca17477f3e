#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# POST /api/numbers/block|allow|name against a sipcid-web on loopback: the
# rule or phonebook line each writes (through sipcid-rules), what the rules
# then decide, the refusals (withheld, emergency, a pattern, an unknown
# outcome) as 422 with words and the file unchanged, and a log line for
# every change naming the client.
# usage: web_numbers_api.sh SIPCID_WEB SIPCID_RULES
set -u
SIPCID_WEB=$1; SIPCID_RULES=$2
. "$(dirname "$0")/web_edit_lib.sh"

code=$(api POST /api/numbers/block --data-urlencode 'number=(555) 123-4567' -d outcome=busy)
check "block: 200 with the rule" \
	'[ "$code" = 200 ] && [ "$(body .rule)" = "reject busy number +15551234567" ]'
check "the rule is in the file above the first rule, and the list rule still loads" \
	'sed -n 2p "$WEB_TMP/rules" | grep -qx "reject busy number +15551234567" && "$SIPCID_RULES" check -c "$WEB_TMP/sipcid.conf" >/dev/null'
check "the rules now reject the number busy" \
	'[ "$(decide 5551234567 | jq -r "[.action,.outcome] | @tsv")" = "$(printf "block\tbusy")" ]'
check "the change is logged with the client's address" \
	'logged "127\.0\.0\.1: blocked \(555\) 123-4567, busy"'
code=$(api POST /api/numbers/allow --data-urlencode number=+15551234567)
check "allow: 200, and the number rings again" \
	'[ "$code" = 200 ] && [ "$(body .rule)" = "allow number +15551234567" ] && [ "$(decide +15551234567 | jq -r .action)" = allow ] && logged "127\.0\.0\.1: allowed \+15551234567"'
code=$(api POST /api/numbers/name --data-urlencode number=5552223333 --data-urlencode 'name=<script>alert(1)</script> "Bob"')
check "name: 200, the phonebook names it, quoted" \
	'[ "$code" = 200 ] && [ "$(tail -1 "$WEB_TMP/phonebook")" = "+15552223333 \"<script>alert(1)</script> \\\"Bob\\\"\"" ] && [ "$(decide +15552223333 | jq -r .alias)" = "<script>alert(1)</script> \"Bob\"" ]'

keep rules; keep phonebook
refused() {  # refused NAME PATH PATTERN CURL-ARGS...: 422, the reason, nothing changed
	local what=$1 path=$2 pattern=$3
	shift 3
	code=$(api POST "$path" "$@")
	check "$what: 422 with the reason, nothing changed" \
		'[ "$code" = 422 ] && body .error | grep -Eq "$pattern" && same rules && same phonebook' ||
		echo "# $code $(cat "$WEB_TMP/body")"
}
refused "block of an emergency number" /api/numbers/block "911 is an emergency number" --data-urlencode number=911
refused "block of a withheld caller (no number)" /api/numbers/block "no number" -d number=
refused "block of anonymous" /api/numbers/block "withholds their number" -d number=anonymous
refused "block of a pattern" /api/numbers/block "not a phone number" --data-urlencode 'number=+1555*'
refused "an unknown outcome" /api/numbers/block "expected an outcome" --data-urlencode number=+15551234567 -d outcome=loud
refused "a number that looks like an option" /api/numbers/block "not a phone number" --data-urlencode 'number=--config=/etc/passwd'
refused "name without a name" /api/numbers/name "expected a name" --data-urlencode number=+15551234567
refused "name of two lines" /api/numbers/name "one line" --data-urlencode number=+15551234567 --data-urlencode $'name=a\nb'
check "refusals are logged too" 'logged "127\.0\.0\.1: blocked 911: refused: 911 is an emergency number"'
check "without the CSRF token: 403, nothing changed" \
	'[ "$(curl -s -b "$jar" -o /dev/null -w "%{http_code}" --data-urlencode number=5553334444 "$base/api/numbers/block")" = 403 ] && same rules'
web_edit_done
