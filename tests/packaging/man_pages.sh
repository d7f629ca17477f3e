#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# man_pages.sh SOURCE_ROOT: every program and file has its man page in
# docs/man, each renders without a single warning from groff (-ww) or man,
# and sipcid.conf(5) documents every key of the sample configuration.
set -u
dir=$1/docs/man
fail() { echo "FAIL: $*"; exit 1; }
for tool in groff man; do
	command -v $tool >/dev/null || fail "$tool is missing (packages groff-base, man-db)"
done
pages="sipcidd.8 sipcid-firewall.8 sipcid-guard.8 sipcid-web.8 sipcid-rules.1 sipcid-rules.5 sipcid.conf.5 sipcid-notify.1 sipcid-log.1"
for p in $pages; do
	f=$dir/$p
	[ -f "$f" ] || fail "missing man page $p"
	w=$(LC_ALL=C.UTF-8 groff -man -ww -z "$f" 2>&1)
	[ -z "$w" ] || fail "$p: groff warns: $w"
	w=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$f" 2>&1 >/dev/null)
	[ -z "$w" ] || fail "$p: man warns: $w"
	text=$(LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$f" 2>/dev/null)
	for section in NAME DESCRIPTION "SEE ALSO"; do
		echo "$text" | grep -qx "$section" || fail "$p has no $section section"
	done
	# Programs (sections 1 and 8) show how to run them.
	case $p in
	*.1|*.8) echo "$text" | grep -qx SYNOPSIS || fail "$p has no SYNOPSIS" ;;
	esac
	# NAME is "name - what", and names this page.
	name=${p%.*}
	sed -n '/^\.SH NAME/{n;p;q}' "$f" | grep -qF "$name \\- " ||
		fail "$p: the NAME line does not start with '$name - '"
	# Every page it points to exists here or is a system page.
	for ref in $(grep -o '^\.BR [a-z.-]*\\\?-*[a-z.]* ([1-8])' "$f" | sed 's/^\.BR //; s/\\//g; s/ (/./; s/)//'); do
		case $ref in
		sipcid*) [ -f "$dir/$ref" ] || fail "$p refers to $ref, which does not exist" ;;
		esac
	done
done
# Every key of the sample configuration is documented in sipcid.conf(5).
conf=$1/packaging/sipcid.conf
conf_text=$(LC_ALL=C MANWIDTH=200 man -l "$dir/sipcid.conf.5" 2>/dev/null)
for key in $(sed -n 's/^#\([a-z][a-z0-9-]*\) =.*/\1/p' "$conf" | sort -u); do
	echo "$conf_text" | grep -qE -- "(^|[ ,])$key( =|,)" ||
		fail "sipcid.conf(5) does not document key '$key'"
done
echo "PASS: $(echo $pages | wc -w) man pages, complete and clean"
