#!/bin/sh
# commented-example.sh IN OUT: the example rule file or phonebook with every
# entry commented out, for /etc/sipcid: a fresh install blocks, renames and
# records nothing until its owner removes a "#".
set -eu
{
	echo "# Installed with every entry commented out: remove the '#' in front of a"
	echo "# line to use it. The same file, active: /usr/share/doc/sipcid/examples/."
	sed -e 's/^\([^#[:space:]]\)/#\1/' "$1"
} >"$2.tmp"
mv "$2.tmp" "$2"
