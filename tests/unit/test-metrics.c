/*
 * test-metrics.c - the Prometheus counters (daemon/metrics.c).
 *
 *   metrics_label_escape     backslash, double quote and line feed get
 *                            the text format's escapes; every other
 *                            byte (blanks, tabs, UTF-8) is kept
 *   metrics_render_node      every series of the rendered text carries
 *                            node="..." with the node id escaped; each
 *                            sample line is NAME{LABELS} VALUE with
 *                            labels that read back (escapes undone) and
 *                            a number; the counters show what was
 *                            recorded: responses by exact status code
 *                            (only those seen), the request-duration
 *                            histogram, the build, the process's own
 *                            figures
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "daemon/bench.h"
#include "daemon/metrics.h"
#include "tests/unit/test.h"

TEST(metrics_label_escape)
{
	static const struct {
		const char	*in, *out;
	} cases[] = {
		{ "", "" },
		{ "gpu-node-1", "gpu-node-1" },
		{ "a\\b", "a\\\\b" },
		{ "say \"hi\"", "say \\\"hi\\\"" },
		{ "two\nlines", "two\\nlines" },
		{ "\\\"\n", "\\\\\\\"\\n" },
		{ "tab\tand caf\xc3\xa9", "tab\tand caf\xc3\xa9" },
	};
	char	*s;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		s = metrics_label_escape(cases[i].in);
		ASSERT_STR_EQ(s, cases[i].out);
		free(s);
	}
	return TEST_PASS;
}

/*
 * Read one label set "{k="v",...}" at *pp (past the metric name), each
 * value unescaped; returns whether it is well formed, with the value of
 * label "node" (new) in *nodep, or NULL when there is none.
 */
static bool
metrics_test_labels(const char **pp, char **nodep)
{
	const char	*p = *pp, *k;
	char		*v, *o;
	size_t		 klen;

	*nodep = NULL;
	if (*p++ != '{')
		return false;
	while (*p != '}') {
		k = p;
		while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    *p == '_' || (p > k && *p >= '0' && *p <= '9'))
			p++;
		klen = (size_t)(p - k);
		if (klen == 0 || *p++ != '=' || *p++ != '"')
			return false;
		v = o = xmalloc(strlen(p) + 1);
		while (*p != '"') {
			if (*p == '\0' || *p == '\n')
				goto bad;
			if (*p == '\\') {
				p++;
				if (*p == 'n')
					*o++ = '\n';
				else if (*p == '\\' || *p == '"')
					*o++ = *p;
				else
					goto bad;
				p++;
			} else
				*o++ = *p++;
		}
		*o = '\0';
		p++;
		if (klen == 4 && strncmp(k, "node", 4) == 0 &&
		    *nodep == NULL)
			*nodep = v;
		else
			free(v);
		if (*p == ',')
			p++;
		else if (*p != '}')
			return false;
		continue;
 bad:
		free(v);
		return false;
	}
	*pp = p + 1;
	return true;
}

TEST(metrics_render_node)
{
	static const char node[] = "rack \"7\" \\ gpu";
	struct metrics	*m = metrics_new(node);
	char		*text, *line, *save = NULL, *got, *end;
	const char	*p;
	size_t		 samples = 0;

	metrics_verdict(m, PROTO_VERDICT_TIMEOUT, BENCH_HUMANEVAL, 30);
	metrics_submitted(m, 3, 1, 2);
	metrics_http(m, 202, 3000);
	metrics_http(m, 202, 700000);
	metrics_http(m, 429, 100);
	text = metrics_render(m, 4, 1);

	ASSERT_CONTAINS(text, "verdictd_queue_depth{node=\"rack \\\"7\\\" "
	    "\\\\ gpu\"} 4\n");
	ASSERT_CONTAINS(text, "verdictd_verdicts_total{verdict=\"timeout\","
	    "node=\"rack \\\"7\\\" \\\\ gpu\"} 1\n");
	ASSERT_CONTAINS(text, "verdictd_timeouts_total{benchmark="
	    "\"humaneval\",node=\"rack \\\"7\\\" \\\\ gpu\"} 1\n");
	ASSERT_CONTAINS(text, "verdictd_jail_seconds_bucket{le=\"0.05\","
	    "node=\"rack \\\"7\\\" \\\\ gpu\"} 1\n");
	ASSERT_CONTAINS(text, "verdictd_candidates_total{fate=\"duplicate\","
	    "node=\"rack \\\"7\\\" \\\\ gpu\"} 1\n");
	ASSERT_CONTAINS(text, "verdictd_http_responses_total{code=\"202\","
	    "node=\"rack \\\"7\\\" \\\\ gpu\"} 2\n");
	ASSERT_CONTAINS(text, "verdictd_http_responses_total{code=\"429\","
	    "node=\"rack \\\"7\\\" \\\\ gpu\"} 1\n");
	ASSERT(strstr(text, "code=\"200\"") == NULL);
	/* 100 us and 3 ms under 5 ms; 0.7 s under 1 s. */
	ASSERT_CONTAINS(text, "verdictd_http_request_seconds_bucket{le="
	    "\"0.005\",node=\"rack \\\"7\\\" \\\\ gpu\"} 2\n");
	ASSERT_CONTAINS(text, "verdictd_http_request_seconds_bucket{le="
	    "\"0.5\",node=\"rack \\\"7\\\" \\\\ gpu\"} 2\n");
	ASSERT_CONTAINS(text, "verdictd_http_request_seconds_bucket{le="
	    "\"1\",node=\"rack \\\"7\\\" \\\\ gpu\"} 3\n");
	ASSERT_CONTAINS(text, "verdictd_http_request_seconds_sum{node="
	    "\"rack \\\"7\\\" \\\\ gpu\"} 0.703100\n");
	ASSERT_CONTAINS(text, "verdictd_build_info{version=\"" PROTO_VERSION
	    "\",node=\"rack \\\"7\\\" \\\\ gpu\"} 1\n");
	ASSERT_CONTAINS(text, "process_open_fds{node=");
	ASSERT_CONTAINS(text, "process_resident_memory_bytes{node=");
	ASSERT_CONTAINS(text, "process_start_time_seconds{node=");

	/* Every sample line: NAME{LABELS} VALUE, with the node label. */
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "# HELP ", 7) == 0 ||
		    strncmp(line, "# TYPE ", 7) == 0)
			continue;
		p = line;
		while ((*p >= 'a' && *p <= 'z') || *p == '_')
			p++;
		if (p == line || !metrics_test_labels(&p, &got))
			TEST_FAIL_AT("malformed line: %s", line);
		if (got == NULL || strcmp(got, node) != 0)
			TEST_FAIL_AT("node label %s: %s",
			    got != NULL ? got : "(none)", line);
		free(got);
		if (*p++ != ' ')
			TEST_FAIL_AT("no value: %s", line);
		(void)strtod(p, &end);
		if (end == p || *end != '\0')
			TEST_FAIL_AT("value not a number: %s", line);
		samples++;
	}
	/* 2 gauges, the verdicts, the time-outs, 13 buckets, sum, count, 3
	 * fates, 2 status codes, 14 buckets, sum, count, the build, 6 of
	 * the process. */
	ASSERT_EQ(samples, 2 + PROTO_VERDICT_COUNT + BENCH_COUNT + 1 + 13 +
	    2 + 3 + 2 + 14 + 2 + 1 + 6);
	free(text);
	metrics_free(m);
	return TEST_PASS;
}
