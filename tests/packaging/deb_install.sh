#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# deb_install.sh SOURCE_ROOT: builds the Debian packages with
# packaging/build-deb.sh (lintian must report no error), installs them into a
# scratch root with `dpkg --root` (maintainer scripts included: the sipcid
# account is created there), and checks what landed: files, owners, modes,
# conffiles, the account, `sipcidd --version` from the installed tree, the
# installed unit (verify, exposure), then removal and purge.
set -u
src=$1
here=$(cd "$(dirname "$0")" && pwd)
fail() { echo "FAIL: $*"; exit 1; }
for tool in dpkg-buildpackage dh fakeroot lintian dpkg systemd-sysusers; do
	command -v $tool >/dev/null || fail "$tool is missing (tests/deps-debian.txt)"
done
work=$(mktemp -d "${TMPDIR:-/tmp}/sipcid-debtest.XXXXXX")
trap 'rm -rf "$work"' EXIT
out=$work/out
root=$work/root

if ! bash "$src/packaging/build-deb.sh" --lintian "$out" >"$work/build.log" 2>&1; then
	tail -60 "$work/build.log"
	fail "build-deb.sh --lintian failed (log above)"
fi
echo "== lintian (errors fail the build above; everything it said:)"
sed -n '/^[EWIPX]: /p' "$work/build.log"
version=$(dpkg-parsechangelog -l "$src/packaging/debian/changelog" -S Version)
arch=$(dpkg --print-architecture)
deb=$out/sipcid_${version}_$arch.deb
notify_deb=$out/sipcid-notify_${version}_$arch.deb
[ -f "$deb" ] && [ -f "$notify_deb" ] || fail "expected $deb and $notify_deb; got: $(ls "$out")"
ls -l "$deb" "$notify_deb"

# Metadata: names, conffiles, no root needed to build.
[ "$(dpkg-deb -f "$deb" Package)" = sipcid ] || fail "sipcid .deb is named $(dpkg-deb -f "$deb" Package)"
[ "$(dpkg-deb -f "$notify_deb" Package)" = sipcid-notify ] || fail "sipcid-notify .deb misnamed"
dpkg-deb -f "$deb" Depends | grep -q iptables || fail "sipcid does not depend on iptables"
# sipcid-web: TLS through GIO needs glib-networking; debconf asks its password.
dpkg-deb -f "$deb" Depends | grep -q glib-networking || fail "sipcid does not depend on glib-networking"
dpkg-deb -f "$deb" Depends | grep -q debconf || fail "sipcid does not depend on debconf"
for f in templates config; do
	dpkg-deb --ctrl-tarfile "$deb" | tar -tf - | grep -qx "./$f" || fail "sipcid has no debconf $f"
done
conffiles() { dpkg-deb --ctrl-tarfile "$1" | tar -xOf - ./conffiles 2>/dev/null | sort | tr '\n' ' '; }
[ "$(conffiles "$deb")" = "/etc/default/sipcid /etc/sipcid/phonebook /etc/sipcid/rules /etc/sipcid/sipcid.conf " ] ||
	fail "sipcid conffiles: $(conffiles "$deb")"
[ "$(conffiles "$notify_deb")" = "/etc/xdg/autostart/sipcid-notify.desktop " ] ||
	fail "sipcid-notify conffiles: $(conffiles "$notify_deb")"
# Every file in both packages belongs to root.
others=$(dpkg-deb -c "$deb" "$notify_deb" 2>/dev/null | awk '$2 != "root/root"')
others=$( (dpkg-deb -c "$deb"; dpkg-deb -c "$notify_deb") | awk '$2 != "root/root"')
[ -z "$others" ] || fail "files not owned by root: $others"

# Install into a scratch root, maintainer scripts run against it (DPKG_ROOT).
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/etc"
touch "$root/var/lib/dpkg/status" "$root/var/lib/dpkg/available"
dpkg --root="$root" --force-script-chrootless --force-not-root --force-depends \
	--log="$work/dpkg.log" -i "$deb" "$notify_deb" >"$work/install.log" 2>&1 ||
	{ cat "$work/install.log"; fail "dpkg -i into the scratch root failed"; }
for p in sipcid sipcid-notify; do
	dpkg --root="$root" -s $p 2>/dev/null | grep -qx "Status: install ok installed" ||
		fail "$p is not 'install ok installed' in the scratch root"
done

mode_owner() { stat -c '%a %U:%G' "$root$1"; }
expect() {  # expect PATH MODE
	[ -e "$root$1" ] || fail "$1 is not installed"
	[ "$(mode_owner "$1")" = "$2 root:root" ] || fail "$1 is $(mode_owner "$1"), expected $2 root:root"
}
for f in /usr/sbin/sipcidd /usr/sbin/sipcid-firewall /usr/sbin/sipcid-guard /usr/sbin/sipcid-web \
	/usr/bin/sipcid-rules /usr/bin/sipcid-log \
	/usr/bin/sipcid-notify; do
	expect $f 755
done
expect /etc/sipcid 755
for f in /etc/sipcid/sipcid.conf /etc/sipcid/rules /etc/sipcid/phonebook /etc/default/sipcid \
	/lib/systemd/system/sipcidd.service /lib/systemd/system/sipcid-guard.service \
	/lib/systemd/system/sipcid-web.service /usr/share/sipcid/web/index.html \
	/usr/lib/sysusers.d/sipcid.conf \
	/usr/lib/systemd/user/sipcid-notify.service /etc/xdg/autostart/sipcid-notify.desktop \
	/usr/share/doc/sipcid/bridge-setup.md /usr/share/doc/sipcid/examples/rules; do
	expect $f 644
done
for m in man8/sipcidd.8 man8/sipcid-firewall.8 man8/sipcid-guard.8 man8/sipcid-web.8 man1/sipcid-rules.1 man5/sipcid-rules.5 \
	man5/sipcid.conf.5 man1/sipcid-log.1 man1/sipcid-notify.1; do
	expect /usr/share/man/$m.gz 644
done

# postinst made the account (systemd-sysusers --root).
grep -q '^sipcid:x:[0-9]*:[0-9]*:[^:]*:/var/lib/sipcid:/usr/sbin/nologin$' "$root/etc/passwd" ||
	fail "postinst did not create the sipcid user: $(cat "$root/etc/passwd" 2>/dev/null)"
grep -q '^sipcid:' "$root/etc/group" || fail "postinst did not create the sipcid group"

# The installed programs run from the installed tree (sipcid's own libraries
# are static: nothing to find but system libraries).
v=$("$root/usr/sbin/sipcidd" --version) || fail "sipcidd --version failed"
[ "$v" = "sipcidd $version" ] || fail "sipcidd --version said '$v', expected 'sipcidd $version'"
ldd "$root/usr/sbin/sipcidd" | grep -E 'not found|sipcid' && fail "sipcidd needs a library it cannot find"
"$root/usr/bin/sipcid-rules" check "$root/etc/sipcid/rules" >/dev/null ||
	fail "the installed rule file does not check"
# The ghost-call shield is the one rule installed active (sipcid-rules(5)).
[ "$(grep -v '^#' "$root/etc/sipcid/rules" | grep -c .)" = 1 ] &&
	grep -q '^block source stranger' "$root/etc/sipcid/rules" ||
	fail "the installed rule file is not the ghost-call shield alone"
# The installed configuration, rule file and phonebook pass the service's check.
out=$("$root/usr/sbin/sipcidd" --check --config "$root/etc/sipcid/sipcid.conf" \
	--rules "$root/etc/sipcid/rules" --phonebook "$root/etc/sipcid/phonebook" 2>&1) ||
	fail "sipcidd --check refuses the installed configuration: $out"
echo "$out" | grep -q "^sipcidd: configuration OK: " || fail "sipcidd --check said: $out"
# The installed configuration loads, and blocks nothing: a capture replays with
# every call allowed.
"$root/usr/sbin/sipcidd" --config "$root/etc/sipcid/sipcid.conf" --rules "$root/etc/sipcid/rules" \
	--phonebook "$root/etc/sipcid/phonebook" --read "$src/tests/captures/sngrep_aaa.pcap" --json \
	--no-notify >"$work/read.json" 2>"$work/read.err" ||
	fail "the installed configuration does not load: $(cat "$work/read.err")"
grep -q '"event":"call"' "$work/read.json" || fail "no call read with the installed configuration"
grep -q '"action":"block"' "$work/read.json" && fail "the installed rules block a call"

# The installed unit, against the installed programs and man pages.
bash "$here/unit_check.sh" "$root/lib/systemd/system/sipcidd.service" /usr/sbin \
	"$root/usr/sbin/sipcidd" "$root/usr/sbin/sipcid-firewall" "$root/usr/share/man" \
	"$root/usr/sbin/sipcid-guard" "$root/usr/sbin/sipcid-web" ||
	fail "the installed units"

# sipcid-web: the installed configuration checks (its unit: unit_check.sh, above).
out=$("$root/usr/sbin/sipcid-web" --check --config "$root/etc/sipcid/sipcid.conf" 2>&1) ||
	fail "sipcid-web --check refuses the installed configuration: $out"
ldd "$root/usr/sbin/sipcid-web" | grep -E 'not found|sipcid|phonenumber' &&
	fail "sipcid-web needs a library it cannot find, or libphonenumber (its memory budget)"

# Remove keeps the conffiles; purge removes them.
echo "# edited" >>"$root/etc/sipcid/sipcid.conf"
dpkg --root="$root" --force-script-chrootless --force-not-root --force-depends \
	--log="$work/dpkg.log" -r sipcid-notify sipcid >>"$work/install.log" 2>&1 ||
	{ cat "$work/install.log"; fail "dpkg -r failed"; }
[ -e "$root/usr/sbin/sipcidd" ] && fail "sipcidd is still there after dpkg -r"
grep -q '^# edited' "$root/etc/sipcid/sipcid.conf" || fail "dpkg -r did not keep the edited configuration"
dpkg --root="$root" --force-script-chrootless --force-not-root --force-depends \
	--log="$work/dpkg.log" -P sipcid-notify sipcid >>"$work/install.log" 2>&1 ||
	{ cat "$work/install.log"; fail "dpkg -P failed"; }
[ -e "$root/etc/sipcid/sipcid.conf" ] && fail "dpkg -P left /etc/sipcid/sipcid.conf"
[ -e "$root/etc/default/sipcid" ] && fail "dpkg -P left /etc/default/sipcid"
echo "PASS: sipcid $(stat -c %s "$deb") bytes, sipcid-notify $(stat -c %s "$notify_deb") bytes; installed, checked, removed and purged"
