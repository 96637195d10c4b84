#!/usr/bin/env bash
# End-to-end check of the packaged jar, run by `make test` after the unit tests: a fresh JVM
# outside the source tree loads the natives from the jar (hash-checked extraction into an empty
# cache), `java -jar ... doctor --require shm,affinity` passes, and the launcher script works. As root on
# Linux it also mounts a real noexec tmpfs as the first extraction folder and checks that the
# loader falls back to the next folder.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${JAVA_HOME:?JAVA_HOME must point to a JDK >= 25}"
jar=$(ls target/nautilus-accel-*.jar | grep -v -e original -e sources -e javadoc | head -n1)
[ -f "$jar" ] || { echo "check-jar: no jar in target/ (run mvn package)" >&2; exit 1; }
jar=$(readlink -f "$jar")
work=$(mktemp -d)
noexec=""
cleanup() {
  if [ -n "$noexec" ]; then umount "$noexec" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
java="$JAVA_HOME/bin/java"

echo "check-jar: $jar"
listing=$(unzip -l "$jar")
grep -q "META-INF/native/.*/libna_shm.*sha256" <<<"$listing" || { echo "check-jar: jar has no natives" >&2; exit 1; }

# 1. java -jar from an unrelated directory, empty cache: extraction path only (no dev tree).
(cd "$work" && XDG_CACHE_HOME="$work/cache" timeout 120 "$java" -jar "$jar" doctor --require shm,affinity > "$work/doctor.txt") \
  || { cat "$work/doctor.txt"; echo "check-jar: java -jar doctor --require shm,affinity failed" >&2; exit 1; }
[ -n "$(find "$work/cache" -name 'libna_shm.*')" ] || { echo "check-jar: natives were not extracted to the cache" >&2; exit 1; }
echo "check-jar: java -jar doctor --require shm,affinity: ok (extracted to $work/cache)"

# 2. the launcher script
launcher=$(readlink -f target/nautilus)
(cd "$work" && XDG_CACHE_HOME="$work/cache" timeout 120 "$launcher" --version > /dev/null) \
  || { echo "check-jar: target/nautilus --version failed" >&2; exit 1; }
echo "check-jar: target/nautilus --version: ok"

# 3. a noexec first folder: the loader must fall back to the next one.
if [ "$(uname -s)" = Linux ] && [ "$(id -u)" = 0 ]; then
  noexec="$work/noexec"; mkdir -p "$noexec"
  if mount -t tmpfs -o noexec,size=16m tmpfs "$noexec" 2>/dev/null; then
    (cd "$work" && XDG_CACHE_HOME="$work/cache2" timeout 120 "$java" -Dnautilus.native.extractDir="$noexec" \
        -jar "$jar" doctor --require shm > "$work/doctor2.txt") \
      || { cat "$work/doctor2.txt"; echo "check-jar: loader did not fall back from a noexec folder" >&2; exit 1; }
    [ -n "$(find "$noexec" -name 'libna_shm.*')" ] || { echo "check-jar: nothing was tried in the noexec folder" >&2; exit 1; }
    [ -n "$(find "$work/cache2" -name 'libna_shm.*')" ] || { echo "check-jar: fallback folder not used" >&2; exit 1; }
    echo "check-jar: noexec extraction folder -> fell back to the next folder: ok"
  else
    noexec=""
    echo "check-jar: could not mount a noexec tmpfs here; noexec fallback covered by unit tests only"
  fi
fi
