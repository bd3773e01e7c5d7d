/*
 * rjson.h - the report's JSON values that jansson does not make as
 * wanted: NAN and NULL as JSON null, percentages, a UTF-8 check.  The
 * leaf of report/: it includes nothing of report/, and the files that
 * build the report's JSON (report.c, compare.c) include it and set and
 * append with jansson's own calls.  None of them fails: jansson
 * allocates through xmalloc (common/xjson.h), the strings are known to
 * be UTF-8 (rjson_is_utf8()) and the keys are.  No I/O, no state,
 * callable from any thread.
 */
#ifndef REPORT_RJSON_H
#define REPORT_RJSON_H

#include <stdbool.h>
#include <jansson.h>

/*
 * New: the string s (borrowed; copied), or null for NULL.  s must be
 * UTF-8: check it with rjson_is_utf8() first.
 */
json_t	*rjson_str(const char *s);

/* New: the number x, or null for NAN (or an infinity). */
json_t	*rjson_num(double x);

/* New: 100 * x, a percentage, or null as for rjson_num(). */
json_t	*rjson_pct(double x);

/* Whether s can be a JSON string: NULL (null) or UTF-8. */
bool	 rjson_is_utf8(const char *s);

#endif /* REPORT_RJSON_H */
