#!/bin/bash
# Installs everything sipcid needs on Debian 12 (run as root), builds it, and
# runs every test twice: on a normal build and on an ASan+UBSan build. Then
# short fuzzing and benchmark smoke runs. Exit status 0 only if all passed.
#
#   bash tests/run-all.sh            # everything
#   SIPCID_NO_APT=1 bash tests/run-all.sh   # skip apt-get (packages already there)
set -u
cd "$(dirname "$0")/.."
status=0

if [ "${SIPCID_NO_APT:-0}" != 1 ]; then
  echo "== installing Debian packages (tests/deps-debian.txt)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || status=1
  grep -v '^\s*#' tests/deps-debian.txt | grep -v '^\s*$' |
    xargs apt-get install -y -qq --no-install-recommends >/dev/null || { echo "apt-get install failed"; exit 1; }
fi

setup() {  # setup DIR [meson options...]
  local dir=$1; shift
  if [ -d "$dir" ]; then meson setup --reconfigure "$dir" "$@" >/dev/null
  else meson setup "$dir" "$@" >/dev/null; fi
}

echo "== build (gcc, -Wall -Wextra -Werror)"
setup build && ninja -C build || exit 1
echo "== tests"
meson test -C build --print-errorlogs --num-processes 2 || status=1

echo "== build with AddressSanitizer + UndefinedBehaviorSanitizer"
setup build-asan -Db_sanitize=address,undefined -Db_lundef=false && ninja -C build-asan || exit 1
echo "== tests under ASan+UBSan"
ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:abort_on_error=0 \
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  meson test -C build-asan --print-errorlogs --num-processes 2 --timeout-multiplier 3 || status=1

for extra in tests/fuzz/run-fuzz.sh bench/smoke.sh; do
  if [ -x "$extra" ]; then
    echo "== $extra --smoke"
    "$extra" --smoke || status=1
  fi
done
exit $status
