/*
 * replay.c - the main() of a fuzz harness without libFuzzer: each file
 * named on the command line goes once through LLVMFuzzerTestOneInput(),
 * as libFuzzer would run it ("make fuzz-replay" runs the seed corpus and
 * every regression input this way, with gcc and the build's flags).
 *
 *   build/tests/fuzz/fuzz-NAME FILE...
 *
 * Exit status: 0 when every file was read and run (a bug shows as a
 * crash or a sanitizer report), 1 when a file cannot be read.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int	 LLVMFuzzerInitialize(int *argc, char ***argv)
	    __attribute__((weak));

/* Read all of "path" into a new buffer (*sizep bytes).  NULL: failed. */
static uint8_t *
replay_read(const char *path, size_t *sizep)
{
	FILE		*f;
	uint8_t		*buf = NULL;
	size_t		 len = 0, cap = 0, n;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			buf = xreallocarray(buf, cap, 1);
		}
		if ((n = fread(buf + len, 1, cap - len, f)) == 0)
			break;
		len += n;
	}
	if (ferror(f)) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	*sizep = len;
	return buf;
}

int
main(int argc, char *argv[])
{
	uint8_t		*buf, *in;
	size_t		 size;
	int		 st = 0;

	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		if ((buf = replay_read(argv[i], &size)) == NULL) {
			fprintf(stderr, "replay: %s: %s\n", argv[i],
			    strerror(errno));
			st = 1;
			continue;
		}
		/* A copy of its exact size, as libFuzzer gives it: a read
		 * past its end is seen by ASan. */
		in = xmalloc(size ? size : 1);
		memcpy(in, buf, size);
		free(buf);
		LLVMFuzzerTestOneInput(in, size);
		free(in);
	}
	return st;
}
