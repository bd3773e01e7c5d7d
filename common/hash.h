/*
 * hash.h - the one string hash: 64-bit FNV-1a.
 *
 * Fast and simple, not a defence against chosen collisions: callers
 * compare the keys themselves (the problem set's table compares task
 * ids, the store compares whole programs).  A leaf: includes nothing of
 * ours.
 */
#ifndef COMMON_HASH_H
#define COMMON_HASH_H

#include <stdint.h>

/*
 * The 64-bit FNV-1a of the NUL-terminated string "s" (borrowed).  The
 * value is part of the store's file format (jobs.hash): it never
 * changes.
 */
uint64_t hash_fnv1a(const char *s);

#endif /* COMMON_HASH_H */
