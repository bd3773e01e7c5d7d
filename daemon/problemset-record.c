/*
 * problemset-record.c - the helpers every problem builder uses: reading
 * a record's fields with "FILE:LINE" errors, building JSON values, and
 * the script-mode judge spec that HumanEval and MBPP share.  See
 * problemset-int.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/jsonl.h"
#include "common/xmalloc.h"
#include "daemon/problemset-int.h"

/* --- Errors --- */

int
problemset_bad(struct problemset_loader *ld, const char *fmt, ...)
{
	char	 msg[1024];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ld->errbuf != NULL && ld->errlen > 0)
		snprintf(ld->errbuf, ld->errlen, "%s: %s", jsonl_where(ld->rd),
		    msg);
	return -EINVAL;
}

/* --- A record's fields --- */

json_t *
problemset_field(struct problemset_loader *ld, json_t *rec,
    const char *name)
{
	json_t	*v;

	if ((v = json_object_get(rec, name)) == NULL)
		problemset_bad(ld, "missing field '%s'", name);
	return v;
}

bool
problemset_is_cstr(json_t *v)
{
	return json_is_string(v) &&
	    strlen(json_string_value(v)) == json_string_length(v);
}

const char *
problemset_str(struct problemset_loader *ld, json_t *rec,
    const char *name)
{
	json_t	*v;

	if ((v = problemset_field(ld, rec, name)) == NULL)
		return NULL;
	if (!problemset_is_cstr(v)) {
		problemset_bad(ld, "field '%s' must be a string%s", name,
		    json_is_string(v) ? " without NUL bytes" : "");
		return NULL;
	}
	return json_string_value(v);
}

const char *
problemset_name(struct problemset_loader *ld, json_t *rec,
    const char *name)
{
	const char	*s;

	if ((s = problemset_str(ld, rec, name)) != NULL && *s == '\0') {
		problemset_bad(ld, "field '%s' must not be empty", name);
		return NULL;
	}
	return s;
}

json_t *
problemset_strarray(struct problemset_loader *ld, json_t *rec,
    const char *name)
{
	json_t	*v, *e;
	size_t	 i;

	if ((v = problemset_field(ld, rec, name)) == NULL)
		return NULL;
	if (!json_is_array(v))
		goto bad;
	json_array_foreach(v, i, e)
		if (!problemset_is_cstr(e))
			goto bad;
	return v;
 bad:
	problemset_bad(ld, "field '%s' must be an array of strings", name);
	return NULL;
}

int
problemset_uint(struct problemset_loader *ld, json_t *rec,
    const char *name, json_int_t *vp)
{
	json_t	*v;

	if ((v = problemset_field(ld, rec, name)) == NULL)
		return -EINVAL;
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return problemset_bad(ld,
		    "field '%s' must be a non-negative integer", name);
	*vp = json_integer_value(v);
	return 0;
}

char *
problemset_join(json_t *a, size_t *lenp)
{
	json_t	*e;
	size_t	 i, len = 0, off = 0;
	char	*s;

	json_array_foreach(a, i, e)
		len += json_string_length(e) + (i > 0);
	s = xmalloc(len + 1);
	json_array_foreach(a, i, e) {
		if (i > 0)
			s[off++] = '\n';
		memcpy(s + off, json_string_value(e), json_string_length(e));
		off += json_string_length(e);
	}
	s[off] = '\0';
	*lenp = len;
	return s;
}

/* --- Script-mode specs --- */

json_t *
problemset_script(const char *setup, const char *entry)
{
	json_t	*spec, *ent;

	spec = json_object();
	ent = json_array();
	if (entry != NULL)
		json_array_append_new(ent, json_string_nocheck(entry));
	json_object_set_new_nocheck(spec, "mode",
	    json_string_nocheck("script"));
	json_object_set_new_nocheck(spec, "setup", json_string_nocheck(setup));
	json_object_set_new_nocheck(spec, "entry", ent);
	json_object_set_new_nocheck(spec, "tests", json_array());
	return spec;
}

void
problemset_script_test(json_t *spec, const char *name, const char *code)
{
	json_t	*t;

	t = json_object();
	json_object_set_new_nocheck(t, "name", json_string_nocheck(name));
	json_object_set_new_nocheck(t, "code", json_string_nocheck(code));
	json_array_append_new(json_object_get(spec, "tests"), t);
}
