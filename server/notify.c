/*
 * notify.c — the live notifications (see meeting.h): the ring of the last
 * NOTIFY_RING events, which the network process fetches to feed its
 * streams (meeting_notifications_since), the participation counts
 * throttled to one every 250 ms per question or meeting (part_touch,
 * part_flush: a crowd checking in or voting at once does not recount the
 * roll or the box once per request), and a snapshot of every meeting
 * after another process (the CLI) changed one.
 *
 * Trusts its callers: they notify once their change is committed, never
 * from inside a transaction that may still roll back.
 *
 * Invariants: sequence numbers grow by one from 1; an event older than
 * the ring is gone, and a reader learns it from "oldest"; a notification
 * holds its data as JSON text, owned by the ring.
 */
#include "server/meeting_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server/store.h"

static uint64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void
notify(struct mctx *c, const char *meeting, const char *name, json_t *data)
{
	struct notification *n;
	char *text;

	if (c == NULL) {
		json_decref(data);
		return;
	}
	text = json_dumps(data, JSON_COMPACT);
	json_decref(data);
	if (text == NULL)
		return;
	n = &c->ring[c->next_seq % NOTIFY_RING];
	free(n->data);
	n->seq = c->next_seq++;
	snprintf(n->meeting, sizeof n->meeting, "%s", meeting);
	snprintf(n->name, sizeof n->name, "%s", name);
	n->data = text;
}

uint64_t
meeting_notify_last(const struct mctx *c)
{
	return c->next_seq - 1;
}

json_t *
meeting_notifications_since(struct mctx *c, uint64_t after, size_t max_bytes)
{
	uint64_t oldest = c->next_seq > NOTIFY_RING ?
	    c->next_seq - NOTIFY_RING : 1;
	uint64_t from = after + 1 < oldest ? oldest : after + 1;
	json_t *evs, *doc;
	size_t bytes = 0;
	uint64_t last = after;

	if (from >= c->next_seq)
		return NULL;
	evs = json_array();
	for (uint64_t q = from; q < c->next_seq; q++) {
		struct notification *n = &c->ring[q % NOTIFY_RING];
		size_t l = strlen(n->data) + 128;
		if (bytes + l > max_bytes && json_array_size(evs) > 0)
			break;
		bytes += l;
		json_array_append_new(evs, json_pack("{s:I,s:s,s:s,s:s}",
		    "seq", (json_int_t)n->seq, "meeting", n->meeting, "name",
		    n->name, "data", n->data));
		last = q;
	}
	doc = json_pack("{s:I,s:I,s:o}", "seq", (json_int_t)last, "oldest",
	    (json_int_t)oldest, "events", evs);
	return doc;
}

/* Marks participation dirty for a question (qid "": the meeting's
 * attendance and quorum); each emitted at most 4/s, so that a crowd
 * checking in or voting at once does not recount the roll or the box
 * once per request. */
void
part_touch(struct mctx *c, const char *meeting, const char *qid)
{
	size_t free_slot = 64, oldest = 0;

	for (size_t i = 0; i < 64; i++) {
		if (strcmp(c->part[i].meeting, meeting) == 0 &&
		    strcmp(c->part[i].qid, qid) == 0) {
			c->part[i].dirty = 1;
			return;
		}
		if (c->part[i].meeting[0] == '\0' && free_slot == 64)
			free_slot = i;
		if (c->part[i].last_ms < c->part[oldest].last_ms)
			oldest = i;
	}
	if (free_slot == 64)
		free_slot = oldest;
	snprintf(c->part[free_slot].meeting, 65, "%s", meeting);
	snprintf(c->part[free_slot].qid, 65, "%s", qid);
	c->part[free_slot].last_ms = 0;
	c->part[free_slot].dirty = 1;
}

static int64_t
q_count(struct store *st, const char *meeting, const char *qid)
{
	sqlite3_stmt *s = store_prepare(st->box, "SELECT count(*) FROM"
	    " ballots WHERE meeting = ?1 AND qid = ?2");
	int64_t n = -1;

	if (s != NULL && store_bind_text(s, 1, meeting) == 0 &&
	    store_bind_text(s, 2, qid) == 0 && sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

void
part_flush(struct mctx *c, int force)
{
	uint64_t now = mono_ms();

	for (size_t i = 0; i < 64; i++) {
		if (!c->part[i].dirty)
			continue;
		if (!force && now - c->part[i].last_ms < 250)
			continue;
		c->part[i].dirty = 0;
		c->part[i].last_ms = now;
		if (c->part[i].qid[0] == '\0') {
			struct mrow m;

			if (m_load(c->st, c->part[i].meeting, &m) == 0)
				notify(c, m.id, "attendance",
				    attendance_json(c, c->st, &m));
			continue;
		}
		notify(c, c->part[i].meeting, "participation",
		    json_pack("{s:s,s:I}", "id", c->part[i].qid, "ballots",
		    (json_int_t)q_count(c->st, c->part[i].meeting,
		    c->part[i].qid)));
	}
}

void
meeting_notify_snapshots(struct mctx *c)
{
	sqlite3_stmt *s = store_prepare(c->st->roll, "SELECT id FROM meetings"
	    " WHERE status != 'closed' OR ended_at > ?1");
	char ids[16][65];
	size_t n = 0;

	if (s != NULL && sqlite3_bind_int64(s, 1, (sqlite3_int64)now_unix() -
	        86400) == SQLITE_OK)
		while (n < 16 && sqlite3_step(s) == SQLITE_ROW)
			snprintf(ids[n++], 65, "%s",
			    (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	for (size_t i = 0; i < n; i++) {
		/* The profile may have changed with the meeting: reload. */
		for (size_t k = 0; k < 8; k++)
			if (c->prof[k].p != NULL &&
			    strcmp(c->prof[k].meeting, ids[i]) == 0) {
				free(c->prof[k].p);
				c->prof[k].p = NULL;
				c->prof[k].meeting[0] = '\0';
			}
		json_t *v = meeting_view(c, ids[i]);
		if (v != NULL)
			notify(c, ids[i], "snapshot", v);
	}
}
