/* minutes.c — placeholder, replaced in the next step. */
#include "trustee/trustee.h"

int
tr_cmd_sign_minutes(struct tr_args *a)
{
	(void)a;
	tr_say("pas encore", "not yet");
	return TR_FAIL;
}
