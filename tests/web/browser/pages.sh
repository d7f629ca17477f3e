#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The web console's pages in Debian's chromium against fixture_server.py
# (pages.test.mjs says what is checked), after a look at the sources: no
# HTML parsing of data (innerHTML and friends), no inline script, handler or
# style that the Content-Security-Policy would have to allow. Screenshots go
# to $SIPCID_BUILD/meson-logs/screenshots/pages/.
set -u
src=${SIPCID_SRC:?}
build=${SIPCID_BUILD:?}
static=$src/web/static
fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# Data becomes text only: none of the ways a string turns into markup or code.
bad=$(grep -rnE 'innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|setTimeout\(["'\'']|createContextualFragment|DOMParser' "$static" --include='*.js')
[ -z "$bad" ] || fail "the pages parse strings as HTML or code: $bad"
bad=$(grep -rnEi '<script(>| [^>]*>[^<])|<script>|\son[a-z]+=|\sstyle=|javascript:' "$static" --include='*.html')
[ -z "$bad" ] || fail "inline script, handlers or styles in the pages: $bad"
bad=$({
	grep -rnEi 'https?://|src="//|href="//' "$static" --include='*.html' --include='*.js'
	grep -rnE '@import|url\(' "$static" --include='*.css'
} | grep -vE '^\S+:[0-9]+:\s*(//|/\*|\*)')
[ -z "$bad" ] || fail "the pages name an outside resource: $bad"
echo "ok: no innerHTML, inline script or outside resource in $static"

bash "$src/tests/web/browser/install.sh" || fail "playwright-core is not installed (tests/web/browser/install.sh)"
[ -x /usr/bin/chromium ] || fail "no /usr/bin/chromium (package chromium, tests/deps-debian.txt)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sipcid-pages.XXXXXX")
python3 "$src/tests/web/browser/fixture_server.py" "$static" 0 >"$tmp/fixture.out" 2>"$tmp/fixture.err" &
fixture=$!
trap 'kill $fixture 2>/dev/null; wait $fixture 2>/dev/null; rm -rf "$tmp"' EXIT
port=
for ((i = 0; i < 100; i++)); do
	port=$(awk '$1 == "ready" { print $2 }' "$tmp/fixture.out")
	[ -n "$port" ] && break
	sleep 0.1
done
[ -n "$port" ] || fail "the fixture server did not start: $(cat "$tmp/fixture.err")"
shots=$build/meson-logs/screenshots/pages
rm -rf "$shots"
node "$src/tests/web/browser/pages.test.mjs" "http://127.0.0.1:$port" "$shots" || fail "the page test failed"
