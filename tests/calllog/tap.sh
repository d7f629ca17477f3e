# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by shell tests (the calllog suite's, hostile/test_shaken_read.sh): TAP output.
#   ok TEXT / fail TEXT    one result
#   check TEXT 'shell condition'
#   tap_end                the plan; exits 1 if anything failed
fails=0; n=0
ok()   { n=$((n+1)); echo "ok $n - $1"; }
fail() { n=$((n+1)); fails=$((fails+1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else fail "$1"; fi; }
tap_end() { echo "1..$n"; exit $((fails > 0)); }
