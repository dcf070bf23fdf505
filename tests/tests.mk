# tests/ — the runner, and the fuzz machinery shared by every parser.
#
# Each fragment adds its unit tests to TEST_PROGS and scripts to
# TEST_SCRIPTS, and declares its fuzz targets with
#     $(eval $(call fuzz_target,NAME,OBJECTS AND LIBRARIES,LINK FLAGS))
# where tests/fuzz/fuzz_NAME.c defines LLVMFuzzerTestOneInput. That builds
# replay_NAME, which `make test` runs over tests/fuzz/corpus/NAME/ (no
# clang needed), and under `make fuzz` (FUZZ=1, clang) a libFuzzer binary
# fuzzer_NAME that tests/fuzz/run.sh runs briefly, growing the corpus.

FUZZ ?= 0
ifeq ($(FUZZ),1)
CFLAGS += -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
endif

define fuzz_target
$$(BUILD)/tests/fuzz/replay_$(1): $$(BUILD)/tests/fuzz/replay.o $$(BUILD)/tests/fuzz/fuzz_$(1).o $(2)
	$$(CC) $$(LDFLAGS) -o $$@ $$^ $(3)
$$(BUILD)/tests/fuzz/fuzzer_$(1): $$(BUILD)/tests/fuzz/fuzz_$(1).o $(2)
	$$(CC) $$(LDFLAGS) -fsanitize=fuzzer -o $$@ $$^ $(3)
TEST_PROGS += $$(BUILD)/tests/fuzz/replay_$(1)
FUZZ_TARGETS += $(1)
endef

fuzz:
	$(MAKE) BUILD=build/fuzz FUZZ=1 CC=clang \
	    $(foreach t,$(FUZZ_TARGETS),build/fuzz/tests/fuzz/fuzzer_$(t))
	@sh tests/fuzz/run.sh build/fuzz $(FUZZ_TARGETS)

# The Node.js in use and the Node.js versions that package.json promises,
# against the locked packages' "engines" (see tests/node-engines.mjs); and
# the deb-src entry that tools/deps.sh derives from the apt sources.
TEST_SCRIPTS += tests/node-engines.mjs tests/node-engines-cases.mjs tests/tools/deps-src.sh

# Every test script in tests/ is named in a TEST_SCRIPTS list (a test that
# make test never runs is worth nothing).
TEST_SCRIPTS += tests/hooked.sh

# The timed half of the server benchmark (tests/bench/bench_server.mjs
# drives it: see tests/bench/phones.c). Built with `all` (like the other
# helper programs in BINS) so that tests/bench/bench_server.sh runs after
# a plain build; `make bench` runs it through that script, never alone.
$(BUILD)/tests/bench/phones: $(BUILD)/tests/bench/phones.o
	$(CC) $(LDFLAGS) -o $@ $^ -lssl -lcrypto

BINS += $(BUILD)/tests/bench/phones
TEST_SCRIPTS += tests/bench/phones.mjs
