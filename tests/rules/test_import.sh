#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# sipcid-rules import: real-world-shaped vCard and CSV exports into the
# phonebook; dry run, idempotence, conflicts, and hostile exports that must
# leave the phonebook byte-identical.
# Usage: test_import.sh PATH/TO/sipcid-rules PATH/TO/tests/rules/data
set -u
tool=$1
data=$2
dir=$(mktemp -d "${TMPDIR:-/tmp}/sipcid-import.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
. "$(dirname "$0")/tool_test_lib.sh"

unchanged() {  # unchanged FILE COPY: byte-identical
	if ! cmp -s "$1" "$2"; then
		fail "$1 changed: $(diff "$2" "$1" | head -5)"
	fi
}

alias_of() {  # alias_of PHONEBOOK NUMBER EXPECTED-ALIAS: the end-to-end check
	"$tool" test --phonebook "$1" --number "$2" >"$dir/test.json" 2>"$dir/test.err"
	contains "$dir/test.json" "\"alias\":\"$3\""
}

pb=$dir/phonebook

# --- each export format, dry run first: it shows the plan and writes nothing
for f in ios.vcf google.vcf nextcloud.vcf android21.vcf google.csv outlook.csv; do
	run 0 "$tool" import --dry-run --phonebook "$pb" "$data/$f"
	contains "$dir/out" "$pb: not changed (dry run)"
	[ -e "$pb" ] && fail "a dry run of $f created the phonebook"
done

# iOS 3.0: TYPE lists, item1.TEL + X-ABLabel (Apple's own and a custom
# label), folded PHOTO, an escaped comma in ORG, a fax left out, an ORG-only card
run 0 "$tool" import --dry-run --phonebook "$pb" "$data/ios.vcf"
contains "$dir/out" 'add       +12125550101     "Margaret Appleseed (mobile)"'
contains "$dir/out" 'add       +12125550102     "Margaret Appleseed (home)"'
contains "$dir/out" 'add       +12125550103     "Margaret Appleseed (other)"'
contains "$dir/out" 'add       +442079460958    "Margaret Appleseed (London flat)"'
contains "$dir/out" "skip      $data/ios.vcf:13 \"Margaret Appleseed (work fax)\": a fax number"
contains "$dir/out" '+16465550118     "Dr. Chidi Okafor (mobile)"'
contains "$dir/out" '+17185550123     "Pizza Roma (main)"'
contains "$dir/out" "$data/ios.vcf: vCard, 3 contacts, 8 numbers: 7 to add, 0 already there, 0 with another name (kept), 1 skipped"

# Nextcloud 4.0: BOM, a folded FN, TYPE="cell,voice", VALUE=uri tel: URIs with ;ext=
run 0 "$tool" import --dry-run --phonebook "$pb" "$data/nextcloud.vcf"
contains "$dir/out" '+13475550151     "Bartholomew Featherstonehaugh-Cholmondeley the Third (mobile)"'
contains "$dir/out" '+13475550152     "Bartholomew Featherstonehaugh-Cholmondeley the Third (home)"'
contains "$dir/out" '+13475550153     "Bartholomew Featherstonehaugh-Cholmondeley the Third (work)"'
contains "$dir/out" '+4930901820      "Lena Weiß (mobile)"'

# Android 2.1: quoted-printable with a soft line break, UTF-8 and ISO-8859-1
run 0 "$tool" import --dry-run --phonebook "$pb" "$data/android21.vcf"
contains "$dir/out" '+19295550161     "Jürgen Müller (Werkstatt) (mobile)"'
contains "$dir/out" '+19295550163     "Inés Nuñez (home)"'

# Google CSV: BOM, CRLF, " ::: " joined numbers, "* Mobile", a quoted
# multi-line note, a company without a person's name, a custom label
run 0 "$tool" import --dry-run --phonebook "$pb" "$data/google.csv"
contains "$dir/out" '+19175550132     "Aunt Josephine (home)"'
contains "$dir/out" '+19175550134     "Aunt Josephine (home)"'
contains "$dir/out" "skip      $data/google.csv:2 \"Aunt Josephine (home fax)\": a fax number"
contains "$dir/out" '+15165550171     "Acme Plumbing, Inc. (work)"'
contains "$dir/out" '+15165550172     "Theo Nakamura (mobile)"'
contains "$dir/out" "+15165550173     \"Theo Nakamura (Grandpa's landline)\""
contains "$dir/out" "Google CSV, 4 contacts, 7 numbers: 6 to add"

# Outlook CSV: every column quoted, CRLF inside a note, Phone 2 columns
run 0 "$tool" import --dry-run --phonebook "$pb" "$data/outlook.csv"
contains "$dir/out" '+12015550181     "Priya Raman (work)"'
contains "$dir/out" '+12015550182     "Priya Raman (mobile)"'
contains "$dir/out" '+12015550185     "Miguel Santos (home)"'
contains "$dir/out" '+12015550186     "Miguel Santos (pager)"'
contains "$dir/out" '+12015550187     "Northside Pharmacy (company)"'
contains "$dir/out" "Outlook CSV, 3 contacts, 7 numbers: 6 to add"

# --- the real import, then the same again: nothing changes
printf '# my phonebook\n+12125550101 "Mother"   # her cell\n' >"$pb"
cp "$pb" "$dir/before"
run 0 "$tool" import --dry-run --phonebook "$pb" "$data/ios.vcf"
unchanged "$pb" "$dir/before"
contains "$dir/out" "conflict  +12125550101     \"Margaret Appleseed (mobile)\": $pb:2 has it as \"Mother\"; kept that"
run 0 "$tool" import --phonebook "$pb" "$data/ios.vcf"
contains "$dir/out" "6 added, 0 already there, 1 with another name (kept), 1 skipped"
contains "$dir/out" "$pb: written"
contains "$pb" '+12125550101 "Mother"   # her cell'
contains "$pb" '+442079460958 "Margaret Appleseed (London flat)"'
contains "$pb" "# imported from ios.vcf on "
run 0 "$tool" check --phonebook "$pb"
contains "$dir/out" "ok, 7 phonebook entries"
cp "$pb" "$dir/after-first"
run 0 "$tool" import --phonebook "$pb" "$data/ios.vcf"
contains "$dir/out" "0 added, 6 already there, 1 with another name (kept)"
contains "$dir/out" "$pb: unchanged"
unchanged "$pb" "$dir/after-first"
alias_of "$pb" "(212) 555-0101" "Mother"
alias_of "$pb" "2125550102" "Margaret Appleseed (home)"
alias_of "$pb" "+442079460958" "Margaret Appleseed (London flat)"

# --replace: the import's name wins, the old line stays as a comment
run 0 "$tool" import --replace --phonebook "$pb" "$data/ios.vcf"
contains "$dir/out" "replace   +12125550101     \"Margaret Appleseed (mobile)\": was \"Mother\" ($pb:2)"
contains "$pb" '# replaced by an import: +12125550101 "Mother"   # her cell'
alias_of "$pb" "2125550101" "Margaret Appleseed (mobile)"
run 0 "$tool" check --phonebook "$pb"

# two exports of the same people: the second finds them there and adds the
# numbers it alone has; the same number twice in one export is taken once
run 0 "$tool" import --phonebook "$pb" "$data/google.vcf"
contains "$dir/out" "5 added"
run 0 "$tool" import --phonebook "$pb" "$data/google.csv"
lacks "$dir/out" "already   "  # a real run lists only what needs a look
contains "$dir/out" "4 added, 2 already there, 0 with another name (kept), 1 skipped"
printf 'BEGIN:VCARD\nVERSION:3.0\nFN:Twice\nTEL;TYPE=cell:(917) 555-0191\nTEL;TYPE=home:+19175550191\nEND:VCARD\n' >"$dir/twice.vcf"
run 0 "$tool" import --phonebook "$pb" "$dir/twice.vcf"
contains "$dir/out" "skip      $dir/twice.vcf:5 \"Twice (home)\": +19175550191 is also at $dir/twice.vcf:4 (as Twice (mobile)); the first is taken"
contains "$dir/out" "1 added"
alias_of "$pb" "917-555-0134" "Aunt Josephine (home)"
run 0 "$tool" check --phonebook "$pb"

# root importing into a phonebook another user owns gives it back (sipcidd
# reads it after dropping privileges); only root can, so only root checks
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
	printf '+12125550101 Mom\n' >"$dir/owned-pb"
	chown nobody "$dir/owned-pb" && chmod 640 "$dir/owned-pb"
	run 0 "$tool" import --phonebook "$dir/owned-pb" "$data/google.vcf"
	[ "$(stat -c %U:%a "$dir/owned-pb")" = nobody:640 ] ||
		fail "the phonebook is now $(stat -c %U:%a "$dir/owned-pb"), expected nobody:640"
else
	echo "not root: the ownership check is not run"
fi

# an import from the configuration's phonebook and number plan
printf '[numbers]\nplan = uk\n[rules]\nphonebook = %s\n' "$dir/uk-phonebook" >"$dir/uk.conf"
printf 'Name,Phone 1 - Type,Phone 1 - Value\nBrenda,Mobile,07700 900123\n' >"$dir/uk.csv"
run 0 "$tool" import --config "$dir/uk.conf" "$dir/uk.csv"
contains "$dir/uk-phonebook" '+447700900123 "Brenda (mobile)"'

# Google's newer CSV (First/Last Name, "Phone 1 - Label") and an Outlook
# from a decimal-comma locale, which separates with semicolons
printf 'First Name,Middle Name,Last Name,Phone 1 - Label,Phone 1 - Value,Phone 2 - Label,Phone 2 - Value\r\nRosa,M.,Delgado,* Mobile,+1 718-555-0192,Work,+1 718-555-0193\r\n' >"$dir/google-new.csv"
run 0 "$tool" import --dry-run --phonebook "$dir/new-pb" "$dir/google-new.csv"
contains "$dir/out" '+17185550192     "Rosa M. Delgado (mobile)"'
contains "$dir/out" '+17185550193     "Rosa M. Delgado (work)"'
printf '"First Name";"Last Name";"Mobile Phone";"Home Phone"\r\n"Ana";"Lima, Jr.";"(718) 555-0194";"718 555 0195"\r\n' >"$dir/semicolon.csv"
run 0 "$tool" import --dry-run --phonebook "$dir/new-pb" "$dir/semicolon.csv"
contains "$dir/out" '+17185550194     "Ana Lima, Jr. (mobile)"'
contains "$dir/out" '+17185550195     "Ana Lima, Jr. (home)"'
contains "$dir/out" "Outlook CSV, 1 contact, 2 numbers: 2 to add"

# --- hostile names: quotes, backslashes, #, controls, bidi overrides
printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Evil "Q" \\\\ #1 \033[31m\342\200\256x\r\nTEL:+1 212 555 0199\r\nEND:VCARD\r\n' >"$dir/evil.vcf"
run 0 "$tool" import --phonebook "$dir/evil-pb" "$dir/evil.vcf"
run 0 "$tool" check --phonebook "$dir/evil-pb"
alias_of "$dir/evil-pb" 2125550199 'Evil \"Q\" \\ #1 [31mx'
if LC_ALL=C grep -q "$(printf '\033')" "$dir/evil-pb" "$dir/out"; then
	fail "an escape character reached the phonebook or the report"
fi

# --- bad exports: FILE:LINE, exit 1, and the phonebook byte-identical
cp "$pb" "$dir/before"
bad() {  # bad FILE EXPECTED-MESSAGE
	run 1 "$tool" import --phonebook "$pb" "$1"
	contains "$dir/err" "$2"
	contains "$dir/err" "$pb: not changed"
	unchanged "$pb" "$dir/before"
}
printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bad \377\376 name\r\nTEL:2125550150\r\nEND:VCARD\r\n' >"$dir/utf8.vcf"
bad "$dir/utf8.vcf" "$dir/utf8.vcf:3: expected UTF-8 text, found the byte 0xff"
printf 'Name,Mobile Phone\nAnn,2125550151\nB\000b,2125550152\n' >"$dir/nul.csv"
bad "$dir/nul.csv" "$dir/nul.csv:3: a NUL byte"
printf 'Name,Phone 1 - Type,Phone 1 - Value\r\nAnn,Mobile,2125550151\r\n"Bob,Mobile,2125550152\r\nCy,Home,2125550153\r\n' >"$dir/quote.csv"
bad "$dir/quote.csv" "$dir/quote.csv:3: the quoted field that starts on this line has no closing quote"
printf 'Name,Mobile Phone\n"Ann" x,2125550151\n' >"$dir/after-quote.csv"
bad "$dir/after-quote.csv" "$dir/after-quote.csv:2: expected a separator"
printf 'BEGIN:VCARD\nVERSION:3.0\nFN:Open\nTEL:2125550154\n\nBEGIN:VCARD\nFN:x\nEND:VCARD\n' >"$dir/open.vcf"
bad "$dir/open.vcf" "$dir/open.vcf:1: this vCard has no END:VCARD"
printf 'BEGIN:VCARD\nFN:x\nEND:VCARD\nhello\n' >"$dir/stray.vcf"
bad "$dir/stray.vcf" "$dir/stray.vcf:4: expected a vCard property"
printf 'BEGIN:VCARD\nFN;ENCODING=QUOTED-PRINTABLE:=FF=FE\nEND:VCARD\n' >"$dir/qp.vcf"
bad "$dir/qp.vcf" "$dir/qp.vcf:2: the quoted-printable FN is not text"
printf 'id,email\n1,a@example.com\n' >"$dir/other.csv"
bad "$dir/other.csv" "$dir/other.csv:1: expected a vCard (BEGIN:VCARD) or a contacts CSV export"
: >"$dir/empty"
bad "$dir/empty" "$dir/empty:1: the file is empty"
bad "$dir/missing.vcf" "missing.vcf"
# bigger than any export without photos: refused before it is read
truncate -s 70M "$dir/huge.vcf"
bad "$dir/huge.vcf" "$dir/huge.vcf: the file is 73400320 bytes; an import reads at most"
# a phonebook that does not load is not added to
printf '+12125550101 Mom\n2125550101 Again\n' >"$dir/broken-pb"
cp "$dir/broken-pb" "$dir/broken-before"
run 1 "$tool" import --phonebook "$dir/broken-pb" "$data/ios.vcf"
contains "$dir/err" "the phonebook does not load, so nothing was imported"
contains "$dir/err" "$dir/broken-pb:2:1:"
unchanged "$dir/broken-pb" "$dir/broken-before"

# --- caps: 10 000 numbers in one contact, a wide CSV record, many contacts
awk 'BEGIN { printf "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Many Numbers\r\n";
	for (i = 0; i < 10000; i++) printf "TEL;TYPE=CELL:+1 646 %03d %04d\r\n", 200 + int(i / 10000), i;
	printf "END:VCARD\r\n" }' >"$dir/10k.vcf"
run 0 "$tool" import --phonebook "$dir/10k-pb" "$dir/10k.vcf"
contains "$dir/err" "$dir/10k.vcf:54: Many Numbers has more than 50 numbers; the rest are left out"
contains "$dir/out" "1 contact, 50 numbers: 50 added"
run 0 "$tool" check --phonebook "$dir/10k-pb"
contains "$dir/out" "ok, 50 phonebook entries"
awk 'BEGIN { printf "Name,Phone 1 - Type,Phone 1 - Value\nMany,Mobile,";
	for (i = 0; i < 10000; i++) printf "%s+1 646 300 %04d", (i ? " ::: " : ""), i; print "" }' >"$dir/10k.csv"
run 0 "$tool" import --dry-run --phonebook "$dir/10k-csv-pb" "$dir/10k.csv"
contains "$dir/err" "$dir/10k.csv:2: Many has more than 50 numbers; the rest are left out"
contains "$dir/out" "1 contact, 50 numbers: 50 to add"
awk 'BEGIN { print "Name,Mobile Phone"; for (i = 0; i < 100005; i++) printf "P%d,+1 %d\n", i, 2125000000 + i }' >"$dir/100k.csv"
run 0 "$tool" import --dry-run --phonebook "$dir/100k-pb" "$dir/100k.csv"
contains "$dir/err" "$dir/100k.csv:100002: more than 100000 numbers in one import; this one and the rest are left out"
contains "$dir/out" "100000 numbers: 100000 to add"
awk 'BEGIN { printf "Name"; for (i = 0; i < 2000; i++) printf ",Phone %d - Value", i; print "" }' >"$dir/wide.csv"
bad "$dir/wide.csv" "$dir/wide.csv:1: this record has more than 1024 fields"
awk 'BEGIN { for (c = 0; c < 20000; c++) {
	printf "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Person %d\r\nTEL;TYPE=cell:+1 %03d 555 %04d\r\nEND:VCARD\r\n", c, 301 + int(c / 10000), c % 10000 } }' >"$dir/many.vcf"
run 0 "$tool" import --phonebook "$dir/many-pb" "$dir/many.vcf"
contains "$dir/out" "20000 contacts, 20000 numbers: 20000 added"
alias_of "$dir/many-pb" "302 555 9999" "Person 19999 (mobile)"
run 0 "$tool" import --phonebook "$dir/many-pb" "$dir/many.vcf"
contains "$dir/out" "0 added, 20000 already there"

# usage
run 2 "$tool" import --phonebook "$pb"
contains "$dir/err" "expected the export FILE to import"

finish
echo "all import checks passed"
