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
LIBRARIES := $(foreach m,$(MODULES),$(OUT)/libna_$(m).$(SOEXT))

MVN ?= mvn
MVN_FLAGS ?= -B -ntp
# quiets the JDK 25 warning about Maven's own (Guava's) use of sun.misc.Unsafe
export MAVEN_OPTS ?= --sun-misc-unsafe-memory-access=allow
JAVA_HOME_25 = $(shell scripts/find-jdk.sh)
WITH_JDK = JAVA_HOME="$$(scripts/find-jdk.sh)" || exit 1; export JAVA_HOME;

.PHONY: help setup native bindings check-bindings test run bench jcstress package clean jdk

help:
	@echo "make setup     install missing system packages (apt-get as root, else prints the command)"
	@echo "make native    build the shims into $(OUT)/"
	@echo "make bindings  regenerate bindings/ with jextract (\$$JEXTRACT or PATH)"
	@echo "make test      setup + native + mvn test + packaged-jar check (what CI runs)"
	@echo "make run       setup + native + package, then 'nautilus doctor'"
	@echo "make bench     JMH benchmarks (src/jmh/java); BENCH=regex JMH_ARGS='...'"
	@echo "make bench-compare  cross-process round trip: bus vs Agrona vs Redis pub/sub (scripts/bench-compare.sh)"
	@echo "make jcstress  jcstress concurrency tests (src/jcstress/java); JCSTRESS_ARGS='...'"
	@echo "make package   jar with natives + target/nautilus launcher"

setup:
	@scripts/setup.sh

jdk:
	@scripts/find-jdk.sh

native: $(LIBRARIES)

define SHIM_RULE
$(OUT)/libna_$(1).$(SOEXT): native/$(1)/na_$(1).c native/include/na_$(1).h native/common/na_strerror.h native/exports.map | $(OUT)
	$$(CC) $$(CFLAGS_HARDENED) $$(CFLAGS) -o $$@ $$< $$(LDFLAGS_SHARED) $$(LDFLAGS) $$(LIBS_$(1))
	@bad=$$$$(nm -D --defined-only $$@ 2>/dev/null | awk '$$$$2 ~ /^[TDBRW]$$$$/ {print $$$$3}' | grep -v '^na_' || true); \
	 if [ -n "$$$$bad" ]; then echo "error: $$@ exports non-na_ symbols: $$$$bad" >&2; rm -f $$@; exit 1; fi
	cd $(OUT) && $$(SHA256) libna_$(1).$(SOEXT) | cut -d' ' -f1 > libna_$(1).$(SOEXT).sha256
endef
$(foreach m,$(MODULES),$(eval $(call SHIM_RULE,$(m))))

$(OUT):
	mkdir -p $@

bindings:
	@scripts/jextract-bindings.sh

check-bindings:
	@scripts/jextract-bindings.sh --check

test: setup native
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

clean:
	rm -rf native/build target
