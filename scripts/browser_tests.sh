#!/usr/bin/env bash
# The situational display's browser tests (Tests/browser): real Chromium, real `deconflict` binary.
#
#   scripts/browser_tests.sh                 # everything (about 3 minutes on 2 cores)
#   scripts/browser_tests.sh -k canvas       # extra arguments go to pytest
#
# Installs what is missing: Debian's chromium (apt), a venv with playwright + pytest (PyPI; the
# browser is never downloaded by Playwright: the tests launch /usr/bin/chromium). Builds the binary
# when it is missing or older than the display's files (they are copied into its resource bundle at
# build time). Environment:
#   DECONFLICT_BIN  the binary (default .build/debug/deconflict)
#   ARTIFACTS_DIR   screenshots and measurements (default /tmp/deconflict-browser-artifacts)
#   BROWSER_VENV    the venv (default /tmp/venv-browser)
#   UPDATE_SCREENSHOT=1  copy the overview screenshot to docs/display.png (the README's picture;
#                        also done when that file is missing)
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '== %s\n' "$*" >&2; }

export DECONFLICT_BIN="${DECONFLICT_BIN:-.build/debug/deconflict}"
export ARTIFACTS_DIR="${ARTIFACTS_DIR:-/tmp/deconflict-browser-artifacts}"
VENV="${BROWSER_VENV:-/tmp/venv-browser}"
export PYTHONDONTWRITEBYTECODE=1

if [ ! -x /usr/bin/chromium ]; then
    log "installing chromium (Debian package)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

if ! "$VENV/bin/python" -c 'import playwright, pytest' 2>/dev/null; then
    log "creating $VENV with playwright and pytest"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check playwright pytest
fi

# The server serves the copy of Sources/DeconflictServer/Web/static that the last build put in its
# resource bundle (beside the binary): build when the binary is missing or that copy differs.
bundle_stale() {
    ! diff -rq Sources/DeconflictServer/Web/static .build/debug/Deconflict_DeconflictServer.resources/static >/dev/null 2>&1
}
if [ ! -x "$DECONFLICT_BIN" ] || { [ "$DECONFLICT_BIN" = .build/debug/deconflict ] && bundle_stale; }; then
    log "building deconflict (debug)"
    swift build --product deconflict
fi

rm -rf "$ARTIFACTS_DIR"
mkdir -p "$ARTIFACTS_DIR"
log "browser tests (chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}'), artifacts in $ARTIFACTS_DIR)"
"$VENV/bin/python" -m pytest Tests/browser -q -p no:cacheprovider "$@"

if [ -f "$ARTIFACTS_DIR/display_overview.png" ] && { [ "${UPDATE_SCREENSHOT:-0}" = 1 ] || [ ! -f docs/display.png ]; }; then
    cp "$ARTIFACTS_DIR/display_overview.png" docs/display.png
    log "docs/display.png updated"
fi
