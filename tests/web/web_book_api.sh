#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The phonebook through sipcid-web on loopback: GET /api/phonebook (the
# entries as sipcid-rules' parser reads them), POST /api/phonebook (add or
# replace), /delete, /import (a multipart vCard upload: a dry run changes
# nothing, then the import). Every change logged with the client.
# usage: web_book_api.sh SIPCID_WEB SIPCID_RULES
set -u
SIPCID_WEB=$1; SIPCID_RULES=$2
. "$(dirname "$0")/web_edit_lib.sh"

code=$(api GET /api/phonebook)
check "GET /api/phonebook: the entries with their lines, and the path" \
	'[ "$code" = 200 ] && [ "$(jq -c "[.entries[] | [.line,.number,.name]]" "$WEB_TMP/body")" = "[[1,\"+15550001111\",\"Ann\"]]" ] && [ "$(body .path)" = "$WEB_TMP/phonebook" ]'
code=$(api POST /api/phonebook --data-urlencode number=555-222-3333 --data-urlencode 'name=Bob "B" <b>')
check "add: 200, the entry appended" \
	'[ "$code" = 200 ] && [ "$(tail -1 "$WEB_TMP/phonebook")" = "+15552223333 \"Bob \\\"B\\\" <b>\"" ] && logged "127\.0\.0\.1: named 555-222-3333"'
code=$(api POST /api/phonebook --data-urlencode number=+15550001111 -d 'name=Ann Lee')
code2=$(api GET /api/phonebook)
check "add of a number already there replaces its entry" \
	'[ "$code" = 200 ] && [ "$(jq -c "[.entries[] | .name]" "$WEB_TMP/body")" = "[\"Ann Lee\",\"Bob \\\"B\\\" <b>\"]" ]'
code=$(api POST /api/phonebook/delete --data-urlencode number=5552223333)
check "delete: 200, the entry gone" \
	'[ "$code" = 200 ] && ! grep -q "^+15552223333" "$WEB_TMP/phonebook" && [ "$(decide +15552223333 | jq -r .alias)" = null ] && logged "127\.0\.0\.1: removed 5552223333"'
keep phonebook
code=$(api POST /api/phonebook/delete --data-urlencode number=5552223333)
check "delete of a number not there: 422, nothing changed" '[ "$code" = 422 ] && body .error | grep -q "not in the phonebook" && same phonebook'
code=$(api POST /api/phonebook --data-urlencode number=5559990000)
check "add without a name: 422" '[ "$code" = 422 ] && same phonebook'

printf 'BEGIN:VCARD\nVERSION:3.0\nFN:Cy\nTEL;TYPE=cell:+1 555 444 5555\nTEL;TYPE=fax:+15554446666\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:Ann Other\nTEL:+15550001111\nEND:VCARD\n' >"$WEB_TMP/c.vcf"
code=$(api POST /api/phonebook/import -F "file=@$WEB_TMP/c.vcf;filename=contacts.vcf" -F dry_run=1)
check "import dry run: the plan, nothing changed" \
	'[ "$code" = 200 ] && [ "$(jq -c "[.added,.already,(.conflicts|length),(.skipped|length),.written]" "$WEB_TMP/body")" = "[1,0,1,1,false]" ] && same phonebook'
code=$(api POST /api/phonebook/import -F "file=@$WEB_TMP/c.vcf;filename=../../contacts.vcf")
check "import: the number added, under a comment naming the file, logged" \
	'[ "$code" = 200 ] && [ "$(body .written)" = true ] && grep -q "^+15554445555 \"Cy (mobile)\"" "$WEB_TMP/phonebook" && grep -q "imported from contacts.vcf" "$WEB_TMP/phonebook" && logged "127\.0\.0\.1: imported contacts.vcf"'
keep phonebook
printf 'not a contacts file\n' >"$WEB_TMP/bad.txt"
code=$(api POST /api/phonebook/import -F "file=@$WEB_TMP/bad.txt")
check "import of something else: 422 with the reason, nothing changed" '[ "$code" = 422 ] && body .error | grep -q "expected a vCard" && same phonebook'
code=$(api POST /api/phonebook/import -d file=x)
check "import without a multipart upload: 422" '[ "$code" = 422 ]'
# A phonebook that does not load: its errors, with lines.
printf '+15550001111 A\n5550001111 B\n' >"$WEB_TMP/phonebook"
code=$(api GET /api/phonebook)
check "GET of a phonebook that does not load: 422 with the line" '[ "$code" = 422 ] && [ "$(jq -c "[.errors[].line]" "$WEB_TMP/body")" = "[2]" ]'
web_edit_done
