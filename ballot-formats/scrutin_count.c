/*
 * scrutin_count.c — main of scrutin-count, a thin wrapper around
 * statutes_cli_count (cli.h), which the server's `scrutin` binary will
 * call as its `count` command.
 */
#include "ballot-formats/cli.h"

int
main(int argc, char **argv)
{
	return statutes_cli_count(argc, argv);
}
