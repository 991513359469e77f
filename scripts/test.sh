#!/usr/bin/env bash
# Runs every Pathways test: formatting and lints, unit tests, integration tests on
# SQLite and on a real PostgreSQL cluster (which the tests start themselves in a
# temporary directory). Installs Debian's postgresql package first if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

have_postgres() {
  compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null || [ -n "${PATHWAYS_PG_BIN:-}" ]
}

if ! have_postgres; then
  echo "Installing PostgreSQL (Debian package postgresql) for the integration tests..."
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql > /dev/null
fi

cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked

# Real-browser journeys with axe-core checks, on the binary the tests above built.
scripts/browser-tests.sh
