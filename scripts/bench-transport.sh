#!/usr/bin/env bash
# DPDK message transport round trip over memif: the C program na_dpdk_pingpong (ping and pong
# processes) against `nautilus bench transport` (two JVMs, DpdkMessageTransport), same frame layout,
# same lcores, alternating runs; prints each run and the medians with the Java/C ratio.
#
#   scripts/bench-transport.sh      (or: make bench-transport)
#
# Environment (default): RUNS (3); ROUND_TRIPS (1000000) recorded; WARMUP (2000000), long enough for
# the JIT to finish compiling before the recorded part; SIZE (32) payload bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
ROUND_TRIPS=${ROUND_TRIPS:-1000000}
WARMUP=${WARMUP:-2000000}
SIZE=${SIZE:-32}
for v in RUNS ROUND_TRIPS WARMUP SIZE; do [[ ${!v} =~ ^[0-9]+$ ]] || { echo "bench-transport: $v=${!v}: expected a whole number" >&2; exit 2; }; done
PLATFORM=$(uname -s | tr A-Z a-z)-$(uname -m | sed 's/amd64/x86_64/;s/arm64/aarch64/')
PP=native/build/$PLATFORM/na_dpdk_pingpong
[ -x "$PP" ] || { echo "bench-transport: $PP is missing: run 'make native' where DPDK is installed (make setup)" >&2; exit 1; }
JAR=$(ls target/nautilus-accel-*.jar 2>/dev/null | grep -v original | head -n1 || true)
[ -n "$JAR" ] || { echo "bench-transport: no jar in target/: run 'make package'" >&2; exit 1; }
JAVA_HOME=$(scripts/find-jdk.sh) || exit 1
OUT=$(mktemp -d)
PONG=
cleanup() { [ -z "$PONG" ] || kill "$PONG" 2>/dev/null || true; rm -rf "$OUT"; }
trap cleanup EXIT

for run in $(seq 1 "$RUNS"); do
  sock=/tmp/na-bench-transport-$$-$run.sock
  echo "bench-transport: run $run/$RUNS: C..." >&2
  timeout 300 "$PP" --role pong --socket "$sock" --count "$ROUND_TRIPS" --warmup "$WARMUP" --size "$SIZE" >/dev/null 2>&1 &
  PONG=$!
  timeout 300 "$PP" --role ping --socket "$sock" --count "$ROUND_TRIPS" --warmup "$WARMUP" --size "$SIZE" --json 2>/dev/null \
    > "$OUT/c-$run.json" || echo "bench-transport: C run $run failed" >&2
  wait "$PONG" 2>/dev/null || true
  PONG=
  echo "bench-transport: run $run/$RUNS: Java..." >&2
  timeout 300 "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$JAR" bench transport --json \
    --round-trips "$ROUND_TRIPS" --warmup "$WARMUP" --size "$SIZE" 2>/dev/null > "$OUT/java-$run.json" \
    || echo "bench-transport: Java run $run failed" >&2
done

field() { grep -o "\"$2\" *: *[0-9.]*" "$1" | head -n1 | sed 's/.*: *//'; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "nan"; else if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
echo "DPDK transport round trip over memif, $SIZE-byte payloads, $WARMUP warm-up + $ROUND_TRIPS recorded round trips per run,"
echo "ping/engine 1 on CPU 0, pong/engine 2 on CPU 1, $RUNS alternating runs (microseconds)"
printf '%-6s %-5s %8s %8s %8s %8s\n' run side p50 p90 p99 p99.9
for run in $(seq 1 "$RUNS"); do
  printf '%-6s %-5s %8s %8s %8s %8s\n' "$run" C "$(field "$OUT/c-$run.json" p50_us)" "$(field "$OUT/c-$run.json" p90_us)" \
    "$(field "$OUT/c-$run.json" p99_us)" "$(field "$OUT/c-$run.json" p999_us)"
  printf '%-6s %-5s %8s %8s %8s %8s\n' "$run" Java "$(field "$OUT/java-$run.json" p50Us)" "$(field "$OUT/java-$run.json" p90Us)" \
    "$(field "$OUT/java-$run.json" p99Us)" "$(field "$OUT/java-$run.json" p999Us)"
done
for q in p50 p99; do
  c=$(for run in $(seq 1 "$RUNS"); do field "$OUT/c-$run.json" ${q}_us; done | median)
  j=$(for run in $(seq 1 "$RUNS"); do field "$OUT/java-$run.json" ${q}Us; done | median)
  echo "median $q: C $c, Java $j, Java/C $(awk -v a="$j" -v b="$c" 'BEGIN {printf "%.2f", a / b}')"
done
