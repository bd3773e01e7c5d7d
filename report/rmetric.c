/*
 * rmetric.c - the names and labels of the metrics.  See rmetric.h.
 */
#include "report/rmetric.h"

_Static_assert(RENDER_RANK + 1 == RMETRIC_N, "RMETRIC_N is the number of "
    "metrics");

const char *const rmetric_names[RMETRIC_N] = {
	[RENDER_PASS] = "pass",
	[RENDER_FLOPS] = "flops",
	[RENDER_TIME] = "time",
	[RENDER_RANK] = "rank",
};

const struct rmetric_label rmetric_labels[RMETRIC_N] = {
	[RENDER_PASS] = {
		"pass@k", "k", "pass@k (%)", "pass@k vs k",
		"k, samples per problem (log2)", NULL, "pass@k (%)",
		"no pass@k in this report",
		"How to read: each line is a run's pass@k, the chance that "
		"at least one of k samples of a problem passes its tests, "
		"averaged over problems; k doubles from one grid line to the "
		"next.  A star is the run's greedy pass@1.  Higher is better.",
	},
	[RENDER_FLOPS] = {
		"pass at a FLOPs budget", "budget",
		"pass at a FLOPs budget (%)", "pass vs FLOPs budget",
		"FLOPs budget, in samples of the base model (log2)",
		"FLOPs budget, in TFLOPs (log2)",
		"pass@k within the budget (%)",
		"no cost for these models",
		"How to read: at a budget B, each run gets as many samples "
		"as fit in the FLOPs of B samples of the base model, and "
		"scores its pass@k with them; at equal compute, the higher "
		"line is the better choice.  A star is one greedy sample, "
		"at its cost.",
	},
	[RENDER_TIME] = {
		"pass at a wall-time budget", "budget",
		"pass at a wall-time budget (%)", "pass vs wall-time budget",
		"wall-time budget, in samples of the base model (log2)",
		"wall-time budget, in seconds (log2)",
		"pass@k within the budget (%)",
		"no cost for these models",
		"How to read: at a budget B, each run gets as many samples "
		"as fit in the wall time of B samples of the base model, "
		"and scores its pass@k with them; at equal time, the higher "
		"line is the better choice.  A star is one greedy sample, "
		"at its time.",
	},
	[RENDER_RANK] = {
		"rank-score@k", "k", "rank-score@k (%)", "rank-score@k vs k",
		"k, samples per problem (log2)", NULL, "rank-score@k (%)",
		"no rank scores in this report",
		"How to read: each line is a run's rank-score@k, the chance "
		"that the best-ranked of k samples (by the run's ranking "
		"score) passes; the gap to pass@k is what a perfect ranker "
		"would add.  A star is the run's greedy pass@1.",
	},
};
