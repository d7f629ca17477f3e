#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# web_unit_check.sh UNIT SBINDIR_IN_UNIT SIPCID_WEB MANDIR: sipcid-web.service
# passes `systemd-analyze verify`, rates an exposure of 2.0 or less in
# `systemd-analyze security --offline=yes`, and sets what sipcid-web(8)
# promises: user sipcid, no capabilities, a read-only system but for
# /etc/sipcid (where sipcid-rules writes the rule file and phonebook for
# the console) and the state directory, the address families it needs, and
# the check of the configuration before the start.
set -u
unit=$1 from=$2 web=$3 mandir=$4
fail() { echo "FAIL: $*"; exit 1; }
command -v systemd-analyze >/dev/null || fail "systemd-analyze is missing (package systemd)"
[ -f "$unit" ] || fail "no unit at $unit"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/sbin"
ln -s "$(realpath "$web")" "$tmp/sbin/sipcid-web"
sed "s|$from/|$tmp/sbin/|g" "$unit" >"$tmp/sipcid-web.service"
if [ -d "$mandir/man8" ]; then
	man_path=$mandir
else
	man_path=$tmp/man
	for f in "$mandir"/*.[1-8]; do
		mkdir -p "$man_path/man${f##*.}"
		ln -s "$(cd "$(dirname "$f")" && pwd)/$(basename "$f")" "$man_path/man${f##*.}/"
	done
fi
out=$(MANPATH=$man_path systemd-analyze verify "$tmp/sipcid-web.service" 2>&1)
rc=$?
echo "systemd-analyze verify: exit $rc${out:+, said: $out}"
[ $rc = 0 ] && [ -z "$out" ] || fail "systemd-analyze verify is not clean"
sec=$(systemd-analyze security --offline=yes "$tmp/sipcid-web.service" 2>&1)
echo "$sec" | grep '✗'
score=$(echo "$sec" | sed -n 's/.*Overall exposure level for sipcid-web.service: \([0-9.]*\).*/\1/p')
echo "sipcid-web exposure: $score"
[ -n "$score" ] || fail "no exposure level in: $sec"
awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }' || fail "sipcid-web exposure $score is above 2.0"
for line in \
	"User=sipcid" "Group=sipcid" "NoNewPrivileges=yes" "ProtectSystem=strict" \
	"ReadWritePaths=/etc/sipcid /var/lib/sipcid" "PrivateTmp=yes" "ProtectHome=yes" \
	"RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK" "CapabilityBoundingSet=" \
	"SystemCallFilter=@system-service" "Restart=on-failure" \
	"ExecStartPre=$from/sipcid-web --check --config /etc/sipcid/sipcid.conf" \
	"ExecStart=$from/sipcid-web --config /etc/sipcid/sipcid.conf" \
	"WantedBy=multi-user.target"; do
	grep -qxF "$line" "$unit" || fail "$unit lacks the line: $line"
done
# The check line's command accepts a good configuration and names FILE:LINE of a bad one.
printf '[web]\nlisten = 192.168.1.2\n' >"$tmp/good.conf"
"$web" --check --config "$tmp/good.conf" >/dev/null || fail "sipcid-web --check refuses a good configuration"
printf '[web]\n\nlisten = nowhere\n' >"$tmp/bad.conf"
"$web" --check --config "$tmp/bad.conf" 2>&1 | grep -q "$tmp/bad.conf:3: \[web\] listen" ||
	fail "sipcid-web --check does not name FILE:LINE"
echo "PASS: sipcid-web.service verified, exposure $score"
