/*
 * cli_roll.c — the member roll's commands: `scrutin roll import`, `roll
 * list` and `roll history`.
 *
 * import reads the CSV file (at most ROLL_MAX_FILE bytes), parses it with
 * roll.c, which trusts nothing of it, and applies it in one transaction
 * unless --dry-run; its report goes to stdout (text in the chosen
 * language, or JSON with both), a refused file's reason to stderr (or
 * stdout with --json). Exit status: 0 every row imported, 3 some rows
 * rejected (the others imported), 1 file refused or storage error,
 * nothing changed (docs/server.md).
 *
 * list and history only read the roll.
 */
#include "server/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "server/store.h"

/* A file that could not be read (r: file_read_capped's -1 or -2). */
static void
roll_import_unreadable(const struct cli_args *a, struct roll_parse *p,
    int r)
{
	char msg[256], fr[256], en[256];

	p->ferr = r == -2 ? RF_TOO_BIG : RF_NONE;
	if (r == -2)
		roll_ferr_format(msg, sizeof msg, p, a->lang);
	else
		snprintf(msg, sizeof msg, a->lang == ROLL_FR
		    ? "%s : lecture impossible" : "%s: cannot read",
		    a->argv[0]);
	if (!a->json) {
		fprintf(stderr, "%s\n", msg);
		return;
	}
	roll_ferr_format(fr, sizeof fr, p, ROLL_FR);
	roll_ferr_format(en, sizeof en, p, ROLL_EN);
	cli_json_print(json_pack("{s:b, s:{s:s, s:s, s:s}}", "ok", 0,
	    "error", "code", r == -2 ? "too_big" : "unreadable",
	    "fr", r == -2 ? fr : "lecture impossible",
	    "en", r == -2 ? en : "cannot read"));
}

/* A file refused by the parser (p->ferr). */
static void
roll_import_refused(const struct cli_args *a, const struct roll_parse *p)
{
	char fr[256], en[256];

	if (!a->json) {
		roll_ferr_format(fr, sizeof fr, p, a->lang);
		fprintf(stderr, "%s\n", fr);
		return;
	}
	roll_ferr_format(fr, sizeof fr, p, ROLL_FR);
	roll_ferr_format(en, sizeof en, p, ROLL_EN);
	cli_json_print(json_pack("{s:b, s:{s:s, s:I, s:s, s:s}}", "ok", 0,
	    "error", "code", roll_ferr_code(p->ferr),
	    "line", (json_int_t)p->ferr_line, "fr", fr, "en", en));
}

static void
roll_import_report_json(const struct cli_args *a, const struct roll_parse *p,
    const struct roll_import_result *res, const char *sha)
{
	json_t *rej = json_array();

	for (size_t i = 0; i < p->nrejects; i++) {
		char fr[256], en[256];
		roll_reject_format(fr, sizeof fr, &p->rejects[i], ROLL_FR);
		roll_reject_format(en, sizeof en, &p->rejects[i], ROLL_EN);
		json_array_append_new(rej, json_pack("{s:I, s:s, s:s, s:s}",
		    "line", (json_int_t)p->rejects[i].line, "code",
		    roll_reason_code(p->rejects[i].reason), "fr", fr,
		    "en", en));
	}
	cli_json_print(json_pack("{s:b, s:b, s:s, s:s, s:s, s:I, s:I, s:I,"
	    " s:I, s:I, s:I, s:I, s:o}", "ok", 1, "dry_run", a->dry_run,
	    "sha256", sha,
	    "encoding", p->encoding == ROLL_UTF8 ? "utf-8" : "windows-1252",
	    "separator", p->sep == ';' ? ";" : ",",
	    "import", (json_int_t)res->import_id,
	    "rows_ok", (json_int_t)p->nrows,
	    "rows_rejected", (json_int_t)p->nrejects,
	    "created", (json_int_t)res->created,
	    "updated", (json_int_t)res->updated,
	    "unchanged", (json_int_t)res->unchanged,
	    "removed", (json_int_t)res->removed, "rejected", rej));
}

static void
roll_import_report_text(const struct cli_args *a, const struct roll_parse *p,
    const struct roll_import_result *res)
{
	int fr = a->lang == ROLL_FR;
	char msg[256];

	printf(fr ? "Fichier : %s, séparateur « %c »\n"
		  : "File: %s, separator '%c'\n",
	    p->encoding == ROLL_UTF8 ? "UTF-8" : "Windows-1252", p->sep);
	printf(fr ? "%s : %zu adhérents (%zu nouveaux, %zu modifiés,"
		    " %zu inchangés, %zu retirés)\n"
		  : "%s: %zu members (%zu new, %zu changed, %zu"
		    " unchanged, %zu removed)\n",
	    a->dry_run ? (fr ? "Vérifié (rien n'est enregistré)"
			     : "Checked (nothing stored)")
		       : (fr ? "Importé" : "Imported"),
	    p->nrows, res->created, res->updated, res->unchanged,
	    res->removed);
	printf(fr ? "Lignes rejetées : %zu\n" : "Rejected lines: %zu\n",
	    p->nrejects);
	for (size_t i = 0; i < p->nrejects; i++) {
		roll_reject_format(msg, sizeof msg, &p->rejects[i], a->lang);
		printf(fr ? "  ligne %lu : %s\n" : "  line %lu: %s\n",
		    p->rejects[i].line, msg);
	}
}

int
cli_roll_import(struct cli_args *a)
{
	uint8_t *data = NULL, h[crypto_hash_sha256_BYTES];
	size_t len = 0;
	struct roll_parse p;
	struct roll_import_result res = { 0 };
	struct store *st = NULL;
	char sha[65];
	int rc = 1, r, irc = 0;

	memset(&p, 0, sizeof p);
	r = file_read_capped(a->argv[0], ROLL_MAX_FILE, &data, &len);
	if (r != 0) {
		roll_import_unreadable(a, &p, r);
		goto out;
	}
	crypto_hash_sha256(h, data, len);
	xhex_encode(sha, sizeof sha, h, sizeof h);
	if (roll_parse(&p, data, len) != 0) {
		roll_import_refused(a, &p);
		goto out;
	}
	if (!a->dry_run && (store_open(&st, a->datadir) != 0 ||
	    (irc = roll_import_apply(st, &p, sha, a->remove_missing,
	        &res)) != 0)) {
		if (irc == ROLL_ERR_FROZEN) {
			fprintf(stderr, "%s\n", a->lang == ROLL_FR ?
			    res.refused_fr : res.refused_en);
			goto out;
		}
		fprintf(stderr, a->lang == ROLL_FR
		    ? "import annulé : erreur d'écriture, rien n'a été"
		      " modifié\n"
		    : "import cancelled: storage error, nothing was"
		      " changed\n");
		goto out;
	}
	if (a->json)
		roll_import_report_json(a, &p, &res, sha);
	else
		roll_import_report_text(a, &p, &res);
	rc = p.nrejects > 0 ? 3 : 0;
out:
	roll_parse_free(&p);
	store_close(st);
	free(data);
	return rc;
}

/* A member: the roll's columns by name, then status and version. */
static json_t *
roll_member_json(sqlite3_stmt *s)
{
	json_t *m = json_object();

	for (int c = 0; c < COL_COUNT; c++) {
		const unsigned char *v = sqlite3_column_text(s, c);
		json_object_set_new(m, roll_col_name[c],
		    json_string(v ? (const char *)v : ""));
	}
	json_object_set_new(m, "status", json_string(
	    (const char *)sqlite3_column_text(s, COL_COUNT)));
	json_object_set_new(m, "version",
	    json_integer(sqlite3_column_int64(s, COL_COUNT + 1)));
	return m;
}

/* One member's versions: the roll's columns, status, version and the
 * time the version was valid from (and until, or null for the current
 * one). */
static json_t *
roll_version_json(sqlite3_stmt *s)
{
	json_t *m = roll_member_json(s);

	json_object_set_new(m, "valid_from",
	    json_integer(sqlite3_column_int64(s, COL_COUNT + 2)));
	json_object_set_new(m, "valid_until",
	    sqlite3_column_type(s, COL_COUNT + 3) == SQLITE_NULL ? json_null()
	    : json_integer(sqlite3_column_int64(s, COL_COUNT + 3)));
	return m;
}

int
cli_roll_list(struct cli_args *a)
{
	json_t *arr, *m;
	size_t i;

	if (cli_rows_json(a->datadir,
	        "SELECT member_no, last_name, first_name, email, phone,"
	        " category, dues_paid, joined, zone, birth_date, sex, city,"
	        " status, version FROM members"
	        " WHERE ?1 = 'all' OR status = 'active' ORDER BY member_no",
	        a->all ? "all" : "active", roll_member_json, &arr) != 0)
		return 1;
	if (a->json) {
		cli_json_print(arr);
		return 0;
	}
	json_array_foreach(arr, i, m)
		printf("%s\t%s\t%s\t%s\t%s\n",
		    json_string_value(json_object_get(m, "member_no")),
		    json_string_value(json_object_get(m, "last_name")),
		    json_string_value(json_object_get(m, "first_name")),
		    json_string_value(json_object_get(m, "email")),
		    json_string_value(json_object_get(m, "status")));
	json_decref(arr);
	return 0;
}

int
cli_roll_history(struct cli_args *a)
{
	json_t *arr;

	/* Past versions, then the current one. */
	if (cli_rows_json(a->datadir,
	        "SELECT h.member_no, h.last_name, h.first_name, h.email,"
	        " h.phone, h.category, h.dues_paid, h.joined, h.zone,"
	        " h.birth_date, h.sex, h.city, h.status, h.version,"
	        " h.valid_from, h.valid_until"
	        " FROM members_history h JOIN members m ON m.id = h.member_id"
	        " WHERE m.member_no = ?1"
	        " UNION ALL SELECT member_no, last_name, first_name, email,"
	        " phone, category, dues_paid, joined, zone, birth_date, sex,"
	        " city, status, version, updated_at, NULL FROM members"
	        " WHERE member_no = ?1 ORDER BY 14", a->argv[0],
	        roll_version_json, &arr) != 0)
		return 1;
	if (json_array_size(arr) == 0) {
		fprintf(stderr, "adhérent « %s » inconnu\n", a->argv[0]);
		json_decref(arr);
		return 1;
	}
	cli_json_print(arr);
	return 0;
}
