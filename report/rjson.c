/*
 * rjson.c - building the report object with jansson.  See rjson.h.
 */
#include <math.h>
#include <stdbool.h>

#include <jansson.h>

#include "report/rjson.h"

void
rjson_set(json_t *obj, const char *key, json_t *v)
{
	json_object_set_new(obj, key, v);
}

void
rjson_push(json_t *arr, json_t *v)
{
	json_array_append_new(arr, v);
}

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

json_t *
rjson_obj(void)
{
	return json_object();
}

json_t *
rjson_arr(void)
{
	return json_array();
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
