/*
 * cmd.c - what the commands share: turning an answer into an exit
 * status and a message, calling the server for JSON, printing JSON
 * values, opening input files.  See cmd.h.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "client/cmd.h"
#include "client/http.h"
#include "client/out.h"
#include "common/log.h"
#include "common/xmalloc.h"

int
cmd_check(int r, const struct http_resp *resp)
{
	char	 reason[1024];

	if (r == -EHOSTUNREACH)
		return CMD_EXIT_UNREACHABLE;	/* http.c said why */
	if (r < 0)
		return CMD_EXIT_FAILED;
	if (resp->status >= 200 && resp->status <= 299)
		return CMD_EXIT_OK;
	http_resp_reason(resp, reason, sizeof(reason));
	out_err("server: %s", reason);
	if (resp->status == 401 && resp->token_sent)
		out_err("the server refused the token given (--token or "
		    "VERDICT_TOKEN)");
	else if (resp->status == 401)
		out_err("set the token with VERDICT_TOKEN or --token");
	if (resp->status == 429 || resp->status >= 500)
		return CMD_EXIT_UNREACHABLE;
	return CMD_EXIT_FAILED;
}

int
cmd_json(const struct http_resp *resp, const char *what, json_t **jsonp)
{
	json_error_t	 jerr;
	char		 text[sizeof(jerr.text) * 4];

	*jsonp = json_loadb(resp->body, resp->len, 0, &jerr);
	if (json_is_object(*jsonp))
		return CMD_EXIT_OK;
	log_escape(text, sizeof(text), jerr.text, strlen(jerr.text));
	out_err("%s: bad answer from the server: %s", what,
	    *jsonp == NULL ? text : "not a JSON object");
	json_decref(*jsonp);
	*jsonp = NULL;
	return CMD_EXIT_FAILED;
}

int
cmd_call(struct http *h, const char *path, const char *body, size_t len,
    const char *ctype, struct http_resp *resp, json_t **jsonp)
{
	return cmd_send(h, body != NULL ? "POST" : "GET", path, body, len,
	    ctype, resp, jsonp);
}

int
cmd_send(struct http *h, const char *method, const char *path,
    const char *body, size_t len, const char *ctype, struct http_resp *resp,
    json_t **jsonp)
{
	int	 r, ex;

	if (jsonp != NULL)
		*jsonp = NULL;
	r = http_send(h, method, path, body, len, ctype, resp);
	if ((ex = cmd_check(r, resp)) == CMD_EXIT_OK && jsonp != NULL)
		ex = cmd_json(resp, path, jsonp);
	if (ex != CMD_EXIT_OK)
		http_resp_free(resp);
	return ex;
}

char *
cmd_path(struct http *h, const char *pre, const char *arg, const char *post)
{
	char	*esc, *path;

	esc = http_escape(h, arg);
	path = xasprintf("%s%s%s", pre, esc, post);
	free(esc);
	return path;
}

char *
cmd_query(struct http *h, char *path, const char *key, const char *value)
{
	char	*esc, *more;

	if (value == NULL)
		return path;
	esc = http_escape(h, value);
	more = xasprintf("%s%c%s=%s", path, strchr(path, '?') != NULL ? '&' :
	    '?', key, esc);
	free(esc);
	free(path);
	return more;
}

/* Flush, sync and close a file written.  Returns 0 or -errno. */
static int
cmd_close_synced(FILE *fp)
{
	int	 r = 0;

	if (fflush(fp) == EOF || fsync(fileno(fp)) == -1)
		r = -errno;
	if (fclose(fp) == EOF && r == 0)
		r = -errno;
	return r;
}

int
cmd_out_open(const char *out, char **tmpp, FILE **fpp)
{
	*tmpp = NULL;
	*fpp = stdout;
	if (out == NULL)
		return CMD_EXIT_OK;
	*tmpp = xasprintf("%s.tmp", out);
	if ((*fpp = fopen(*tmpp, "we")) == NULL) {
		out_err("cannot write %s: %s: %s", out, *tmpp, strerror(errno));
		free(*tmpp);
		*tmpp = NULL;
		return CMD_EXIT_FAILED;
	}
	return CMD_EXIT_OK;
}

int
cmd_out_close(const char *out, char *tmp, FILE *fp, int ex)
{
	int	 r;

	if (out == NULL) {
		if (fflush(fp) == EOF && ex == CMD_EXIT_OK) {
			out_err("standard output: %s", strerror(errno));
			ex = CMD_EXIT_FAILED;
		}
		return ex;
	}
	if ((r = cmd_close_synced(fp)) != 0 && ex == CMD_EXIT_OK) {
		out_err("cannot write %s: %s: %s", out, tmp, strerror(-r));
		ex = CMD_EXIT_FAILED;
	}
	if (ex == CMD_EXIT_OK && rename(tmp, out) == -1) {
		out_err("cannot write %s: rename %s: %s", out, tmp,
		    strerror(errno));
		ex = CMD_EXIT_FAILED;
	}
	if (ex != CMD_EXIT_OK)
		unlink(tmp);
	free(tmp);
	return ex;
}

int
cmd_get_to(struct http *h, const char *path, const char *out)
{
	struct http_resp	 resp;
	char			*tmp;
	FILE			*fp;
	int			 ex, r;

	if ((ex = cmd_out_open(out, &tmp, &fp)) != CMD_EXIT_OK)
		return ex;
	r = http_get_to(h, path, fp, &resp);
	ex = cmd_check(r, &resp);
	http_resp_free(&resp);
	return cmd_out_close(out, tmp, fp, ex);
}

void
cmd_print_body(const struct http_resp *resp)
{
	fwrite(resp->body, 1, resp->len, stdout);
	if (resp->len == 0 || resp->body[resp->len - 1] != '\n')
		putchar('\n');
}

char *
cmd_json_text(const json_t *v, char *buf, size_t len)
{
	const char	*s;

	if (v == NULL) {
		snprintf(buf, len, "-");
		return buf;
	}
	switch (json_typeof(v)) {
	case JSON_STRING:
		s = json_string_value(v);
		log_escape(buf, len, s, json_string_length(v));
		break;
	case JSON_INTEGER:
		snprintf(buf, len, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		break;
	case JSON_REAL:
		snprintf(buf, len, "%g", json_real_value(v));
		break;
	case JSON_TRUE:
		snprintf(buf, len, "true");
		break;
	case JSON_FALSE:
		snprintf(buf, len, "false");
		break;
	default:
		snprintf(buf, len, "-");	/* null, containers */
		break;
	}
	return buf;
}

long long
cmd_json_int(const json_t *obj, const char *key)
{
	return json_integer_value(json_object_get(obj, key));
}

int
cmd_open(const char *path, int *fdp, const char **namep, off_t *sizep)
{
	struct stat	 st;
	int		 fd;

	if (strcmp(path, "-") == 0) {
		*namep = "stdin";
		fd = dup(STDIN_FILENO);
	} else {
		*namep = path;
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd == -1 || fstat(fd, &st) == -1) {
		out_err("%s: %s", *namep, strerror(errno));
		if (fd != -1)
			close(fd);
		return CMD_EXIT_USAGE;
	}
	*sizep = S_ISREG(st.st_mode) ? st.st_size : -1;
	*fdp = fd;
	return 0;
}
