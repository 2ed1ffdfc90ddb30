#!/usr/bin/env bash
# Refreshes the front-end libraries vendored under static/vendor/ from the npm registry.
# We vendor instead of linking a CDN: our pages make no third-party requests (privacy).
# Run it by hand when upgrading a version below, then commit the result.
set -euo pipefail

BOOTSTRAP=5.3.9
HTMX=2.0.11
AXE=4.14.1
SIMPLEWEBAUTHN=14.0.0

root=$(cd "$(dirname "$0")/.." && pwd)
vendor="$root/static/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

unpack() { # package version
  # npm pack prints the archive's name (a scoped package's has no "@" or "/").
  (cd "$work" && tarball=$(npm pack --silent "$1@$2") && mkdir -p "$1" && tar xzf "$tarball" -C "$1")
  echo "$work/$1/package"
}

# Source-map comments point at files we do not ship; the hashed static storage would fail on them.
strip_maps() { sed -i '/sourceMappingURL=/d' "$@"; }

rm -rf "$vendor" && mkdir -p "$vendor"

src=$(unpack bootstrap "$BOOTSTRAP")
mkdir -p "$vendor/bootstrap"
cp "$src/dist/css/bootstrap.min.css" "$src/dist/js/bootstrap.bundle.min.js" "$src/LICENSE" "$vendor/bootstrap/"
strip_maps "$vendor/bootstrap/bootstrap.min.css" "$vendor/bootstrap/bootstrap.bundle.min.js"

src=$(unpack htmx.org "$HTMX")
mkdir -p "$vendor/htmx"
cp "$src/dist/htmx.min.js" "$src/LICENSE" "$vendor/htmx/"

src=$(unpack axe-core "$AXE")
mkdir -p "$vendor/axe-core"
cp "$src/axe.min.js" "$src/LICENSE" "$src/LICENSE-3RD-PARTY.txt" "$vendor/axe-core/"

src=$(unpack @simplewebauthn/browser "$SIMPLEWEBAUTHN")
mkdir -p "$vendor/simplewebauthn"
cp "$src/dist/bundle/index.umd.min.js" "$vendor/simplewebauthn/simplewebauthn-browser.umd.min.js"
cp "$src/LICENSE.md" "$vendor/simplewebauthn/"

cat > "$vendor/VERSIONS.txt" <<TXT
bootstrap $BOOTSTRAP (MIT) - site layout and components
htmx.org $HTMX (0BSD) - progressive enhancement of filters and forms
axe-core $AXE (MPL-2.0) - accessibility checks in the browser tests only
@simplewebauthn/browser $SIMPLEWEBAUTHN (MIT) - passkeys on the staff second-factor pages
TXT
echo "Vendored into $vendor"
