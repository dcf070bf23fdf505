# audit/ — the public election record (docs/record.md): the event-log
# library the server links (log, record), the standalone verifier
# `scrutin-verify`, the minutes tool `scrutin-minutes`, the record
# generator and tamper suite, the verification benchmark and the fuzz
# target of the record line parser.

AUDIT_LOG_OBJS := $(BUILD)/audit/log.o $(BUILD)/audit/record.o $(BUILD)/audit/stmt.o \
                  $(BUILD)/audit/qdigest.o
AUDIT_LIB      := $(BUILD)/libscrutin-audit.a
AUDIT_VERIFY_OBJS := $(BUILD)/audit/verify.o \
                     $(BUILD)/audit/verify_chain.o \
                     $(BUILD)/audit/verify_pool.o \
                     $(BUILD)/audit/verify_ceremony.o \
                     $(BUILD)/audit/verify_cred.o \
                     $(BUILD)/audit/verify_attendance.o \
                     $(BUILD)/audit/verify_question.o \
                     $(BUILD)/audit/verify_ballot.o \
                     $(BUILD)/audit/verify_audited.o $(BUILD)/audit/opening.o \
                     $(BUILD)/audit/verify_recusal.o $(BUILD)/audit/verify_redistribute.o \
                     $(BUILD)/audit/verify_draw.o $(BUILD)/audit/verify_draw_commit.o $(BUILD)/audit/verify_draw_pool.o \
                     $(BUILD)/audit/verify_amendment.o \
                     $(BUILD)/audit/verify_mailin.o \
                     $(BUILD)/audit/verify_tally.o \
                     $(BUILD)/audit/verify_outcome.o \
                     $(BUILD)/audit/verify_minutes.o \
                     $(BUILD)/audit/outcome.o $(BUILD)/audit/pv.o
# The verifier and the minutes' HTML as a library: the server renders the
# procès-verbal of a meeting with them (GET …/minutes).
AUDIT_VERIFY_LIB  := $(BUILD)/libscrutin-verify.a
AUDIT_LDLIBS   := $(LIBSODIUM) -ljansson -lyaml -pthread
AUDIT_DEPS     := $(AUDIT_LIB) $(BUILD)/libscrutin-statutes.a $(BUILD)/libscrutin-crypto.a \
                  $(COMMON_LIB)

$(AUDIT_LIB): $(AUDIT_LOG_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

$(AUDIT_VERIFY_LIB): $(AUDIT_VERIFY_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/scrutin-verify: $(BUILD)/audit/verify_main.o $(BUILD)/audit/audit_file.o $(AUDIT_VERIFY_OBJS) $(AUDIT_DEPS)
	$(CC) $(LDFLAGS) -o $@ $^ $(AUDIT_LDLIBS)

$(BUILD)/scrutin-minutes: $(BUILD)/audit/minutes.o $(AUDIT_VERIFY_OBJS) $(AUDIT_DEPS)
	$(CC) $(LDFLAGS) -o $@ $^ $(AUDIT_LDLIBS)

$(BUILD)/tests/audit/gen_record: $(BUILD)/tests/audit/gen_record.o $(AUDIT_VERIFY_OBJS) $(AUDIT_DEPS)
	$(CC) $(LDFLAGS) -o $@ $^ $(AUDIT_LDLIBS)

$(BUILD)/tests/audit/tamper: $(BUILD)/tests/audit/tamper.o $(AUDIT_VERIFY_OBJS) $(AUDIT_DEPS)
	$(CC) $(LDFLAGS) -o $@ $^ $(AUDIT_LDLIBS)

$(BUILD)/tests/audit/test_log: $(BUILD)/tests/audit/test_log.o $(AUDIT_DEPS)
	$(CC) $(LDFLAGS) -o $@ $^ $(AUDIT_LDLIBS)

# The verifier one line at a time against the whole-record verifier
# (run by tamper.sh on every tampered record).
$(BUILD)/tests/audit/test_feed: $(BUILD)/tests/audit/test_feed.o $(AUDIT_VERIFY_OBJS) $(AUDIT_DEPS)
	$(CC) $(LDFLAGS) -o $@ $^ $(AUDIT_LDLIBS)

$(BUILD)/tests/audit/bench_feed: $(BUILD)/tests/audit/bench_feed.o $(AUDIT_VERIFY_OBJS) $(AUDIT_DEPS)
	$(CC) $(LDFLAGS) -o $@ $^ $(AUDIT_LDLIBS)

$(BUILD)/tests/audit/bench_ballot: $(BUILD)/tests/audit/bench_ballot.o $(AUDIT_DEPS)
	$(CC) $(LDFLAGS) -o $@ $^ $(AUDIT_LDLIBS)

AUDIT_TOOLS := $(BUILD)/scrutin-verify $(BUILD)/scrutin-minutes \
               $(BUILD)/tests/audit/gen_record $(BUILD)/tests/audit/tamper \
               $(BUILD)/tests/audit/bench_ballot $(BUILD)/tests/audit/test_feed \
               $(BUILD)/tests/audit/bench_feed

LIBS_ALL      += $(AUDIT_LIB) $(AUDIT_VERIFY_LIB)
BINS          += $(AUDIT_TOOLS)
TEST_PROGS    += $(BUILD)/tests/audit/test_log
TEST_SCRIPTS  += tests/audit/tamper.sh tests/audit/minutes.sh
BENCH_SCRIPTS += tests/audit/bench_verify.sh

$(eval $(call fuzz_target,record,$(AUDIT_LIB) $(BUILD)/libscrutin-crypto.a $(COMMON_LIB),$(LIBSODIUM) -ljansson))
