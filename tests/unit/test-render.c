/*
 * test-render.c - a report as text (report/render.c), on a report made
 * by hand: two runs, one of them partial and named with markup, with
 * pass@k for k = 1..4, greedy pass@1, budgets, rank scores, comparisons
 * and a disagreement.
 *
 *   render_names          format and metric names parse, others are
 *                         -EINVAL; content types
 *   render_json           compact JSON and a newline, equal to the report
 *   render_csv_rows       the header of each metric, a row per (run, x),
 *                         the values, quoted names, empty fields for null
 *   render_md_tables      the metric's table (rows at powers of two and
 *                         the last x), the summary with the partial note,
 *                         the comparisons and crossovers, escaped names
 *   render_svg_plots      each metric's plot is well-formed XML with a
 *                         polyline and a star per run, log2 ticks, a
 *                         legend, and the name escaped
 *   render_html_page      well-formed, four panels with how-to lines, the
 *                         tables, the partial banner, nothing external,
 *                         no user text unescaped
 *   render_missing_parts  no costs, no rank scores, no greedy, no base:
 *                         "no cost for these models", three panels; an
 *                         empty or malformed report still renders; NULL
 *                         and bad enums give NULL
 *   render_escape_edges   control characters, U+FFFF, a line end in a
 *                         name; a long UTF-8 name cut whole in a legend
 *   render_base_plus      the md and html table of base_plus: a row
 *                         per k the pair has, in k order, and greedy;
 *                         malformed pairs render what they have; none
 *                         (or not an array): no section
 *   render_meta_title     the report's meta as the line under the title
 *                         of md, html and every plot, each part only when
 *                         given; none without meta
 *   render_run_styles     a run's colour, dashes and marker come from its
 *                         name: the same in a report of the runs in the
 *                         other order, the legend's the same as the line's
 *   render_plot_marks     budget bands from their stderr, hollow markers
 *                         over fewer problems, the x axis ending at the
 *                         data, axis=absolute in TFLOPs and seconds
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "tests/unit/test.h"
#include "report/render.h"

#define TINY		"<b>tiny</b> & \"co\""
#define TINY_XML	"&lt;b&gt;tiny&lt;/b&gt; &amp; &quot;co&quot;"
#define TINY_MD		"\\<b\\>tiny\\</b\\> \\& \"co\""
#define TINY_CSV	"\"<b>tiny</b> & \"\"co\"\"\""

/*
 * The report, in JSON with ' for " (so that it reads in C); \' is a
 * quote inside a string.
 */
static const char render_test_fixture[] =
    "{'runs': ["
    " {'run': 'big', 'model': 'codegen-16B', 'ranker': 'codegen-16B',"
    "  'problems': 3, 'n_min': 4, 'n_max': 4, 'samples': 12,"
    "  'pending': 0, 'internal': 0, 'partial': false,"
    "  'reliable_k_max': 2,"
    "  'pass_at_k': {'1': 30, '2': 45, '3': 55, '4': 60},"
    "  'stderr_at_k': {'1': 2, '2': 2.5, '3': 3, '4': 3.5},"
    "  'greedy_pass_at_1': 35, 'greedy_problems': 3,"
    "  'rank_score_at_k': {'1': 30, '2': 38, '3': 42, '4': 45},"
    "  'cost': {'tflops': 8, 'seconds': 2}, 'cost_source': 'table',"
    "  'budgets': {"
    "   'flops': [{'budget': 8, 'k': 1, 'pass': 30, 'rank': 30},"
    "    {'budget': 16, 'k': 2, 'pass': 45, 'rank': 38},"
    "    {'budget': 32, 'k': 4, 'pass': 60, 'rank': 45}],"
    "   'time': [{'budget': 2, 'k': 1, 'pass': 30, 'rank': 30},"
    "    {'budget': 4, 'k': 2, 'pass': 45, 'rank': 38},"
    "    {'budget': 8, 'k': 4, 'pass': 60, 'rank': 45}]},"
    "  'per_problem': []},"
    " {'run': '<b>tiny</b> & \\'co\\'', 'model': 'codegen-2B',"
    "  'ranker': null, 'problems': 3, 'n_min': 4, 'n_max': 6,"
    "  'samples': 15, 'pending': 5, 'internal': 1, 'partial': true,"
    "  'reliable_k_max': 2,"
    "  'pass_at_k': {'1': 20, '2': 35, '3': 46, '4': 52},"
    "  'stderr_at_k': {'1': 1.5, '2': 2, '3': 2.5, '4': 3},"
    "  'greedy_pass_at_1': 12.5, 'greedy_problems': 3,"
    "  'rank_score_at_k': {'1': 20, '2': 26, '3': 30, '4': 33},"
    "  'cost': {'tflops': 1, 'seconds': 1}, 'cost_source': 'measured',"
    "  'budgets': {"
    "   'flops': [{'budget': 1, 'k': 1, 'pass': 20, 'rank': 20},"
    "    {'budget': 2, 'k': 2, 'pass': 35, 'rank': 26},"
    "    {'budget': 4, 'k': 4, 'pass': 52, 'rank': 33}],"
    "   'time': [{'budget': 1, 'k': 1, 'pass': 20, 'rank': null},"
    "    {'budget': 2, 'k': 2, 'pass': 35, 'rank': null},"
    "    {'budget': 4, 'k': 4, 'pass': 52, 'rank': null}]},"
    "  'per_problem': []}],"
    " 'base': {'model': 'codegen-2B', 'tflops': 1, 'seconds': 1},"
    " 'comparisons': ["
    "  {'metric': 'pass', 'points': ["
    "    {'x': 1, 'best': 'big', 'margin': 10,"
    "     'values': {'big': 30, '<b>tiny</b> & \\'co\\'': 20},"
    "     'tests': {'<b>tiny</b> & \\'co\\'': {'difference': -10,"
    "      'ci95': [-14.5, -5.5], 'p': 0.00019998, 'verdict': 'worse',"
    "      'problems': 3}}, 'tied': ['big']},"
    "    {'x': 2, 'best': 'big', 'margin': 10, 'values': {},"
    "     'tied': ['big', '<b>tiny</b> & \\'co\\'']},"
    "    {'x': 3, 'best': 'big', 'margin': 9, 'values': {}},"
    "    {'x': 4, 'best': 'big', 'margin': 8, 'values': {}}],"
    "   'crossovers': []},"
    "  {'metric': 'flops', 'points': ["
    "    {'x': 4, 'best': '<b>tiny</b> & \\'co\\'', 'margin': 22,"
    "     'values': {}},"
    "    {'x': 8, 'best': 'big', 'margin': 7, 'values': {}}],"
    "   'crossovers': [{'x': 8, 'before': '<b>tiny</b> & \\'co\\'',"
    "    'after': 'big', 'test': {'difference': 7, 'ci95': [2, 12],"
    "    'p': 0.01, 'verdict': 'better', 'problems': 3}}]}],"
    " 'bootstrap': {'method': 'paired', 'resamples': 10000, 'seed': 0,"
    "  'level': 0.95},"
    " 'disagreements': [{'task_id': 'HumanEval/0', 'spread': 75,"
    "   'pass_rates': {'big': 100, '<b>tiny</b> & \\'co\\'': 25}}]"
    "}";

/* Load JSON written with ' for " (and \' for \"). */
static json_t *
render_test_load(const char *text)
{
	json_error_t	 err;
	json_t		*j;
	char		*s = strdup(text);

	ASSERT_NOT_NULL(s);
	for (char *p = s; *p != '\0'; p++) {
		if (*p == '\'')
			*p = '"';
	}
	if ((j = json_loads(s, 0, &err)) == NULL)
		TEST_FAIL_AT("fixture: line %d col %d: %s", err.line,
		    err.column, err.text);
	free(s);
	return j;
}

/* The occurrences of needle in hay. */
static size_t
render_test_count(const char *hay, const char *needle)
{
	size_t	 n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

/* Whether p starts an entity: &name; or &#digits;. */
static bool
render_test_entity(const char *p)
{
	size_t	 n = 1;

	if (p[n] == '#')
		n++;
	while ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= '0' && p[n] <= '9'))
		n++;
	return n > 1 && p[n] == ';';
}

/* Length of the XML name at p (letters, digits, ':', '-', '_'). */
static size_t
render_test_name(const char *p)
{
	size_t	 n = 0;

	while ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z') ||
	    (p[n] >= '0' && p[n] <= '9') || p[n] == ':' || p[n] == '-' ||
	    p[n] == '_')
		n++;
	return n;
}

/*
 * A small well-formedness check of XML, and of the HTML that render
 * writes (every element closed, "<meta/>"): tags nest and close in
 * order, attribute values are quoted, '<' is never in text or in a
 * value, '&' only starts an entity, one root.  Returns NULL, or what is
 * wrong first (static).
 */
static const char *
render_test_xml_error(const char *s)
{
	char		 stack[64][32];
	const char	*p = s;
	size_t		 n;
	int		 depth = 0, roots = 0;

	while (*p != '\0') {
		if (*p == '&' && !render_test_entity(p))
			return "a bare '&'";
		if (*p != '<') {
			p++;
			continue;
		}
		if (strncmp(p, "<?xml ", 6) == 0 && p == s) {
			if ((p = strstr(p, "?>")) == NULL)
				return "unclosed <?xml";
			p += 2;
		} else if (strncmp(p, "<!DOCTYPE html>", 15) == 0 && p == s) {
			p += 15;
		} else if (p[1] == '/') {
			n = render_test_name(p + 2);
			if (depth == 0 || n != strlen(stack[depth - 1]) ||
			    strncmp(p + 2, stack[depth - 1], n) != 0)
				return "a closing tag that does not match";
			depth--;
			p += 2 + n;
			if (*p++ != '>')
				return "junk in a closing tag";
		} else {
			if ((n = render_test_name(p + 1)) == 0 || n >= 32)
				return "a '<' that starts no tag";
			if (depth == 0 && roots++ > 0)
				return "two roots";
			if (depth == 64)
				return "too deep";
			memcpy(stack[depth], p + 1, n);
			stack[depth][n] = '\0';
			p += 1 + n;
			for (;;) {
				while (*p == ' ' || *p == '\n')
					p++;
				if (p[0] == '/' && p[1] == '>') {
					p += 2;
					break;
				}
				if (*p == '>') {
					depth++;
					p++;
					break;
				}
				if ((n = render_test_name(p)) == 0)
					return "a bad attribute name";
				p += n;
				if (p[0] != '=' || p[1] != '"')
					return "an unquoted attribute";
				for (p += 2; *p != '"'; p++) {
					if (*p == '\0' || *p == '<')
						return "a bad attribute value";
					if (*p == '&' && !render_test_entity(p))
						return "a bare '&' in a value";
				}
				p++;
				if (*p != ' ' && *p != '\n' && *p != '/' &&
				    *p != '>')
					return "attributes run together";
			}
		}
	}
	return depth == 0 && roots == 1 ? NULL : "an unclosed element";
}

#define ASSERT_XML(s) do {						\
	const char *e_ = render_test_xml_error(s);			\
	if (e_ != NULL)							\
		TEST_FAIL_AT("not well-formed: %s", e_);		\
} while (0)

TEST(render_names)
{
	static const char *const formats[] = { "json", "csv", "md", "svg",
	    "html" };
	static const char *const metrics[] = { "pass", "flops", "time",
	    "rank" };
	static const char *const bad[] = { "", "JSON", "svgz", "htm", " md",
	    "pass ", "Pass", "k" };
	enum render_format f = RENDER_CSV;
	enum render_metric m = RENDER_RANK;
	enum render_axis a;

	for (int i = 0; i < 5; i++) {
		ASSERT_OK(render_format_parse(formats[i], &f));
		ASSERT_EQ(f, i);
	}
	for (int i = 0; i < 4; i++) {
		ASSERT_OK(render_metric_parse(metrics[i], &m));
		ASSERT_EQ(m, i);
	}
	ASSERT_EQ(RENDER_JSON, 0);
	ASSERT_EQ(RENDER_PASS, 0);
	f = RENDER_CSV;
	m = RENDER_RANK;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ASSERT_ERR(render_format_parse(bad[i], &f), -EINVAL);
		ASSERT_ERR(render_metric_parse(bad[i], &m), -EINVAL);
	}
	ASSERT_ERR(render_format_parse(NULL, &f), -EINVAL);
	ASSERT_ERR(render_metric_parse(NULL, &m), -EINVAL);
	ASSERT_ERR(render_metric_parse("json", &m), -EINVAL);
	ASSERT_ERR(render_format_parse("pass", &f), -EINVAL);
	ASSERT(f == RENDER_CSV && m == RENDER_RANK);	/* nothing stored */
	ASSERT_OK(render_axis_parse("absolute", &a));
	ASSERT_EQ(a, RENDER_AXIS_ABSOLUTE);
	ASSERT_OK(render_axis_parse("samples", &a));
	ASSERT_EQ(a, RENDER_AXIS_SAMPLES);
	ASSERT_EQ(RENDER_AXIS_SAMPLES, 0);	/* the zero value: default */
	ASSERT_ERR(render_axis_parse("log", &a), -EINVAL);
	ASSERT_ERR(render_axis_parse(NULL, &a), -EINVAL);
	ASSERT_EQ(a, RENDER_AXIS_SAMPLES);

	ASSERT_STR_EQ(render_content_type(RENDER_JSON), "application/json");
	ASSERT_STR_EQ(render_content_type(RENDER_CSV),
	    "text/csv; charset=utf-8");
	ASSERT_STR_EQ(render_content_type(RENDER_MD),
	    "text/markdown; charset=utf-8");
	ASSERT_STR_EQ(render_content_type(RENDER_SVG), "image/svg+xml");
	ASSERT_STR_EQ(render_content_type(RENDER_HTML),
	    "text/html; charset=utf-8");
	return TEST_PASS;
}

TEST(render_json)
{
	json_t	*report = render_test_load(render_test_fixture), *back;
	char	*out, *want;

	out = render_report(report, RENDER_JSON, RENDER_FLOPS, NULL);
	want = json_dumps(report, JSON_COMPACT);
	ASSERT_NOT_NULL(out);
	ASSERT_NOT_NULL(want);
	ASSERT_EQ(strlen(out), strlen(want) + 1);
	ASSERT(strncmp(out, want, strlen(want)) == 0);
	ASSERT_STR_EQ(out + strlen(want), "\n");
	ASSERT_NULL(strchr(want, '\n'));
	back = json_loads(out, 0, NULL);
	ASSERT(json_equal(back, report));
	json_decref(back);
	free(want);
	free(out);
	json_decref(report);
	return TEST_PASS;
}

TEST(render_csv_rows)
{
	json_t	*report = render_test_load(render_test_fixture);
	char	*out;

	out = render_report(report, RENDER_CSV, RENDER_PASS, NULL);
	ASSERT_NOT_NULL(out);
	ASSERT(strncmp(out, "run,model,k,pass,stderr,ci95_lo,ci95_hi,"
	    "reliable\n", 49) == 0);
	ASSERT_EQ(render_test_count(out, "\n"), 1 + 4 + 4);
	/* The interval: pass -+ 1.96 standard errors. */
	ASSERT_CONTAINS(out, "\nbig,codegen-16B,1,30,2,26.08,33.92,1\n");
	ASSERT_CONTAINS(out, "\nbig,codegen-16B,2,45,2.5,40.1,49.9,1\n");
	ASSERT_CONTAINS(out, "\nbig,codegen-16B,3,55,3,49.12,60.88,0\n");
	ASSERT_CONTAINS(out, "\n" TINY_CSV ",codegen-2B,4,52,3,46.12,57.88,"
	    "0\n");
	ASSERT_NULL(strstr(out, "\n" TINY ","));
	free(out);

	out = render_report(report, RENDER_CSV, RENDER_FLOPS, NULL);
	ASSERT(strncmp(out, "run,model,budget,k,pass,stderr,ci95_lo,ci95_hi,"
	    "rank_score\n", 58) == 0);
	ASSERT_EQ(render_test_count(out, "\n"), 1 + 3 + 3);
	ASSERT_CONTAINS(out, "\nbig,codegen-16B,8,1,30,,,,30\n");
	ASSERT_CONTAINS(out, "\nbig,codegen-16B,32,4,60,,,,45\n");
	ASSERT_CONTAINS(out, "\n" TINY_CSV ",codegen-2B,2,2,35,,,,26\n");
	free(out);

	/* A null rank-score is an empty field. */
	out = render_report(report, RENDER_CSV, RENDER_TIME, NULL);
	ASSERT(strncmp(out, "run,model,budget,k,pass,stderr,ci95_lo,ci95_hi,"
	    "rank_score\n", 58) == 0);
	ASSERT_EQ(render_test_count(out, "\n"), 1 + 3 + 3);
	ASSERT_CONTAINS(out, "\nbig,codegen-16B,4,2,45,,,,38\n");
	ASSERT_CONTAINS(out, "\n" TINY_CSV ",codegen-2B,4,4,52,,,,\n");
	free(out);

	out = render_report(report, RENDER_CSV, RENDER_RANK, NULL);
	ASSERT(strncmp(out, "run,model,k,rank_score\n", 23) == 0);
	ASSERT_EQ(render_test_count(out, "\n"), 1 + 4 + 4);
	ASSERT_CONTAINS(out, "\nbig,codegen-16B,2,38\n");
	ASSERT_CONTAINS(out, "\n" TINY_CSV ",codegen-2B,3,30\n");
	free(out);
	json_decref(report);
	return TEST_PASS;
}

TEST(render_md_tables)
{
	json_t	*report = render_test_load(render_test_fixture);
	char	*out;

	out = render_report(report, RENDER_MD, RENDER_PASS, NULL);
	ASSERT_NOT_NULL(out);
	ASSERT(strncmp(out, "# verdict report: pass@k\n", 25) == 0);
	ASSERT_CONTAINS(out, "partial: still being judged: " TINY_MD
	    " has 5 candidates pending");
	ASSERT_CONTAINS(out, "## pass@k (%)\n\n| k | big | " TINY_MD " |\n"
	    "| :-- | --: | --: |\n");
	ASSERT_CONTAINS(out, "\n| 1 | 30.00 \xc2\xb1 2.00 (26.08\xe2\x80\x93"
	    "33.92) | 20.00 \xc2\xb1 1.50 (17.06\xe2\x80\x93" "22.94) |\n"
	    "| 2 | 45.00 \xc2\xb1 2.50 (40.10\xe2\x80\x93" "49.90) | 35.00 "
	    "\xc2\xb1 2.00 (31.08\xe2\x80\x93" "38.92) |\n| 4 | 60.00 \xc2\xb1 "
	    "3.50 (53.14\xe2\x80\x93" "66.86) \xe2\x80\xa0 | 52.00 \xc2\xb1 "
	    "3.00 (46.12\xe2\x80\x93" "57.88) \xe2\x80\xa0 |\n\n"
	    "\xe2\x80\xa0 k above");
	ASSERT_CONTAINS(out, "\n\n\xc2\xb1 is the standard error over "
	    "problems; (lo\xe2\x80\x93hi) is the normal 95% interval, pass@k "
	    "\xc2\xb1 1.96 standard errors, cut to 0..100.\n");
	ASSERT_NULL(strstr(out, "\n| 3 |"));	/* not on the log2 grid */
	/* The summary. */
	ASSERT_CONTAINS(out, "| big | codegen-16B | codegen-16B | 3 | 4 | "
	    "35.00 (3 problems) | 8 TFLOPs, 2 s | table | complete |\n");
	ASSERT_CONTAINS(out, "| " TINY_MD " | codegen-2B | - | 3 | 4..6 | "
	    "12.50 (3 problems) | 1 TFLOPs, 1 s | measured | partial: still "
	    "being judged, 5 pending, internal errors: 1 |\n");
	/* The comparisons of pass@k only, and the disagreements. */
	ASSERT_CONTAINS(out, "## Comparisons: pass@k\n\n| k | best | margin "
	    "(points) | 95% CI | p |\n| :-- | :-- | --: | --: | --: |\n"
	    "| 1 | big | 10.00 | 5.50 to 14.50 | 0.0002 |\n"
	    "| 2 | tie: big, " TINY_MD " | 10.00 | - | - |\n"
	    "| 4 | big | 8.00 | - | - |\n\nA paired bootstrap over problems "
	    "(10000 resamples, seed 0)");
	ASSERT_CONTAINS(out, "crossover is where the clear leader changes."
	    "\n\nNo significant crossovers.\n");
	ASSERT_NULL(strstr(out, "Crossover at"));
	ASSERT_CONTAINS(out, "| HumanEval/0 | 75.00 | 100.00 | 25.00 |\n");
	ASSERT_NULL(strstr(out, "<b>"));
	free(out);

	out = render_report(report, RENDER_MD, RENDER_FLOPS, NULL);
	ASSERT_CONTAINS(out, "A budget of 1 is one sample of the base model, "
	    "codegen-2B (1 TFLOPs)");
	ASSERT_CONTAINS(out, "| budget | big | " TINY_MD " |\n");
	/* k = 4 is past reliable_k_max at a budget too. */
	ASSERT_CONTAINS(out, "\n| 1 | - | 20.00 (k=1) |\n| 2 | - | 35.00 "
	    "(k=2) |\n| 4 | - | 52.00 (k=4) \xe2\x80\xa0 |\n| 8 | 30.00 "
	    "(k=1) | - |\n| 16 | 45.00 (k=2) | - |\n| 32 | 60.00 (k=4) "
	    "\xe2\x80\xa0 | - |\n");
	ASSERT_CONTAINS(out, "| 4 | " TINY_MD " | 22.00 | - | - |\n");
	ASSERT_CONTAINS(out, "Crossover at budget = 8: big overtakes "
	    TINY_MD " by 7.00 points (95% CI 2.00 to 12.00, p 0.01).\n");
	free(out);

	out = render_report(report, RENDER_MD, RENDER_RANK, NULL);
	ASSERT_CONTAINS(out, "| 2 | 38.00 | 26.00 |\n");
	ASSERT_NULL(strstr(out, "Comparisons"));	/* none for rank */
	free(out);
	json_decref(report);
	return TEST_PASS;
}

TEST(render_svg_plots)
{
	json_t	*report = render_test_load(render_test_fixture);
	char	*out;

	for (int m = RENDER_PASS; m <= RENDER_RANK; m++) {
		out = render_report(report, RENDER_SVG, m, NULL);
		ASSERT_NOT_NULL(out);
		ASSERT(strncmp(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		    "\n<svg xmlns=\"http://www.w3.org/2000/svg\" ", 79) == 0);
		ASSERT_XML(out);
		/* Each run up to k = 2, then lighter past it. */
		ASSERT_EQ(render_test_count(out, "<polyline "), 4);
		ASSERT_EQ(render_test_count(out, "<polyline class=\"run\" "
		    "data-run=\"big\" "), 1);
		ASSERT_EQ(render_test_count(out, "<polyline class=\"run\" "
		    "data-run=\"" TINY_XML "\" "), 1);
		ASSERT_EQ(render_test_count(out, "<polyline class=\"beyond\" "
		    "data-run=\"big\" "), 1);
		ASSERT_EQ(render_test_count(out, "stroke-opacity=\"0.4\""), 2);
		/* Bands where there are standard errors: pass@k alone. */
		ASSERT_EQ(render_test_count(out, "<polygon class=\"band\" "),
		    m == RENDER_PASS ? 2 : 0);
		ASSERT_EQ(render_test_count(out, "class=\"greedy\""), 2);
		ASSERT_CONTAINS(out, "<g class=\"legend\">");
		ASSERT_CONTAINS(out, TINY_XML " (partial)</text>");
		ASSERT_CONTAINS(out, ">greedy pass@1</text>");
		ASSERT_CONTAINS(out, ">1</text>");	/* log2 ticks */
		ASSERT_CONTAINS(out, ">2</text>");
		ASSERT_CONTAINS(out, ">4</text>");
		ASSERT_NULL(strstr(out, ">3</text>"));
		ASSERT_NULL(strstr(out, "<b>"));
		ASSERT_NULL(strstr(out, "\"co\""));
		free(out);
	}
	out = render_report(report, RENDER_SVG, RENDER_FLOPS, NULL);
	ASSERT_CONTAINS(out, ">pass vs FLOPs budget</text>");
	ASSERT_CONTAINS(out, ">32</text>");
	ASSERT_CONTAINS(out, ": greedy pass@1 35.00%</title>");
	free(out);
	json_decref(report);
	return TEST_PASS;
}

TEST(render_html_page)
{
	json_t	*report = render_test_load(render_test_fixture);
	char	*out;

	out = render_report(report, RENDER_HTML, RENDER_PASS, NULL);
	ASSERT_NOT_NULL(out);
	ASSERT(strncmp(out, "<!DOCTYPE html>\n<html lang=\"en\">\n", 32) == 0);
	ASSERT_XML(out);
	ASSERT_CONTAINS(out, "<title>verdict report: big, " TINY_XML
	    "</title>");
	ASSERT_CONTAINS(out, "<p class=\"partial\">partial: still being "
	    "judged: " TINY_XML " has 5 candidates pending");
	ASSERT_EQ(render_test_count(out, "<svg "), 4);
	ASSERT_CONTAINS(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "class=\"plot\" id=\"plot-pass\"");
	ASSERT_CONTAINS(out, "id=\"plot-flops\"");
	ASSERT_CONTAINS(out, "id=\"plot-time\"");
	ASSERT_CONTAINS(out, "id=\"plot-rank\"");
	ASSERT_EQ(render_test_count(out, "<polyline "), 16);
	ASSERT_EQ(render_test_count(out, "<polygon class=\"band\" "), 2);
	/* No meta, no subtitle; four panels, two columns. */
	ASSERT_NULL(strstr(out, "subtitle\""));
	ASSERT_CONTAINS(out, "<div class=\"panels\">");
	ASSERT_CONTAINS(out, "The shaded band around a line is its 95% "
	    "interval");
	ASSERT_CONTAINS(out, "A lighter line is past k = n / 2");
	ASSERT_EQ(render_test_count(out, "<p class=\"how\">How to read: "), 4);
	/* Runs, four metrics, two comparisons, the disagreements. */
	ASSERT_EQ(render_test_count(out, "<table>"), 8);
	ASSERT_CONTAINS(out, "<h2>Runs</h2>");
	ASSERT_CONTAINS(out, "<h2>pass at a wall-time budget (%)</h2>");
	ASSERT_CONTAINS(out, "<h2>Comparisons: pass at a FLOPs budget</h2>");
	ASSERT_CONTAINS(out, "<h2>Disagreements</h2>");
	ASSERT_CONTAINS(out, "<tr><td>1</td><td class=\"num\">30.00 \xc2\xb1 "
	    "2.00 (26.08\xe2\x80\x93" "33.92)</td><td class=\"num\">20.00 "
	    "\xc2\xb1 1.50 (17.06\xe2\x80\x93" "22.94)</td></tr>");
	ASSERT_CONTAINS(out, "<td>partial: still being judged, 5 pending, "
	    "internal errors: 1</td>");
	/* Nothing from the report unescaped, nothing to fetch or run. */
	ASSERT_NULL(strstr(out, "<b>"));
	ASSERT_NULL(strstr(out, "\"co\""));
	ASSERT_NULL(strstr(out, "<script"));
	ASSERT_NULL(strstr(out, "src="));
	ASSERT_NULL(strstr(out, "href="));
	ASSERT_NULL(strstr(out, "url("));
	ASSERT_EQ(render_test_count(out, "http"),
	    render_test_count(out, "\"http://www.w3.org/2000/svg\""));
	free(out);
	json_decref(report);
	return TEST_PASS;
}

TEST(render_missing_parts)
{
	static const char *const odd[] = { "{}", "{'runs': 5}", "[]",
	    "{'runs': [{}], 'comparisons': [{'metric': 'pass', 'points': 3}],"
	    " 'disagreements': [{'pass_rates': null}]}",
	    "{'runs': [{'run': 'a', 'pass_at_k': {'0': 1, 'x': 2, '-1': 3,"
	    " '2': 'no', '1x': 4, '99999999999999999999999': 5}}]}" };
	json_t	*report, *j;
	char	*out;

	report = render_test_load("{'runs': [{'run': 'solo', 'model': null,"
	    " 'ranker': null, 'problems': 2, 'n_min': 2, 'n_max': 2,"
	    " 'partial': false, 'reliable_k_max': 1,"
	    " 'pass_at_k': {'1': 50, '2': 75}, 'stderr_at_k': {'1': 5},"
	    " 'greedy_pass_at_1': null, 'rank_score_at_k': null,"
	    " 'cost': {'tflops': null, 'seconds': null}, 'cost_source': null,"
	    " 'budgets': null}], 'comparisons': [], 'disagreements': []}");

	out = render_report(report, RENDER_SVG, RENDER_FLOPS, NULL);
	ASSERT_XML(out);
	ASSERT_CONTAINS(out, ">no cost for these models</text>");
	ASSERT_NULL(strstr(out, "<polyline"));
	free(out);
	out = render_report(report, RENDER_SVG, RENDER_RANK, NULL);
	ASSERT_CONTAINS(out, ">no rank scores in this report</text>");
	free(out);
	out = render_report(report, RENDER_SVG, RENDER_PASS, NULL);
	ASSERT_XML(out);
	ASSERT_EQ(render_test_count(out, "<polyline "), 2);
	ASSERT_NULL(strstr(out, "greedy"));	/* no star, no key */
	/* One standard error: no band of one point. */
	ASSERT_NULL(strstr(out, "class=\"band\""));
	free(out);

	out = render_report(report, RENDER_HTML, RENDER_PASS, NULL);
	ASSERT_XML(out);
	ASSERT_EQ(render_test_count(out, "<svg "), 3);
	ASSERT_NULL(strstr(out, "plot-rank"));
	ASSERT_CONTAINS(out, "<div class=\"panels odd\">");
	ASSERT_EQ(render_test_count(out, ">no cost for these models</text>"),
	    2);
	ASSERT_EQ(render_test_count(out, "<p class=\"how\">"), 1);
	ASSERT_NULL(strstr(out, "<p class=\"partial\">"));
	ASSERT_NULL(strstr(out, "Comparisons"));
	ASSERT_NULL(strstr(out, "Disagreements"));
	ASSERT_CONTAINS(out, "<td>solo</td><td>-</td><td>-</td><td>2</td>"
	    "<td>2</td><td>-</td><td>-</td><td>-</td><td>complete</td>");
	ASSERT_CONTAINS(out, "<td class=\"num\">75.00 \xe2\x80\xa0</td>");
	free(out);

	out = render_report(report, RENDER_CSV, RENDER_FLOPS, NULL);
	ASSERT_STR_EQ(out, "run,model,budget,k,pass,stderr,ci95_lo,ci95_hi,"
	    "rank_score\n");
	free(out);
	out = render_report(report, RENDER_CSV, RENDER_PASS, NULL);
	ASSERT_STR_EQ(out, "run,model,k,pass,stderr,ci95_lo,ci95_hi,reliable\n"
	    "solo,,1,50,5,40.2,59.8,1\nsolo,,2,75,,,,0\n");
	free(out);
	out = render_report(report, RENDER_MD, RENDER_TIME, NULL);
	ASSERT_CONTAINS(out, "## pass at a wall-time budget (%)\n\n"
	    "no cost for these models.\n");
	free(out);

	/* Shapes report_build never makes still render. */
	for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		j = render_test_load(odd[i]);
		for (int f = RENDER_JSON; f <= RENDER_HTML; f++) {
			for (int m = RENDER_PASS; m <= RENDER_RANK; m++) {
				out = render_report(j, f, m, NULL);
				ASSERT_NOT_NULL(out);
				if (f == RENDER_SVG || f == RENDER_HTML)
					ASSERT_XML(out);
				free(out);
			}
		}
		json_decref(j);
	}
	j = render_test_load(odd[4]);
	out = render_report(j, RENDER_CSV, RENDER_PASS, NULL);
	ASSERT_STR_EQ(out, "run,model,k,pass,stderr,ci95_lo,ci95_hi,"
	    "reliable\n");
	free(out);
	json_decref(j);

	ASSERT_NULL(render_report(NULL, RENDER_HTML, RENDER_PASS, NULL));
	ASSERT_NULL(render_report(report, (enum render_format)5, RENDER_PASS,
	    NULL));
	ASSERT_NULL(render_report(report, RENDER_MD, (enum render_metric)4,
	    NULL));
	ASSERT_NULL(render_report(report, RENDER_SVG, RENDER_PASS,
	    &(struct render_opts){ .axis = (enum render_axis)2 }));
	ASSERT_STR_EQ(render_content_type((enum render_format)9),
	    "application/octet-stream");
	json_decref(report);
	return TEST_PASS;
}

TEST(render_meta_title)
{
	json_t	*report = render_test_load(render_test_fixture);
	char	*out;

	json_object_set_new(report, "meta", json_pack("{s:[ss], s:i, s:s, "
	    "s:s}", "benchmarks", "humaneval", "mbpp+", "problems", 7,
	    "generated", "2026-12-05", "version", "0.2.0"));
#define SUB	"humaneval, mbpp+ \xc2\xb7 7 problems \xc2\xb7 2026-12-05 " \
	    "\xc2\xb7 verdict 0.2.0"
	out = render_report(report, RENDER_HTML, RENDER_PASS, NULL);
	ASSERT_XML(out);
	ASSERT_CONTAINS(out, "</h1>\n<p class=\"subtitle\">" SUB "</p>\n");
	/* Each of the four plots, under its title. */
	ASSERT_EQ(render_test_count(out, "<text class=\"subtitle\" "), 4);
	ASSERT_EQ(render_test_count(out, ">" SUB "</text>\n<g transform="),
	    4);
	free(out);
	out = render_report(report, RENDER_SVG, RENDER_TIME, NULL);
	ASSERT_XML(out);
	ASSERT_CONTAINS(out, ">" SUB "</text>");
	free(out);
	out = render_report(report, RENDER_MD, RENDER_PASS, NULL);
	ASSERT_CONTAINS(out, "# verdict report: pass@k\n\n" SUB "\n\n");
	free(out);
#undef SUB

	/* A part at a time; nothing of a meta of none. */
	json_object_set_new(report, "meta", json_pack("{s:s, s:i}", "version",
	    "9.9", "problems", 1));
	out = render_report(report, RENDER_MD, RENDER_PASS, NULL);
	ASSERT_CONTAINS(out, "\n\n1 problem \xc2\xb7 verdict 9.9\n\n");
	free(out);
	json_object_set_new(report, "meta", json_pack("{s:[i], s:s}",
	    "benchmarks", 3, "generated", "<today>"));
	out = render_report(report, RENDER_SVG, RENDER_PASS, NULL);
	ASSERT_XML(out);
	ASSERT_CONTAINS(out, ">&lt;today&gt;</text>");
	free(out);
	json_object_set_new(report, "meta", json_pack("{s:[]}",
	    "benchmarks"));
	out = render_report(report, RENDER_HTML, RENDER_PASS, NULL);
	ASSERT_NULL(strstr(out, "subtitle\""));
	free(out);
	json_decref(report);
	return TEST_PASS;
}

/*
 * The value of attribute "attr" of the first element of out that starts
 * with "start": a new string, or NULL.
 */
static char *
render_test_attr(const char *out, const char *start, const char *attr)
{
	const char	*p = strstr(out, start), *q, *end;
	char		 key[64];

	if (p == NULL)
		return NULL;
	end = strchr(p, '>');
	snprintf(key, sizeof(key), " %s=\"", attr);
	if ((q = strstr(p, key)) == NULL || q > end)
		return NULL;
	q += strlen(key);
	return strndup(q, strcspn(q, "\""));
}

TEST(render_run_styles)
{
	static const char *const names[] = { "big", TINY_XML };
	json_t	*report = render_test_load(render_test_fixture), *flip;
	json_t	*runs;
	char	*a, *b, *sa, *sb, *la, start[128];

	/* The same runs, the other way round. */
	flip = json_deep_copy(report);
	runs = json_object_get(flip, "runs");
	json_array_append(runs, json_array_get(runs, 0));
	json_array_remove(runs, 0);
	a = render_report(report, RENDER_SVG, RENDER_PASS, NULL);
	b = render_report(flip, RENDER_SVG, RENDER_PASS, NULL);
	ASSERT(strstr(a, "data-run=\"big\"") < strstr(a, "data-run=\"&lt;"));
	ASSERT(strstr(b, "data-run=\"big\"") > strstr(b, "data-run=\"&lt;"));
	for (size_t i = 0; i < 2; i++) {
		snprintf(start, sizeof(start), "<polyline class=\"run\" "
		    "data-run=\"%s\"", names[i]);
		sa = render_test_attr(a, start, "stroke");
		sb = render_test_attr(b, start, "stroke");
		ASSERT_NOT_NULL(sa);
		ASSERT_NOT_NULL(sb);
		ASSERT_STR_EQ(sa, sb);
		ASSERT_EQ(strlen(sa), 7);
		/* The legend's swatch: the same colour and dashes. */
		snprintf(start, sizeof(start), "<line class=\"swatch\" "
		    "data-run=\"%s\"", names[i]);
		la = render_test_attr(a, start, "stroke");
		ASSERT_NOT_NULL(la);
		ASSERT_STR_EQ(la, sa);
		free(la);
		free(sa);
		free(sb);
	}
	/* Two names, two looks: here two colours. */
	sa = render_test_attr(a, "<polyline class=\"run\" data-run=\"big\"",
	    "stroke");
	sb = render_test_attr(a, "<polyline class=\"run\" data-run=\"&lt;",
	    "stroke");
	ASSERT(strcmp(sa, sb) != 0);
	free(sa);
	free(sb);
	free(a);
	free(b);
	json_decref(flip);
	json_decref(report);
	return TEST_PASS;
}

TEST(render_plot_marks)
{
	json_t	*report = render_test_load(render_test_fixture), *run, *e;
	struct render_opts abs = { .axis = RENDER_AXIS_ABSOLUTE };
	char	*out;
	size_t	 i;

	/* big's FLOPs budgets with a standard error: its band alone. */
	run = json_array_get(json_object_get(report, "runs"), 0);
	json_array_foreach(json_object_get(json_object_get(run, "budgets"),
	    "flops"), i, e)
		json_object_set_new(e, "stderr", json_real(2.0));
	out = render_report(report, RENDER_SVG, RENDER_FLOPS, NULL);
	ASSERT_EQ(render_test_count(out, "<polygon class=\"band\" "), 1);
	ASSERT_CONTAINS(out, "<polygon class=\"band\" data-run=\"big\" ");
	ASSERT_CONTAINS(out, "fill-opacity=\"0.15\"");
	/* In samples of the base model: 1 .. 32, and no further. */
	ASSERT_CONTAINS(out, ">FLOPs budget, in samples of the base model "
	    "(log2)</text>");
	ASSERT_CONTAINS(out, ">32</text>");
	ASSERT_NULL(strstr(out, ">64</text>"));
	free(out);
	out = render_report(report, RENDER_CSV, RENDER_FLOPS, NULL);
	ASSERT_CONTAINS(out, "\nbig,codegen-16B,8,1,30,2,26.08,33.92,30\n");
	free(out);

	/* The pass@k axis ends at k = 4, not at the next power of two. */
	out = render_report(report, RENDER_SVG, RENDER_PASS, NULL);
	ASSERT_CONTAINS(out, ">4</text>");
	ASSERT_NULL(strstr(out, ">8</text>"));
	ASSERT_NULL(strstr(out, "class=\"fewer\""));
	free(out);

	/* Absolute: a base of 0.25 TFLOPs and 4 s a sample. */
	json_object_set_new(json_object_get(report, "base"), "tflops",
	    json_real(0.25));
	json_object_set_new(json_object_get(report, "base"), "seconds",
	    json_real(4.0));
	out = render_report(report, RENDER_SVG, RENDER_FLOPS, &abs);
	ASSERT_XML(out);
	ASSERT_CONTAINS(out, ">FLOPs budget, in TFLOPs (log2)</text>");
	ASSERT_CONTAINS(out, ">0.25</text>");	/* 1 sample */
	ASSERT_CONTAINS(out, ">8</text>");	/* 32 samples */
	ASSERT_NULL(strstr(out, ">32</text>"));
	free(out);
	out = render_report(report, RENDER_SVG, RENDER_TIME, &abs);
	ASSERT_CONTAINS(out, ">wall-time budget, in seconds (log2)</text>");
	ASSERT_CONTAINS(out, ">32</text>");	/* 8 samples */
	free(out);
	/* Not the k axes, not the tables; no base cost: in samples. */
	out = render_report(report, RENDER_SVG, RENDER_PASS, &abs);
	ASSERT_CONTAINS(out, ">k, samples per problem (log2)</text>");
	free(out);
	out = render_report(report, RENDER_HTML, RENDER_PASS, &abs);
	ASSERT_CONTAINS(out, ">FLOPs budget, in TFLOPs (log2)</text>");
	ASSERT_CONTAINS(out, "<h2>pass at a FLOPs budget (%)</h2>\n<p>A budget "
	    "of 1 is one sample of the base model");
	free(out);
	json_object_set_new(json_object_get(report, "base"), "tflops",
	    json_null());
	out = render_report(report, RENDER_SVG, RENDER_FLOPS, &abs);
	ASSERT_CONTAINS(out, ">FLOPs budget, in samples of the base model "
	    "(log2)</text>");
	free(out);

	/* tiny's k = 3 and 4 over fewer problems: hollow markers. */
	run = json_array_get(json_object_get(report, "runs"), 1);
	json_object_set_new(run, "problems_at_k", json_pack("{s:i, s:i, s:i, "
	    "s:i}", "1", 3, "2", 3, "3", 2, "4", 2));
	out = render_report(report, RENDER_SVG, RENDER_PASS, NULL);
	ASSERT_EQ(render_test_count(out, "class=\"fewer\" fill=\"#fff\""),
	    2);
	free(out);
	out = render_report(report, RENDER_HTML, RENDER_PASS, NULL);
	ASSERT_CONTAINS(out, "A hollow marker is over fewer problems");
	free(out);
	json_decref(report);
	return TEST_PASS;
}

TEST(render_escape_edges)
{
	/* 35 times U+00E9, two bytes each. */
	static const char long_name[] =
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9";
	json_t	*report, *run;
	char	*out, legend[128];

	report = render_test_load("{'runs': [{'pass_at_k': {'1': 10}},"
	    " {'pass_at_k': {'1': 20}}]}");
	run = json_array_get(json_object_get(report, "runs"), 0);
	json_object_set_new(run, "run", json_string("a\x01" "b\nc,d"
	    "\xef\xbf\xbf"));
	run = json_array_get(json_object_get(report, "runs"), 1);
	json_object_set_new(run, "run", json_string(long_name));

	out = render_report(report, RENDER_SVG, RENDER_PASS, NULL);
	ASSERT_XML(out);
	ASSERT_CONTAINS(out, "data-run=\"a b c,d\xef\xbf\xbd\"");
	/* 30 characters and an ellipsis; the whole name in the tooltip. */
	snprintf(legend, sizeof(legend), "</title>%.60s\xe2\x80\xa6</text>",
	    long_name);
	ASSERT_CONTAINS(out, legend);
	snprintf(legend, sizeof(legend), "<title>%s</title>", long_name);
	ASSERT_CONTAINS(out, legend);
	free(out);

	out = render_report(report, RENDER_MD, RENDER_PASS, NULL);
	ASSERT_CONTAINS(out, "| k | a b c,d\xef\xbf\xbf | ");
	free(out);
	out = render_report(report, RENDER_CSV, RENDER_PASS, NULL);
	ASSERT_CONTAINS(out, "\n\"a\x01" "b\nc,d\xef\xbf\xbf\",,1,10,,,,\n");
	free(out);
	json_decref(report);
	return TEST_PASS;
}

/*
 * The base and plus table: a row per k of the run's pass@k that the
 * pair has, in k order, and greedy; a pair of a run not in the report,
 * or without values, is lenient; no base_plus, no section.
 */
TEST(render_base_plus)
{
	json_t	*report, *none;
	char	*out;

	report = render_test_load("{'runs': ["
	    " {'run': 'p', 'pass_at_k': {'1': 25, '2': 40, '3': 50, '4': 60}},"
	    " {'run': 'p (base)', 'tests': 'base',"
	    "  'pass_at_k': {'1': 50, '2': 70, '3': 80, '4': 90}}],"
	    " 'base_plus': [{'run': 'p', 'base_run': 'p (base)',"
	    "  'base': {'4': 90, '1': 50}, 'plus': {'4': 60, '1': 25},"
	    "  'drop': {'4': 30, '1': 25}, 'drop_relative': {'1': 50},"
	    "  'greedy': {'base': 100, 'plus': 0, 'drop': 100,"
	    "   'drop_relative': 100}},"
	    " {'run': 'ghost', 'base': {'1': 5}}, 7,"
	    " {'run': '<i>', 'greedy': {'base': null, 'plus': 3}}]}");
	none = render_test_load("{'runs': [{'run': 'p', 'pass_at_k': "
	    "{'1': 25}}], 'base_plus': {'p': 1}}");

	out = render_report(report, RENDER_MD, RENDER_PASS, NULL);
	ASSERT_CONTAINS(out, "## Base and plus tests\n\n");
	ASSERT_CONTAINS(out, "| run | metric | base (%) | plus (%) | "
	    "drop (points) | drop (% of base) |\n"
	    "| :-- | :-- | --: | --: | --: | --: |\n"
	    "| p | pass@1 | 50.00 | 25.00 | 25.00 | 50.00 |\n"
	    "| p | pass@4 | 90.00 | 60.00 | 30.00 | - |\n"
	    "| p | greedy pass@1 | 100.00 | 0.00 | 100.00 | 100.00 |\n"
	    "| \\<i\\> | greedy pass@1 | - | 3.00 | - | - |\n\n");
	ASSERT_NULL(strstr(out, "ghost"));
	free(out);
	out = render_report(report, RENDER_HTML, RENDER_PASS, NULL);
	ASSERT_XML(out);
	ASSERT_CONTAINS(out, "<h2>Base and plus tests</h2>");
	ASSERT_CONTAINS(out, "<tr><td>p</td><td>pass@4</td>"
	    "<td class=\"num\">90.00</td>");
	ASSERT_CONTAINS(out, "<td>&lt;i&gt;</td>");
	free(out);
	for (size_t i = 0; i < 2; i++) {
		out = render_report(none, i == 0 ? RENDER_MD : RENDER_HTML,
		    RENDER_PASS, NULL);
		ASSERT_NULL(strstr(out, "Base and plus"));
		free(out);
	}
	json_decref(none);
	json_decref(report);
	return TEST_PASS;
}
