/*
 * main.c - verdictd's composition root: parse the command, dispatch.
 *
 *   verdictd serve ...    the service (main/serve.c)
 *   verdictd worker ...   a node that only judges (main/serve.c)
 *   verdictd -n [-f F]    check a config and the problems it names
 *   verdictd eval ...     the offline main job (main/eval.c)
 *   verdictd -V           print the version
 */
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "common/proto.h"
#include "common/xjson.h"
#include "common/xmalloc.h"
#include "main/eval.h"
#include "main/serve.h"

/*
 * The usage on fp: on stdout for -h and --help, on stderr (exit 1) for
 * a bad command.
 */
static void
main_usage(FILE *fp)
{
	serve_usage(fp, "       verdictd eval --samples FILE [options]\n"
	    "       verdictd -V | --version | -h | --help\n",
	    "  eval                judge a samples file offline and print "
	    "its report;\n"
	    "                      \"verdictd eval --help\" describes its "
	    "options\n"
	    "  -V, --version       print the version\n");
}

/* Directory of the running binary, where verdict-jail and data live. */
static char *
main_exe_dir(const char *argv0)
{
	char	 path[PATH_MAX];
	ssize_t	 n;

	n = readlink("/proc/self/exe", path, sizeof(path) - 1);
	if (n <= 0) {
		if (strlen(argv0) >= sizeof(path))
			fatalx("argv[0] too long");
		snprintf(path, sizeof(path), "%s", argv0);
	} else
		path[n] = '\0';
	return xstrdup(dirname(path));
}

int
main(int argc, char *argv[])
{
	char	*dir;
	int	 r;

	log_init(LOG_LEVEL_INFO, "verdictd");
	xjson_init();
	if (argc < 2) {
		main_usage(stderr);
		return 1;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		main_usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("verdictd %s\n", PROTO_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "eval") == 0 || strcmp(argv[1], "serve") == 0 ||
	    strcmp(argv[1], "worker") == 0 || strcmp(argv[1], "-n") == 0) {
		dir = main_exe_dir(argv[0]);
		if (strcmp(argv[1], "eval") == 0)
			r = eval_main(argc - 1, argv + 1, dir);
		else if (strcmp(argv[1], "serve") == 0)
			r = serve_main(argc - 1, argv + 1, dir);
		else if (strcmp(argv[1], "worker") == 0)
			r = serve_worker(argc - 1, argv + 1, dir);
		else
			r = serve_check(argc, argv, dir);
		free(dir);
		return r;
	}
	main_usage(stderr);
	return 1;
}
