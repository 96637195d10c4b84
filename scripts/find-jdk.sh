#!/usr/bin/env bash
# Prints the home of a JDK >= 25 (needed for the FFM API and the jextract bindings), or fails
# with a message saying where it looked. Order: $JAVA_HOME, then the usual install locations.
set -u
MIN="${NAUTILUS_MIN_JAVA:-25}"

feature_of() { # $1 = a JDK home; prints its feature version or nothing
  local home="$1" v=""
  [ -x "$home/bin/javac" ] || return 0
  if [ -f "$home/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release" | head -n1)
  fi
  if [ -z "$v" ]; then
    v=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)
  fi
  echo "$v"
}

tried=()
seen=" "
try() {
  local home="$1" v
  [ -d "$home" ] || return 1
  home=$(cd "$home" && pwd -P)
  case "$seen" in *" $home "*) return 1 ;; esac
  seen="$seen$home "
  v=$(feature_of "$home")
  tried+=("$home (${v:-not a JDK})")
  if [ -n "$v" ] && [ "$v" -ge "$MIN" ] 2>/dev/null; then
    echo "$home"
    exit 0
  fi
  return 1
}

[ -n "${JAVA_HOME:-}" ] && try "$JAVA_HOME"
# newest first
for d in $(ls -d /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* \
             /Library/Java/JavaVirtualMachines/*/Contents/Home \
             "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* 2>/dev/null | sort -rV); do
  try "$d"
done
if command -v javac >/dev/null 2>&1; then
  try "$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
fi

{
  echo "error: no JDK >= $MIN found (nautilus-accel needs Java $MIN for the FFM API)."
  if [ ${#tried[@]} -gt 0 ]; then
    echo "  looked at:"; for t in "${tried[@]}"; do echo "    $t"; done
  else
    echo "  looked at: \$JAVA_HOME, /usr/lib/jvm, /usr/java, /opt/java, /Library/Java/JavaVirtualMachines, ~/.sdkman, ~/.jdks: none present"
  fi
  echo "  fix: install a JDK $MIN (e.g. Eclipse Temurin $MIN) and set JAVA_HOME to it."
} >&2
exit 1
