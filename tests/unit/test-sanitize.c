/*
 * test-sanitize.c - a chat answer's code extracted (daemon/sanitize.c),
 * on answers shaped like chat models' (prose, fences, examples, tests).
 *
 *   sanitize_fenced_answer      prose, a ```python block and an
 *                               explanation: the block's imports and the
 *                               entry point; the usage example dropped
 *   sanitize_several_fences     the block that defines the entry point,
 *                               not the example before it; a ```bash
 *                               block skipped; without entry points the
 *                               first Python block; an unclosed fence
 *                               runs to the end; ``` inside a line is
 *                               no fence; a fence in a docstring of
 *                               unfenced code is no block
 *   sanitize_unfenced_prose     no fence: prose lines (with apostrophes,
 *                               colons, an open parenthesis) dropped,
 *                               the code kept
 *   sanitize_drops_tests        top-level asserts, prints, calls, loops,
 *                               test functions and "if __name__" blocks
 *                               dropped
 *   sanitize_reachable          helpers, classes and constants the entry
 *                               point reaches (transitively, through
 *                               f-strings too) kept in text order after
 *                               the imports; the rest dropped; the first
 *                               definition of a name wins; a function
 *                               with no return dropped (EvalPlus); all
 *                               definitions without entry points
 *   sanitize_decorators         decorated functions keep their
 *                               decorators; async def; a class entry
 *   sanitize_strings            triple-quoted strings holding "def" at
 *                               column 0, ``` or prose stay inside their
 *                               function; escapes and string prefixes
 *   sanitize_ansi               ANSI escape sequences taken out (ollama's
 *                               colours), a lone ESC kept
 *   sanitize_crlf_tabs          CRLF lines and tab indentation kept as
 *                               they are
 *   sanitize_head               a completion: the prompt's imports and
 *                               helpers, the completion's body; a plain
 *                               completion comes out whole
 *   sanitize_block_mode         SANITIZE_BLOCK (a stdio problem): the
 *                               fenced script as it is, top level and
 *                               all
 *   sanitize_attacks            a fake check() and test harness names
 *                               are dropped unless the entry reaches
 *                               them; text after the fence is ignored; a
 *                               fence closing inside a string: the whole
 *                               text, where the string is whole, or the
 *                               block without the unclosed string; an
 *                               unclosed
 *                               string at the end is never kept (the
 *                               suffix that follows cannot be swallowed)
 *   sanitize_intact             clean code (comments and blank lines
 *                               aside) is left intact, to be judged as
 *                               it is; anything left out, moved or
 *                               unfenced is a change
 *   sanitize_never_adds         on every input of this file, each line
 *                               of the result is text of the input
 *   sanitize_hostile_10mb       10 MB of backticks, brackets open and
 *                               closed, unclosed strings and f-strings,
 *                               continuations: each in a fraction of a
 *                               second
 *   sanitize_hostile_lines      2 MB of fence lines, decorators,
 *                               definitions, names, comments, prose
 *   sanitize_too_big            over SANITIZE_MAX: NULL and the reason
 *   sanitize_real_samples       Zephyr-7B completions from
 *                               ../shared/data (when there): prompt +
 *                               completion sanitized keep the entry
 *                               point and drop their printed examples
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "tests/unit/test.h"
#include "common/jsonl.h"
#include "common/xmalloc.h"
#include "daemon/sanitize.h"

/* Whether the last san() left its text intact. */
static bool san_was_intact;

/* Sanitize "text" with the entry point "entry" (NULL: none); new. */
static char *
san(const char *head, const char *text, const char *entry,
    enum sanitize_keep keep)
{
	char	 err[256], *out;

	out = sanitize_program(head, text, &entry, entry != NULL ? 1 : 0,
	    keep, &san_was_intact, err, sizeof(err));
	if (out == NULL)
		TEST_FAIL_AT("sanitize_program: %s", err);
	return out;
}

/* Every line of "out" is text of "in" (the separators aside). */
static void
san_from_input(const char *in, const char *out)
{
	const char	*p, *nl;
	char		*line;

	for (p = out; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		ASSERT_NOT_NULL(nl);
		line = xstrndup(p, (size_t)(nl - p));
		if (strstr(in, line) == NULL)
			TEST_FAIL_AT("line not in the input: \"%s\"", line);
		free(line);
	}
}

/* "got" (new, freed) must be "want". */
#define ASSERT_STR_EQ_FREE(got, want) do {				\
	char *got_ = (got);						\
	ASSERT_STR_EQ(got_, (want));					\
	free(got_);							\
} while (0)

/* sanitize with SANITIZE_DEFS, checked against "want". */
#define ASSERT_SAN(text, entry, want) do {				\
	char *out_ = san(NULL, (text), (entry), SANITIZE_DEFS);	\
	ASSERT_STR_EQ(out_, (want));					\
	san_from_input((text), out_);					\
	free(out_);							\
} while (0)

/* HumanEval/0 as a chat model writes it. */
#define SAN_HE0_DEF							\
	"def has_close_elements(numbers: List[float], "			\
	"threshold: float) -> bool:\n"					\
	"    for i, a in enumerate(numbers):\n"				\
	"        for b in numbers[i + 1:]:\n"				\
	"            if abs(a - b) < threshold:\n"			\
	"                return True\n"					\
	"    return False\n"

TEST(sanitize_fenced_answer)
{
	ASSERT_SAN(
	    "Sure! Here's a Python function that solves the problem:\n"
	    "\n"
	    "```python\n"
	    "from typing import List\n"
	    "\n"
	    "\n"
	    SAN_HE0_DEF
	    "\n"
	    "\n"
	    "# Example usage:\n"
	    "print(has_close_elements([1.0, 2.0, 3.0], 0.5))  # False\n"
	    "```\n"
	    "\n"
	    "The function compares every pair; it's O(n^2).\n",
	    "has_close_elements",
	    "from typing import List\n" SAN_HE0_DEF);
	return TEST_PASS;
}

TEST(sanitize_several_fences)
{
	static const char text[] =
	    "First, how to call it:\n"
	    "```python\n"
	    "result = add(1, 2)\n"
	    "print(result)\n"
	    "```\n"
	    "Run it with:\n"
	    "```bash\n"
	    "python3 add.py\n"
	    "```\n"
	    "The implementation:\n"
	    "```py\n"
	    "def add(a, b):\n"
	    "    return a + b\n"
	    "```\n"
	    "And a second version:\n"
	    "```python\n"
	    "def add(a, b):\n"
	    "    return b + a\n"
	    "```\n";

	ASSERT_SAN(text, "add", "def add(a, b):\n    return a + b\n");
	/* No entry point: the first Python block, all its definitions. */
	ASSERT_SAN(text, NULL, "result = add(1, 2)\n");
	/* An unclosed fence runs to the end of the text. */
	ASSERT_SAN("Here:\n```python\ndef f():\n    return 1\n", "f",
	    "def f():\n    return 1\n");
	/* ``` inside a line is inline code, not a fence. */
	ASSERT_SAN("Use ```f()``` like this:\n```\ndef f():\n    return 2\n"
	    "```\n", "f", "def f():\n    return 2\n");
	/* A longer fence closes only with as many backticks. */
	ASSERT_SAN("````python\ndef f():\n    return '```'\n```\n"
	    "    return 3\n````\n", "f",
	    "def f():\n    return '```'\n");
	return TEST_PASS;
}

TEST(sanitize_unfenced_prose)
{
	ASSERT_SAN(
	    "Here's my solution to the problem:\n"
	    "def is_prime(n):\n"
	    "    if n < 2:\n"
	    "        return False\n"
	    "    return all(n % d for d in range(2, int(n ** 0.5) + 1))\n"
	    "Note (this matters: the loop stops at the square root.\n"
	    "Explanation: it's a trial division.\n"
	    "def helper(x):\n"
	    "    return x\n"
	    "Output:\n"
	    "True\n",
	    "is_prime",
	    "def is_prime(n):\n"
	    "    if n < 2:\n"
	    "        return False\n"
	    "    return all(n % d for d in range(2, int(n ** 0.5) + 1))\n");
	/* Prose that opens a bracket does not swallow the code after it. */
	ASSERT_SAN("Note (see below:\ndef f(x):\n    return x\n", "f",
	    "def f(x):\n    return x\n");
	/* Nothing that is code: the text as it is. */
	ASSERT_SAN("I cannot answer that.", "f", "I cannot answer that.\n");
	return TEST_PASS;
}

TEST(sanitize_drops_tests)
{
	ASSERT_SAN(
	    "import math\n"
	    "\n"
	    "def area(r):\n"
	    "    return math.pi * r * r\n"
	    "\n"
	    "def test_area():\n"
	    "    assert area(1) == math.pi\n"
	    "\n"
	    "assert area(0) == 0\n"
	    "print(area(2))\n"
	    "area(3)\n"
	    "for r in range(3):\n"
	    "    print(area(r))\n"
	    "test_area()\n"
	    "if __name__ == \"__main__\":\n"
	    "    import doctest\n"
	    "    doctest.testmod()\n"
	    "    print(area(int(input())))\n",
	    "area",
	    "import math\n"
	    "def area(r):\n"
	    "    return math.pi * r * r\n");
	return TEST_PASS;
}

TEST(sanitize_reachable)
{
	static const char text[] =
	    "import re\n"
	    "from collections import Counter\n"
	    "WORD = re.compile(r'\\w+')\n"
	    "UNUSED = 42\n"
	    "class Tally:\n"
	    "    def __init__(self, s):\n"
	    "        self.c = Counter(WORD.findall(s))\n"
	    "def log(msg):\n"
	    "    print(msg)\n"
	    "def fmt(n):\n"
	    "    return f'{n:>{WIDTH}}'\n"
	    "WIDTH = 4\n"
	    "def junk():\n"
	    "    return 0\n"
	    "def top_word(s):\n"
	    "    log('called')\n"
	    "    return fmt(Tally(s).c.most_common(1)[0][0])\n"
	    "def top_word(s):\n"
	    "    return 'second definition'\n";

	ASSERT_SAN(text, "top_word",
	    "import re\n"
	    "from collections import Counter\n"
	    "WORD = re.compile(r'\\w+')\n"
	    "class Tally:\n"
	    "    def __init__(self, s):\n"
	    "        self.c = Counter(WORD.findall(s))\n"
	    "def fmt(n):\n"
	    "    return f'{n:>{WIDTH}}'\n"
	    "WIDTH = 4\n"
	    "def top_word(s):\n"
	    "    log('called')\n"
	    "    return fmt(Tally(s).c.most_common(1)[0][0])\n");
	/* Without an entry point every definition EvalPlus keeps stays. */
	ASSERT_SAN("x = 1\ndef f():\n    return x\ndef g():\n    pass\n"
	    "y: int = 2\nz == 3\n", NULL,
	    "x = 1\ndef f():\n    return x\ny: int = 2\n");
	return TEST_PASS;
}

TEST(sanitize_decorators)
{
	ASSERT_SAN(
	    "```python\n"
	    "import functools\n"
	    "\n"
	    "@functools.lru_cache(maxsize=None)\n"
	    "@staticmethod\n"
	    "def fib(n):\n"
	    "    return n if n < 2 else fib(n - 1) + fib(n - 2)\n"
	    "\n"
	    "@decorator_without_def\n"
	    "x += 1\n"
	    "```\n",
	    "fib",
	    "import functools\n"
	    "@functools.lru_cache(maxsize=None)\n"
	    "@staticmethod\n"
	    "def fib(n):\n"
	    "    return n if n < 2 else fib(n - 1) + fib(n - 2)\n");
	ASSERT_SAN("async def fetch(u):\n    return await get(u)\n"
	    "async def get(u):\n    return u\n", "fetch",
	    "async def fetch(u):\n    return await get(u)\n"
	    "async def get(u):\n    return u\n");
	ASSERT_SAN(
	    "class Solution:\n"
	    "    @staticmethod\n"
	    "    def twoSum(nums, target):\n"
	    "        return pair(nums, target)\n"
	    "def pair(nums, target):\n"
	    "    return [0, 1]\n"
	    "s = Solution()\n"
	    "print(s.twoSum([1, 2], 3))\n",
	    "Solution",
	    "class Solution:\n"
	    "    @staticmethod\n"
	    "    def twoSum(nums, target):\n"
	    "        return pair(nums, target)\n"
	    "def pair(nums, target):\n"
	    "    return [0, 1]\n");
	return TEST_PASS;
}

TEST(sanitize_strings)
{
	static const char doc[] =
	    "def render(items):\n"
	    "    \"\"\"Render items as Markdown.\n"
	    "\n"
	    "Example:\n"
	    "    ```\n"
	    "def not_a_def():\n"
	    "    ```\n"
	    "It's (unbalanced [ on purpose.\n"
	    "    \"\"\"\n"
	    "    sep = '\\'\\n'\n"
	    "    return rb\"\\\"\" + sep.join(b'x' for _ in items)\n";

	ASSERT_SAN(doc, "render", doc);
	/* The same with the fences at column 0: no block defines the
	 * entry, the whole text does. */
	ASSERT_SAN("def f():\n    \"\"\"Use it so:\n```\nf()\n```\n\"\"\"\n"
	    "    return 1\n", "f",
	    "def f():\n    \"\"\"Use it so:\n```\nf()\n```\n\"\"\"\n"
	    "    return 1\n");
	/* Not fenced: the string keeps "def" and prose inside. */
	ASSERT_SAN("Answer:\ndef f():\n    s = '''\ndef g():\n    return 1\n"
	    "'''\n    return s\nprint(f())\n", "f",
	    "def f():\n    s = '''\ndef g():\n    return 1\n'''\n"
	    "    return s\n");
	return TEST_PASS;
}

TEST(sanitize_ansi)
{
	/* ollama's colours, as EvalPlus strips them; a lone ESC stays. */
	ASSERT_STR_EQ_FREE(san(NULL, "\x1b[1m```python\x1b[0m\n"
	    "def \x1b[32mf\x1b[0m():\n    return 1\x1b[K\n```\n", "f",
	    SANITIZE_DEFS), "def f():\n    return 1\n");
	ASSERT(!san_was_intact);
	ASSERT_STR_EQ_FREE(san(NULL, "def f():\n    return '\x1b'\n", "f",
	    SANITIZE_DEFS), "def f():\n    return '\x1b'\n");
	ASSERT(san_was_intact);
	return TEST_PASS;
}

TEST(sanitize_crlf_tabs)
{
	ASSERT_SAN(
	    "Code:\r\n"
	    "```python\r\n"
	    "def f(x):\r\n"
	    "\tif x:\r\n"
	    "\t\treturn 1\r\n"
	    "\treturn 0\r\n"
	    "\r\n"
	    "print(f(1))\r\n"
	    "```\r\n",
	    "f",
	    "def f(x):\r\n"
	    "\tif x:\r\n"
	    "\t\treturn 1\r\n"
	    "\treturn 0\n");
	return TEST_PASS;
}

TEST(sanitize_head)
{
	static const char prompt[] =
	    "from typing import List\n"
	    "\n"
	    "\n"
	    "def poly(xs: list, x: float):\n"
	    "    return sum(c * x ** i for i, c in enumerate(xs))\n"
	    "\n"
	    "\n"
	    "def find_zero(xs: list):\n"
	    "    \"\"\" Find a zero. \"\"\"\n";
	char	*out;

	/* A plain completion: the prompt's def gets its body. */
	out = san(prompt, "    return poly(xs, 0)\n", "find_zero",
	    SANITIZE_DEFS);
	ASSERT_STR_EQ(out,
	    "from typing import List\n"
	    "def poly(xs: list, x: float):\n"
	    "    return sum(c * x ** i for i, c in enumerate(xs))\n"
	    "def find_zero(xs: list):\n"
	    "    \"\"\" Find a zero. \"\"\"\n"
	    "\n"
	    "    return poly(xs, 0)\n");
	free(out);
	/* A chat answer as the completion: its fenced block after the
	 * prompt, whose find_zero (no return) gives way to the answer's. */
	out = san(prompt, "Here it is:\n```python\ndef find_zero(xs):\n"
	    "    return -xs[0] / xs[1]\n```\n", "find_zero", SANITIZE_DEFS);
	ASSERT_STR_EQ(out,
	    "from typing import List\n"
	    "def find_zero(xs):\n"
	    "    return -xs[0] / xs[1]\n");
	free(out);
	return TEST_PASS;
}

TEST(sanitize_block_mode)
{
	char	*out;

	out = san(NULL, "Read n, print its double:\n```python\n"
	    "import sys\nn = int(sys.stdin.readline())\nprint(2 * n)\n```\n"
	    "Explanation follows.\n", NULL, SANITIZE_BLOCK);
	ASSERT_STR_EQ(out,
	    "import sys\nn = int(sys.stdin.readline())\nprint(2 * n)\n");
	free(out);
	out = san(NULL, "n = int(input())\nprint(n)", NULL, SANITIZE_BLOCK);
	ASSERT_STR_EQ(out, "n = int(input())\nprint(n)\n");
	free(out);
	return TEST_PASS;
}

TEST(sanitize_attacks)
{
	/* A fake harness: not reached, dropped (and the judge's own check
	 * and candidate names live in the judge, never in the program). */
	ASSERT_SAN(
	    "```python\n"
	    "def check(candidate):\n"
	    "    return True\n"
	    "candidate = lambda *a: True\n"
	    "def f(x):\n"
	    "    return x + 1\n"
	    "check(f)\n"
	    "```\n"
	    "def f(x):\n"
	    "    return 42\n",
	    "f",
	    "def f(x):\n    return x + 1\n");
	/* The entry reaching a "check" keeps it: it is the candidate's
	 * own function, run in its own process. */
	ASSERT_SAN("def check(x):\n    return True\ndef f(x):\n"
	    "    return check(x)\n", "f",
	    "def check(x):\n    return True\ndef f(x):\n    return check(x)\n");
	/* A fence closing inside a string: the block ends there, and its
	 * unclosed string is no code; the whole text, read as Python,
	 * defines the entry: the string holds the fence, as meant. */
	ASSERT_SAN(
	    "```python\n"
	    "import os\n"
	    "def f():\n"
	    "    s = \"\"\"\n"
	    "```\n"
	    "\"\"\"\n"
	    "    return 1\n",
	    "f", "import os\ndef f():\n    s = \"\"\"\n```\n\"\"\"\n"
	    "    return 1\n");
	/* Without a definition of the entry anywhere, the block's
	 * import only: the unclosed string is dropped. */
	ASSERT_SAN("```python\nimport os\ndef f():\n    s = \"\"\"\n```\n",
	    "f", "import os\n");
	/* An unclosed string or bracket at the end is dropped, so that
	 * the suffix after the program cannot be swallowed. */
	ASSERT_SAN("def f():\n    return 1\nX = '''\n", "f",
	    "def f():\n    return 1\n");
	ASSERT_SAN("def f():\n    return g(\n", "f",
	    "def f():\n    return g(\n");
	ASSERT_SAN("def f():\n    return 1\ny = (\n", NULL,
	    "def f():\n    return 1\n");
	/* A prose line pretending to be an import is no import. */
	ASSERT_SAN("import the module first\nfrom the docs import nothing\n"
	    "def f():\n    return 1\n", "f", "def f():\n    return 1\n");
	return TEST_PASS;
}

/*
 * The inputs of sanitize_never_adds: shapes the other tests do not
 * cover, pieces of code that must come out only as they went in.
 */
static const char *const san_inputs[] = {
	"```python\ndef f():\n    return 1\n```\n```python\ndef g():\n"
	    "    return 2\n```\n",
	"def f(\n    a,\n    b,\n):\n    return a\\\n        + b\n",
	"x = [\n1,\n2]\ndef f():\n    return x\n",
	"def f(): return 1\nclass C: pass\n",
	"import os, sys; print(1)\nfrom . import x\n",
	"\xef\xbb\xbf" "def f():\n    return '\xc3\xa9'\n",
	"def f():\n\treturn 1\n \n\t\n# trailing comment\n",
	"@\ndef f():\n    return 1\n",
	"def\n",
	"```",
	"",
};

/* Is "text" left intact for the entry point "entry"? */
static bool
san_intact_for(const char *head, const char *text, const char *entry)
{
	free(san(head, text, entry, SANITIZE_DEFS));
	return san_was_intact;
}

TEST(sanitize_intact)
{
	/* Clean code, comments and blank lines between: as it is. */
	ASSERT(san_intact_for(NULL, "import math\n\n# the answer\n"
	    "def f(x):\n    return g(x)\n\n\ndef g(x):\n    return x\n",
	    "f"));
	ASSERT(san_intact_for("def f(x):\n", "    return x\n", "f"));
	/* Anything left out or moved: changed. */
	ASSERT(!san_intact_for(NULL, "def f(x):\n    return x\n"
	    "print(f(1))\n", "f"));
	ASSERT(!san_intact_for(NULL, "```python\ndef f(x):\n    return x\n"
	    "```\n", "f"));
	ASSERT(!san_intact_for(NULL, "def f(x):\n    return x\n"
	    "def unused():\n    return 0\n", "f"));
	ASSERT(!san_intact_for(NULL, "def f(x):\n    return math.e\n"
	    "import math\n", "f"));
	ASSERT(!san_intact_for(NULL, "def f(x):\n    pass\n", "f"));
	ASSERT(!san_intact_for(NULL, "Here it is:\ndef f(x):\n"
	    "    return x\n", "f"));
	ASSERT(!san_intact_for(NULL, "no code", "f"));
	free(san(NULL, "n = int(input())\nprint(n)\n", NULL, SANITIZE_BLOCK));
	ASSERT(san_was_intact);
	free(san(NULL, "```\nprint(1)\n```\n", NULL, SANITIZE_BLOCK));
	ASSERT(!san_was_intact);
	return TEST_PASS;
}

TEST(sanitize_never_adds)
{
	char	*out;

	for (size_t i = 0; i < sizeof(san_inputs) / sizeof(san_inputs[0]);
	    i++) {
		out = san(NULL, san_inputs[i], "f", SANITIZE_DEFS);
		san_from_input(san_inputs[i], out);
		ASSERT(out[0] == '\0' || out[strlen(out) - 1] == '\n');
		free(out);
		out = san(NULL, san_inputs[i], NULL, SANITIZE_DEFS);
		san_from_input(san_inputs[i], out);
		free(out);
	}
	return TEST_PASS;
}

/* A text of "n" bytes: "unit" repeated, then "tail". */
static char *
san_repeat(const char *unit, size_t n, const char *tail)
{
	size_t	 u = strlen(unit), t = strlen(tail), i;
	char	*s = xmalloc(n + t + 1);

	for (i = 0; i + u <= n; i += u)
		memcpy(s + i, unit, u);
	memcpy(s + i, tail, t + 1);
	return s;
}

/* The hostile shapes: "unit" repeated to "n" bytes, then "tail". */
static const struct {
	const char	*unit;
	const char	*tail;
	size_t		 n;
} san_hostile[] = {
	{ "`", "", 10u << 20 },
	{ "(", "\ndef f():\n    return 1\n", 10u << 20 },
	{ "[{(", "", 10u << 20 },
	{ ")]}", "", 10u << 20 },
	{ "\"", "", 10u << 20 },
	{ "\"\"\"", "", 10u << 20 },
	{ "\"x", "", 10u << 20 },
	{ "f'{f'{", "", 10u << 20 },
	{ "\\\n", "", 10u << 20 },
	{ "```\n", "", 2u << 20 },
	{ "```python\n", "", 2u << 20 },
	{ "```x\n```\n", "", 2u << 20 },
	{ "@a\n", "def f():\n    return 1\n", 2u << 20 },
	{ "def f():\n return g\n", "", 2u << 20 },
	{ "x = [a, b, c, d, e]\n", "def f():\n    return x\n", 2u << 20 },
	{ "# comment\n", "", 2u << 20 },
	{ "a b c d e f g\n", "", 2u << 20 },
};

/*
 * Sanitize each hostile shape of "n" bytes within seconds: at most 0.2 s
 * of this machine each (linear: a quadratic scan of megabytes takes
 * hours), with room for the sanitizers and a loaded machine.
 */
static void
san_shapes(size_t n)
{
	struct timespec	 t0, t1;
	double		 secs;
	char		*text, *out;

	for (size_t i = 0; i < sizeof(san_hostile) / sizeof(san_hostile[0]);
	    i++) {
		if (san_hostile[i].n != n)
			continue;
		text = san_repeat(san_hostile[i].unit, n, san_hostile[i].tail);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		out = san(NULL, text, "f", SANITIZE_DEFS);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		secs = (double)(t1.tv_sec - t0.tv_sec) +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		if (secs > 4)
			TEST_FAIL_AT("shape %zu: %.1f s", i, secs);
		ASSERT(strlen(out) <= strlen(text) + 1 + strlen(text) / 2);
		free(out);
		free(text);
	}
}

TEST(sanitize_hostile_10mb)
{
	san_shapes(10u << 20);
	return TEST_PASS;
}

TEST(sanitize_hostile_lines)
{
	san_shapes(2u << 20);
	return TEST_PASS;
}

TEST(sanitize_too_big)
{
	char	*text, err[256];

	text = san_repeat("x", SANITIZE_MAX, "x");
	ASSERT_NULL(sanitize_program(NULL, text, NULL, 0, SANITIZE_DEFS, NULL,
	    err, sizeof(err)));
	ASSERT(strstr(err, "over the limit") != NULL);
	free(text);
	return TEST_PASS;
}

/* The prompt of "task_id" in the HumanEval file at "path" (new). */
static char *
san_prompt(const char *path, const char *task_id)
{
	struct jsonl	*rd;
	json_t		*o;
	char		 err[256], *prompt = NULL;

	if (jsonl_open(path, &rd, err, sizeof(err)) < 0)
		TEST_FAIL_AT("%s", err);
	while (prompt == NULL && jsonl_next(rd, &o, err, sizeof(err)) > 0) {
		if (strcmp(json_string_value(json_object_get(o, "task_id")),
		    task_id) == 0)
			prompt = xstrdup(json_string_value(json_object_get(o,
			    "prompt")));
		json_decref(o);
	}
	jsonl_close(rd);
	return prompt;
}

TEST(sanitize_real_samples)
{
	struct jsonl	*rd;
	json_t		*o;
	const char	*task, *completion, *path;
	char		 err[256], *prompt, *out, entry[128], *p, *humaneval;
	size_t		 seen = 0;

	humaneval = xstrdup(test_data_path("humaneval/HumanEval.jsonl.gz"));
	DATA_OR_SKIP(path,
	    "samples/humaneval_zephyr7b_alpha_t0.2_n10.jsonl.gz");
	if (jsonl_open(path, &rd, err, sizeof(err)) < 0)
		TEST_FAIL_AT("%s", err);
	/* Completions that print examples at the top level. */
	while (seen < 20 && jsonl_next(rd, &o, err, sizeof(err)) > 0) {
		task = json_string_value(json_object_get(o, "task_id"));
		completion = json_string_value(json_object_get(o,
		    "completion"));
		if (strstr(completion, "\nprint(") == NULL) {
			json_decref(o);
			continue;
		}
		prompt = san_prompt(humaneval, task);
		ASSERT_NOT_NULL(prompt);
		/* The entry point: the prompt's last "def NAME(". */
		for (p = prompt; strstr(p, "\ndef ") != NULL;
		    p = strstr(p, "\ndef ") + 5)
			;
		snprintf(entry, sizeof(entry), "%.*s", (int)strcspn(p, "("),
		    p);
		out = san(prompt, completion, entry, SANITIZE_DEFS);
		p = xasprintf("def %s(", entry);
		ASSERT(strstr(out, p) != NULL);
		ASSERT(strstr(out, "\nprint(") == NULL);
		free(p);
		free(out);
		free(prompt);
		json_decref(o);
		seen++;
	}
	jsonl_close(rd);
	free(humaneval);
	ASSERT_EQ(seen, 20);
	return TEST_PASS;
}
