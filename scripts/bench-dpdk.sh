#!/usr/bin/env bash
# DPDK loopback: the C program native/build/<platform>/na_dpdk_bench against `nautilus bench dpdk`
# (the Java API), same loop, same shim, same vdev and sizes, alternating runs, then the medians and
# the Java/C ratio, with and without touching the packet data.
#
#   scripts/bench-dpdk.sh            (or: make bench-dpdk)
#
# Environment (default): RUNS (3) runs of each side and mode; SECONDS_PER_CASE (3); SIZE (64);
# BURST (32); CPU (0): the CPU of EAL's lcore (-l), which the C program runs on and the Java
# measuring thread is pinned to; EAL ("--no-huge --no-pci --no-shconf -m 512 --vdev=net_ring0 -l $CPU").
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
SECS=${SECONDS_PER_CASE:-3}
SIZE=${SIZE:-64}
BURST=${BURST:-32}
CPU=${CPU:-0}
EAL=${EAL:-"--no-huge --no-pci --no-shconf -m 512 --vdev=net_ring0 -l $CPU"}
for v in RUNS SECS SIZE BURST CPU; do [[ ${!v} =~ ^[0-9]+$ ]] || { echo "bench-dpdk: $v=${!v}: expected a whole number" >&2; exit 2; }; done

NAME=bench-dpdk
. scripts/bench-lib.sh
C_BENCH=$(bench_program na_dpdk_bench)
JAR=$(bench_jar)
JAVA_HOME=$(scripts/find-jdk.sh) || exit 1
OUT=$(mktemp -d); trap 'rm -rf "$OUT"' EXIT

for run in $(seq 1 "$RUNS"); do
  for touch in no yes; do
    flag=$([ $touch = yes ] && echo --touch || true)
    echo "bench-dpdk: run $run/$RUNS, touch=$touch: C..." >&2
    # shellcheck disable=SC2086
    timeout 120 "$C_BENCH" --json --sizes "$SIZE" --bursts "$BURST" --seconds "$SECS" $flag -- $EAL 2>/dev/null \
      | grep -o '"mpps":[0-9.]*' | head -n1 | cut -d: -f2 >> "$OUT/c-$touch"
    echo "bench-dpdk: run $run/$RUNS, touch=$touch: Java..." >&2
    jflag=$([ $touch = yes ] && echo --touch || echo --no-touch)
    # shellcheck disable=SC2086
    timeout 180 "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$JAR" bench dpdk --json --sizes "$SIZE" \
      --bursts "$BURST" --seconds "$SECS" --warmup 1 --cpu "$CPU" $jflag -- $EAL 2>/dev/null \
      | grep -o '"mpps" *: *[0-9.]*' | head -n1 | sed 's/.*: *//' >> "$OUT/java-$touch"
  done
done

echo "DPDK tx->rx loopback, $SIZE-byte frames, bursts of $BURST, $SECS s per run, median of $RUNS alternating runs (Mpps)"
echo "EAL: $EAL; C: $C_BENCH; Java: nautilus bench dpdk --cpu $CPU ($("$JAVA_HOME/bin/java" -version 2>&1 | head -n1))"
printf '%-34s %8s %8s %8s   %s\n' "case" "C" "Java" "Java/C" "runs C | Java"
for touch in no yes; do
  c=$(median < "$OUT/c-$touch"); j=$(median < "$OUT/java-$touch")
  label=$([ $touch = yes ] && echo "build headers+checksums, verify" || echo "no data touched")
  printf '%-34s %8s %8s %8s   %s | %s\n' "$label" "$c" "$j" "$(ratio "$j" "$c")" \
    "$(paste -sd' ' "$OUT/c-$touch")" "$(paste -sd' ' "$OUT/java-$touch")"
done
