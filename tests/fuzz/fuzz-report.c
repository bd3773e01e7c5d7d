/*
 * fuzz-report.c - report/report.h's report_build() over runs that the
 * input describes, then every renderer over the report it built.
 *
 * Input, read as choices (tests/fuzz/fuzz.h; missing bytes are 0):
 *   opts byte: bit 0 measured costs, bit 1 higher scores first, bit 2
 *     each run over its own problems, bit 3 a base model ("m1"), bits
 *     4-5 k (every k, 1, 2 or 5), bits 6-7 the metric rendered;
 *   runs: 1 to 4; for each run a byte (bits 0-1 its model: none, "m1",
 *     "m2" or "m9", without a cost; bit 2 a ranker; bit 3 base_of the
 *     run before it; bits 4-5 problems 1 to 4; bit 6 the first run's
 *     name), then for each problem a
 *     byte (bits 0-2 its task id of 8; bits 3-5 samples 0 to 7; bit 6
 *     pending; bit 7 an oracle error) and for each sample two bytes
 *     (bits: passed, greedy, truncated, has_score, measured seconds,
 *     measured tflops; then the score).
 * The bootstrap takes its fewest resamples.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/proto.h"
#include "report/boot.h"
#include "report/render.h"
#include "report/report.h"
#include "tests/fuzz/fuzz.h"

#define FR_RUNS		4
#define FR_PROBLEMS	4
#define FR_SAMPLES	7

int	 LLVMFuzzerInitialize(int *argc, char ***argv);
int	 LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fr_tasks[] = { "P/0", "P/1", "P/2", "P/3",
    "P/4", "P/5", "P/6", "Q/\xc3\xa9" };
static const char *const fr_runs[] = { "r0", "r1", "r2", "r3" };
static const char *const fr_models[] = { NULL, "m1", "m2", "m9" };
static const struct report_cost fr_costs[] = {
	{ "m1", 1.0, 0.5 },
	{ "m2", 16.0, 3.0 },
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init();
	return 0;
}

/* The samples of one problem, from the input. */
static void
fr_problem(struct fuzz_in *in, struct report_problem *p,
    struct report_sample *s)
{
	uint8_t		 b, f;

	b = fuzz_byte(in);
	memset(p, 0, sizeof(*p));
	p->task_id = fr_tasks[b & 0x7];
	p->ns = (b >> 3) & 0x7;
	p->pending = (b >> 6) & 0x1;
	p->s = s;
	for (size_t i = 0; i < p->ns; i++) {
		f = fuzz_byte(in);
		s[i].passed = f & 0x1;
		s[i].greedy = (f & 0x2) != 0;
		s[i].truncated = (f & 0x4) != 0;
		s[i].has_score = (f & 0x8) != 0;
		s[i].seconds = (f & 0x10) ? (double)(f >> 5) / 4 : -1;
		s[i].tflops = (f & 0x20) ? (double)(f >> 4) : -1;
		s[i].score = (double)(int8_t)fuzz_byte(in) / 8;
		p->verdicts[s[i].passed ? PROTO_VERDICT_PASSED :
		    PROTO_VERDICT_FAILED]++;
	}
	if (b & 0x80) {
		p->verdicts[PROTO_VERDICT_ERROR]++;
		p->oracle_errors = 1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned ks[] = { 0, 1, 2, 5 };
	static const enum render_format formats[] = { RENDER_JSON,
	    RENDER_CSV, RENDER_MD, RENDER_SVG, RENDER_HTML };
	static const enum render_metric metrics[] = { RENDER_PASS,
	    RENDER_FLOPS, RENDER_TIME, RENDER_RANK };
	struct fuzz_in		 in = { data, size };
	struct report_sample	 s[FR_RUNS][FR_PROBLEMS][FR_SAMPLES];
	struct report_problem	 p[FR_RUNS][FR_PROBLEMS];
	struct report_run	 runs[FR_RUNS];
	struct report_opts	 opts;
	struct render_opts	 ro = { RENDER_AXIS_SAMPLES };
	json_t			*rep;
	uint8_t			 o, b;
	size_t			 nruns;
	char			*txt, err[512];

	o = fuzz_byte(&in);
	memset(&opts, 0, sizeof(opts));
	opts.costs = fr_costs;
	opts.ncosts = sizeof(fr_costs) / sizeof(fr_costs[0]);
	opts.measured = o & 0x1;
	opts.higher_is_better = (o & 0x2) != 0;
	opts.own_problems = (o & 0x4) != 0;
	opts.base_model = (o & 0x8) ? "m1" : NULL;
	opts.k = ks[(o >> 4) & 0x3];
	opts.resamples = REPORT_BOOT_RESAMPLES_MIN;
	opts.seed = 1;
	nruns = fuzz_byte(&in) % FR_RUNS + 1;
	for (size_t r = 0; r < nruns; r++) {
		b = fuzz_byte(&in);
		memset(&runs[r], 0, sizeof(runs[r]));
		/* Names are the daemon's to keep apart ("runs=a,a"). */
		runs[r].run = (b & 0x40) ? fr_runs[0] : fr_runs[r];
		runs[r].model = fr_models[b & 0x3];
		runs[r].ranker = (b & 0x4) ? "m2" : NULL;
		runs[r].base_of = (b & 0x8) && r > 0 ? fr_runs[r - 1] : NULL;
		runs[r].np = ((b >> 4) & 0x3) + 1;
		runs[r].p = p[r];
		for (size_t i = 0; i < runs[r].np; i++)
			fr_problem(&in, &p[r][i], s[r][i]);
	}
	if (report_build(runs, nruns, &opts, &rep, err, sizeof(err)) < 0)
		return 0;
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		ro.axis = (i & 1) ? RENDER_AXIS_ABSOLUTE : RENDER_AXIS_SAMPLES;
		txt = render_report(rep, formats[i], metrics[o >> 6], &ro);
		if (txt == NULL)
			__builtin_trap();
		free(txt);
	}
	json_decref(rep);
	return 0;
}
