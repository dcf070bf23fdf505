# server/ — the `scrutin` program: the network process (web.c, assets.c,
# body.c, tls.c), the privileged process (priv.c, store.c, roll.c, cred.c),
# the boundary between them (imsg.c, priv.h), the operator's commands
# (scrutin.c's table, cli*.c) and the printable sheets (qr.c, sheet.c).

# CivetWeb's header is not ours: keep its warnings out of -Werror.
CPPFLAGS += -isystem $(CIVETWEB_DIR)/include

# CivetWeb 1.15: Debian's source (tools/deps.sh fetches it, unmodified, to
# $(CIVETWEB_DIR)/source) compiled through server/civetweb_ext.c, which
# includes civetweb.c and adds mg_detach_stream (the live streams leave
# their worker thread). Built with CivetWeb's own options and without our
# -Werror (it is not our code), hardened all the same: OpenSSL 3 API, no
# CGI, no files, no caching (and, by default, no WebSocket, Lua, HTTP/2).
# libcivetweb-san.a is the same with the sanitizers (SANITIZE=1, FUZZ=1).
CIVETWEB_SRC    := $(CIVETWEB_DIR)/source
CIVETWEB_CFLAGS := -std=gnu11 -g -fPIE -fstack-protector-strong \
                   -DOPENSSL_API_3_0 -DNO_SSL_DL -DNO_CGI -DNO_FILES \
                   -DNO_CACHING -DUSE_IPV6 -w -I. \
                   -I$(CIVETWEB_SRC)/include -I$(CIVETWEB_SRC)/src
$(CIVETWEB_DIR)/civetweb_ext.o: server/civetweb_ext.c server/civetweb_ext.h | check-deps
	cc $(CIVETWEB_CFLAGS) -O2 -D_FORTIFY_SOURCE=2 -c $< -o $@
$(CIVETWEB_DIR)/civetweb_ext-san.o: server/civetweb_ext.c server/civetweb_ext.h | check-deps
	cc $(CIVETWEB_CFLAGS) -O1 -fsanitize=address,undefined \
	    -fno-omit-frame-pointer -c $< -o $@
$(CIVETWEB_DIR)/libcivetweb.a: $(CIVETWEB_DIR)/civetweb_ext.o
	rm -f $@ && $(AR) rcs $@ $^
$(CIVETWEB_DIR)/libcivetweb-san.a: $(CIVETWEB_DIR)/civetweb_ext-san.o
	rm -f $@ && $(AR) rcs $@ $^

SERVER_LIB_SRCS := server/util.c server/imsg.c server/confine.c server/store.c server/roll.c \
                   server/cred.c server/qr.c server/sheet.c server/tls.c \
                   server/priv.c server/supervise.c server/ratelimit.c server/body.c server/assets.c server/webfp.c server/web.c \
                   server/api.c server/record_check.c server/ceremony.c server/record.c \
                   server/storage.c server/member_name.c \
                   server/minutes.c server/sse.c
# A meeting's life (meeting.c) and its concerns, one file each
# (meeting_int.h).
SERVER_LIB_SRCS += server/meeting.c server/request.c server/token.c \
                   server/notify.c server/attendance.c server/proxy.c server/proxy_paper.c server/proxy_redistribute.c server/proxy_draw.c server/draw_seed.c server/draw_pool.c server/mailin.c server/mailin_vote.c server/ballot_audit.c server/mailin_view.c server/alternatives.c \
                   server/bureau.c server/triggers.c server/ballot.c \
                   server/question.c server/qdigest.c server/agenda.c server/revote.c \
                   server/recusal.c server/quorum.c server/amendment.c
# The key ceremony's and the count's other parts (server/ceremony_int.h).
SERVER_LIB_SRCS += server/ceremony_phase.c server/decrypt.c server/result.c server/export.c
SERVER_LIB_OBJS := $(SERVER_LIB_SRCS:%.c=$(BUILD)/%.o)
SERVER_LIB      := $(BUILD)/libscrutin-server.a
SERVER_LDLIBS    = $(CIVETWEB_LIB) $(BUILD)/libscrutin-verify.a $(BUILD)/libscrutin-audit.a $(STATUTES_LIB) $(BUILD)/libscrutin-crypto.a $(COMMON_LIB) -lssl -lcrypto \
                   -lyaml -lsqlite3 -ljansson -lqrencode -lpng -lsodium -lpthread

# The audit library (the record's event log) is linked with every user of
# the server library: build it first.
$(SERVER_LIB): $(SERVER_LIB_OBJS) | $(BUILD)/libscrutin-audit.a $(BUILD)/libscrutin-verify.a $(CIVETWEB_LIB)
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^

# The operator's command line: the table (scrutin.c), its parser (cli.c)
# and the handlers, one file a concern; linked into the program only.
CLI_SRCS := server/scrutin.c server/cli.c server/cli_serve.c \
            server/cli_roll.c server/cli_cred.c server/cli_meeting.c \
            server/cli_record.c
CLI_OBJS := $(CLI_SRCS:%.c=$(BUILD)/%.o)

$(BUILD)/scrutin: $(CLI_OBJS) $(SERVER_LIB) $(CIVETWEB_LIB) $(BUILD)/libscrutin-verify.a $(BUILD)/libscrutin-audit.a $(STATUTES_LIB) $(BUILD)/libscrutin-crypto.a $(COMMON_LIB)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJS) $(SERVER_LIB) $(SERVER_LDLIBS)

BINS += $(BUILD)/scrutin

# A live-stream client that stops reading (tests/server/streams.mjs).
$(BUILD)/tests/server/stall_client: $(BUILD)/tests/server/stall_client.o
	$(CC) $(LDFLAGS) -o $@ $^ -lssl -lcrypto
BINS += $(BUILD)/tests/server/stall_client

# Unit tests.
SERVER_TESTS := test_csv test_imsg test_server_store test_api_table test_storage
$(foreach t,$(SERVER_TESTS),$(eval \
$$(BUILD)/tests/unit/$(t): $$(BUILD)/tests/unit/$(t).o $$(SERVER_LIB) $$(BUILD)/libscrutin-crypto.a $$(COMMON_LIB) ; \
	$$(CC) $$(LDFLAGS) -o $$@ $$(BUILD)/tests/unit/$(t).o $$(SERVER_LIB) $$(SERVER_LDLIBS)))
TEST_PROGS += $(addprefix $(BUILD)/tests/unit/,$(SERVER_TESTS))

# Integration tests over real HTTPS on loopback (Node.js of package.json's
# "engines": Debian 12's 18.19/18.20 or later); they need the binary built
# first (`make test` builds all).
TEST_SCRIPTS += tests/server/http.mjs tests/server/roll.mjs \
                tests/server/cred.mjs tests/server/privsep.mjs tests/server/restart.mjs \
                tests/server/meeting.mjs tests/server/crash.mjs \
                tests/server/window.mjs tests/server/demo.mjs \
                tests/server/rules.mjs tests/server/triggers.mjs tests/server/minutes.mjs \
                tests/server/hints.mjs tests/server/rounds.mjs tests/server/revote.mjs \
                tests/server/alternatives.mjs tests/server/bureau.mjs \
                tests/server/amendment.mjs tests/server/qdigest.mjs \
                tests/server/casting.mjs \
                tests/server/streams.mjs tests/server/workers.mjs \
                tests/server/recordcheck.mjs tests/server/frozenroll.mjs \
                tests/server/cli.mjs tests/server/property.mjs tests/server/secretary.mjs \
                tests/server/diskfull.mjs tests/server/names.mjs \
                tests/server/recorddl.mjs tests/server/proxy.mjs tests/server/redistribute.mjs tests/server/redist-quorum.mjs tests/server/rollfreeze.mjs \
                tests/server/deadline.mjs tests/server/desk.mjs \
                tests/server/recusal.mjs tests/server/pxdraw.mjs \
                tests/server/webfp.mjs tests/server/threshold.mjs \
                tests/server/audit.mjs \
                tests/server/mailin.mjs
TEST_SCRIPTS += tests/server/secondconv.mjs
# imidraw.mjs: A-IMI art. 9's draw by lot (draw.pool, the seed, draw.drawn).
TEST_SCRIPTS += tests/server/imidraw.mjs

# Secret ballots with verification hints from the C builder, for
# tests/server/hints.mjs.
$(BUILD)/tests/server/ballot_hints: $(BUILD)/tests/server/ballot_hints.o $(BUILD)/libscrutin-crypto.a $(COMMON_LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBSODIUM)
BINS += $(BUILD)/tests/server/ballot_hints

# Fuzz targets: every parser the server runs on untrusted bytes.
$(eval $(call fuzz_target,csv,$(SERVER_LIB) $(BUILD)/libscrutin-crypto.a $(COMMON_LIB),$(SERVER_LDLIBS)))
$(eval $(call fuzz_target,imsg,$(SERVER_LIB) $(BUILD)/libscrutin-crypto.a $(COMMON_LIB),$(SERVER_LDLIBS)))
$(eval $(call fuzz_target,json_body,$(SERVER_LIB) $(BUILD)/libscrutin-crypto.a $(COMMON_LIB),$(SERVER_LDLIBS)))
$(eval $(call fuzz_target,asset_path,$(SERVER_LIB) $(BUILD)/libscrutin-crypto.a $(COMMON_LIB),$(SERVER_LDLIBS)))
# The live meeting's request bodies, decoded by the privileged process
# against a real store (tests/fuzz/fuzz_meeting_api.c).
$(eval $(call fuzz_target,meeting_api,$(SERVER_LIB) $(BUILD)/libscrutin-crypto.a $(COMMON_LIB),$(SERVER_LDLIBS)))
BENCH_SCRIPTS += tests/bench/bench_server.sh
BENCH_SCRIPTS += tests/bench/vs_base.sh
BENCH_SCRIPTS += tests/bench/vs_proxy.sh
