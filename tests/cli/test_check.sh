#!/bin/bash
# sipcidd --check: one OK line and exit 0 for a good configuration, rule file
# and phonebook; exit 1 naming FILE:LINE for a broken one of each; nothing
# bound, opened for writing or sent on the way (strace sees no socket).
# usage: test_check.sh SIPCIDD
set -u
SIPCIDD=$1
fails=0; n=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ok()   { n=$((n+1)); echo "ok $n - $1"; }
fail() { n=$((n+1)); fails=$((fails+1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else fail "$1"; fi; }

# A configuration whose files are all ours (the host's /etc/sipcid plays no part).
head -c 32 /dev/urandom | base64 > "$tmp/key"
cat > "$tmp/sipcid.conf" <<CONF
[rules]
rules = $tmp/rules
phonebook = $tmp/phonebook
[notify]
interface = nothere0
auth-key-file = $tmp/key
[log]
database = $tmp/calls.db
CONF
printf 'block number 15550001111\nallow name "Mom*"\n' > "$tmp/rules"
printf '15550002222 Mom\n' > "$tmp/phonebook"
# run NAME ARGS...: sipcidd --check, its stdout, stderr and exit status
run() { local name=$1; shift; "$SIPCIDD" --check "$@" > "$tmp/$name.out" 2> "$tmp/$name.err"; echo $? > "$tmp/$name.rc"; }
rc() { cat "$tmp/$1.rc"; }

run good --config "$tmp/sipcid.conf"
# (Its [notify] interface does not exist: whether the interface is up is the
# network's state when sipcidd starts, not the configuration.)
check "a good configuration: exit 0" '[ "$(rc good)" = 0 ]'
check "a good configuration: one OK line with what was loaded, nothing on stderr" \
  '[ "$(cat "$tmp/good.out")" = "sipcidd: configuration OK: $tmp/sipcid.conf; 2 rules from $tmp/rules; 1 phonebook entries from $tmp/phonebook" ] && [ ! -s "$tmp/good.err" ]'
check "nothing written: no call log created" '[ ! -e "$tmp/calls.db" ]'

if command -v strace >/dev/null; then
	strace -f -qq -e trace=socket,bind,connect,sendto,sendmsg -o "$tmp/strace" \
		"$SIPCIDD" --check --config "$tmp/sipcid.conf" > /dev/null 2>&1
	check "no socket made, bound or sent on (strace)" '[ ! -s "$tmp/strace" ]'
else
	fail "strace is missing (see tests/deps-debian.txt)"
fi

printf '[rules]\nrules = %s\nphonebook = %s\n[notify]\nudp = 10.0.0.1:99999\n' "$tmp/rules" "$tmp/phonebook" > "$tmp/bad.conf"
run badconf --config "$tmp/bad.conf"
check "a broken configuration: exit 1, FILE:LINE, nothing on stdout" \
  '[ "$(rc badconf)" = 1 ] && grep -q "bad.conf:5: \[notify\] udp" "$tmp/badconf.err" && [ ! -s "$tmp/badconf.out" ]'

printf 'block number 15550001111\n\nblock numbr 1\n' > "$tmp/badrules"
run badrules --config "$tmp/sipcid.conf" --rules "$tmp/badrules"
check "a broken rule file: exit 1, FILE:LINE" \
  '[ "$(rc badrules)" = 1 ] && grep -q "badrules:3:" "$tmp/badrules.err"'

printf '15550002222 Mom\nnot-a-number Dad\n' > "$tmp/badbook"
run badbook --config "$tmp/sipcid.conf" --phonebook "$tmp/badbook"
check "a broken phonebook: exit 1, FILE:LINE" \
  '[ "$(rc badbook)" = 1 ] && grep -q "badbook:2" "$tmp/badbook.err"'

sed "s|auth-key-file = .*|auth-key-file = $tmp/nokey|" "$tmp/sipcid.conf" > "$tmp/nokey.conf"
run nokey --config "$tmp/nokey.conf"
check "a missing key file: exit 1, the line that names it" \
  '[ "$(rc nokey)" = 1 ] && grep -q "nokey.conf:6: \[notify\] auth-key-file" "$tmp/nokey.err"'

run norules --config "$tmp/sipcid.conf" --rules "$tmp/nonexistent"
check "a rule file named on the command line must exist" \
  '[ "$(rc norules)" = 1 ] && grep -q "nonexistent" "$tmp/norules.err"'

run withread --read /dev/null
check "--check with --read: a usage error (exit 2)" \
  '[ "$(rc withread)" = 2 ] && grep -q "check runs alone" "$tmp/withread.err"'
"$SIPCIDD" --read /dev/null --announce --no-notify > /dev/null 2> "$tmp/both.err"; rc=$?
check "--announce with --no-notify: a usage error (exit 2)" \
  '[ $rc = 2 ] && grep -q "contradict" "$tmp/both.err"'

echo "1..$n"
[ $fails = 0 ]
