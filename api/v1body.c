/*
 * v1body.c - the body of POST /v1/candidates split into its candidate
 * objects.  See v1body.h.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api/v1body.h"
#include "common/xmalloc.h"
#include "daemon/candidate.h"

json_t *
v1body_split(const char *body, size_t len, bool ndjson, size_t **lines,
    size_t *line, struct candidate_bad *why)
{
	json_t		*arr, *v;
	json_error_t	 je;
	const char	*p, *nl;
	size_t		 ln = 0, n;

	*lines = NULL;
	*line = 0;
	if (!ndjson) {
		arr = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
		if (arr == NULL) {
			*line = (size_t)(je.line > 0 ? je.line : 0);
			candidate_refuse(why, "", "bad JSON at line %d "
			    "column %d: %s (send a JSON array, or NDJSON with "
			    "Content-Type: application/x-ndjson)", je.line,
			    je.column, je.text);
			return NULL;
		}
		if (json_is_object(arr)) {
			/* One candidate, as an object of its own. */
			v = arr;
			arr = json_array();
			json_array_append_new(arr, v);
		}
		if (!json_is_array(arr)) {
			json_decref(arr);
			candidate_refuse(why, "", "the body must be a "
			    "JSON array of candidates, or one candidate");
			return NULL;
		}
		n = json_array_size(arr);
		*lines = xreallocarray(NULL, n ? n : 1, sizeof(**lines));
		for (size_t i = 0; i < n; i++)
			(*lines)[i] = i + 1;
		return arr;
	}
	arr = json_array();
	*lines = xreallocarray(NULL, 1, sizeof(**lines));
	for (p = body; p < body + len; p = nl + 1) {
		ln++;
		nl = memchr(p, '\n', (size_t)(body + len - p));
		if (nl == NULL)
			nl = body + len;
		n = (size_t)(nl - p);
		if (strspn(p, " \t\r") >= n)
			continue;	/* a blank line */
		v = json_loadb(p, n, JSON_REJECT_DUPLICATES, &je);
		if (v == NULL) {
			*line = ln;
			candidate_refuse(why, "", "bad JSON at column "
			    "%d: %s", je.column, je.text);
			json_decref(arr);
			free(*lines);
			*lines = NULL;
			return NULL;
		}
		json_array_append_new(arr, v);
		*lines = xreallocarray(*lines, json_array_size(arr),
		    sizeof(**lines));
		(*lines)[json_array_size(arr) - 1] = ln;
	}
	return arr;
}
