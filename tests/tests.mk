# tests/ — the runner, and the fuzz corpus replay shared by every parser.
# Each fragment adds its own unit tests to TEST_PROGS and scripts to
# TEST_SCRIPTS; fuzz targets add themselves to FUZZ_TARGETS (a name and
# its source) and are replayed over tests/fuzz/corpus/NAME/ by a program
# built with tests/fuzz/replay.c (no clang needed for the replay).
