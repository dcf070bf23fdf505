/*
 * ratelimit.h — the network process's API rate limit: a token bucket per
 * client address (ratelimit.c).
 */
#ifndef SCRUTIN_SERVER_RATELIMIT_H
#define SCRUTIN_SERVER_RATELIMIT_H

#include <pthread.h>
#include <stdint.h>

#define RL_SLOTS 4096u
#define RL_PROBES 8u

struct rl_slot {
	char addr[48];
	double tokens;
	uint64_t last_ms;
};

struct ratelimit {
	pthread_mutex_t mu;
	struct rl_slot *slot;
	double rate, burst;
};

/* rate requests per second per address, bursts of burst. */
void ratelimit_init(struct ratelimit *rl, double rate, double burst);
void ratelimit_free(struct ratelimit *rl);

/* 1 when a request from addr may proceed (one token taken), 0 when its
 * bucket is empty. Any thread. */
int ratelimit_allow(struct ratelimit *rl, const char *addr);

#endif
