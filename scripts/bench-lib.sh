# Helpers sourced by the C-against-Java benchmark scripts (bench-dpdk.sh, bench-transport.sh).
# Each expects NAME (the script's name for its messages) to be set before it is called.

# bench_program PROGRAM: the path of a C program that make native built for this platform; exits
# with a message when it is missing.
bench_program() {
  local platform p
  platform=$(uname -s | tr A-Z a-z)-$(uname -m | sed 's/amd64/x86_64/;s/arm64/aarch64/')
  p=native/build/$platform/$1
  [ -x "$p" ] || { echo "$NAME: $p is missing: run 'make native' where DPDK is installed (make setup)" >&2; exit 1; }
  echo "$p"
}

# bench_jar: the packaged jar in target/; exits with a message when there is none.
bench_jar() {
  local jar
  jar=$(ls target/nautilus-accel-*.jar 2>/dev/null | grep -v original | head -n1 || true)
  [ -n "$jar" ] || { echo "$NAME: no jar in target/: run 'make package'" >&2; exit 1; }
  echo "$jar"
}

# median: the median of the numbers on standard input, one per line ("nan" when there are none).
median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "nan"; else if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# ratio A B: A / B with two decimals, "n/a" unless both are positive numbers.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else printf "n/a"}'; }
