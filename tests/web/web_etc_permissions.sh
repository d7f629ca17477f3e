#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The console's user may change the rule file and phonebook through
# sipcid-rules, and nothing else of /etc/sipcid: the owners and modes the
# package's postinst gives (its `override` lines, with user nobody for
# sipcid) applied to a directory of the test's own, then sipcid-rules run
# as that user imports a contact into the phonebook (a new file renamed
# over the old), and cannot replace sipcid.conf. Before the postinst's
# changes (root:root 755), the import fails. Needs root (setpriv).
# usage: web_etc_permissions.sh SIPCID_RULES SOURCE_DIR
set -u
SIPCID_RULES=$1; SRC=$2
WEB_TMP=$(mktemp -d)
. "$(dirname "$0")/web_lib.sh"
trap web_cleanup EXIT
[ "$(id -u)" = 0 ] || { echo "not ok 1 - needs root (setpriv)"; echo 1..1; exit 1; }
chmod 755 "$WEB_TMP"
etc=$WEB_TMP/etc
mkdir "$etc"
echo '# phonebook' >"$etc/phonebook"
echo '# rules' >"$etc/rules"
echo '[web]' >"$etc/sipcid.conf"
printf 'BEGIN:VCARD\nVERSION:3.0\nFN:Alice Test\nTEL:+14155550101\nEND:VCARD\n' >"$WEB_TMP/a.vcf"
as_user() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
import() { as_user "$SIPCID_RULES" import --phonebook "$etc/phonebook" --config "$etc/sipcid.conf" "$WEB_TMP/a.vcf"; }

import >"$WEB_TMP/out" 2>&1; rc=$?
check "as installed (root:root 755), the console's user cannot change the phonebook" \
	'[ $rc != 0 ] && ! grep -q "Alice Test" "$etc/phonebook"'
# The postinst's overrides: "override USER GROUP MODE PATH".
overrides=$(sed -n 's/^\toverride \([a-z]*\) \([a-z]*\) \([0-7]*\) \/etc\/sipcid\(.*\)$/\1 \2 \3 \4/p' \
	"$SRC/packaging/debian/sipcid.postinst")
check "the postinst sets the directory, the rule file and the phonebook" \
	'[ "$(echo "$overrides" | wc -l)" = 3 ]' || echo "# $overrides"
while read -r user group mode path; do
	[ "$user" = sipcid ] && user=nobody
	[ "$group" = sipcid ] && group=nogroup
	chown "$user:$group" "$etc$path" && chmod "$mode" "$etc$path"
done <<<"$overrides"
import >"$WEB_TMP/out" 2>&1; rc=$?
check "with them, sipcid-rules run as the console's user imports into the phonebook" \
	'[ $rc = 0 ] && grep -q "^+14155550101 \"Alice Test\"" "$etc/phonebook"' || sed 's/^/# /' "$WEB_TMP/out"
check "the phonebook stays the console user's, mode 644" '[ "$(stat -c "%U %a" "$etc/phonebook")" = "nobody 644" ]'
as_user sh -c "echo '[web]' >'$etc/new.conf' && mv -f '$etc/new.conf' '$etc/sipcid.conf'" 2>/dev/null; rc=$?
check "the console's user cannot replace sipcid.conf (sticky directory)" \
	'[ $rc != 0 ] && [ "$(stat -c %U "$etc/sipcid.conf")" = root ]'
as_user rm -f "$etc/sipcid.conf" 2>/dev/null
check "nor delete it" '[ -e "$etc/sipcid.conf" ]'
web_done
