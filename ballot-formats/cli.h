/*
 * cli.h — `scrutin count`: runs a scenario under a profile and prints
 * the result as JSON (default) or as the French sentences (--text).
 * Kept as a function so the server's multi-command `scrutin` binary can
 * call it; scrutin-count's main is a thin wrapper.
 */
#ifndef SCRUTIN_STATUTES_CLI_H
#define SCRUTIN_STATUTES_CLI_H

/* argv[0] is the command name ("count"). Returns the exit status:
 * 0 success, 1 invalid profile/scenario/facts (a file over the size cap
 * too), 2 usage or I/O error. */
int statutes_cli_count(int argc, char **argv);

#endif
