/*
 * fuzz-result.c - the jail's result record as the daemon reads it
 * (sandbox/pool.c: one line of the zygote's, parsed with jansson, then
 * sandbox/result.h's sandbox_result_parse()).
 *
 * Input: the line.  A record that parses has its tests written back as
 * JSON, as the store keeps them.
 */
#include <stdint.h>

#include <jansson.h>

#include "sandbox/result.h"
#include "tests/fuzz/fuzz.h"

int	 LLVMFuzzerInitialize(int *argc, char ***argv);
int	 LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sandbox_result	 res;
	json_error_t		 jerr;
	json_t			*rec, *tests;
	char			 why[300];

	/* As worker_line() does: flags 0, an object or nothing. */
	if ((rec = json_loadb((const char *)data, size, 0, &jerr)) == NULL)
		return 0;
	if (json_is_object(rec) &&
	    sandbox_result_parse(rec, &res, why, sizeof(why)) == 0) {
		tests = sandbox_result_tests_json(&res);
		json_decref(tests);
		sandbox_result_free(&res);
	}
	json_decref(rec);
	return 0;
}
