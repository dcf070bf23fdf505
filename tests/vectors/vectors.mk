# tests/vectors/ — known-answer vectors from the independent implementation
# noble.mjs (see README.md). check.sh: the committed vectors are reproduced
# byte for byte and self-verify.
TEST_SCRIPTS += tests/vectors/check.sh
# cross.sh: the C code's own proofs, ballots, ceremonies and decryptions
# ($(BUILD)/tests/unit/write_c_vectors) verify under noble.mjs.
TEST_SCRIPTS += tests/vectors/cross.sh
