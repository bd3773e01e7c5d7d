/*
 * cmd-health.c - "verdict health": is the server up?  For scripts that
 * wait for a daemon to start, it asks once: no retries, no waiting.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "client/cmd.h"
#include "client/http.h"
#include "client/out.h"

static int
cmd_health_exec(struct cmd_args *a, struct http *h)
{
	struct http_resp	 resp;
	json_t			*root = NULL;
	const char		*status;
	char			 text[128];
	int			 ex;

	(void)a;
	http_set_retry(h, 0, 1);
	if ((ex = cmd_call(h, "/v1/health", NULL, 0, NULL, &resp, &root)) !=
	    CMD_EXIT_OK)
		return ex;
	status = json_string_value(json_object_get(root, "status"));
	printf("%s\n", cmd_json_text(json_object_get(root, "status"), text,
	    sizeof(text)));
	if (status == NULL || strcmp(status, "ok") != 0)
		ex = CMD_EXIT_FAILED;
	json_decref(root);
	http_resp_free(&resp);
	return ex;
}

const struct cmd_entry cmd_health_entry = {
	.name = "health",
	.usage = "",
	.help =
	    "Ask the server once (no retries, no waiting) and print its "
	    "status.  Exit 0\n"
	    "when it is \"ok\", 1 when it is anything else, 3 when the server "
	    "is unreachable\n"
	    "or answers 5xx.",
	.min_args = 0,
	.max_args = 0,
	.exec = cmd_health_exec,
};
