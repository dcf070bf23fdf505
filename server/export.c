/*
 * export.c — the public record of a meeting written out for publication
 * (`scrutin record export`, docs/record.md): the ballots not chained yet
 * and a checkpoint are appended first, so that a published record always
 * ends with a checkpoint.
 *
 * Trusts the store (store_record_*), which keeps the record, its hash
 * chain and the key that signs its checkpoints. Changes nothing but the
 * chain's tail, in one transaction; the file is the caller's.
 */
#include "server/meeting_int.h"

#include <stdio.h>

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
