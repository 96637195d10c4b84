#!/usr/bin/env bash
# Compares the message bus, across two processes, with Agrona's OneToOneRingBuffer (and our bare
# OneToOneRing) over shared memory, and with Redis pub/sub on loopback; prints one table.
#
#   scripts/bench-compare.sh          (or: make bench-compare)
#
# Steps: build target/bench/benchmarks.jar; start a private redis-server on 127.0.0.1 (installed
# with apt-get when missing and run as root), no persistence; RedisPubSubEcho; stop that redis;
# CrossProcessPingPong (agrona, ring, bus, bus1, bare); the combined table. The redis-server this script
# starts is stopped on exit (by its pid; no other redis is touched). Each step has a timeout.
#
# Environment (default):
#   WARMUP (200000), ROUND_TRIPS (1000000)   per shared-memory transport
#   REDIS_WARMUP (20000), REDIS_ROUND_TRIPS (200000)
#   SIZE (32)             payload bytes, both benchmarks
#   CPUS ("A,B")          measuring CPU, echo CPU (default: the two highest online CPUs)
#   NO_PIN=1              do not pin (the output says so)
#   TRANSPORTS (agrona,ring,bus,bus1,bare), CAPACITY (65536)   see CrossProcessPingPong --help
#   REDIS_PORT            port of the private redis (default: the first free one of 6399..6419)
#   SKIP_REDIS=1          shared-memory transports only;  SKIP_BUILD=1  use the jar as it is
#   BUILD_TIMEOUT (900), STEP_TIMEOUT (1800)   seconds
#   OUT_DIR (target/bench-compare/<date-time>)  the JSON results and the table are kept there
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "bench-compare: $*" >&2; }
die() { echo "bench-compare: error: $*" >&2; exit 1; }

WARMUP=${WARMUP:-200000}
ROUND_TRIPS=${ROUND_TRIPS:-1000000}
REDIS_WARMUP=${REDIS_WARMUP:-20000}
REDIS_ROUND_TRIPS=${REDIS_ROUND_TRIPS:-200000}
SIZE=${SIZE:-32}
CAPACITY=${CAPACITY:-65536}
TRANSPORTS=${TRANSPORTS:-agrona,ring,bus,bus1,bare}
BUILD_TIMEOUT=${BUILD_TIMEOUT:-900}
STEP_TIMEOUT=${STEP_TIMEOUT:-1800}
CPUS=${CPUS:-}
NO_PIN=${NO_PIN:-}
SKIP_REDIS=${SKIP_REDIS:-}
SKIP_BUILD=${SKIP_BUILD:-}
REDIS_PORT=${REDIS_PORT:-}
OUT_DIR=${OUT_DIR:-target/bench-compare/$(date +%Y%m%d-%H%M%S)}

for v in WARMUP ROUND_TRIPS REDIS_WARMUP REDIS_ROUND_TRIPS SIZE CAPACITY BUILD_TIMEOUT STEP_TIMEOUT; do
  [[ ${!v} =~ ^[0-9]+$ ]] || die "$v=${!v}: expected a whole number"
done
[ -z "$REDIS_PORT" ] || [[ $REDIS_PORT =~ ^[0-9]+$ ]] || die "REDIS_PORT=$REDIS_PORT: expected a port number"
[ -z "$CPUS" ] || [ -z "$NO_PIN" ] || die "CPUS and NO_PIN exclude each other"
command -v timeout >/dev/null 2>&1 || die "the timeout command (coreutils) is missing"

JAVA_HOME=$(scripts/find-jdk.sh) || exit 1
export JAVA_HOME
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
JAVA="$JAVA_HOME/bin/java"
JAR=target/bench/benchmarks.jar
AGRONA_VERSION=$(sed -n '/<artifactId>agrona<\/artifactId>/{n;s/.*<version>\(.*\)<\/version>.*/\1/p;}' pom.xml | head -n1)
# Agrona 2.x needs jdk.internal.misc; the comparison mains pass the same options to their echo children.
JVM=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow
     --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED "-Dnautilus.compare.agronaVersion=${AGRONA_VERSION:-unknown}")
PIN_ARGS=()
[ -n "$CPUS" ] && PIN_ARGS=(--cpus "$CPUS")
[ -n "$NO_PIN" ] && PIN_ARGS=(--no-pin)

TMP=$(mktemp -d "${TMPDIR:-/tmp}/bench-compare.XXXXXX")
REDIS_PID=""
POLICY_RC=""

stop_redis() {
  [ -n "$REDIS_PID" ] || return 0
  local pid=$REDIS_PID i
  REDIS_PID=""
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true   # no save points, no AOF: it exits without writing anything
    for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  log "stopped redis-server (pid $pid)"
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_redis
  [ -n "$POLICY_RC" ] && rm -f "$POLICY_RC"
  rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- build

if [ -z "$SKIP_BUILD" ]; then
  log "building the native shims and $JAR (JDK $JAVA_HOME)"
  timeout "$BUILD_TIMEOUT" make -s native || die "make native failed (make setup installs what it needs)"
  timeout "$BUILD_TIMEOUT" mvn -B -ntp -q -Pbench -DskipTests package || die "the bench build failed (mvn -Pbench package)"
fi
[ -f "$JAR" ] || die "$JAR is missing: run without SKIP_BUILD"
mkdir -p "$OUT_DIR"

# ---------------------------------------------------------------- redis

port_free() { # nothing listens on 127.0.0.1:$1
  if command -v ss >/dev/null 2>&1; then
    [ -z "$(ss -Htln "sport = :$1" 2>/dev/null)" ]
  else
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

redis_pong() { # our redis answers PING on $1
  (
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf 'PING\r\n' >&3
    IFS= read -r -t 2 line <&3 || exit 1
    [[ $line == +PONG* ]]
  ) 2>/dev/null
}

install_redis() {
  command -v redis-server >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "redis-server is missing: installing it with apt-get (the package's service is kept from starting)"
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      POLICY_RC=/usr/sbin/policy-rc.d   # deny service starts during the install only; removed right after
      printf '#!/bin/sh\nexit 101\n' > "$POLICY_RC"
      chmod 755 "$POLICY_RC"
    fi
    export DEBIAN_FRONTEND=noninteractive
    if ! timeout 600 apt-get install -y -q --no-install-recommends redis-server >"$TMP/apt.log" 2>&1; then
      timeout 300 apt-get update -q >>"$TMP/apt.log" 2>&1 || true
      timeout 600 apt-get install -y -q --no-install-recommends redis-server >>"$TMP/apt.log" 2>&1 \
        || { tail -n 20 "$TMP/apt.log" >&2; die "apt-get install redis-server failed"; }
    fi
    if [ -n "$POLICY_RC" ]; then rm -f "$POLICY_RC"; POLICY_RC=""; fi
    command -v redis-server >/dev/null 2>&1 || die "redis-server is still missing after apt-get install"
  else
    die "redis-server is not installed. Install it (Debian/Ubuntu: sudo apt-get install redis-server;" \
        "Fedora: sudo dnf install redis; macOS: brew install redis), or run with SKIP_REDIS=1"
  fi
}

start_redis() {
  if [ -n "$REDIS_PORT" ]; then
    port_free "$REDIS_PORT" || die "port $REDIS_PORT is in use: choose another REDIS_PORT"
  else
    local p
    for p in $(seq 6399 6419); do
      if port_free "$p"; then REDIS_PORT=$p; break; fi
    done
    [ -n "$REDIS_PORT" ] || die "no free port in 6399..6419: set REDIS_PORT"
  fi
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --daemonize no \
    --protected-mode yes --dir "$TMP" --logfile "$TMP/redis.log" &
  REDIS_PID=$!
  local i
  for i in $(seq 100); do
    kill -0 "$REDIS_PID" 2>/dev/null || { tail -n 20 "$TMP/redis.log" >&2 || true; REDIS_PID=""; die "redis-server exited at start"; }
    redis_pong "$REDIS_PORT" && break
    sleep 0.1
  done
  redis_pong "$REDIS_PORT" || die "redis-server (pid $REDIS_PID) does not answer on 127.0.0.1:$REDIS_PORT"
  log "started redis-server $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p') (pid $REDIS_PID) on 127.0.0.1:$REDIS_PORT, no persistence"
}

RESULTS=()
if [ -z "$SKIP_REDIS" ]; then
  install_redis
  start_redis
  log "RedisPubSubEcho: $REDIS_WARMUP warm-up + $REDIS_ROUND_TRIPS round trips (timeout ${STEP_TIMEOUT}s)"
  timeout --foreground -k 10 "$STEP_TIMEOUT" "$JAVA" "${JVM[@]}" -cp "$JAR" dev.nautilus.accel.compare.RedisPubSubEcho \
    --port "$REDIS_PORT" --size "$SIZE" --warmup "$REDIS_WARMUP" --round-trips "$REDIS_ROUND_TRIPS" \
    ${PIN_ARGS[@]+"${PIN_ARGS[@]}"} --json > "$OUT_DIR/redis.json" || die "RedisPubSubEcho failed (exit $?)"
  stop_redis   # before the shared-memory runs: nothing else of ours runs while they measure
  RESULTS+=("$OUT_DIR/redis.json")
fi

# ---------------------------------------------------------------- shared memory

log "CrossProcessPingPong ($TRANSPORTS): $WARMUP warm-up + $ROUND_TRIPS round trips each (timeout ${STEP_TIMEOUT}s)"
timeout --foreground -k 10 "$STEP_TIMEOUT" "$JAVA" "${JVM[@]}" -cp "$JAR" dev.nautilus.accel.compare.CrossProcessPingPong \
  --transports "$TRANSPORTS" --size "$SIZE" --capacity "$CAPACITY" --warmup "$WARMUP" --round-trips "$ROUND_TRIPS" \
  ${PIN_ARGS[@]+"${PIN_ARGS[@]}"} --json > "$OUT_DIR/shm.json" || die "CrossProcessPingPong failed (exit $?)"

echo
timeout 60 "$JAVA" -cp "$JAR" dev.nautilus.accel.compare.CompareTable "$OUT_DIR/shm.json" ${RESULTS[@]+"${RESULTS[@]}"} \
  | tee "$OUT_DIR/table.txt"
log "results kept in $OUT_DIR (shm.json${RESULTS:+, redis.json}, table.txt)"
