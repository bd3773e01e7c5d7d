/*
 * fuzz.h - what the fuzz harnesses share: their start, a file holding
 * the input for the loaders that take a path, and a reader of the
 * input as a stream of choices and byte strings.
 *
 * Each harness tests/fuzz/fuzz-NAME.c defines LLVMFuzzerTestOneInput()
 * (and LLVMFuzzerInitialize(), which calls fuzz_init()); libFuzzer
 * drives it in "make fuzz", tests/fuzz/replay.c in "make fuzz-replay".
 * A harness calls the product's code as the daemon or the client does
 * and frees all it got: a crash, a sanitizer report or a leak is a bug.
 */
#ifndef TESTS_FUZZ_FUZZ_H
#define TESTS_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* The input being read by fuzz_byte() and fuzz_bytes(). */
struct fuzz_in {
	const uint8_t	*p;		/* next byte */
	size_t		 left;		/* bytes from p on */
};

/*
 * Start a harness: jansson allocates through xmalloc (as verdictd and
 * the client do), logging at warnings only.  Call once, from
 * LLVMFuzzerInitialize().
 */
void	 fuzz_init(void);

/*
 * A new memfd holding the "size" bytes at "data", at offset 0; its path
 * "/proc/self/fd/N" goes to path (size len).  Returns the descriptor,
 * which the caller closes; aborts when the kernel refuses one.
 */
int	 fuzz_file(const uint8_t *data, size_t size, char *path, size_t len);

/* The next byte of *in, or 0 when none is left. */
uint8_t	 fuzz_byte(struct fuzz_in *in);

/*
 * The bytes of *in up to the next NUL (taken, not returned) or the end,
 * as a new NUL-terminated string (free() it); *lenp, when not NULL, is
 * its length.
 */
char	*fuzz_string(struct fuzz_in *in, size_t *lenp);

#endif /* TESTS_FUZZ_FUZZ_H */
