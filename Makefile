# Scrutin — a plain Makefile. Every directory contributes a fragment (*.mk)
# that appends to the lists below; this file only wires them together.
#
#   make demo      install what is missing, build, start the demo appliance
#   make test      install what is missing, build, run every test
#   make sanitize  the whole suite under ASan + UBSan
#   make valgrind  the C unit tests under valgrind
#   make bench     benchmarks (figures and ratios, never pass/fail on time)
#   make fuzz      build the libFuzzer targets (clang) and run each briefly
#   make deps      install the Debian and npm packages, build CivetWeb
#   make check-unit  measure the systemd unit (dist/scrutin.service)

CC       ?= cc
BUILD    ?= build
SANITIZE ?= 0

WARN     := -Wall -Wextra -Wshadow -Wconversion -Wstrict-prototypes \
            -Wformat=2 -Wno-unused-parameter -Werror
HARDEN   := -fstack-protector-strong -fPIE -fno-strict-overflow -fcf-protection
ifeq ($(SANITIZE),1)
OPT      := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
SANLD    := -fsanitize=address,undefined
else
OPT      := -O2 -g -D_FORTIFY_SOURCE=3
SANLD    :=
endif
CSTD     := -std=c17 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
CIVETWEB_DIR := build/civetweb
CIVETWEB_LIB  = $(CIVETWEB_DIR)/libcivetweb$(if $(filter 1,$(SANITIZE) $(FUZZ)),-san).a
CPPFLAGS += -I. -I$(CIVETWEB_DIR)/include
CFLAGS   ?=
CFLAGS   += $(CSTD) $(OPT) $(HARDEN) $(WARN) -MMD -MP
LDFLAGS  += -pie -Wl,-z,relro,-z,now -Wl,-z,noexecstack $(SANLD)
LIBSODIUM := -lsodium
LIBS_JSON := -ljansson

# Filled in by the fragments.
LIBS_ALL      :=
BINS          :=
TEST_PROGS    :=
TEST_SCRIPTS  :=
BENCH_PROGS   :=
BENCH_SCRIPTS :=
FUZZ_TARGETS  :=
DEMO_DEPS     :=

DEPS_STAMP := build/.deps-ok

.PHONY: all deps test sanitize valgrind bench fuzz demo clean check-deps
all: check-deps

include tests/tests.mk
-include common/common.mk
-include crypto/crypto.mk
-include ballot-formats/ballot-formats.mk
-include server/server.mk
-include audit/audit.mk
-include kiosk/kiosk.mk
-include trustee/trustee.mk
-include tests/vectors/vectors.mk
-include dist/dist.mk

all: $(LIBS_ALL) $(BINS)

# deps: installs only what is missing (see tools/deps.sh); the stamp records
# the inputs it was run against so a change to them runs it again.
$(DEPS_STAMP): tools/deps.sh package.json package-lock.json
	@sh tools/deps.sh
	@mkdir -p build && touch $@
deps:
	@sh tools/deps.sh
	@mkdir -p build && touch $(DEPS_STAMP)
check-deps: $(DEPS_STAMP)

$(BUILD)/%.o: %.c | check-deps
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

test: all $(TEST_PROGS)
	@sh tests/run.sh "$(BUILD)" $(TEST_PROGS) -- $(TEST_SCRIPTS)

sanitize:
	$(MAKE) BUILD=build/sanitize SANITIZE=1 test

valgrind: all $(TEST_PROGS)
	@VALGRIND=1 sh tests/run.sh "$(BUILD)" $(TEST_PROGS) --

bench: all $(BENCH_PROGS)
	@set -e; for b in $(BENCH_PROGS); do echo "== $$b"; ./$$b; done
	@for s in $(BENCH_SCRIPTS); do echo "== $$s"; sh $$s || exit 1; done

demo: all $(DEMO_DEPS)
	@sh tools/demo.sh "$(BUILD)"

clean:
	rm -rf build test-output

# (not under build/bench-base: the earlier commit tests/bench/vs_base.sh builds)
-include $(shell find $(BUILD) -path $(BUILD)/bench-base -prune -o -name '*.d' -print 2>/dev/null)
