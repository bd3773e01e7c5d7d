/*
 * xjson.h - jansson allocates through xmalloc, so that it never fails
 * for want of memory.
 *
 * Out of memory aborts in xmalloc (xmalloc.h); jansson's own allocations
 * follow the same rule once xjson_init() has run.  A jansson constructor
 * then returns NULL only for input it refuses (a string that is not
 * UTF-8, a real that is not finite, a NULL argument), and adding a value
 * fails only when that value is NULL: code that passes values it knows
 * to be valid needs no out-of-memory check of its own.
 */
#ifndef COMMON_XJSON_H
#define COMMON_XJSON_H

/*
 * Make jansson allocate with xmalloc() and free().  Call it once, at the
 * start of main(), before any other jansson call: jansson must free each
 * value with the allocator that made it.  Every program that links
 * jansson calls it (verdictd, verdict, the unit test runner, the report
 * test driver).
 */
void	 xjson_init(void);

#endif /* COMMON_XJSON_H */
