/*
 * cli_record.c — the commands that read what was recorded: `scrutin
 * events` (the operator's event journal, every change store_event_record
 * wrote, as JSON) and `scrutin record export` (a meeting's public record,
 * as JSON lines signed with the server key, for scrutin-verify).
 *
 * Both only read the store. Trusts the parsed options (cli.c).
 * Invariant: the server's signing key lives in sodium memory and is freed
 * before return.
 */
#include "server/cli.h"

#include <stdio.h>

#include <jansson.h>
#include <sodium.h>

#include "server/meeting.h"
#include "server/priv.h"
#include "server/store.h"

/* One event: sequence, time, kind and its JSON payload. */
static json_t *
event_row_json(sqlite3_stmt *s)
{
	json_error_t jerr;
	json_t *payload = json_loads((const char *)sqlite3_column_text(s, 3),
	    0, &jerr);

	return json_pack("{s:I, s:I, s:s, s:o*}",
	    "seq", (json_int_t)sqlite3_column_int64(s, 0), "at",
	    (json_int_t)sqlite3_column_int64(s, 1), "kind",
	    (const char *)sqlite3_column_text(s, 2), "payload", payload);
}

int
cli_events(struct cli_args *a)
{
	json_t *arr;

	if (cli_rows_json(a->datadir, "SELECT seq, at, kind, payload FROM"
	        " events ORDER BY seq", NULL, event_row_json, &arr) != 0)
		return 1;
	cli_json_print(arr);
	return 0;
}

int
cli_record_export(struct cli_args *a)
{
	struct store *st = NULL;
	uint8_t *sk = NULL, pk[32];
	int rc = 1;

	if (store_open(&st, a->datadir) == 0 &&
	    priv_key_load(a->datadir, &sk, pk) == 0) {
		if (meeting_record_export(st, sk, a->argv[0], stdout) != 0)
			cli_err_print("record export", "réunion inconnue ou"
			    " erreur d'écriture");
		else
			rc = 0;
	}
	if (sk != NULL)
		sodium_free(sk);
	store_close(st);
	return rc;
}
