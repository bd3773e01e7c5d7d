/*
 * fuzz-problems.c - a problem file of any shape (HumanEval, MBPP and
 * sanitized MBPP, APPS, EvalPlus; plain or gzipped) through the loaders
 * of daemon/problemset.h, from memory (POST /v1/problems) or from a
 * file (the config's "problems", verdictd eval --problems).
 *
 * Input: one byte of choices, then the file.  Bit 0: from a file; bit
 * 1: MBPP's challenge tests; bit 2: every MBPP id; bit 3: the dataset
 * "mine".  A loaded set is walked: each problem's id and dataset found
 * again.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "daemon/problemset.h"
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
	struct problemset_opts	 opts;
	struct problemset	*ps;
	const struct problem	*pb;
	char			 err[512], path[64];
	uint8_t			 how;
	int			 r, fd;

	if (size < 1)
		return 0;
	how = data[0];
	data++;
	size--;
	memset(&opts, 0, sizeof(opts));
	opts.mbpp_challenge = (how & 0x2) != 0;
	opts.mbpp_all = (how & 0x4) != 0;
	opts.dataset = (how & 0x8) ? "mine" : NULL;
	if (how & 0x1) {
		fd = fuzz_file(data, size, path, sizeof(path));
		/* The descriptor is the loader's to close. */
		r = problemset_load_fd(fd, "file", &opts, &ps, err,
		    sizeof(err));
	} else
		r = problemset_load_mem("mem", data, size, &opts, &ps, err,
		    sizeof(err));
	if (r < 0)
		return 0;
	for (size_t i = 0; i < problemset_count(ps); i++) {
		pb = problemset_at(ps, i);
		if (problemset_find(ps, pb->task_id) != pb ||
		    problemset_index(ps, pb) != i ||
		    !problemset_has_dataset(ps, pb->dataset))
			__builtin_trap();
		(void)problemset_dataset_id(pb);
	}
	problemset_free(ps);
	return 0;
}
