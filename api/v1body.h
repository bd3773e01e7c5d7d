/*
 * v1body.h - the body of POST /v1/candidates split into its candidate
 * objects, before any is checked (daemon/candidate.h checks each).
 *
 * Pure: no HTTP, no store, no locks; api/v1.c calls it on the body
 * api/http.c collected, and tests/fuzz/fuzz-candidates.c on any bytes.
 */
#ifndef API_V1BODY_H
#define API_V1BODY_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "daemon/candidate.h"

/*
 * Split the "len" bytes at "body" (borrowed; body[len] must be NUL, as
 * api/http.c keeps it) into JSON values: one JSON array (or one object,
 * a batch of one), or NDJSON when "ndjson" (one value per line, blank
 * lines of spaces, tabs and CRs skipped).  Each value's line (NDJSON)
 * or position (array), 1-based, goes to (*lines)[i], a new array to
 * free() (at least one element).  Returns a new array, or NULL with the
 * reason in *why, the line at fault in *line (0: none) and *lines NULL.
 */
json_t	*v1body_split(const char *body, size_t len, bool ndjson,
	    size_t **lines, size_t *line, struct candidate_bad *why);

#endif /* API_V1BODY_H */
