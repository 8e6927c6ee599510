#!/usr/bin/env bash
# Runs every test: the pure core package, then the root package (adapters, CLI).
set -euo pipefail
cd "$(dirname "$0")/.."
run_tests() {
  echo "== core: swift test (Core/)"
  (cd Core && swift test --disable-xctest)
  echo "== root: swift test"
  swift test --disable-xctest
}
run_tests
