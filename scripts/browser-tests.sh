#!/usr/bin/env bash
# Real-browser tests: journeys through the Pathways demo in headless Debian Chromium, with
# axe-core WCAG 2.2 A/AA checks and screenshots (in test-artefacts/browser/) of every page.
# Installs what is missing (Debian's chromium package; the npm packages pinned in
# tests/browser/package-lock.json, which bring no browser of their own) and runs the suite.
# Builds nothing: it uses target/debug/pathways, or the binary named by PATHWAYS_BIN.
# Its last line is "N passed, M failed"; it exits non-zero if any journey failed.
set -euo pipefail
cd "$(dirname "$0")/.."

# CHROMIUM names another Chromium to use instead (run.mjs reads it); without it, Debian's.
if [ -z "${CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then
  echo "Installing Chromium (Debian package chromium) for the browser tests..."
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium > /dev/null
fi

# playwright-core downloads no browser itself; this only makes sure nothing else tries to.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error > /dev/null)

exec node tests/browser/run.mjs "$@"
