#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# playwright-core for the browser tests, at the version package-lock.json
# pins: `npm ci` only when node_modules does not already hold it, so a box
# that installed it once runs the tests offline.
set -eu
cd "$(dirname "$0")"
want=$(node -p 'require("./package-lock.json").packages["node_modules/playwright-core"].version')
have=$(node -p 'require("./node_modules/playwright-core/package.json").version' 2>/dev/null || true)
[ "$have" = "$want" ] && exit 0
command -v npm >/dev/null || { echo "install.sh: no npm (tests/run-all.sh installs it)" >&2; exit 1; }
npm ci --no-audit --no-fund --loglevel=error
