/*
 * xjson.c - jansson allocates through xmalloc.  See xjson.h.
 */
#include <stdlib.h>

#include <jansson.h>

#include "common/xjson.h"
#include "common/xmalloc.h"

void
xjson_init(void)
{
	json_set_alloc_funcs(xmalloc, free);
}
