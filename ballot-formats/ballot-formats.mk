# ballot-formats/ — the statutes engine: profiles, counting library,
# scenario loader and the `scrutin count` CLI. See docs/profiles.md and
# docs/scenarios.md.

STATUTES_SRC := ballot-formats/util.c ballot-formats/ytree.c ballot-formats/profile.c \
                ballot-formats/count.c ballot-formats/standing.c ballot-formats/proxy.c \
                ballot-formats/quorum.c ballot-formats/voices.c ballot-formats/secret.c \
                ballot-formats/motion.c ballot-formats/election.c ballot-formats/tiebreak.c \
                ballot-formats/draw.c ballot-formats/amendment.c ballot-formats/phrase.c ballot-formats/report.c \
                ballot-formats/scenario.c ballot-formats/cli.c
STATUTES_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(STATUTES_SRC))
STATUTES_LIB := $(BUILD)/libscrutin-statutes.a
STATUTES_LDLIBS := -lyaml -ljansson

$(STATUTES_LIB): $(STATUTES_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/scrutin-count: $(BUILD)/ballot-formats/scrutin_count.o $(STATUTES_LIB) $(COMMON_LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(STATUTES_LDLIBS)

$(BUILD)/tests/unit/test_statutes: $(BUILD)/tests/unit/test_statutes.o $(STATUTES_LIB) $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(STATUTES_LDLIBS)

LIBS_ALL     += $(STATUTES_LIB)
BINS         += $(BUILD)/scrutin-count
TEST_PROGS   += $(BUILD)/tests/unit/test_statutes
TEST_SCRIPTS += tests/statutes/run_scenarios.sh

$(eval $(call fuzz_target,profile,$(STATUTES_LIB) $(COMMON_LIB),$(STATUTES_LDLIBS)))
$(eval $(call fuzz_target,scenario,$(STATUTES_LIB) $(COMMON_LIB),$(STATUTES_LDLIBS)))
