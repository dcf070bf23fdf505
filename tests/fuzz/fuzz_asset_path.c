/*
 * fuzz_asset_path.c — request paths for the static files: whatever
 * assets_path_ok accepts holds no "..", no "//", no backslash, no byte
 * outside [A-Za-z0-9._/-], and starts with "/".
 */
#include <stdlib.h>
#include <string.h>

#include "server/assets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[512];
	static const struct assets none;

	if (size >= sizeof path)
		return 0;
	memcpy(path, data, size);
	path[size] = '\0';
	if (!assets_path_ok(path))
		return 0;
	if (path[0] != '/' || strstr(path, "..") != NULL ||
	    strstr(path, "//") != NULL || strstr(path, "/.") != NULL)
		abort();
	for (const char *p = path; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		        (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' ||
		        *p == '_' || *p == '/'))
			abort();
	if (assets_find(&none, path) != NULL)
		abort();
	return 0;
}
