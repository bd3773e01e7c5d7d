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

/*
 * Read the table at "path".  Returns 0 and a new table in *mp, or a
 * negative errno with "FILE:LINE: reason" (or "FILE: reason") in
 * errbuf: a line without three fields, a cost that is not a positive
 * number, a name given twice.
 */
int	 models_load(const char *path, struct models **mp, char *errbuf,
	    size_t errlen);

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
