/*
 * serve.h - "verdictd serve", the service, "verdictd worker", a node
 * that only judges, and "verdictd -n", the config check.
 *
 * serve.c is the composition root of the service: it reads the config,
 * opens the store, loads the problems, starts the jail pool, the
 * scheduler and the HTTP server (api/), and owns the process life:
 * SIGTERM or SIGINT drains (refuse submissions, let running jobs finish or
 * put them back in the queue, close the store, exit 0), a second
 * SIGINT exits at once, SIGHUP reloads the config.
 */
#ifndef DAEMON_SERVE_H
#define DAEMON_SERVE_H

#include <stdio.h>

/*
 * Run "verdictd serve [-f CONFIG] [--listen ADDR:PORT]
 * [--state-dir DIR]" (argv[0] is "serve"); exe_dir is the directory of
 * the verdictd binary (verdict-jail and the bundled data are found from
 * it).  Returns the exit status.
 */
int	 serve_main(int argc, char *argv[], const char *exe_dir);

/*
 * Run "verdictd worker -f CONFIG [--state-dir DIR]" (argv[0] is
 * "worker"): serve without HTTP, a node that claims and judges jobs of
 * the shared database of the config's "database" (PostgreSQL; without
 * one it refuses to start), beside the serve nodes.  Returns the exit
 * status.
 */
int	 serve_worker(int argc, char *argv[], const char *exe_dir);

/*
 * The synopsis and options of serve, worker and -n, on fp; the caller
 * may add lines to the synopsis and to the options ("more_synopsis",
 * "more_help": whole lines, or NULL).
 */
void	 serve_usage(FILE *fp, const char *more_synopsis,
	    const char *more_help);

/*
 * Run "verdictd -n [-f CONFIG]": check the config, the problem files
 * and the model cost table it names, print "CONFIG: ok" or the first error.  Returns the exit
 * status (0 or 1).
 */
int	 serve_check(int argc, char *argv[], const char *exe_dir);

#endif /* DAEMON_SERVE_H */
