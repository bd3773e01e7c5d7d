/*
 * fuzz-models.c - the model cost table: conf/models.conf through
 * models_load(), and a report's "cost=" JSON object through
 * models_from_request() over it, as GET /v1/reports takes it
 * (daemon/models.h).
 *
 * Input: the file, then a NUL, then the request's text (up to the next
 * NUL).  Each table that loads is looked up by every name it has, by
 * each name in upper case and by "org/NAME-hf".
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/xmalloc.h"
#include "daemon/models.h"
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

/* Look every row of "m" up, as the reports do by a run's model. */
static void
fm_walk(const struct models *m)
{
	const struct report_cost *rows;
	char		*s;
	size_t		 n;

	(void)models_path(m);
	rows = models_rows(m, &n);
	for (size_t i = 0; i < n; i++) {
		if (models_find(m, rows[i].model) == NULL)
			__builtin_trap();
		s = xasprintf("org/%s-hf", rows[i].model);
		(void)models_find(m, s);
		for (char *p = s; *p != '\0'; p++)
			*p = (char)toupper((unsigned char)*p);
		(void)models_find(m, s);
		free(s);
	}
	(void)models_find(m, "");
	(void)models_find(m, "/");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in	 in = { data, size };
	struct models	*m = NULL, *req = NULL;
	char		*file, *text, err[512], path[64];
	size_t		 len;
	int		 fd;

	file = fuzz_string(&in, &len);
	text = fuzz_string(&in, NULL);
	fd = fuzz_file((const uint8_t *)file, len, path, sizeof(path));
	if (models_load(path, &m, err, sizeof(err)) == 0)
		fm_walk(m);
	if (models_from_request(text, m, &req, err, sizeof(err)) == 0)
		fm_walk(req);
	models_free(req);
	models_free(m);
	close(fd);
	free(file);
	free(text);
	return 0;
}
