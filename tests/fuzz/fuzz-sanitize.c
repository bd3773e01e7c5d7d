/*
 * fuzz-sanitize.c - a chat answer through daemon/sanitize.h's
 * sanitize_program(), as a candidate with "sanitize": true is.
 *
 * Input: one byte of choices (bit 0: SANITIZE_BLOCK, a script's
 * problem; bit 1: a head, the prompt), then NUL-separated strings: the
 * head when bit 1 is set, the text, then up to 8 entry points.  The
 * result must end with a newline, and an intact text must be all there.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/sanitize.h"
#include "tests/fuzz/fuzz.h"

#define FS_ENTRIES	8

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
	struct fuzz_in	 in = { data, size };
	char		*head = NULL, *text, *entries[FS_ENTRIES], *out;
	char		 err[256];
	size_t		 n = 0, len;
	uint8_t		 how;
	bool		 intact;

	how = fuzz_byte(&in);
	if (how & 0x2)
		head = fuzz_string(&in, NULL);
	text = fuzz_string(&in, NULL);
	while (n < FS_ENTRIES && in.left > 0)
		entries[n++] = fuzz_string(&in, NULL);
	out = sanitize_program(head, text, (const char *const *)entries, n,
	    (how & 0x1) ? SANITIZE_BLOCK : SANITIZE_DEFS, &intact, err,
	    sizeof(err));
	if (out == NULL)
		__builtin_trap();	/* only over SANITIZE_MAX */
	len = strlen(out);
	if (len == 0 || out[len - 1] != '\n')
		__builtin_trap();
	free(out);
	while (n > 0)
		free(entries[--n]);
	free(text);
	free(head);
	return 0;
}
