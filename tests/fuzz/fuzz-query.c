/*
 * fuzz-query.c - the query arguments of GET /v1/reports through
 * api/v1args.h's v1args_report(), which api/v1.c reads them with, then
 * a cost table given as a JSON object through models_from_request()
 * over a small table (daemon/models.h), as v1_get_reports() does.
 *
 * Input: "KEY=VALUE" arguments separated by "&", as libmicrohttpd hands
 * them over (already decoded: any byte but NUL may be in a value; the
 * first of a key is the one read).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/v1args.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "daemon/models.h"
#include "tests/fuzz/fuzz.h"

#define FQ_ARGS		64

int	 LLVMFuzzerInitialize(int *argc, char ***argv);
int	 LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The arguments of one request. */
struct fq_query {
	const char	*key[FQ_ARGS];
	const char	*value[FQ_ARGS];
	size_t		 n;
};

static const char fq_table[] = "codellama-7b 1 0.5\ncodellama-13b 2 1\n";
static struct models *fq_models;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char	 err[512], path[64];
	int	 fd;

	(void)argc;
	(void)argv;
	fuzz_init();
	fd = fuzz_file((const uint8_t *)fq_table, strlen(fq_table), path,
	    sizeof(path));
	if (models_load(path, &fq_models, err, sizeof(err)) < 0)
		fatalx("models: %s", err);
	close(fd);
	return 0;
}

/* v1args_get_cb over a struct fq_query: the first value of "key". */
static const char *
fq_get(void *arg, const char *key)
{
	struct fq_query	*q = arg;

	for (size_t i = 0; i < q->n; i++)
		if (strcmp(q->key[i], key) == 0)
			return q->value[i];
	return NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fq_query		 q;
	struct v1args_report	 a;
	struct v1args_bad	 bad;
	struct models		*own;
	char			*s, *arg, *eq, *save, err[512];

	/* A NUL ends the query, as in a C string from libmicrohttpd. */
	s = xstrndup((const char *)data, size);
	q.n = 0;
	for (arg = strtok_r(s, "&", &save); arg != NULL && q.n < FQ_ARGS;
	    arg = strtok_r(NULL, "&", &save)) {
		if ((eq = strchr(arg, '=')) == NULL)
			continue;
		*eq = '\0';
		q.key[q.n] = arg;
		q.value[q.n++] = eq + 1;
	}
	if (v1args_report(fq_get, &q, &a, &bad) == 0) {
		if (a.rq.nruns > V1ARGS_MAX_RUNS)
			__builtin_trap();
		if (a.cost != NULL && models_from_request(a.cost, fq_models,
		    &own, err, sizeof(err)) == 0)
			models_free(own);
		v1args_report_free(&a);
	}
	free(s);
	return 0;
}
