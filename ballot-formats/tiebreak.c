/*
 * tiebreak.c — filling an election's seats from its qualified candidates,
 * and breaking a tie at the last seat(s) with the rule's chain of
 * criteria: a city referent's function, a city not yet represented,
 * semesters, parity by sex on the board, the eldest. Each criterion
 * narrows the tied set; a seat won at a tie updates the cities and the
 * board the next seat is judged against.
 *
 * Trusts the rule's chain (the profile), not the members: a fact a
 * criterion needs (city_referent, city, semesters, sex, birth date, the
 * board's composition) is an error when a tied candidate lacks it.
 *
 * Invariants: never more elected than seats; a candidate with more votes
 * than the last seat's is elected; a tie the chain leaves open is
 * reported (CT_TB_UNRESOLVED, the candidates still tied marked), never
 * settled by the order of the list.
 */
#include "ballot-formats/count_int.h"
#include "common/xmalloc.h"

#include <stdlib.h>
#include <string.h>

struct tb_state {
	size_t n_cities;
	const char **cities;
	size_t n_board;
	const char **sexes;
	uint32_t *counts;
};

static bool
city_represented(const struct tb_state *t, const char *city)
{
	for (size_t k = 0; k < t->n_cities; k++)
		if (strcmp(t->cities[k], city) == 0)
			return true;
	return false;
}

static uint32_t
board_count(const struct tb_state *t, const char *sex)
{
	for (size_t k = 0; k < t->n_board; k++)
		if (strcmp(t->sexes[k], sex) == 0)
			return t->counts[k];
	return 0;
}

/* Narrows the tied set `set` (n entries, candidate indices into qr->cands)
 * by criterion tb; returns the new size. */
static int
tb_apply(struct ctx *c, const struct ct_question *q, struct ct_question_result *qr,
    const struct tb_state *ts, enum pr_tiebreak tb, size_t *set, size_t *n)
{
	int64_t best = INT64_MIN;
	int64_t *score = xcalloc(*n, sizeof *score);
	size_t m = 0;

	for (size_t k = 0; k < *n; k++) {
		const struct ct_member *mb = &c->m->members[qr->cands[set[k]].member];
		switch (tb) {
		case PR_TB_FUNCTION:
			if (mb->city_referent == CT_UNKNOWN)
				goto missing;
			score[k] = mb->city_referent == CT_YES;
			break;
		case PR_TB_CITY_NOT_REPRESENTED:
			if (mb->city == NULL)
				goto missing;
			score[k] = !city_represented(ts, mb->city);
			break;
		case PR_TB_SEMESTERS:
			if (mb->semesters < 0)
				goto missing;
			score[k] = mb->semesters;
			break;
		case PR_TB_SEX_PARITY:
			if (mb->sex == NULL)
				goto missing;
			if (!q->has_board) {
				free(score);
				return ct_err(c, q->line, "question « %s » : le départage par le "
				    "sexe demande la composition du conseil (question.board)",
				    "question '%s': the tie-break by sex needs the "
				    "board's composition (question.board)", q->id);
			}
			score[k] = -(int64_t)board_count(ts, mb->sex);
			break;
		case PR_TB_ELDEST:
			if (!mb->has_birth)
				goto missing;
			score[k] = -(int64_t)mb->birth;
			break;
		}
		if (score[k] > best)
			best = score[k];
	}
	for (size_t k = 0; k < *n; k++)
		if (score[k] == best)
			set[m++] = set[k];
	*n = m;
	free(score);
	return 0;
missing:
	free(score);
	static const char *const FACT[] = {"city_referent", "city", "semesters", "sex", "birth"};
	return ct_err(c, q->line, "question « %s » : le départage demande « %s » pour chaque "
	    "candidat à égalité",
	    "question '%s': the tie-break needs '%s' for every tied "
	    "candidate", q->id, FACT[tb]);
}

/* Elects `seats` among the pool (qr->cands[0..pool), sorted), breaking a
 * tie at the last seat with the rule's chain. */
int
ct_seats_select(struct ctx *c, const struct ct_question *q, struct ct_question_result *qr,
    const struct pr_election *er, size_t pool, uint32_t seats)
{
	struct tb_state ts = {0};
	size_t elected = 0;
	int rc = -1;

	qr->tiebreak = CT_TB_NOT_NEEDED;
	if (pool <= seats) {
		for (size_t k = 0; k < pool; k++)
			qr->cands[k].elected = true;
		return 0;
	}
	uint32_t v = qr->cands[seats - 1].votes;
	size_t first = 0, last = 0;
	for (size_t k = 0; k < pool; k++) {
		if (qr->cands[k].votes > v) {
			qr->cands[k].elected = true;
			elected++;
		} else if (qr->cands[k].votes == v) {
			if (last == first)
				first = k;
			last = k + 1;
		}
	}
	size_t slots = seats - elected;
	if (last - first == slots) {
		for (size_t k = first; k < last; k++)
			qr->cands[k].elected = true;
		return 0;
	}
	/* A tie at the last seat(s). */
	ts.n_cities = q->n_cities;
	ts.cities = xcalloc(q->n_cities + seats + 1, sizeof *ts.cities);
	for (size_t k = 0; k < q->n_cities; k++)
		ts.cities[k] = q->represented_cities[k];
	ts.n_board = q->n_board;
	ts.sexes = xcalloc(q->n_board + seats + 1, sizeof *ts.sexes);
	ts.counts = xcalloc(q->n_board + seats + 1, sizeof *ts.counts);
	for (size_t k = 0; k < q->n_board; k++) {
		ts.sexes[k] = q->board[k].sex;
		ts.counts[k] = q->board[k].count;
	}
	size_t *set = xcalloc(last - first, sizeof *set);
	qr->tiebreak = CT_TB_RESOLVED;
	while (slots > 0) {
		size_t n = 0;
		for (size_t k = first; k < last; k++)
			if (!qr->cands[k].elected)
				set[n++] = k;
		int decided = -1;
		for (size_t t = 0; t < er->n_tiebreak && n > 1; t++) {
			if (tb_apply(c, q, qr, &ts, er->tiebreak[t], set, &n) != 0)
				goto out;
			decided = (int)t;
		}
		if (n != 1) {
			for (size_t k = first; k < last; k++)
				if (!qr->cands[k].elected)
					qr->cands[k].tied = true;
			qr->tiebreak = CT_TB_UNRESOLVED;
			break;
		}
		struct ct_cand_result *w = &qr->cands[set[0]];
		const struct ct_member *mb = &c->m->members[w->member];
		w->elected = true;
		w->decided_by = decided;
		slots--;
		if (mb->city)
			ts.cities[ts.n_cities++] = mb->city;
		if (mb->sex) {
			size_t k;
			for (k = 0; k < ts.n_board; k++)
				if (strcmp(ts.sexes[k], mb->sex) == 0)
					break;
			if (k == ts.n_board) {
				ts.sexes[ts.n_board] = mb->sex;
				ts.counts[ts.n_board++] = 0;
			}
			ts.counts[k]++;
		}
	}
	rc = 0;
out:
	free(set);
	free(ts.cities);
	free(ts.sexes);
	free(ts.counts);
	return rc;
}
