/*
 * main.c - verdict, the command-line client of verdictd: the options
 * every command takes, the dispatch table, option parsing.
 *
 * "verdict [common options] COMMAND [options and arguments]": the
 * common options are parsed up to the command name, then the command's
 * own options together with the common ones again (so both orders
 * work), in any order with its arguments (GNU getopt_long).
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/cmd.h"
#include "client/http.h"
#include "client/out.h"
#include "common/log.h"
#include "common/xjson.h"

#define MAIN_DEFAULT_URL	"http://127.0.0.1:8417"

static const struct cmd_entry *const main_cmds[] = {
	&cmd_submit_entry,
	&cmd_status_entry,
	&cmd_wait_entry,
	&cmd_results_entry,
	&cmd_feed_entry,
	&cmd_show_entry,
	&cmd_problems_entry,
	&cmd_problem_entry,
	&cmd_import_entry,
	&cmd_health_entry,
	&cmd_report_entry,
	&cmd_delete_entry,
	&cmd_set_model_entry,
};
#define MAIN_NCMDS	(sizeof(main_cmds) / sizeof(main_cmds[0]))

/* getopt_long() values of the common options; the command's follow. */
enum {
	MAIN_OPT_URL = 256,
	MAIN_OPT_TOKEN,
	MAIN_OPT_MAX_WAIT,
	MAIN_OPT_CMD			/* + index in the entry's opts */
};

static const struct option main_common_opts[] = {
	{ "url", required_argument, NULL, MAIN_OPT_URL },
	{ "token", required_argument, NULL, MAIN_OPT_TOKEN },
	{ "max-wait", required_argument, NULL, MAIN_OPT_MAX_WAIT },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
};
#define MAIN_NCOMMON	(sizeof(main_common_opts) / sizeof(main_common_opts[0]))

static void
main_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: verdict [--url URL] [--token TOKEN] [--max-wait S] "
	    "COMMAND [ARGS]\n"
	    "       verdict -V | --help | COMMAND --help\n"
	    "\n"
	    "commands:\n");
	for (size_t i = 0; i < MAIN_NCMDS; i++)
		fprintf(fp, "  %s%s%s\n", main_cmds[i]->name,
		    *main_cmds[i]->usage ? " " : "", main_cmds[i]->usage);
	fprintf(fp,
	    "\n"
	    "options of every command (before or after its name):\n"
	    "  --url URL      the server; default $VERDICT_URL, else "
	    MAIN_DEFAULT_URL "\n"
	    "  --token TOKEN  sent as \"Authorization: Bearer TOKEN\"; "
	    "default $VERDICT_TOKEN\n"
	    "                 (prefer the variable: other users can see "
	    "command lines)\n"
	    "  --max-wait S   when the server is busy (429 or 503), wait "
	    "its Retry-After\n"
	    "                 (1 s if none, at most 60 s) and retry, up to S "
	    "seconds in all\n"
	    "                 for one request; default: as long as it "
	    "takes\n"
	    "  -h, --help     this text, or a command's\n"
	    "  -V, --version  print the version\n"
	    "A request without an answer (refused, reset, timed out) or with "
	    "another 5xx\n"
	    "is tried %d times in all, 1, 2 and 4 s apart.  "
	    "Messages go to standard error\n"
	    "as \"verdict: ...\"; standard output carries only data.\n"
	    "\n"
	    "exit status:\n"
	    "  0  success\n"
	    "  1  the server refused the request (4xx: invalid input, "
	    "unknown run or\n"
	    "     problem, missing or bad token), or the operation failed\n"
	    "  2  usage error, or bad local input (\"FILE:LINE: reason\")\n"
	    "  3  the server is unreachable, or still busy (429, 503) or "
	    "failing (5xx)\n"
	    "     after the retries\n"
	    "  4  wait: the run was not done within --timeout\n", HTTP_TRIES);
}

static void
main_cmd_usage(const struct cmd_entry *e, FILE *fp)
{
	fprintf(fp, "usage: verdict %s%s%s\n", e->name, *e->usage ? " " : "",
	    e->usage);
	if (fp == stdout)
		fprintf(fp, "\n%s\nThe options of every command and the exit "
		    "status: verdict --help\n", e->help);
}

/* Parse "s", the value of option "name", into *out (see cmd_opt_num). */
static int
main_num(const char *name, const char *s, double min, double max,
    bool integer, double *out)
{
	char	*end;
	double	 v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end != '\0' || errno != 0 || !(v >= min) ||
	    v > max || (integer && v != floor(v))) {
		out_err("--%s %s: want %s from %g to %g", name, s,
		    integer ? "a whole number" : "a number", min, max);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

/*
 * Parse argv (argv[0] is "verdict" or the command's name) into *a: with
 * "e" NULL the common options up to the first argument, which then
 * starts a->argv; else the options of "e" and the common ones, anywhere,
 * leaving the arguments in a->argv.  Returns 0, or -EINVAL with a
 * message printed.
 */
static int
main_parse(const struct cmd_entry *e, int argc, char *argv[],
    struct cmd_args *a)
{
	struct option	 lo[MAIN_NCOMMON + CMD_MAX_OPTS + 1];
	size_t		 n = MAIN_NCOMMON;
	int		 ch;

	memcpy(lo, main_common_opts, sizeof(main_common_opts));
	for (int i = 0; e != NULL && i < CMD_MAX_OPTS &&
	    e->opts[i].name != NULL; i++) {
		lo[n].name = e->opts[i].name;
		lo[n].has_arg = e->opts[i].arg ? required_argument :
		    no_argument;
		lo[n].flag = NULL;
		lo[n++].val = MAIN_OPT_CMD + i;
	}
	memset(&lo[n], 0, sizeof(lo[n]));

	a->entry = e;
	optind = 0;			/* GNU: start over, new argv */
	opterr = 0;			/* the messages are ours */
	while ((ch = getopt_long(argc, argv, e ? ":hV" : "+:hV", lo,
	    NULL)) != -1) {
		switch (ch) {
		case 'h':
			a->help = true;
			break;
		case 'V':
			a->version = true;
			break;
		case MAIN_OPT_URL:
			a->url = optarg;
			break;
		case MAIN_OPT_TOKEN:
			a->token = optarg;
			break;
		case MAIN_OPT_MAX_WAIT:
			if (main_num("max-wait", optarg, 0, 1e9, false,
			    &a->max_wait_s) != 0)
				return -EINVAL;
			break;
		case ':':
			out_err("option %s needs a value", argv[optind - 1]);
			return -EINVAL;
		case '?':
			if (optopt != 0)
				out_err("unknown option -%c", optopt);
			else
				out_err("unknown option %s", argv[optind - 1]);
			return -EINVAL;
		default:
			a->value[ch - MAIN_OPT_CMD] = optarg ? optarg : "";
			break;
		}
	}
	a->argc = argc - optind;
	a->argv = argv + optind;
	return 0;
}

const char *
cmd_opt(const struct cmd_args *a, const char *name)
{
	for (int i = 0; i < CMD_MAX_OPTS && a->entry->opts[i].name != NULL;
	    i++)
		if (strcmp(a->entry->opts[i].name, name) == 0)
			return a->value[i];
	abort();		/* a command asked for another's option */
}

int
cmd_opt_num(const struct cmd_args *a, const char *name, double min,
    double max, bool integer, double *out)
{
	const char	*s;

	if ((s = cmd_opt(a, name)) == NULL)
		return 0;
	return main_num(name, s, min, max, integer, out);
}

/* The command called "name", or NULL. */
static const struct cmd_entry *
main_find(const char *name)
{
	for (size_t i = 0; i < MAIN_NCMDS; i++)
		if (strcmp(main_cmds[i]->name, name) == 0)
			return main_cmds[i];
	return NULL;
}

int
main(int argc, char *argv[])
{
	struct cmd_args		 a;
	const struct cmd_entry	*e = NULL;
	struct http		*h;
	const char		*url, *token;
	int			 ex;

	log_init(LOG_LEVEL_WARN, "verdict");
	xjson_init();
	memset(&a, 0, sizeof(a));
	a.max_wait_s = -1;
	if (main_parse(NULL, argc, argv, &a) != 0) {
		main_usage(stderr);
		return CMD_EXIT_USAGE;
	}
	if (a.argc > 0) {
		if ((e = main_find(a.argv[0])) == NULL) {
			out_err("unknown command \"%s\"", a.argv[0]);
			main_usage(stderr);
			return CMD_EXIT_USAGE;
		}
		if (main_parse(e, a.argc, a.argv, &a) != 0) {
			main_cmd_usage(e, stderr);
			return CMD_EXIT_USAGE;
		}
	}
	if (a.version) {
		printf("verdict %s\n", PROTO_VERSION);
		return CMD_EXIT_OK;
	}
	if (e == NULL) {
		main_usage(a.help ? stdout : stderr);
		return a.help ? CMD_EXIT_OK : CMD_EXIT_USAGE;
	}
	if (a.help) {
		main_cmd_usage(e, stdout);
		return CMD_EXIT_OK;
	}
	if (a.argc < e->min_args || a.argc > e->max_args) {
		out_err("%s: %s arguments", e->name,
		    a.argc < e->min_args ? "missing" : "too many");
		main_cmd_usage(e, stderr);
		return CMD_EXIT_USAGE;
	}

	if ((url = a.url) == NULL && ((url = getenv("VERDICT_URL")) == NULL ||
	    *url == '\0'))
		url = MAIN_DEFAULT_URL;
	if ((token = a.token) == NULL && (token = getenv("VERDICT_TOKEN")) !=
	    NULL && *token == '\0')
		token = NULL;
	if (http_new(url, token, "verdict/" PROTO_VERSION, &h) != 0)
		return CMD_EXIT_USAGE;
	http_set_retry(h, a.max_wait_s, HTTP_TRIES);
	ex = e->exec(&a, h);
	http_free(h);

	/* A failed command has said why already. */
	if ((fflush(stdout) == EOF || ferror(stdout)) && ex == CMD_EXIT_OK) {
		out_err("standard output: %s", strerror(errno));
		ex = CMD_EXIT_FAILED;
	}
	return ex;
}
