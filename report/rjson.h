/*
 * rjson.h - building the report object with jansson: set, append and
 * make values, with NAN and NULL as JSON null.  The leaf of report/: it
 * includes nothing of report/, and the files that build the report's
 * JSON (report.c, compare.c) include it.  None of them fails: jansson
 * allocates through xmalloc (common/xjson.h), the strings are known to
 * be UTF-8 (rjson_is_utf8()) and the keys are.  No I/O, no state,
 * callable from any thread.
 */
#ifndef REPORT_RJSON_H
#define REPORT_RJSON_H

#include <stdbool.h>
#include <jansson.h>

/* obj[key] = v, stealing v (not NULL); key is UTF-8. */
void	 rjson_set(json_t *obj, const char *key, json_t *v);

/* Append v to arr, stealing v (not NULL). */
void	 rjson_push(json_t *arr, json_t *v);

/*
 * New: the string s (borrowed; copied), or null for NULL.  s must be
 * UTF-8: check it with rjson_is_utf8() first.
 */
json_t	*rjson_str(const char *s);

/* New: the number x, or null for NAN (or an infinity). */
json_t	*rjson_num(double x);

/* New: 100 * x, a percentage, or null as for rjson_num(). */
json_t	*rjson_pct(double x);

/* New: an empty object or array. */
json_t	*rjson_obj(void);
json_t	*rjson_arr(void);

/* Whether s can be a JSON string: NULL (null) or UTF-8. */
bool	 rjson_is_utf8(const char *s);

#endif /* REPORT_RJSON_H */
