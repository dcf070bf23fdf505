/*
 * fuzz_json_body.c — request bodies of the API (server/body.c): any
 * bytes, up to the cap. A decoded body must satisfy every documented
 * constraint.
 */
#include <stdlib.h>
#include <string.h>

#include "server/body.h"
#include "server/cred.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct activate_req req;
	struct body_error err;

	if (body_activate_decode(data, size, &req, &err) == 0) {
		if (err.err != BODY_OK || !cred_meeting_valid(req.meeting) ||
		    size > BODY_MAX)
			abort();
	} else if (err.err == BODY_OK) {
		abort();
	}
	return 0;
}
