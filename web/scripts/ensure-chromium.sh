#!/usr/bin/env bash
# The browser tests drive Debian's Chromium through playwright-core; nothing downloads a browser.
# Installs the `chromium` package when it is missing (as root, or through sudo), else says how.
set -euo pipefail
browser="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$browser" ]; then exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Chromium not found at $browser and apt-get is not available: install Chromium and set CHROMIUM_PATH." >&2
  exit 1
fi
if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
  echo "Chromium not found at $browser: run 'apt-get install chromium' as root, or set CHROMIUM_PATH." >&2
  exit 1
fi
echo "Chromium not found: installing Debian's chromium package (browser tests)"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null
"$browser" --version
