#!/usr/bin/env bash
# DPDK message transport round trip and one-way rate over memif: the C program na_dpdk_pingpong
# (ping and pong processes) against `nautilus bench transport` (two JVMs, DpdkMessageTransport), same
# frame layout, same lcores, alternating runs; prints each run and the medians with the Java/C ratio.
# Each run: C round trips, C one way (na_dpdk_pingpong --one-way, fresh processes), Java round trips
# (`bench transport --one-way 0`), then Java one way in fresh JVMs (`bench transport --round-trips 1000
# --one-way N`: a few round trips, then ONE_WAY_WARMUP untimed and N timed one-way messages). Then,
# alternating too, the per-message cost in one process on net_ring0 (na_dpdk_pingpong --loopback N
# against `bench transport --loopback N`: one frame echoed to itself, no memif, no second process). The
# one-way rate gets JVMs of its own because after millions of round trips (one frame per burst) the
# JIT's code for the receive path was tuned to that profile: the same JVMs then received 4.3 to 5.2 M
# messages/s, fresh ones 7.5 to 7.9 (18:20 UTC).
#
#   scripts/bench-transport.sh      (or: make bench-transport)
#
# Environment (default): RUNS (3); ROUND_TRIPS (1000000) recorded; WARMUP (2000000), long enough for
# the JIT to finish compiling before the recorded part; SIZE (32) payload bytes; ONE_WAY (2000000)
# messages sent one way per run, as fast as the port takes them, timed by the receiver from the
# first arrival to the last (0: no one-way runs); ONE_WAY_WARMUP (2000000) Java's untimed one-way
# messages before those (the JIT compiles the receive path; C needs none); LOOPBACK (20000000) hops
# timed per loopback run (0: none), after LOOPBACK_WARMUP (5000000) not timed.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
ROUND_TRIPS=${ROUND_TRIPS:-1000000}
WARMUP=${WARMUP:-2000000}
SIZE=${SIZE:-32}
ONE_WAY=${ONE_WAY:-2000000}
ONE_WAY_WARMUP=${ONE_WAY_WARMUP:-2000000}
LOOPBACK=${LOOPBACK:-20000000}
LOOPBACK_WARMUP=${LOOPBACK_WARMUP:-5000000}
for v in RUNS ROUND_TRIPS WARMUP SIZE ONE_WAY ONE_WAY_WARMUP LOOPBACK LOOPBACK_WARMUP; do [[ ${!v} =~ ^[0-9]+$ ]] || { echo "bench-transport: $v=${!v}: expected a whole number" >&2; exit 2; }; done
NAME=bench-transport
. scripts/bench-lib.sh
PP=$(bench_program na_dpdk_pingpong)
JAR=$(bench_jar)
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
  if [ "$ONE_WAY" -gt 0 ]; then
    echo "bench-transport: run $run/$RUNS: C one way..." >&2
    sock=/tmp/na-bench-transport-$$-$run-1w.sock
    # the result is pong's (the receiver's) JSON; ping's says what it sent
    timeout 120 "$PP" --role pong --socket "$sock" --one-way "$ONE_WAY" --size "$SIZE" --json 2>/dev/null \
      > "$OUT/c1-$run.json" &
    PONG=$!
    timeout 120 "$PP" --role ping --socket "$sock" --one-way "$ONE_WAY" --size "$SIZE" --json >/dev/null 2>&1 \
      || echo "bench-transport: C one-way run $run failed (ping)" >&2
    wait "$PONG" 2>/dev/null || echo "bench-transport: C one-way run $run failed or lost frames (pong)" >&2
    PONG=
  fi
  echo "bench-transport: run $run/$RUNS: Java..." >&2
  timeout 300 "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$JAR" bench transport --json \
    --round-trips "$ROUND_TRIPS" --warmup "$WARMUP" --one-way 0 --size "$SIZE" 2>/dev/null > "$OUT/java-$run.json" \
    || echo "bench-transport: Java run $run failed" >&2
  if [ "$ONE_WAY" -gt 0 ]; then
    echo "bench-transport: run $run/$RUNS: Java one way..." >&2
    timeout 300 "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$JAR" bench transport --json \
      --round-trips 1000 --warmup 1000 --one-way "$ONE_WAY" --one-way-warmup "$ONE_WAY_WARMUP" --size "$SIZE" 2>/dev/null \
      > "$OUT/java1-$run.json" || echo "bench-transport: Java one-way run $run failed" >&2
  fi
done

if [ "$LOOPBACK" -gt 0 ]; then
  for run in $(seq 1 "$RUNS"); do
    echo "bench-transport: loopback run $run/$RUNS: C, then Java..." >&2
    timeout 300 "$PP" --loopback "$LOOPBACK" --warmup "$LOOPBACK_WARMUP" --size "$SIZE" --json 2>/dev/null > "$OUT/cl-$run.json" \
      || echo "bench-transport: C loopback run $run failed" >&2
    timeout 300 "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$JAR" bench transport --json \
      --loopback "$LOOPBACK" --warmup "$LOOPBACK_WARMUP" --size "$SIZE" 2>/dev/null > "$OUT/jl-$run.json" \
      || echo "bench-transport: Java loopback run $run failed" >&2
  done
fi

field() { grep -o "\"$2\" *: *[0-9.]*" "$1" 2>/dev/null | head -n1 | sed 's/.*: *//' || true; }  # empty when missing
# medians LABEL C_PREFIX C_FIELD JAVA_PREFIX JAVA_FIELD: the median of each side over the runs
# ($OUT/PREFIX-RUN.json), their ratio, and the median of each run's Java/C. The VM moves between
# latency modes about 4x apart, at any moment: the median of the runs' ratios (C and Java seconds
# apart) says more than the ratio of the medians when a run straddles a switch.
medians() {
  local c j r
  c=$(for run in $(seq 1 "$RUNS"); do field "$OUT/$2-$run.json" "$3"; done | median)
  j=$(for run in $(seq 1 "$RUNS"); do field "$OUT/$4-$run.json" "$5"; done | median)
  r=$(for run in $(seq 1 "$RUNS"); do ratio "$(field "$OUT/$4-$run.json" "$5")" "$(field "$OUT/$2-$run.json" "$3")"; echo; done \
    | grep -v n/a | median)
  echo "median $1: C $c, Java $j, Java/C $(ratio "$j" "$c"); median of the runs' Java/C $r"
}
echo "DPDK transport round trip over memif, $SIZE-byte payloads, $WARMUP warm-up + $ROUND_TRIPS recorded round trips per run,"
echo "ping/engine 1 on CPU 0, pong/engine 2 on CPU 1, $RUNS alternating runs (microseconds)"
printf '%-6s %-5s %8s %8s %8s %8s %10s %10s\n' run side p50 p90 p99 p99.9 "p50 J/C" "p99 J/C"
for run in $(seq 1 "$RUNS"); do
  printf '%-6s %-5s %8s %8s %8s %8s\n' "$run" C "$(field "$OUT/c-$run.json" p50_us)" "$(field "$OUT/c-$run.json" p90_us)" \
    "$(field "$OUT/c-$run.json" p99_us)" "$(field "$OUT/c-$run.json" p999_us)"
  printf '%-6s %-5s %8s %8s %8s %8s %10s %10s\n' "$run" Java "$(field "$OUT/java-$run.json" p50Us)" "$(field "$OUT/java-$run.json" p90Us)" \
    "$(field "$OUT/java-$run.json" p99Us)" "$(field "$OUT/java-$run.json" p999Us)" \
    "$(ratio "$(field "$OUT/java-$run.json" p50Us)" "$(field "$OUT/c-$run.json" p50_us)")" \
    "$(ratio "$(field "$OUT/java-$run.json" p99Us)" "$(field "$OUT/c-$run.json" p99_us)")"
done
medians p50 c p50_us java p50Us
medians p99 c p99_us java p99Us
if [ "$ONE_WAY" -gt 0 ]; then
  echo
  echo "DPDK transport one way over memif, $SIZE-byte payloads, $ONE_WAY messages per run sent in bursts of 32 by engine 1"
  echo "(CPU 0), counted and timed first to last arrival by engine 2 (CPU 1); Java's in fresh JVMs after $ONE_WAY_WARMUP untimed (M messages/s)"
  printf '%-6s %-5s %8s %10s %6s\n' run side Mpps messages lost
  for run in $(seq 1 "$RUNS"); do
    printf '%-6s %-5s %8s %10s %6s\n' "$run" C "$(field "$OUT/c1-$run.json" mpps)" "$(field "$OUT/c1-$run.json" messages)" \
      "$(field "$OUT/c1-$run.json" lost)"
    printf '%-6s %-5s %8s %10s %6s\n' "$run" Java "$(field "$OUT/java1-$run.json" oneWayMpps)" \
      "$(field "$OUT/java1-$run.json" oneWayMessages)" "$(field "$OUT/java1-$run.json" oneWayLost)"
  done
  medians "one-way Mpps" c1 mpps java1 oneWayMpps
fi
[ "$LOOPBACK" -gt 0 ] || exit 0
echo
echo "DPDK transport per message in one process: one frame echoed to itself on net_ring0 (no memif, no second process),"
echo "$LOOPBACK hops timed after $LOOPBACK_WARMUP; each hop receives the frame, checks it, tracks its sequence and sends the echo"
echo "(C: na_dpdk_pingpong --loopback, pong's code; Java: bench transport --loopback, poll / offer / flush), nanoseconds per hop"
printf '%-6s %8s %8s %8s\n' run C Java Java/C
for run in $(seq 1 "$RUNS"); do
  c=$(field "$OUT/cl-$run.json" ns_per_hop)
  j=$(field "$OUT/jl-$run.json" nsPerHop)
  printf '%-6s %8s %8s %8s\n' "$run" "$c" "$j" "$(ratio "$j" "$c")"
done
medians "ns per hop" cl ns_per_hop jl nsPerHop
