/*
 * fuzz.c - what the fuzz harnesses share.  See fuzz.h.
 */
#include <sys/mman.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "common/xjson.h"
#include "common/xmalloc.h"
#include "tests/fuzz/fuzz.h"

void
fuzz_init(void)
{
	xjson_init();
	log_init(LOG_LEVEL_WARN, "fuzz");
}

int
fuzz_file(const uint8_t *data, size_t size, char *path, size_t len)
{
	ssize_t		 w;
	int		 fd;

	if ((fd = memfd_create("fuzz", MFD_CLOEXEC)) < 0)
		fatal("memfd_create");
	while (size > 0) {
		if ((w = write(fd, data, size)) <= 0)
			fatal("write");
		data += w;
		size -= (size_t)w;
	}
	if (lseek(fd, 0, SEEK_SET) != 0)
		fatal("lseek");
	snprintf(path, len, "/proc/self/fd/%d", fd);
	return fd;
}

uint8_t
fuzz_byte(struct fuzz_in *in)
{
	if (in->left == 0)
		return 0;
	in->left--;
	return *in->p++;
}

char *
fuzz_string(struct fuzz_in *in, size_t *lenp)
{
	const uint8_t	*nul;
	size_t		 n;
	char		*s;

	nul = memchr(in->p, '\0', in->left);
	n = nul != NULL ? (size_t)(nul - in->p) : in->left;
	s = xmalloc(n + 1);
	memcpy(s, in->p, n);
	s[n] = '\0';
	in->p += n + (nul != NULL);
	in->left -= n + (nul != NULL);
	if (lenp != NULL)
		*lenp = n;
	return s;
}
