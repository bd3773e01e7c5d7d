/*
 * rjson.c - building the report object with jansson.  See rjson.h.
 */
#include <math.h>
#include <stdbool.h>

#include <jansson.h>

#include "common/log.h"
#include "report/rjson.h"

/* v, unless jansson ran out of memory making it. */
static json_t *
rjson_made(json_t *v)
{
	if (v == NULL)
		fatalx("report: out of memory (jansson)");
	return v;
}

void
rjson_set(json_t *obj, const char *key, json_t *v)
{
	if (json_object_set_new(obj, key, rjson_made(v)) != 0)
		fatalx("report: out of memory (jansson)");
}

void
rjson_push(json_t *arr, json_t *v)
{
	if (json_array_append_new(arr, rjson_made(v)) != 0)
		fatalx("report: out of memory (jansson)");
}

json_t *
rjson_str(const char *s)
{
	return s == NULL ? json_null() : rjson_made(json_string(s));
}

json_t *
rjson_num(double x)
{
	return isnan(x) ? json_null() : rjson_made(json_real(x));
}

json_t *
rjson_pct(double x)
{
	return rjson_num(100.0 * x);
}

json_t *
rjson_obj(void)
{
	return rjson_made(json_object());
}

json_t *
rjson_arr(void)
{
	return rjson_made(json_array());
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
