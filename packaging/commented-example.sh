#!/bin/sh
# commented-example.sh IN OUT: the example rule file or phonebook with every
# entry commented out, for /etc/sipcid: a fresh install blocks, renames and
# records nothing until its owner removes a "#". A rule that ends in the
# comment "# on by default" (the ghost-call shield) stays active.
set -eu
{
	echo "# Installed with every entry but the ghost-call shield commented out: remove the '#' in front of a"
	echo "# line to use it. The same file, active: /usr/share/doc/sipcid/examples/."
	sed -e '/#[[:space:]]*on by default[[:space:]]*$/!s/^\([^#[:space:]]\)/#\1/' "$1"
} >"$2.tmp"
mv "$2.tmp" "$2"
