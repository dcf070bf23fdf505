/*
 * export.c — the public record of a meeting written out for publication:
 * by the operator (`scrutin record export`, docs/record.md), which first
 * appends the ballots not chained yet and a checkpoint, so that a
 * published record always ends with one; and by anyone through the API
 * (`GET …/record`, docs/api.md), which writes nothing and serves the
 * stored record up to its last complete checkpoint, in pages the network
 * process joins (replies between the processes are capped).
 *
 * Trusts the store (store_record_*), which keeps the record, its hash
 * chain and the key that signs its checkpoints. The export changes
 * nothing but the chain's tail, in one transaction; the file is the
 * caller's. The pages only read: a cut is named by the sequence number
 * of a checkpoint, and the lines up to it never change (the record only
 * grows), so pages read at different moments join into one record.
 */
#include "server/meeting_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/api.h"
#include "server/record.h"
#include "server/store.h"

int
meeting_record_export(struct store *st, const uint8_t *sk, const char *id,
    void *file)
{
	struct mrow m;

	(void)sk;	/* the store's key signs (store_key) */
	if (m_load(st, id, &m) != 0 || record_exists(st, id) != 1)
		return -1;
	/* The ballots not chained yet, then a checkpoint: a published
	 * record ends with one. */
	if (store_begin(st) != 0)
		return -1;
	if (store_record_checkpoint(st, id) != 0 || store_commit(st) != 0) {
		store_rollback(st);
		return -1;
	}
	if (store_record_write(st, id, file) != 0)
		return -1;
	return fflush((FILE *)file) != 0 || ferror((FILE *)file) ? -1 : 0;
}

/* ---- GET …/record: the stored record, read-only, in pages ---- */

/* The lines of one page (at least one line, however long: a line is at
 * most 4 MiB, docs/record.md §1, and JSON-escaped at most twice that,
 * within PRIV_REPLY_MAX). */
#define RECORD_PAGE_BYTES (128u * 1024u)

/*
 * The last complete cut: the last checkpoint before which every question
 * opened has its result. scrutin-verify refuses a record that leaves a
 * question without result, so the checkpoint written at a close (before
 * the decryption) does not end a record that verifies; the one written
 * just before each question.opened, or after each result, does.
 */
static const char SQL_CUT[] =
    "SELECT c.mseq, c.hash FROM events c WHERE c.meeting = ?1 AND"
    " c.kind = 'checkpoint' AND NOT EXISTS (SELECT 1 FROM events o"
    " WHERE o.meeting = ?1 AND o.mseq < c.mseq AND o.kind ="
    " 'question.opened' AND NOT EXISTS (SELECT 1 FROM events r WHERE"
    " r.meeting = ?1 AND r.mseq < c.mseq AND r.kind = 'result' AND"
    " r.qid = o.qid)) ORDER BY c.mseq DESC LIMIT 1";

/* OUT the cut's sequence number and head: 1, 0 when the record has no
 * complete cut yet, -1 on error. given: *upto names the cut instead (a
 * page after the first), which must be a checkpoint of the record. */
static int
record_cut(struct store *st, const char *meeting, int64_t *upto,
    uint8_t head[32], int given)
{
	sqlite3_stmt *s = store_prepare(st->roll, given ?
	    "SELECT mseq, hash FROM events WHERE meeting = ?1 AND mseq = ?2"
	    " AND kind = 'checkpoint'" : SQL_CUT);
	int rc = -1, r;

	if (s == NULL || store_bind_text(s, 1, meeting) != 0 ||
	    (given && sqlite3_bind_int64(s, 2, *upto) != SQLITE_OK))
		goto out;
	r = sqlite3_step(s);
	if (r == SQLITE_DONE)
		rc = 0;
	else if (r == SQLITE_ROW && sqlite3_column_bytes(s, 1) == 32) {
		*upto = sqlite3_column_int64(s, 0);
		memcpy(head, sqlite3_column_blob(s, 1), 32);
		rc = 1;
	}
out:
	sqlite3_finalize(s);
	return rc;
}

/* The bytes of the record up to upto, each line with its "\n". */
static int
record_bytes(struct store *st, const char *meeting, int64_t upto,
    int64_t *bytes)
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT count(*),"
	    " coalesce(sum(length(CAST(line AS BLOB)) + 1), 0) FROM events"
	    " WHERE meeting = ?1 AND mseq <= ?2");
	int rc = -1;

	if (s != NULL && store_bind_text(s, 1, meeting) == 0 &&
	    sqlite3_bind_int64(s, 2, upto) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW &&
	    sqlite3_column_int64(s, 0) == upto + 1) {
		*bytes = sqlite3_column_int64(s, 1);
		rc = 0;
	}
	sqlite3_finalize(s);
	return rc;
}

/* The lines from..upto that fit in a page, OUT *text (malloc'd) and
 * *next (the first line left, or 0 when none is). */
static int
record_page(struct store *st, const char *meeting, int64_t from,
    int64_t upto, char **text, int64_t *next)
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT mseq, line FROM"
	    " events WHERE meeting = ?1 AND mseq >= ?2 AND mseq <= ?3 ORDER"
	    " BY mseq");
	size_t used = 0, cap = RECORD_PAGE_BYTES + 1;
	char *buf = xmalloc(cap);
	int64_t expect = from;
	int rc = -1, r;

	*next = 0;
	if (s == NULL || store_bind_text(s, 1, meeting) != 0 ||
	    sqlite3_bind_int64(s, 2, from) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 3, upto) != SQLITE_OK)
		goto out;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		size_t len = (size_t)sqlite3_column_bytes(s, 1);
		if (sqlite3_column_int64(s, 0) != expect)
			goto out;	/* a gap: the chain is broken */
		if (used > 0 && used + len + 1 > RECORD_PAGE_BYTES) {
			*next = expect;
			break;
		}
		if (used + len + 2 > cap) {
			cap = used + len + 2;
			buf = xreallocarray(buf, cap, 1);
		}
		memcpy(buf + used, sqlite3_column_text(s, 1), len);
		used += len;
		buf[used++] = '\n';
		expect++;
	}
	if (*next == 0 && (r != SQLITE_DONE || expect != upto + 1))
		goto out;
	buf[used] = '\0';
	*text = buf;
	buf = NULL;
	rc = 0;
out:
	free(buf);
	sqlite3_finalize(s);
	return rc;
}

/*
 * GET record, one page: body {"from": k, "upto": n}. upto 0 (the first
 * page): the last complete cut is chosen here, and the reply says its
 * size in bytes; a later page names that cut again (a checkpoint of the
 * record, else invalid_field). Reply {"upto", "head", "events",
 * ["bytes",] "lines", "next"} (next 0: the last page).
 */
void
api_record(struct mctx *c, const struct mrow *m, const struct api_call *call,
    struct mreply *r)
{
	static const char *keys[] = { "from", "upto" };
	json_t *doc = NULL, *out;
	uint64_t from, upto;
	int64_t cut, next = 0, bytes = 0;
	uint8_t head[32];
	char hh[65], *lines = NULL;
	int got;

	if (mj_parse(call->body, call->len, keys, 2, &doc, r) != 0)
		return;
	if (mj_u64(doc, "from", (uint64_t)1 << 40, &from, r) != 0 ||
	    mj_u64(doc, "upto", (uint64_t)1 << 40, &upto, r) != 0) {
		json_decref(doc);
		return;
	}
	json_decref(doc);
	cut = (int64_t)upto;
	got = record_cut(c->st, m->id, &cut, head, upto != 0);
	if (got < 0) {
		mr_err(r, "unavailable", NULL);
		return;
	}
	if (got == 0) {
		/* A later page names no checkpoint; a first page finds no
		 * complete cut (a record never checkpointed). */
		mr_err(r, upto != 0 ? "invalid_field" : "wrong_phase",
		    upto != 0 ? "upto" : NULL);
		return;
	}
	if ((int64_t)from > cut) {
		mr_err(r, "invalid_field", "from");
		return;
	}
	if ((upto == 0 && record_bytes(c->st, m->id, cut, &bytes) != 0) ||
	    record_page(c->st, m->id, (int64_t)from, cut, &lines, &next) !=
	        0) {
		mr_err(r, "unavailable", NULL);
		return;
	}
	xhex_encode(hh, sizeof hh, head, 32);
	out = json_pack("{s:I,s:s,s:I,s:s,s:I}", "upto", (json_int_t)cut,
	    "head", hh, "events", (json_int_t)cut + 1, "lines", lines, "next",
	    (json_int_t)next);
	free(lines);
	if (out != NULL && upto == 0)
		json_object_set_new(out, "bytes", json_integer(bytes));
	if (out == NULL) {
		mr_err(r, "unavailable", NULL);
		return;
	}
	mr_ok(r, out);
}
