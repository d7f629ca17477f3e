#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# build-deb.sh [--lintian] [OUTDIR]: builds the Debian packages sipcid and
# sipcid-notify from this source tree (uncommitted changes included) and
# puts the .deb, .changes and .buildinfo files in OUTDIR (default:
# build-deb/ in the source tree).
#
# dpkg-buildpackage wants debian/ at the top of the source tree; sipcid keeps
# it in packaging/debian, so the build runs in a temporary copy of the tree
# with packaging/debian copied to debian/. The copy holds the files git knows
# (tracked, or new and not ignored), so local build directories stay out.
# Needs tests/deps-debian.txt's build section plus debhelper and dpkg-dev.
#   --lintian   run lintian on the result; fail if it reports an error
set -eu -o pipefail

run_lintian=0
if [ "${1:-}" = --lintian ]; then
	run_lintian=1
	shift
fi
src=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$src/build-deb}
mkdir -p "$out"
out=$(cd "$out" && pwd)

for tool in dpkg-buildpackage dh fakeroot; do
	command -v $tool >/dev/null || {
		echo "build-deb.sh: $tool is missing (apt-get install dpkg-dev debhelper fakeroot)" >&2
		exit 1
	}
done
version=$(dpkg-parsechangelog -l "$src/packaging/debian/changelog" -S Version)

work=$(mktemp -d "${TMPDIR:-/tmp}/sipcid-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
tree=$work/sipcid-$version
mkdir "$tree"
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	(cd "$src" && git ls-files -z --cached --others --exclude-standard |
		xargs -0 -r sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
		tar --null -T - -cf -) | tar -xf - -C "$tree"
else
	tar -C "$src" --exclude='./build*' --exclude=./.git -cf - . | tar -xf - -C "$tree"
fi
rm -rf "$tree/debian"
cp -a "$src/packaging/debian" "$tree/debian"

(cd "$tree" && dpkg-buildpackage -us -uc -b)
changes=$work/sipcid_${version}_$(dpkg-architecture -qDEB_HOST_ARCH).changes
for f in $(awk '/^Files:/ { on = 1; next } /^[^ ]/ { on = 0 } on { print $5 }' "$changes"); do
	cp "$work/$f" "$out/"
done
cp "$changes" "$out/"
echo "build-deb.sh: packages in $out:"
ls -l "$out"/*.deb

if [ $run_lintian = 1 ]; then
	command -v lintian >/dev/null || { echo "build-deb.sh: lintian is missing" >&2; exit 1; }
	# Exit status 1 only for errors (--fail-on error); warnings are printed.
	lintian --fail-on error --info "$out/$(basename "$changes")"
fi
