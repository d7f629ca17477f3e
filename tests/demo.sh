#!/bin/bash
# The README's main job: installs what sipcid needs (Debian 12, as root),
# builds it, and shows sipcidd at work on the bundled captures of real calls.
set -u
cd "$(dirname "$0")/.."
if [ "${SIPCID_NO_INSTALL:-0}" != 1 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && grep -v '^\s*#' tests/deps-debian.txt | grep -v '^\s*$' |
    xargs apt-get install -y -qq --no-install-recommends >/dev/null || exit 1
fi
[ -d build ] || meson setup build >/dev/null || exit 1
ninja -C build >/dev/null || exit 1

for cap in sngrep_aaa.pcap heplify_sip_ipv4_tcp.pcap heplify_rtp_rtcp_sip_ipv4_udp.pcap \
           ndpi_FAX-Call-t38-CA-TDM-SIP-FB-1.pcap heplify_ipip0.pcap; do
  echo "== sipcidd --read tests/captures/$cap"
  ./build/bridge-daemon/sipcidd --no-notify --read "tests/captures/$cap" || exit 1
done
echo
echo "== the same, as JSON (sipcidd --read tests/captures/sngrep_aaa.pcap --json)"
./build/bridge-daemon/sipcidd --no-notify --read tests/captures/sngrep_aaa.pcap --json | head -2
