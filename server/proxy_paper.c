/*
 * proxy_paper.c — the desk (accueil) enters a paper proxy it has
 * received: POST …/proxies/paper, authorised by the desk's token (its
 * link, `scrutin meeting desk-link`) or by the operator's CLI (`scrutin
 * proxy paper`). The giver and the holder are named by their member
 * numbers, as the paper names them; the server signs S_paper
 * (docs/record.md §5) with its key — the member signed paper, not a
 * statement — and writes a "proxy" event with "channel": "paper".
 *
 * Trusts the desk's word that the paper exists and names this assembly
 * (the record says the proxy is the desk's, and the verifier and the
 * minutes list it apart); trusts nothing else of the request. The
 * statutes decide as for a digital proxy: allowed, the paper channel
 * (Espace+ art. 4: digital only), the deadline, then at each opening
 * the cap and the holder's standing (server/proxy.c proxy_opening).
 *
 * Invariants: the same as a digital proxy's (one proxy in force per
 * giver, to another voter of the frozen roll with an active credential;
 * one transaction with its event and record line; nothing written when
 * refused). A paper proxy is withdrawn by its giver's signed statement,
 * like any other (POST …/proxies, action withdraw).
 *
 * GET …/desk (api_desk) is the desk's read-only view: the voters it may
 * name (member number and name, nothing else of the roll), the statutes'
 * conditions, and the paper proxies entered so far.
 */
#include "server/meeting_int.h"

#include <stdio.h>
#include <string.h>

#include "server/store.h"

int
member_by_no(struct store *st, const char *meeting, const char *no,
    int64_t *id, uint8_t pk[32])
{
	sqlite3_stmt *s = store_prepare(st->roll, "SELECT m.id, c.pk FROM"
	    " members m JOIN meeting_roll r ON r.member_id = m.id AND"
	    " r.meeting = ?1 AND r.voter = 1 JOIN credentials c ON"
	    " c.member_id = m.id AND c.meeting = ?1 AND c.status = 'active'"
	    " WHERE m.member_no = ?2");
	int rc = -1;

	if (s != NULL && store_bind_text(s, 1, meeting) == 0 &&
	    store_bind_text(s, 2, no) == 0 && sqlite3_step(s) == SQLITE_ROW &&
	    sqlite3_column_bytes(s, 1) == 32) {
		*id = sqlite3_column_int64(s, 0);
		memcpy(pk, sqlite3_column_blob(s, 1), 32);
		rc = 0;
	}
	sqlite3_finalize(s);
	return rc;
}

/* The giver and the holder the paper names (member numbers): OUT the
 * two members and their keys. 0, or -1 with r. */
static int
paper_members(struct mctx *c, const struct mrow *m, const char *g,
    const char *h, struct proxy_req *p, int64_t *giver, int64_t *holder,
    struct mreply *r)
{
	if (member_by_no(c->st, m->id, g, giver, p->giver) != 0) {
		mr_err(r, "member_unknown", "giver");
		return -1;
	}
	if (member_by_no(c->st, m->id, h, holder, p->holder) != 0) {
		mr_err(r, "member_unknown", "holder");
		return -1;
	}
	if (*giver == *holder) {
		mr_err(r, "proxy_self", "holder");
		return -1;
	}
	return 0;
}

void
api_proxy_paper(struct mctx *c, const struct mrow *m,
    const struct api_call *call, struct mreply *r)
{
	static const char *keys[] = { "giver", "holder" };
	struct proxy_req p = { .give = 1, .paper = 1 };
	json_t *doc = NULL;
	const char *g, *h;
	int64_t giver = 0, holder = 0, cur_holder = 0;
	uint64_t at = now_unix();
	uint8_t buf[256];
	framebuf fb;

	if (mj_parse(call->body, call->len, keys, 2, &doc, r) != 0 ||
	    mj_str(doc, "giver", 64, &g, r) != 0 ||
	    mj_str(doc, "holder", 64, &h, r) != 0)
		goto out;
	if (proxy_phase_check(c, m, r) != 0)
		goto out;
	p.ts = at;
	if (proxy_rules_check(c, m, true, p.ts, at, r) != 0 ||
	    paper_members(c, m, g, h, &p, &giver, &holder, r) != 0)
		goto out;
	if (proxy_current(c->st, m->id, giver, &cur_holder) != 0) {
		mr_err(r, "proxy_exists", NULL);
		goto out;
	}
	/* S_paper, the server's word that the desk entered it. */
	stmt_begin(&fb, buf, sizeof buf, "proxy-paper");
	stmt_str(&fb, m->id);
	framebuf_field(&fb, p.giver, 32);
	framebuf_field(&fb, p.holder, 32);
	framebuf_field_u64(&fb, p.ts);
	if (stmt_sign(&fb, c->sk, p.sig) != 0 ||
	    proxy_store(c->st, m, &p, giver, holder, 0, at) != 0) {
		mr_err(r, "unavailable", NULL);
		goto out;
	}
	part_touch(c, m->id, "");
	mr_ok(r, json_pack("{s:s,s:s,s:I}", "proxy", "given", "channel",
	    "paper", "at", (json_int_t)at));
out:
	json_decref(doc);
}

/* The rows of a query (the meeting bound to ?1) as objects, one key per
 * column in order: "at" an integer, "withdrawn" a boolean, any other a
 * string. NULL when the query fails. */
static json_t *
desk_rows(struct store *st, const char *meeting, const char *sql,
    const char *const *keys, size_t n)
{
	sqlite3_stmt *s = store_prepare(st->roll, sql);
	json_t *list = NULL;
	int rc;

	if (s == NULL || store_bind_text(s, 1, meeting) != 0)
		goto out;
	list = json_array();
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		json_t *o = json_object();
		for (size_t i = 0; i < n; i++) {
			const char *v = (const char *)sqlite3_column_text(s,
			    (int)i);
			if (strcmp(keys[i], "at") == 0)
				json_object_set_new(o, keys[i], json_integer(
				    sqlite3_column_int64(s, (int)i)));
			else if (strcmp(keys[i], "withdrawn") == 0)
				json_object_set_new(o, keys[i], json_boolean(
				    sqlite3_column_int(s, (int)i) != 0));
			else
				json_object_set_new(o, keys[i],
				    json_string(v != NULL ? v : ""));
		}
		json_array_append_new(list, o);
	}
	if (rc != SQLITE_DONE) {
		json_decref(list);
		list = NULL;
	}
out:
	sqlite3_finalize(s);
	return list;
}

void
api_desk(struct mctx *c, const struct mrow *m, const struct api_call *call,
    struct mreply *r)
{
	static const char *const mk[] = { "no", "name" };
	static const char *const pk[] = { "giver", "giver_name", "holder",
	    "holder_name", "at", "withdrawn" };
	json_t *members, *paper, *cond;

	(void)call;
	members = desk_rows(c->st, m->id, "SELECT m.member_no, m.last_name"
	    " || ' ' || m.first_name FROM meeting_roll r JOIN members m ON"
	    " m.id = r.member_id JOIN credentials c ON c.meeting = r.meeting"
	    " AND c.member_id = r.member_id AND c.status = 'active' WHERE"
	    " r.meeting = ?1 AND r.voter = 1 ORDER BY m.last_name,"
	    " m.first_name, m.id", mk, 2);
	paper = desk_rows(c->st, m->id, "SELECT g.member_no, g.last_name ||"
	    " ' ' || g.first_name, h.member_no, h.last_name || ' ' ||"
	    " h.first_name, p.at, p.withdrawn_at IS NOT NULL FROM proxies p"
	    " JOIN members g ON g.id = p.giver JOIN members h ON h.id ="
	    " p.holder WHERE p.meeting = ?1 AND p.channel = 'paper' ORDER BY"
	    " p.id", pk, 6);
	cond = proxy_conditions_of(c, m);
	if (members == NULL || paper == NULL || cond == NULL) {
		json_decref(members);
		json_decref(paper);
		json_decref(cond);
		mr_err(r, "unavailable", NULL);
		return;
	}
	mr_ok(r, json_pack("{s:s,s:o,s:o,s:o}", "title", m->title, "members",
	    members, "conditions", cond, "paper", paper));
}
