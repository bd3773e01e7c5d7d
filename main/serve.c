/*
 * serve.c - the service's composition root and process life.  See
 * serve.h.
 *
 * verdictd serve starts as root, reads its config, gives the state
 * directory to the configured user, starts the jail broker and drops to
 * the user (serve_drop); everything else (problem files, the store,
 * HTTP) happens as the user.  verdictd worker is the same process
 * without HTTP: a node that only judges the queue of a shared database.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <uv.h>

#include "api/http.h"
#include "api/v1.h"
#include "common/log.h"
#include "common/proto.h"
#include "common/xmalloc.h"
#include "daemon/config.h"
#include "daemon/sched.h"
#include "main/serve.h"
#include "daemon/service.h"
#include "daemon/wakeup.h"
#include "sandbox/expected.h"
#include "sandbox/pool.h"
#include "sandbox/privdrop.h"

#define SERVE_GRACE_MS		20000	/* running jobs may finish */
#define SERVE_TICK_MS		100	/* long-poll deadlines, feeds */
#define SERVE_EXPECTED		"expected" /* reference outputs, in the
					   state directory */

struct serve {
	uv_loop_t	 loop;
	struct service	*svc;		/* NULL until the start made it */
	struct brokerc	*broker;	/* until the pool takes it */
	struct pool	*pool;
	struct sched	*sched;
	struct http	*http;		/* NULL: a worker */
	struct wakeup	*wakeup;	/* NULL: SQLite, no other nodes */
	uv_signal_t	 sigterm, sigint, sighup;
	uv_timer_t	 tick;
	const char	*cfg_path;	/* -f, or NULL */
	const char	*listen;	/* --listen, or NULL */
	const char	*state_dir;	/* --state-dir, or NULL */
	const char	*exe_dir;	/* where verdictd is: bundled files */
	bool		 worker;	/* verdictd worker: no HTTP */
	bool		 draining;
	bool		 lost;		/* the jail broker was lost */
};

/* --- Options and config --- */

void
serve_usage(FILE *fp, const char *more_synopsis, const char *more_help)
{
	fprintf(fp, "usage: verdictd serve [-f CONFIG] [--listen ADDR:PORT] "
	    "[--state-dir DIR]\n"
	    "       verdictd worker -f CONFIG [--state-dir DIR]\n"
	    "       verdictd -n [-f CONFIG]\n%s"
	    "\n"
	    "  serve               the service: the REST API, the store, the "
	    "queue and\n"
	    "                      the jail workers (start it as root: it "
	    "drops to the\n"
	    "                      config's user once its jail broker runs)\n"
	    "  worker              a node that only judges: claims jobs from "
	    "the queue of\n"
	    "                      the config's PostgreSQL database, beside "
	    "serve nodes\n"
	    "  -n                  check the config, its problem files and "
	    "cost table;\n"
	    "                      print \"CONFIG: ok\" or the first error\n"
	    "  -f, --config FILE   the config file (default: none, every key's "
	    "default;\n"
	    "                      the installed one is "
	    "/usr/local/etc/verdict/verdictd.conf)\n"
	    "  --listen ADDR:PORT  listen there instead of the config's "
	    "\"listen\" (serve;\n"
	    "                      port 0: any free port, named in the log)\n"
	    "  --state-dir DIR     the state directory instead of the config's "
	    "\"state_dir\"\n"
	    "  -h, --help          this help\n%s",
	    more_synopsis != NULL ? more_synopsis : "",
	    more_help != NULL ? more_help : "");
}

/*
 * Read the config file (or the defaults) and apply the flags.  Returns
 * a new config, or NULL with the reason printed.
 */
static struct config *
serve_config(struct serve *sv)
{
	struct config	*cfg = xcalloc(1, sizeof(*cfg));
	char		 err[1024];
	int		 r;

	if (sv->cfg_path != NULL)
		r = config_load(sv->cfg_path, cfg, err, sizeof(err));
	else {
		config_defaults(cfg);
		r = 0;
	}
	if (r == 0 && sv->listen != NULL)
		r = config_set_listen(cfg, sv->listen, err, sizeof(err));
	if (r == 0 && sv->state_dir != NULL) {
		free(cfg->state_dir);
		cfg->state_dir = xstrdup(sv->state_dir);
	}
	if (r < 0) {
		log_errx("%s", err);
		config_free(cfg);
		free(cfg);
		return NULL;
	}
	return cfg;
}

/* Parse the options of serve and -n.  Returns 0, or -1 (usage shown). */
static int
serve_options(struct serve *sv, int argc, char *argv[], bool check)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'f' },
		{ "listen", required_argument, NULL, 'l' },
		{ "state-dir", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int	 ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, check ? "nf:h" : "f:h",
	    longopts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			break;
		case 'f':
			sv->cfg_path = optarg;
			break;
		case 'l':
			if (sv->worker) {
				serve_usage(stderr, NULL, NULL);
				return -1;
			}
			sv->listen = optarg;
			break;
		case 's':
			sv->state_dir = optarg;
			break;
		case 'h':
			serve_usage(stdout, NULL, NULL);
			exit(0);
		default:
			serve_usage(stderr, NULL, NULL);
			return -1;
		}
	}
	if (optind != argc) {
		serve_usage(stderr, NULL, NULL);
		return -1;
	}
	return 0;
}

/* mkdir -p "dir" (0750 for what it creates).  Returns 0 or -errno. */
static int
serve_mkdirs(const char *dir)
{
	char	*p, *path = xstrdup(dir);
	int	 r = 0;

	for (p = path + 1; r == 0; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char	 c = *p;

		*p = '\0';
		if (mkdir(path, 0750) < 0 && errno != EEXIST)
			r = -errno;
		*p = c;
		if (c == '\0')
			break;
	}
	free(path);
	return r;
}

/*
 * Create the state directory when missing and give it, and the
 * database files in it, to uid and gid: state from versions that ran as
 * root keeps working.  This runs as root in a directory the user may
 * own, so nothing here follows a symbolic link, and a file is given
 * away only when it is a regular file with no other hard link.
 * Returns 0 or -1 with the reason logged.
 */
static int
serve_own_state(const char *dir, uid_t uid, gid_t gid)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*d = NULL;
	int		 dfd, fd, r = -1;

	if ((r = serve_mkdirs(dir)) < 0) {
		log_warnx("state_dir %s: %s", dir, strerror(-r));
		return -1;
	}
	r = -1;
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    (d = fdopendir(dfd)) == NULL) {
		log_warn("state_dir %s", dir);
		if (dfd >= 0)
			close(dfd);
		return -1;
	}
	if (fstat(dfd, &st) < 0 || ((st.st_uid != uid || st.st_gid != gid) &&
	    fchown(dfd, uid, gid) < 0)) {
		log_warn("state_dir %s: chown", dir);
		goto out;
	}
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, SERVICE_DB, strlen(SERVICE_DB)) != 0)
			continue;
		fd = openat(dfd, de->d_name, O_RDONLY | O_NOFOLLOW |
		    O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		if (fd < 0 && errno == ELOOP)
			continue;	/* a symbolic link: not ours */
		if (fd < 0 || fstat(fd, &st) < 0) {
			log_warn("%s/%s", dir, de->d_name);
			if (fd >= 0)
				close(fd);
			goto out;
		}
		if (S_ISREG(st.st_mode) && st.st_nlink == 1 &&
		    (st.st_uid != uid || st.st_gid != gid) &&
		    fchown(fd, uid, gid) < 0) {
			log_warn("%s/%s: chown", dir, de->d_name);
			close(fd);
			goto out;
		}
		close(fd);
	}
	/* The reference outputs' folder (see serve_start), the user's too. */
	if ((mkdirat(dfd, SERVE_EXPECTED, 0700) < 0 && errno != EEXIST) ||
	    (fd = openat(dfd, SERVE_EXPECTED, O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC)) < 0) {
		log_warn("%s/%s", dir, SERVE_EXPECTED);
		goto out;
	}
	if (fstat(fd, &st) < 0 || ((st.st_uid != uid || st.st_gid != gid) &&
	    fchown(fd, uid, gid) < 0)) {
		log_warn("%s/%s: chown", dir, SERVE_EXPECTED);
		close(fd);
		goto out;
	}
	close(fd);
	r = 0;
 out:
	closedir(d);
	return r;
}

/*
 * As root: give the state directory to the configured user, start the
 * jail broker and drop to the user for good.  Returns 0 or -1 with the
 * reason logged.
 */
static int
serve_drop(struct serve *sv, const struct config *cfg, const char *exe_dir)
{
	struct brokerc_opts bo;
	char		 err[512], *jail;
	uid_t		 uid;
	gid_t		 gid;
	int		 r;

	if (privdrop_user("serve", cfg->user, &uid, &gid, err,
	    sizeof(err)) < 0) {
		log_errx("%s", err);
		return -1;
	}
	if (serve_own_state(cfg->state_dir, uid, gid) < 0)
		return -1;
	jail = cfg->jail_path != NULL ? xstrdup(cfg->jail_path) :
	    xasprintf("%s/verdict-jail", exe_dir);
	memset(&bo, 0, sizeof(bo));
	bo.jail_path = jail;
	bo.workers = cfg->workers;
	bo.uid_base = cfg->uid_base;
	bo.scratch_mb = cfg->scratch_mb;
	r = privdrop_start(&bo, uid, gid, &sv->broker, err, sizeof(err));
	free(jail);
	if (r < 0) {
		log_errx("%s", err);
		return -1;
	}
	return 0;
}

/* --- Life events --- */

static void
serve_done_cb(void *arg, const int64_t *jobs, size_t n)
{
	struct serve	*sv = arg;

	if (sv->http != NULL)
		http_wake(sv->http, jobs, n);
}

/* The scheduler's way to the jail pool (sched.h): pool_submit(). */
static void
serve_pool_submit(void *pool, const char *mode, const char *program,
    json_t *spec, const struct pool_limits *limits, pool_done_cb *done,
    void *arg)
{
	pool_submit(pool, mode, program, spec, limits, done, arg);
}

static const struct sched_pool_ops serve_pool_ops = { serve_pool_submit };

static void
serve_notify_cb(void *arg, enum service_event ev, const int64_t *runs,
    size_t n)
{
	if (ev == SERVICE_DELETED)
		sched_forget(arg, runs, n);
	else
		sched_notify(arg, runs, n);
}

/* What another node on the database did (daemon/wakeup.h). */
static void
serve_note_cb(enum store_note kind, const int64_t *ids, size_t n, void *arg)
{
	struct serve	*sv = arg;
	int64_t		 first = ids[0];
	char		 err[512];

	switch (kind) {
	case STORE_NOTE_QUEUED:
		if (sv->sched != NULL && !sv->draining)
			sched_notify(sv->sched, ids, n);
		break;
	case STORE_NOTE_DONE:
		if (sv->http != NULL)
			http_wake(sv->http, ids, n);
		break;
	case STORE_NOTE_DELETED:
		/* Its jobs are gone from the queue: the lease timer counts
		 * the queue again. */
		if (sv->sched != NULL)
			sched_forget(sv->sched, ids, n);
		if (sv->http != NULL)
			http_wake_all(sv->http);
		break;
	case STORE_NOTE_IMPORT:
		for (size_t i = 1; i < n; i++)
			first = ids[i] < first ? ids[i] : first;
		if (service_load_imports(sv->svc, first - 1, err,
		    sizeof(err)) < 0)
			log_warnx("problems: another node's import: %s", err);
		break;
	}
}

static void
serve_tick_cb(uv_timer_t *t)
{
	struct serve	*sv = t->data;

	if (sv->http != NULL)
		http_tick(sv->http);
}

static void
serve_pool_closed_cb(void *arg)
{
	struct serve	*sv = arg;

	sv->pool = NULL;
	if (sv->sched != NULL)
		sched_close(sv->sched);
	sv->sched = NULL;
	wakeup_close(sv->wakeup);
	sv->wakeup = NULL;
	uv_close((uv_handle_t *)&sv->tick, NULL);
	uv_close((uv_handle_t *)&sv->sigterm, NULL);
	uv_close((uv_handle_t *)&sv->sigint, NULL);
	uv_close((uv_handle_t *)&sv->sighup, NULL);
}

static void
serve_drained_cb(void *arg)
{
	struct serve	*sv = arg;
	struct http	*h = sv->http;

	log_info("drained; closing");
	sv->http = NULL;
	if (h != NULL)
		http_stop(h);
	pool_close(sv->pool, serve_pool_closed_cb, sv);
}

/*
 * The jail broker is gone: no candidate can be judged any more.  Stop
 * as a drain does, at once (what is in the jail goes back to the
 * store's queue), and exit non-zero, so that systemd restarts the
 * service.
 */
static void
serve_pool_lost_cb(void *arg, const char *why)
{
	struct serve	*sv = arg;

	(void)why;			/* the pool logged it */
	log_warnx("stopping with an error: no candidate can be judged "
	    "without the jail broker (accepted candidates stay queued in the "
	    "store)");
	sv->lost = true;
	sv->draining = true;
	service_drain(sv->svc);
	sched_drain(sv->sched, 0, serve_drained_cb, sv);
}

static void
serve_drain(struct serve *sv, const char *why)
{
	if (sv->draining)
		return;
	sv->draining = true;
	/*
	 * New submissions get 503 from now on; reads are still answered
	 * until the drain ends.  The listening socket stays open: with
	 * epoll and a thread pool, libmicrohttpd 0.9.75's
	 * MHD_quiesce_daemon() can abort the process ("Failed to remove
	 * listen FD from epoll set"), seen under ASan.
	 */
	service_drain(sv->svc);
	/* The feeds that follow end at the next tick (v1_feed_wait()):
	 * their clients come back to another life with their cursors. */
	if (sv->http != NULL)
		http_wake(sv->http, NULL, 0);
	log_info("%s: draining (%zu jobs in the jail, %zu queued stay in the "
	    "store)", why, service_running(sv->svc),
	    service_queued(sv->svc));
	sched_drain(sv->sched, SERVE_GRACE_MS, serve_drained_cb, sv);
}

/*
 * Load the model cost table into *mp: the config's, else the bundled
 * one (from the source tree or the installed share/verdict), else NULL.
 * Returns 0, or -1 with the reason logged when a named or bundled table
 * is broken.
 */
static int
serve_models(const struct config *cfg, const char *exe_dir,
    struct models **mp)
{
	static const char *const bundled[] = {
		"conf", "share/verdict"
	};
	char		 err[1024], *path = NULL;
	size_t		 n;

	*mp = NULL;
	if (cfg->models_path != NULL)
		path = xstrdup(cfg->models_path);
	for (size_t i = 0; path == NULL && i < 2; i++) {
		path = xasprintf("%s/../%s/models.conf", exe_dir, bundled[i]);
		if (access(path, R_OK) < 0) {
			free(path);
			path = NULL;
		}
	}
	if (path == NULL) {
		log_warnx("models: no cost table found; reports have no "
		    "budgets");
		return 0;
	}
	if (models_load(path, mp, err, sizeof(err)) < 0) {
		log_warnx("models: %s", err);
		free(path);
		return -1;
	}
	models_rows(*mp, &n);
	log_info("models: %zu cost rows from %s", n, path);
	free(path);
	return 0;
}

static void
serve_reload(struct serve *sv)
{
	const struct config *cur;
	struct config	*cfg;
	struct models	*models;
	char		 err[512];

	if (sv->cfg_path == NULL) {
		log_info("SIGHUP: no config file to reload");
		return;
	}
	if ((cfg = serve_config(sv)) == NULL) {
		cur = service_config(sv->svc);
		log_warnx("SIGHUP: %s: the config is unchanged (verdictd reads "
		    "it as user %s now)", sv->cfg_path, cur->user);
		service_config_put(cur);
		return;
	}
	/* A broken cost table keeps the old config and table, as a broken
	 * config does (serve_models() logs FILE:LINE). */
	if (serve_models(cfg, sv->exe_dir, &models) < 0) {
		log_warnx("SIGHUP: %s: the config and the cost table are "
		    "unchanged", sv->cfg_path);
		config_free(cfg);
		free(cfg);
		return;
	}
	log_init(cfg->log_level, "verdictd");
	if (service_reload(sv->svc, cfg, models, err, sizeof(err)) < 0) {
		log_warnx("SIGHUP: %s: %s needs a restart; the config is "
		    "unchanged", sv->cfg_path, err);
		cur = service_config(sv->svc);
		log_init(cur->log_level, "verdictd");
		service_config_put(cur);
		return;
	}
	log_info("SIGHUP: %s reloaded", sv->cfg_path);
}

static void
serve_signal_cb(uv_signal_t *h, int signum)
{
	struct serve	*sv = h->data;

	switch (signum) {
	case SIGHUP:
		serve_reload(sv);
		break;
	case SIGINT:
		if (sv->draining) {
			log_warnx("SIGINT again: exiting now; running jobs "
			    "run again at the next start");
			_exit(1);
		}
		serve_drain(sv, "SIGINT");
		break;
	default:
		serve_drain(sv, "SIGTERM");
		break;
	}
}

/* --- Start --- */

/*
 * The start once sv->svc is up, with its config "cfg" (a reference):
 * store, imports, models, pool, scheduler, HTTP.  Returns 0 or -1 with
 * the reason logged.
 */
static int
serve_start_service(struct serve *sv, const struct config *cfg,
    const char *exe_dir)
{
	struct http_opts ho;
	struct models	*models;
	struct store	*st;
	char		 err[1024];
	size_t		 requeued = 0, queued = 0;
	uint16_t	 port;
	int		 r;

	if ((st = service_store(sv->svc)) == NULL ||
	    store_recover(st, cfg->node_id, &requeued) < 0 ||
	    store_count_queued(st, &queued) < 0)
		return -1;
	service_queued_add(sv->svc, (long)queued);
	log_info("store: %s: %zu jobs queued (%zu were running and run "
	    "again)", service_db_path(sv->svc), queued, requeued);
	if (service_load_imports(sv->svc, 0, err, sizeof(err)) < 0) {
		log_errx("problems: %s", err);
		return -1;
	}
	log_info("problems: %zu loaded", service_problem_count(sv->svc));
	if (serve_models(cfg, exe_dir, &models) < 0)
		return -1;
	service_set_models(sv->svc, models);

	r = pool_new(&sv->loop, sv->broker, serve_pool_lost_cb, sv,
	    &sv->pool);
	sv->broker = NULL;		/* the pool's, even on failure */
	if (r < 0) {
		log_errx("pool: %s", uv_strerror(r));
		return -1;
	}
	if (cfg->state_dir != NULL) {
		char	 dir[PATH_MAX];
		bool	 made;
		int	 fd;

		snprintf(dir, sizeof(dir), "%s/%s", cfg->state_dir,
		    SERVE_EXPECTED);
		if ((fd = expected_dir_open(dir, &made, err,
		    sizeof(err))) < 0)
			log_warnx("expected outputs kept in memory only: %s",
			    err);
		else
			pool_expected_dir(sv->pool, fd);
	}
	if ((r = sched_new(&sv->loop, sv->svc, &serve_pool_ops, sv->pool,
	    cfg->workers * 2, cfg->node_id, cfg->lease_ms, serve_done_cb, sv,
	    &sv->sched)) < 0) {
		log_errx("sched: %s", strerror(-r));
		return -1;
	}
	service_set_notify(sv->svc, serve_notify_cb, sv->sched);
	if (cfg->database != NULL && wakeup_start(&sv->loop, cfg->database,
	    service_db_path(sv->svc), serve_note_cb, sv, &sv->wakeup) < 0)
		return -1;
	if (sv->worker) {
		log_info("worker %s: %u jail workers on %s", cfg->node_id,
		    cfg->workers, service_db_path(sv->svc));
		return 0;
	}

	memset(&ho, 0, sizeof(ho));
	ho.host = cfg->listen_host;
	ho.port = cfg->listen_port;
	ho.threads = cfg->http_threads;
	ho.max_connections = cfg->max_connections;
	ho.timeout_s = cfg->connection_timeout_s;
	if (http_start(&ho, sv->svc, v1_handle, &sv->http, &port, err,
	    sizeof(err)) < 0) {
		log_errx("%s", err);
		return -1;
	}
	log_info("pool: %u jail workers; auth %s", cfg->workers,
	    cfg->ntokens ? "by bearer token" : "off");
	log_info("listening on http://%s%s%s:%u",
	    strchr(cfg->listen_host, ':') ? "[" : "", cfg->listen_host,
	    strchr(cfg->listen_host, ':') ? "]" : "", (unsigned)port);
	return 0;
}

/*
 * Everything before the loop runs: problems and the service (which
 * steals "cfg"), then serve_start_service().  Returns 0 or -1 with the
 * reason logged.
 */
static int
serve_start(struct serve *sv, struct config *cfg, const char *exe_dir)
{
	const struct config *snap;
	struct problemset *ps;
	char		 err[1024];
	int		 r;

	if (access(cfg->state_dir, R_OK | W_OK | X_OK) < 0) {
		log_warn("state_dir %s: user %s cannot use it (each directory "
		    "above it must let the user through)", cfg->state_dir,
		    cfg->user);
		goto fail_cfg;
	}
	if (problemset_load_files((const char *const *)cfg->problems,
	    cfg->nproblems, NULL, exe_dir, &ps, err, sizeof(err)) < 0) {
		log_errx("problems: %s", err);
		goto fail_cfg;
	}
	if (service_new(cfg, ps, &sv->svc) < 0) {
		log_errx("cannot set up the service");
		return -1;
	}
	/* cfg is the service's now: the rest reads its snapshot. */
	snap = service_config(sv->svc);
	r = serve_start_service(sv, snap, exe_dir);
	service_config_put(snap);
	return r;
 fail_cfg:
	config_free(cfg);
	free(cfg);
	return -1;
}

/* A start that failed half-way: close what started, in the same order
 * as a drain, so that no job is judged "internal" by the shutdown. */
static void
serve_abort(struct serve *sv)
{
	sv->draining = true;
	if (sv->sched != NULL)
		sched_drain(sv->sched, 0, serve_drained_cb, sv);
	else if (sv->pool != NULL)
		pool_close(sv->pool, serve_pool_closed_cb, sv);
	else {
		brokerc_close(sv->broker);
		sv->broker = NULL;
		serve_pool_closed_cb(sv);
	}
}

/*
 * The life of verdictd serve, or of verdictd worker when "worker".
 * Returns the exit status.
 */
static int
serve_run(int argc, char *argv[], const char *exe_dir, bool worker)
{
	struct serve	 sv;
	struct config	*cfg;
	int		 status = 1;

	memset(&sv, 0, sizeof(sv));
	sv.worker = worker;
	sv.exe_dir = exe_dir;
	if (serve_options(&sv, argc, argv, false) < 0)
		return 2;
	if ((cfg = serve_config(&sv)) == NULL)
		return 1;
	log_init(cfg->log_level, "verdictd");
	log_info("verdictd %s starting: config %s, state %s", PROTO_VERSION,
	    sv.cfg_path ? sv.cfg_path : "(defaults)", cfg->state_dir);
	/* Before anything starts: no jail broker for a start that fails. */
	if (worker && cfg->database == NULL)
		log_errx("verdictd worker judges the queue of a shared "
		    "database: the config needs a line database = "
		    "postgresql://...");
	if ((worker && cfg->database == NULL) ||
	    serve_drop(&sv, cfg, exe_dir) < 0) {
		config_free(cfg);
		free(cfg);
		log_info("not started");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	uv_loop_init(&sv.loop);
	uv_timer_init(&sv.loop, &sv.tick);
	uv_signal_init(&sv.loop, &sv.sigterm);
	uv_signal_init(&sv.loop, &sv.sigint);
	uv_signal_init(&sv.loop, &sv.sighup);
	sv.tick.data = sv.sigterm.data = sv.sigint.data = sv.sighup.data = &sv;
	if (serve_start(&sv, cfg, exe_dir) == 0) {
		uv_timer_start(&sv.tick, serve_tick_cb, SERVE_TICK_MS,
		    SERVE_TICK_MS);
		uv_signal_start(&sv.sigterm, serve_signal_cb, SIGTERM);
		uv_signal_start(&sv.sigint, serve_signal_cb, SIGINT);
		uv_signal_start(&sv.sighup, serve_signal_cb, SIGHUP);
		status = 0;
	} else
		serve_abort(&sv);
	uv_run(&sv.loop, UV_RUN_DEFAULT);
	if (uv_loop_close(&sv.loop) != 0) {
		log_warnx("the loop still has handles at exit");
		status = 1;
	}
	if (sv.svc != NULL)
		service_free(sv.svc);
	if (sv.lost) {
		log_warnx("stopped: the jail broker was lost");
		return 1;
	}
	log_info("%s", status == 0 ? "stopped" : "not started");
	return status;
}

int
serve_main(int argc, char *argv[], const char *exe_dir)
{
	return serve_run(argc, argv, exe_dir, false);
}

int
serve_worker(int argc, char *argv[], const char *exe_dir)
{
	return serve_run(argc, argv, exe_dir, true);
}

int
serve_check(int argc, char *argv[], const char *exe_dir)
{
	struct serve	 sv;
	struct config	*cfg;
	struct problemset *ps;
	struct models	*models = NULL;
	char		 err[1024];
	int		 r;

	memset(&sv, 0, sizeof(sv));
	if (serve_options(&sv, argc, argv, true) < 0)
		return 2;
	if ((cfg = serve_config(&sv)) == NULL)
		return 1;
	r = problemset_load_files((const char *const *)cfg->problems,
	    cfg->nproblems, NULL, exe_dir, &ps, err, sizeof(err));
	if (r < 0)
		fprintf(stderr, "verdictd: problems: %s\n", err);
	else if ((r = serve_models(cfg, exe_dir, &models)) < 0)
		problemset_free(ps);
	else {
		printf("%s: ok (%zu problems)\n", sv.cfg_path ? sv.cfg_path :
		    "(defaults)", problemset_count(ps));
		problemset_free(ps);
	}
	models_free(models);
	config_free(cfg);
	free(cfg);
	return r < 0 ? 1 : 0;
}
