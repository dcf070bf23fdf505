# trustee/ — `scrutin-trustee`, the scrutineer's own tool (docs/trustee.md):
# the vault, the HTTPS client (OpenSSL 3), the key ceremony and its
# transcript's check, the release of decryption shares, the minutes'
# signature, and the command table. It links crypto/ and audit/'s
# statements and record hashing, never the server.

TRUSTEE_SRCS := trustee/trustee.c trustee/vault.c trustee/https.c \
                trustee/ceremony.c trustee/transcript.c trustee/release.c \
                trustee/minutes.c trustee/draw.c trustee/web.c
TRUSTEE_OBJS := $(TRUSTEE_SRCS:%.c=$(BUILD)/%.o)

$(BUILD)/scrutin-trustee: $(TRUSTEE_OBJS) $(BUILD)/libscrutin-audit.a \
    $(BUILD)/libscrutin-crypto.a $(COMMON_LIB)
	$(CC) $(LDFLAGS) -o $@ $^ -lssl -lcrypto -ljansson $(LIBSODIUM)

BINS         += $(BUILD)/scrutin-trustee
TEST_SCRIPTS += tests/trustee/trustee.mjs
TEST_SCRIPTS += tests/trustee/draw.mjs
