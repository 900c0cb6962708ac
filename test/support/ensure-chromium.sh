#!/usr/bin/env bash
# The panel test drives Debian's Chromium through playwright-core, which never downloads a
# browser of its own. `npm test` runs this first, so that the README's test command works on
# a fresh machine: as root, the package is installed; otherwise it says what to install.
set -euo pipefail

readonly CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}

[[ -x ${CHROMIUM} ]] && exit 0

if [[ ${EUID} -ne 0 ]] || ! command -v apt-get >/dev/null; then
  echo "[test] ${CHROMIUM} not found: install Debian's chromium package" \
    "(or set CHROMIUM_PATH to a Chromium binary), then run npm test again" >&2
  exit 1
fi

echo "[test] apt-get install chromium (once, for the panel test)" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
