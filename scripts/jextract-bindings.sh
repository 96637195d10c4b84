#!/usr/bin/env bash
# Regenerates bindings/src/main/java from native/include/na_<module>.h with jextract, using the
# committed args files bindings/jextract/<module>.args. Generated without -l: symbols are found
# in the libraries that dev.nautilus.accel.nativeaccess.NativeLoader loaded with System.load.
#   scripts/jextract-bindings.sh            regenerate every module
#   scripts/jextract-bindings.sh --check    regenerate into a temp dir and fail if it differs
# jextract comes from $JEXTRACT, else PATH. It is not on any package registry: see
# bindings/jextract/README.md for how to get one.
set -euo pipefail
cd "$(dirname "$0")/.."

JEXTRACT="${JEXTRACT:-$(command -v jextract || true)}"
if [ -z "$JEXTRACT" ] || [ ! -x "$JEXTRACT" ]; then
  echo "error: jextract not found (set JEXTRACT=/path/to/bin/jextract or put it on PATH)." >&2
  echo "  It is only needed to regenerate bindings/ after changing native/include/*.h;" >&2
  echo "  the generated sources are committed. See bindings/jextract/README.md." >&2
  exit 1
fi

check=0; [ "${1:-}" = "--check" ] && check=1
out=bindings/src/main/java
if [ $check = 1 ]; then out=$(mktemp -d); trap 'rm -rf "$out"' EXIT; fi

for args in bindings/jextract/*.args; do
  module=$(basename "$args" .args)
  header=native/include/$module.h
  pkg=$(sed -n '/^--target-package$/{n;p;}' "$args")
  [ -f "$header" ] || { echo "error: $args has no header $header" >&2; exit 1; }
  rm -rf "$out/${pkg//.//}"
  echo "jextract $module -> $pkg"
  "$JEXTRACT" --output "$out" @"$args" "$header" 2>&1 \
    | grep -v 'Skipping __clang_max_align_nonce2' || true
  [ -d "$out/${pkg//.//}" ] || { echo "error: jextract produced nothing for $module" >&2; exit 1; }
done

if [ $check = 1 ]; then
  if diff -r "$out" bindings/src/main/java >/dev/null; then echo "bindings are up to date"
  else echo "error: bindings/ is stale; run 'make bindings' and commit the result" >&2; diff -r "$out" bindings/src/main/java | head -40 >&2; exit 1; fi
fi
