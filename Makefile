# nautilus-accel build. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

UNAME_S := $(shell uname -s)
UNAME_M := $(shell uname -m)
OS   := $(if $(filter Darwin,$(UNAME_S)),darwin,$(if $(filter Linux,$(UNAME_S)),linux,$(shell echo $(UNAME_S) | tr A-Z a-z)))
ARCH := $(if $(filter arm64 aarch64,$(UNAME_M)),aarch64,$(if $(filter x86_64 amd64,$(UNAME_M)),x86_64,$(UNAME_M)))
PLATFORM := $(OS)-$(ARCH)
OUT := native/build/$(PLATFORM)

CC ?= cc
CFLAGS_HARDENED := -O2 -g -std=c11 -fPIC -fvisibility=hidden -Wall -Wextra -Werror \
                   -Wformat=2 -Wshadow -Wstrict-prototypes -fstack-protector-strong \
                   -D_FORTIFY_SOURCE=2 -Inative/include
ifeq ($(OS),darwin)
  SOEXT := dylib
  LDFLAGS_SHARED := -dynamiclib -Wl,-exported_symbol,_na_*
  SHA256 := shasum -a 256
else
  SOEXT := so
  LDFLAGS_SHARED := -shared -Wl,-z,relro,-z,now -Wl,-z,noexecstack -Wl,--no-undefined \
                    -Wl,--version-script=native/exports.map
  SHA256 := sha256sum
  LIBS_shm := -lrt
endif

# One shared library per shim. Modules whose dependencies are absent are skipped (and reported
# as unavailable at run time), so a machine without DPDK or Metal still builds shm.
MODULES := shm affinity

# dpdk: only where pkg-config finds libdpdk (Debian: libdpdk-dev, 22.11). Its include directories
# go in as -isystem so our warning flags (and -Werror) apply to our code, not to DPDK's headers.
# DPDK's cflags also carry `-include rte_config.h` and its build's -march (corei7 on Debian
# x86_64: SSE4.2, which DPDK itself requires to run). Shared DPDK libraries, linked --as-needed;
# EAL loads the PMDs (net_ring, net_null, ...) itself from its plugin directory.
PKG_CONFIG ?= pkg-config
HAVE_DPDK := $(shell $(PKG_CONFIG) --exists libdpdk 2>/dev/null && echo 1)
ifeq ($(HAVE_DPDK),1)
  MODULES += dpdk
  CFLAGS_dpdk := $(patsubst -I%,-isystem %,$(shell $(PKG_CONFIG) --cflags libdpdk))
  LIBS_dpdk := $(shell $(PKG_CONFIG) --libs libdpdk)
  # C programs over libna_dpdk: the benchmarks (loopback Mpps; memif round trips between two
  # processes) and the smoke test (make native-test).
  DPDK_PROGRAMS := $(OUT)/na_dpdk_bench $(OUT)/na_dpdk_pingpong $(OUT)/na_dpdk_smoke
endif
LIBRARIES := $(foreach m,$(MODULES),$(OUT)/libna_$(m).$(SOEXT))

MVN ?= mvn
MVN_FLAGS ?= -B -ntp
# quiets the JDK 25 warning about Maven's own (Guava's) use of sun.misc.Unsafe
export MAVEN_OPTS ?= --sun-misc-unsafe-memory-access=allow
JAVA_HOME_25 = $(shell scripts/find-jdk.sh)
WITH_JDK = JAVA_HOME="$$(scripts/find-jdk.sh)" || exit 1; export JAVA_HOME;

.PHONY: help setup native native-test bindings check-bindings test run bench jcstress package clean jdk

help:
	@echo "make setup     install missing system packages (apt-get as root, else prints the command)"
	@echo "make native    build the shims into $(OUT)/"
	@echo "make native-test  build the shims, then run the C smoke tests (dpdk: EAL with net_ring0, no NIC)"
	@echo "make bindings  regenerate bindings/ with jextract (\$$JEXTRACT or PATH)"
	@echo "make test      setup + native + mvn test + packaged-jar check (what CI runs)"
	@echo "make run       setup + native + package, then 'nautilus doctor'"
	@echo "make bench     JMH benchmarks (src/jmh/java); BENCH=regex JMH_ARGS='...'"
	@echo "make bench-compare  cross-process round trip: bus vs Agrona vs Redis pub/sub (scripts/bench-compare.sh)"
	@echo "make bench-dpdk  DPDK loopback Mpps: C program vs Java API (scripts/bench-dpdk.sh)"
	@echo "make bench-transport  DPDK transport over memif, round trip and one-way rate: C vs Java (scripts/bench-transport.sh)"
	@echo "make jcstress  jcstress concurrency tests (src/jcstress/java); JCSTRESS_ARGS='...'"
	@echo "make package   jar with natives + target/nautilus launcher"

setup:
	@scripts/setup.sh

jdk:
	@scripts/find-jdk.sh

native: $(LIBRARIES) $(DPDK_PROGRAMS)
ifneq ($(HAVE_DPDK),1)
	@echo "native: skipping dpdk (pkg-config finds no libdpdk; 'make setup' installs libdpdk-dev)"
endif

define SHIM_RULE
$(OUT)/libna_$(1).$(SOEXT): native/$(1)/na_$(1).c native/include/na_$(1).h native/common/na_strerror.h native/exports.map | $(OUT)
	$$(CC) $$(CFLAGS_HARDENED) $$(CFLAGS_$(1)) $$(CFLAGS) -o $$@ $$< $$(LDFLAGS_SHARED) $$(LDFLAGS) $$(LIBS_$(1))
	@bad=$$$$(nm -D --defined-only $$@ 2>/dev/null | awk '$$$$2 ~ /^[TDBRW]$$$$/ {print $$$$3}' | grep -v '^na_' || true); \
	 if [ -n "$$$$bad" ]; then echo "error: $$@ exports non-na_ symbols: $$$$bad" >&2; rm -f $$@; exit 1; fi
	cd $(OUT) && $$(SHA256) libna_$(1).$(SOEXT) | cut -d' ' -f1 > libna_$(1).$(SOEXT).sha256
endef
$(foreach m,$(MODULES),$(eval $(call SHIM_RULE,$(m))))

# The dpdk programs call the na_dpdk_* functions through libna_dpdk.so, as Java does (found next
# to them: rpath $ORIGIN). They need no DPDK header: everything goes through na_dpdk.h.
CFLAGS_PROGRAM := $(filter-out -fPIC -fvisibility=hidden,$(CFLAGS_HARDENED)) -fPIE
LDFLAGS_PROGRAM := -pie -Wl,-z,relro,-z,now -Wl,-z,noexecstack -Wl,-rpath,'$$ORIGIN'
$(OUT)/na_dpdk_bench: native/dpdk/bench/na_dpdk_bench.c native/dpdk/bench/na_bench_checksum.h native/include/na_dpdk.h $(OUT)/libna_dpdk.$(SOEXT)
	$(CC) $(CFLAGS_PROGRAM) $(CFLAGS) -o $@ $< $(LDFLAGS_PROGRAM) $(LDFLAGS) -L$(OUT) -lna_dpdk
$(OUT)/na_dpdk_pingpong: native/dpdk/bench/na_dpdk_pingpong.c native/dpdk/bench/na_bench_checksum.h native/include/na_dpdk.h $(OUT)/libna_dpdk.$(SOEXT)
	$(CC) $(CFLAGS_PROGRAM) $(CFLAGS) -o $@ $< $(LDFLAGS_PROGRAM) $(LDFLAGS) -L$(OUT) -lna_dpdk
$(OUT)/na_dpdk_smoke: native/dpdk/test/na_dpdk_smoke.c native/include/na_dpdk.h $(OUT)/libna_dpdk.$(SOEXT)
	$(CC) $(CFLAGS_PROGRAM) $(CFLAGS) -o $@ $< $(LDFLAGS_PROGRAM) $(LDFLAGS) -L$(OUT) -lna_dpdk

# C smoke tests of the shims (today: dpdk, on a net_ring0 vdev; needs no NIC and no hugepages).
native-test: native
ifeq ($(HAVE_DPDK),1)
	$(OUT)/na_dpdk_smoke
	$(OUT)/na_dpdk_pingpong --loopback 100000 --warmup 1000
else
	@echo "native-test: skipping the dpdk smoke test (no libdpdk)"
endif

$(OUT):
	mkdir -p $@

bindings:
	@scripts/jextract-bindings.sh

check-bindings:
	@scripts/jextract-bindings.sh --check

test: setup native native-test
	@$(WITH_JDK) echo "using JDK $$JAVA_HOME"; $(MVN) $(MVN_FLAGS) test && \
	 $(MVN) $(MVN_FLAGS) -q -DskipTests package && scripts/check-jar.sh && \
	 $(MAKE) --no-print-directory jcstress

package: setup native
	@$(WITH_JDK) $(MVN) $(MVN_FLAGS) -DskipTests package

run: package
	target/nautilus doctor

bench: setup native
	@$(WITH_JDK) $(MVN) $(MVN_FLAGS) -Pbench -DskipTests package && \
	 "$$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar target/bench/benchmarks.jar \
	   $${BENCH:-} $${JMH_ARGS:--f 1 -wi 3 -i 5 -w 1s -r 1s}

# jcstress: builds target/jcstress/jcstress.jar (profile `jcstress`) and runs it in target/jcstress.
# The default is a short run: the "quick" preset, one iteration per JVM configuration (-Xint, C1,
# C2, C2 with stress flags), no split compilation, no heap pre-touch (about 2 minutes on 2 CPUs).
# A longer one: make jcstress JCSTRESS_ARGS='-m default'. jcstress exits non-zero when a test fails;
# the recipe also reads its summary, so a run that tests nothing or has errors fails too.
JCSTRESS_ARGS ?= -m quick -sc false -iters 1 -pth false

jcstress: setup native
	@$(WITH_JDK) set -o pipefail; \
	 $(MVN) $(MVN_FLAGS) -q -Pjcstress -Dmaven.test.skip=true package || exit 1; \
	 cd target/jcstress && rm -rf results jcstress-results-*.bin.gz && \
	 "$$JAVA_HOME/bin/java" -jar jcstress.jar $(JCSTRESS_ARGS) \
	   -jvmArgsPrepend "--enable-native-access=ALL-UNNAMED" -r results 2>&1 | tee jcstress.log; \
	 rc=$$?; \
	 counts=$$(sed -n -E 's/^\(Results: ([0-9]+) planned; ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) soft errs, ([0-9]+) hard errs\)$$/\1 \2 \3 \4 \5/p' jcstress.log | tail -n 1); \
	 read -r planned passed failed soft hard <<< "$${counts:-0 0 0 0 0}"; \
	 if [ $$rc -ne 0 ] || [ "$$planned" -eq 0 ] || [ "$$passed" -ne "$$planned" ] || [ "$$failed$$soft$$hard" != 000 ] \
	    || ! grep -q '^  Failed tests: No matches' jcstress.log || ! grep -q '^  Error tests: No matches' jcstress.log; then \
	   echo "jcstress: FAILED (exit $$rc; results: $$planned planned, $$passed passed, $$failed failed, $$soft soft errors, $$hard hard errors); see target/jcstress/jcstress.log and target/jcstress/results/index.html" >&2; \
	   exit 1; \
	 fi; \
	 echo "jcstress: OK ($$passed of $$planned results passed; report: target/jcstress/results/index.html)"

# Cross-process round trip: the bus vs Agrona's OneToOneRingBuffer vs Redis pub/sub (a private
# redis-server); settings through the environment, see scripts/bench-compare.sh.
.PHONY: bench-compare
bench-compare:
	@scripts/bench-compare.sh

# DPDK loopback: the C program against the Java API, alternating runs, medians and the ratio.
.PHONY: bench-dpdk
bench-dpdk: package
	@scripts/bench-dpdk.sh

# DPDK transport round trip over memif: the C ping/pong programs against two JVMs, alternating runs.
.PHONY: bench-transport
bench-transport: package
	@scripts/bench-transport.sh

clean:
	rm -rf native/build target
