/*
 * eval.h - "verdictd eval": the offline main job.
 *
 * Reads problems and samples (human-eval's samples.jsonl shape), runs
 * every sample in the jail pool, writes one JSON line per sample in
 * input order, and prints pass@k as openai/human-eval's evaluator does.
 */
#ifndef DAEMON_EVAL_H
#define DAEMON_EVAL_H

/*
 * Run "verdictd eval" with its own argument vector (argv[0] is "eval").
 * "exe_dir" (borrowed) is the directory of the verdictd binary, where
 * verdict-jail and the bundled data are looked up.  Returns the process
 * exit status: 0 done, 1 bad usage or bad input (nothing written), 2 a
 * sample ended "internal" (the results are written, the pass@k excludes
 * it).  Runs its own libuv loop; call from main() only.
 */
int	 eval_main(int argc, char *argv[], const char *exe_dir);

#endif /* DAEMON_EVAL_H */
