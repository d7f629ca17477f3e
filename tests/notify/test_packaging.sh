#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The desktop packaging files are valid for the tools that read them.
#   test_packaging.sh SOURCE_ROOT
set -eu
ROOT=$1
for p in desktop-file-validate xmllint; do
	command -v $p >/dev/null || { echo "FAIL: $p is not installed (tests/deps-debian.txt)"; exit 1; }
done
desktop-file-validate "$ROOT/packaging/desktop/sipcid-notify.desktop"
grep -qx 'Exec=sipcid-notify' "$ROOT/packaging/desktop/sipcid-notify.desktop"
# Well-formed (Apple's DTD is not available offline), with the keys launchd needs.
xmllint --noout --nonet "$ROOT/packaging/macos/org.sipcid.notify.plist"
xmllint --xpath "string(/plist/dict/key[.='Label']/following-sibling::string[1])" \
	"$ROOT/packaging/macos/org.sipcid.notify.plist" | grep -qx org.sipcid.notify
grep -qx 'ExecStart=@BINDIR@/sipcid-notify' "$ROOT/packaging/systemd/sipcid-notify.service"
grep -qx 'WantedBy=graphical-session.target' "$ROOT/packaging/systemd/sipcid-notify.service"
# The man page renders without warnings.
if command -v man >/dev/null; then
	w=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$ROOT/docs/man/sipcid-notify.1" 2>&1 >/dev/null)
	[ -z "$w" ] || { echo "FAIL: man page warnings: $w"; exit 1; }
fi
echo ok
