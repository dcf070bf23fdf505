/*
 * ratelimit.c — the network process's API rate limit (ratelimit.h): a
 * token bucket per client address, refilled at `--rate` a second up to
 * `--burst`, in a fixed table of RL_SLOTS buckets found by hashing the
 * address (FNV-1a) and probing RL_PROBES neighbours.
 *
 * Trusts nothing of the address but that it is a string. Invariants: the
 * table never grows (a flood of addresses costs no memory); a full
 * neighbourhood evicts its least recently seen address, which then
 * starts again with a full bucket; one mutex guards the table.
 */
#include "server/ratelimit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/xmalloc.h"

static uint64_t
rl_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void
ratelimit_init(struct ratelimit *rl, double rate, double burst)
{
	pthread_mutex_init(&rl->mu, NULL);
	rl->slot = xcalloc(RL_SLOTS, sizeof *rl->slot);
	rl->rate = rate;
	rl->burst = burst;
}

void
ratelimit_free(struct ratelimit *rl)
{
	free(rl->slot);
	rl->slot = NULL;
}

int
ratelimit_allow(struct ratelimit *rl, const char *addr)
{
	uint64_t h = 1469598103934665603ull, t = rl_now_ms();
	struct rl_slot *s = NULL, *oldest = NULL;
	int ok;

	for (const char *p = addr; *p; p++)
		h = (h ^ (uint8_t)*p) * 1099511628211ull;
	pthread_mutex_lock(&rl->mu);
	for (unsigned i = 0; i < RL_PROBES; i++) {
		struct rl_slot *c = &rl->slot[(h + i) & (RL_SLOTS - 1)];
		if (strcmp(c->addr, addr) == 0) {
			s = c;
			break;
		}
		if (oldest == NULL || c->last_ms < oldest->last_ms)
			oldest = c;
	}
	if (s == NULL) {
		s = oldest;
		snprintf(s->addr, sizeof s->addr, "%s", addr);
		s->tokens = rl->burst;
		s->last_ms = t;
	}
	s->tokens += (double)(t - s->last_ms) * rl->rate / 1000.0;
	if (s->tokens > rl->burst)
		s->tokens = rl->burst;
	s->last_ms = t;
	ok = s->tokens >= 1.0;
	if (ok)
		s->tokens -= 1.0;
	pthread_mutex_unlock(&rl->mu);
	return ok;
}
