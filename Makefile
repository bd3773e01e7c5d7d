# verdict -- one non-recursive Makefile (GNU make, pkg-config).
#
#   make            build verdictd, verdict-jail, verdict, the tests' programs
#   make test       install missing Debian packages, build, run every test
#                   (unit, jail: the hostile suite and the installed layout,
#                   data: real benchmarks, e2e: the service,
#                   report: the HTML and SVG reports in headless Chromium)
#   make check      the same tests under ASan+UBSan, objects in build-check/
#   make run        the main job: evaluate the bundled CodeGen-16B samples
#   make bench      the speed benchmark (see tests/bench/run.py, jail.py
#                   and service.py)
#   make install    DESTDIR/PREFIX; never overwrites an installed config
#
# Keep comments off assignment lines: make keeps the spaces before "#".

PREFIX   ?= /usr/local
SYSCONFDIR ?= $(PREFIX)/etc
UNITDIR  ?= $(PREFIX)/lib/systemd/system
DOCDIR   ?= $(PREFIX)/share/doc/verdict
DESTDIR  ?=
O        ?= build
PKGS      = libuv libmicrohttpd jansson libseccomp sqlite3 zlib libcurl

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

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# The client links only what it uses (it never links daemon code).
CLIENT_LIBS := $(shell pkg-config --libs jansson zlib libcurl 2>/dev/null)
# So does the test driver of report/render.c.
RENDER_LIBS := $(shell pkg-config --libs jansson 2>/dev/null)

ALL_CFLAGS  = $(CSTD) $(WARN) $(OPT) $(HARDEN) -I. -I$(O) -MMD -MP \
              $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(LDHARDEN) $(LDFLAGS)

COMMON_SRC  = common/log.c common/xmalloc.c common/proto.c common/hash.c
JAIL_SRC    = sandbox/jail.c sandbox/policy.c sandbox/cgroup.c \
              sandbox/rootfs.c sandbox/broker.c sandbox/jail-main.c
SANDBOX_SRC = sandbox/pool.c sandbox/brokerc.c sandbox/privdrop.c \
              sandbox/result.c
REPORT_SRC  = report/passk.c report/report.c report/rank.c \
              report/budget.c report/compare.c report/render.c
DAEMON_SRC  = daemon/config.c daemon/jsonl.c daemon/problemset.c \
              daemon/protocol.c daemon/eval.c daemon/metrics.c \
              daemon/service.c daemon/sched.c daemon/serve.c \
              daemon/models.c daemon/reports.c
STORE_SRC   = store/store.c store/sqlite.c store/sqlite-submit.c \
              store/sqlite-queue.c store/sqlite-query.c
API_SRC     = api/http.c api/v1.c api/v1json.c
CLIENT_SRC  = client/main.c client/cmd.c client/cmd-submit.c \
              client/cmd-status.c client/cmd-results.c client/cmd-problems.c \
              client/cmd-health.c client/cmd-report.c client/http.c \
              client/out.c
UNIT_SRC    = tests/unit/runner.c $(wildcard tests/unit/test-*.c)

obj = $(patsubst %.c,$(O)/%.o,$(1))

VERDICTD_OBJ = $(call obj,daemon/main.c $(DAEMON_SRC) $(STORE_SRC) \
               $(API_SRC) $(SANDBOX_SRC) $(REPORT_SRC) $(COMMON_SRC)) \
               $(O)/store/schema-src.o
JAIL_OBJ     = $(call obj,$(JAIL_SRC) $(COMMON_SRC)) $(O)/sandbox/runner-src.o \
               $(O)/sandbox/rootfs-probe-src.o
CLIENT_OBJ   = $(call obj,$(CLIENT_SRC) $(COMMON_SRC))
UNIT_OBJ     = $(call obj,$(UNIT_SRC) $(DAEMON_SRC) $(STORE_SRC) \
               $(API_SRC) $(SANDBOX_SRC) $(REPORT_SRC) $(COMMON_SRC) \
               sandbox/policy.c sandbox/jail.c sandbox/rootfs.c) \
               $(O)/sandbox/rootfs-probe-src.o $(O)/store/schema-src.o
RENDER_OBJ   = $(call obj,tests/report/render-main.c report/render.c \
               $(COMMON_SRC))

all: $(O)/verdictd $(O)/verdict-jail $(O)/verdict $(O)/tests/unit/runner \
     $(O)/tests/report/render-main

$(O)/verdictd: $(VERDICTD_OBJ)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(PKG_LIBS) -lm

$(O)/verdict-jail: $(JAIL_OBJ)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(PKG_LIBS)

$(O)/verdict: $(CLIENT_OBJ)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(CLIENT_LIBS) -lm

$(O)/tests/unit/runner: $(UNIT_OBJ)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(PKG_LIBS) -lm

# A report JSON file rendered on stdout, for tests/report/browser.py.
$(O)/tests/report/render-main: $(RENDER_OBJ)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(RENDER_LIBS) -lm

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The runner and the rootfs probe are Python that the helper hands to the
# interpreter with "python3 -c"; they are compiled into verdict-jail so
# that nothing of verdict's own files needs to be visible inside the jail.
$(O)/sandbox/runner-src.c: EMBED_NAME = jail_runner_src
$(O)/sandbox/rootfs-probe-src.c: EMBED_NAME = rootfs_probe_src
$(O)/sandbox/%-src.c: sandbox/%.py tests/tools/embed.sh
	@mkdir -p $(dir $@)
	sh tests/tools/embed.sh $(EMBED_NAME) $< > $@.tmp && mv $@.tmp $@

$(O)/sandbox/%-src.o: $(O)/sandbox/%-src.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The store's schema, compiled into verdictd the same way (store/sqlite.c
# runs its sections).
$(O)/store/schema-src.c: store/schema.sql tests/tools/embed.sh
	@mkdir -p $(dir $@)
	sh tests/tools/embed.sh lite_schema_sql $< > $@.tmp && mv $@.tmp $@

$(O)/store/schema-src.o: $(O)/store/schema-src.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# Install what the build and the tests need on Debian 12 when missing.
deps:
	@sh tests/tools/deps.sh

# The main job on bundled data: 16,400 CodeGen-16B samples for HumanEval.
run: all
	$(O)/verdictd eval --samples \
	    data/samples/humaneval_codegen16B_codet_n100.samples.jsonl.gz \
	    --out results.jsonl

unit: all
	O=$(O) $(O)/tests/unit/runner

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

report: all
	O=$(O) /usr/bin/python3 tests/report/browser.py $(REPORT_ARGS)

test: deps
	$(MAKE) all
	$(MAKE) unit jail data e2e report

# The CodeT pass@k run (16,400 samples) exercises no code path that the
# other real-data tests do not, and takes several times longer under the
# sanitizers; "make test" runs it.  The sanitizers slow the unit tests
# two to five times: their timeouts are four times as long.
CHECK_DATA_ARGS = --only he_canonical,he_swapped,mbpp_canonical,apps_reference,apps_swapped

check: deps
	$(MAKE) O=build-check OPT="$(SAN)" HARDEN= \
	    LDFLAGS="-fsanitize=address,undefined" all
	ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	TEST_TIMEOUT_MULTIPLIER=4 \
	    $(MAKE) O=build-check OPT="$(SAN)" HARDEN= \
	    LDFLAGS="-fsanitize=address,undefined" \
	    DATA_ARGS="$(CHECK_DATA_ARGS)" unit jail data e2e report

bench: deps
	$(MAKE) all
	O=$(O) /usr/bin/python3 tests/bench/run.py
	O=$(O) /usr/bin/python3 tests/bench/jail.py
	O=$(O) /usr/bin/python3 tests/bench/service.py

# verdictd starts as root, starts its jail broker and runs as the user
# verdict, which systemd/verdict-user.sh creates when missing; not with
# DESTDIR, which stages files for a package (the package runs the script,
# installed in share/verdict, on the target).  The config goes to
# SYSCONFDIR/verdict/ only when none is there: an installed config is the
# admin's, never overwritten.  It is mode 640 and, without DESTDIR, group
# verdict: read as root at start, and as verdict on SIGHUP.  The unit goes
# to UNITDIR with the installed paths filled in.
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
	sed -e 's|@SBINDIR@|$(PREFIX)/sbin|g' \
	    -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
	    -e 's|@DOCDIR@|$(DOCDIR)|g' systemd/verdictd.service.in \
	    > $(DESTDIR)$(UNITDIR)/verdictd.service.tmp
	mv $(DESTDIR)$(UNITDIR)/verdictd.service.tmp \
	    $(DESTDIR)$(UNITDIR)/verdictd.service

clean:
	rm -rf build build-check

.PHONY: all run deps unit jail data e2e report test check bench install \
	clean

-include $(shell find $(O) -name '*.d' 2>/dev/null)
