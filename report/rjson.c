/*
 * rjson.c - building the report object with jansson.  See rjson.h.
 */
#include <math.h>
#include <stdbool.h>

#include <jansson.h>

#include "report/rjson.h"

json_t *
rjson_str(const char *s)
{
	return s == NULL ? json_null() : json_string(s);
}

/* jansson refuses a real that is not finite (JSON has none). */
json_t *
rjson_num(double x)
{
	return isfinite(x) ? json_real(x) : json_null();
}

json_t *
rjson_pct(double x)
{
	return rjson_num(100.0 * x);
}

/* jansson checks UTF-8 as it makes a string: make one and let it go. */
bool
rjson_is_utf8(const char *s)
{
	json_t	*v;

	if (s == NULL)
		return true;
	v = json_string(s);
	json_decref(v);
	return v != NULL;
}
