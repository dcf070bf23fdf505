# crypto/ — the cryptographic core (docs/protocol.md): libscrutin-crypto.a,
# its unit and known-answer tests, benchmark and fuzz targets.

CRYPTO_SRCS := crypto/error.c crypto/util.c crypto/group.c crypto/elgamal.c \
               crypto/proof.c crypto/ballot.c crypto/dlog.c crypto/tally.c \
               crypto/dkg.c crypto/credential.c crypto/hex.c \
               crypto/fe25519.c crypto/ristretto_fast.c
CRYPTO_OBJS := $(CRYPTO_SRCS:%.c=$(BUILD)/%.o)
CRYPTO_LIB  := $(BUILD)/libscrutin-crypto.a

$(CRYPTO_LIB): $(CRYPTO_OBJS)
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^

LIBS_ALL += $(CRYPTO_LIB)

$(BUILD)/tests/unit/test_crypto: $(BUILD)/tests/unit/test_crypto.o $(CRYPTO_LIB) $(COMMON_LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBSODIUM)

TEST_PROGS += $(BUILD)/tests/unit/test_crypto

# The variable-time verification path against the libsodium reference.
$(BUILD)/tests/unit/test_fast: $(BUILD)/tests/unit/test_fast.o $(CRYPTO_LIB) $(COMMON_LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBSODIUM) $(LIBS_JSON)

TEST_PROGS += $(BUILD)/tests/unit/test_fast

# Batch verification with hints (docs/protocol.md §5.6) and rf_msm.
$(BUILD)/tests/unit/test_batch: $(BUILD)/tests/unit/test_batch.o $(CRYPTO_LIB) $(COMMON_LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBSODIUM)

TEST_PROGS += $(BUILD)/tests/unit/test_batch

# audit/qdigest.o: the question digest of scrutin/2 (question.json).
$(BUILD)/tests/unit/test_vectors: $(BUILD)/tests/unit/test_vectors.o $(BUILD)/audit/qdigest.o $(CRYPTO_LIB) $(COMMON_LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBSODIUM) $(LIBS_JSON)

# Writes test-output/c-vectors.json for tests/vectors/cross.sh.
$(BUILD)/tests/unit/write_c_vectors: $(BUILD)/tests/unit/write_c_vectors.o $(BUILD)/audit/qdigest.o $(CRYPTO_LIB) $(COMMON_LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBSODIUM) $(LIBS_JSON)

TEST_PROGS += $(BUILD)/tests/unit/test_vectors
BINS += $(BUILD)/tests/unit/write_c_vectors

$(BUILD)/tests/bench/bench_crypto: $(BUILD)/tests/bench/bench_crypto.o $(CRYPTO_LIB) $(COMMON_LIB)
	$(CC) $(LDFLAGS) -pthread -o $@ $^ $(LIBSODIUM)

BENCH_PROGS += $(BUILD)/tests/bench/bench_crypto

# Fuzz targets (tests/fuzz/fuzz_NAME.c), replayed over tests/fuzz/corpus/NAME/
# by `make test`. The corpora of group, ciphertext, proof and ballot were
# made by the seed generator inside fuzz_ballot.c (see its header).
$(eval $(call fuzz_target,group,$(CRYPTO_LIB) $(COMMON_LIB),$(LIBSODIUM)))
$(eval $(call fuzz_target,ciphertext,$(CRYPTO_LIB) $(COMMON_LIB),$(LIBSODIUM)))
$(eval $(call fuzz_target,proof,$(CRYPTO_LIB) $(COMMON_LIB),$(LIBSODIUM)))
$(eval $(call fuzz_target,ballot,$(CRYPTO_LIB) $(COMMON_LIB),$(LIBSODIUM)))
$(eval $(call fuzz_target,credential,$(CRYPTO_LIB) $(COMMON_LIB),$(LIBSODIUM)))
$(eval $(call fuzz_target,hex,$(CRYPTO_LIB) $(COMMON_LIB),$(LIBSODIUM)))
# Differential: fast vs reference ballot verification and point decoding
# (corpus: valid ballots of the three fuzz_ballot questions, mutations,
# points; see the header of tests/fuzz/fuzz_fastdiff.c).
$(eval $(call fuzz_target,fastdiff,$(CRYPTO_LIB) $(COMMON_LIB),$(LIBSODIUM)))
# Batch verification with hints against the reference verifier (corpus:
# valid and mutated batches; see the header of tests/fuzz/fuzz_batch.c).
$(eval $(call fuzz_target,batch,$(CRYPTO_LIB) $(COMMON_LIB),$(LIBSODIUM)))
