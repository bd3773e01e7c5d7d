/*
 * fuzz-query.c - the query arguments of GET /v1/reports through what
 * api/v1.c's v1_get_reports() reads them with: format, metric and axis
 * (report/render.h), the runs list (split at commas, each name checked
 * with candidate_name_ok()), and a cost table (models_from_request(),
 * daemon/models.h).
 *
 * Input: "KEY=VALUE" arguments separated by "&", as libmicrohttpd hands
 * them over (already decoded: any byte but NUL may be in a value).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "daemon/candidate.h"
#include "daemon/models.h"
#include "report/render.h"
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

/* The runs list as v1_get_reports() splits and checks it. */
static void
fq_runs(const char *v)
{
	char		*list, *p, *save;

	list = xstrdup(v);
	for (p = strtok_r(list, ",", &save); p != NULL;
	    p = strtok_r(NULL, ",", &save))
		if (!candidate_name_ok(p, false))
			break;
	free(list);
}

/* One argument "key" = "v". */
static void
fq_arg(const char *key, const char *v)
{
	enum render_format fmt;
	enum render_metric metric;
	enum render_axis axis;
	struct models	*m;
	char		 err[512];

	if (strcmp(key, "format") == 0)
		(void)render_format_parse(v, &fmt);
	else if (strcmp(key, "metric") == 0)
		(void)render_metric_parse(v, &metric);
	else if (strcmp(key, "axis") == 0)
		(void)render_axis_parse(v, &axis);
	else if (strcmp(key, "runs") == 0)
		fq_runs(v);
	else if (strcmp(key, "cost") == 0 && v[0] == '{') {
		if (models_from_request(v, NULL, &m, err, sizeof(err)) == 0)
			models_free(m);
	} else if (strcmp(key, "name") == 0)
		(void)candidate_name_ok(v, true);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*q, *arg, *eq, *save;

	/* A NUL ends the query, as in a C string from libmicrohttpd. */
	q = xstrndup((const char *)data, size);
	for (arg = strtok_r(q, "&", &save); arg != NULL;
	    arg = strtok_r(NULL, "&", &save)) {
		if ((eq = strchr(arg, '=')) == NULL)
			continue;
		*eq = '\0';
		fq_arg(arg, eq + 1);
	}
	free(q);
	return 0;
}
