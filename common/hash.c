/*
 * hash.c - 64-bit FNV-1a.  See hash.h.
 */
#include <stdint.h>

#include "common/hash.h"

#define HASH_FNV_OFFSET		14695981039346656037ULL
#define HASH_FNV_PRIME		1099511628211ULL

uint64_t
hash_fnv1a(const char *s)
{
	uint64_t	 h = HASH_FNV_OFFSET;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= HASH_FNV_PRIME;
	}
	return h;
}
