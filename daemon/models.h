/*
 * models.h - the model cost table, conf/models.conf: TFLOPs and seconds
 * per sample for each model, which the budget reports map budgets to
 * sample counts with.  The file's comments document its format.
 */
#ifndef DAEMON_MODELS_H
#define DAEMON_MODELS_H

#include <stddef.h>

#include "report/report.h"

struct models;				/* opaque */

/* Bounds of a request's cost table (models_from_request()). */
#define MODELS_REQUEST_MAX	4096	/* bytes of JSON text */
#define MODELS_REQUEST_ROWS	64	/* models */
#define MODELS_NAME_MAX		128	/* bytes of a model name */

/*
 * Read the table at "path".  Returns 0 and a new table in *mp, or a
 * negative errno with "FILE:LINE: reason" (or "FILE: reason") in
 * errbuf: a line without three fields, a cost that is not a positive
 * number, a name given twice.
 */
int	 models_load(const char *path, struct models **mp, char *errbuf,
	    size_t errlen);

/*
 * A request's cost table over the table "base" (borrowed; NULL: none):
 * "text" (borrowed) is a JSON object {"NAME": {"tflops": X, "seconds":
 * Y}, ...}.  Returns 0 and in *mp a new table of the request's rows,
 * which override base's of the same name, then base's rows, with
 * base's path; or -EINVAL with the reason in errbuf: text over
 * MODELS_REQUEST_MAX bytes or not a JSON object of 1 to
 * MODELS_REQUEST_ROWS members, a name that could not be a models.conf
 * name (1 to MODELS_NAME_MAX printable ASCII characters, no space or
 * "#") or given twice, a value not exactly {"tflops", "seconds"} of
 * positive finite numbers.  Any thread.
 */
int	 models_from_request(const char *text, const struct models *base,
	    struct models **mp, char *errbuf, size_t errlen);

/*
 * The file the table was read from (borrowed, valid until
 * models_free()), or NULL for a request's table over no table.
 */
const char *models_path(const struct models *);

/* The rows, in file order, for report_opts (borrowed, valid until
 * models_free()); their number in *n. */
const struct report_cost *models_rows(const struct models *, size_t *n);

/*
 * The row of "name", or NULL: names compare without case, and a name
 * with a "/" also matches by its last part without a "-hf" suffix.
 */
const struct report_cost *models_find(const struct models *,
	    const char *name);

/* Free the table.  models_free(NULL) is a no-op. */
void	 models_free(struct models *);

#endif /* DAEMON_MODELS_H */
