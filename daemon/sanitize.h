/*
 * sanitize.h - the code of a chat model's answer, as EvalPlus's
 * sanitizer (evalplus/sanitize.py) extracts it: the fenced Python block,
 * then the imports and the definitions the entry point needs.
 *
 * Chat models wrap their code in Markdown fences and prose, and add
 * examples and tests of their own; judged as they are, such answers are
 * syntax errors.  A candidate that asks for it (daemon/candidate.h,
 * "sanitize") is judged on what this module extracts.  EvalPlus parses
 * the answer with tree-sitter and tries every range of lines with
 * Python's own parser.  Neither is here: no C library parses Python,
 * and running Python outside the jail on hostile text is not acceptable
 * (inside it, the answer is what is judged, not how it is cut).  So this
 * is a small hand-written scanner that knows what Python's tokenizer
 * knows and no more: strings (prefixes, triple quotes, f-strings,
 * escapes), comments, brackets, backslash continuations, and whether a
 * line is indented.  It runs in time linear in the text (n log n for
 * the names of the definitions), whatever the text holds.
 *
 * What is extracted:
 *  0. ANSI escape sequences are taken out (EvalPlus does).
 *  1. The code: the first fenced block (``` or ```python, ```py,
 *     ```python3; other languages are skipped) that defines an entry
 *     point; else the whole text if it does (the fences were in a
 *     docstring); else the first such block; else the whole text.  An
 *     unclosed fence runs to the end.  For a completion, the
 *     problem's prompt, a newline, and that code (EvalPlus sanitizes
 *     prompt + "\n" + completion).
 *  2. Its top-level statements, each checked as far as a tokenizer can
 *     (closed strings and brackets, no two names in a row as prose has,
 *     no stray characters, a body after "def ...:").  Kept: imports
 *     ("import", "from ... import"); classes; functions (with their
 *     decorators: EvalPlus's tree walk leaves decorated ones out, an
 *     oversight not kept here) whose body holds a "return", as EvalPlus
 *     keeps them; assignments to one name ("x = ...", "x: T = ...").
 *     The first definition of a name wins.  Dropped: everything else (prose, top
 *     level calls, prints, asserts, loops, "if __name__ == ..." blocks).
 *  3. With entry points: only the definitions they reach (by the names
 *     each definition mentions, transitively), plus every import.
 *  4. The result: the imports, then the definitions, in text order, one
 *     newline after each.  When nothing is kept, the code of step 1.
 * The result is made of pieces of the text only (less its escape
 * sequences): it never holds code that was not there.
 *
 * No I/O, no state: callable from any thread.
 */
#ifndef DAEMON_SANITIZE_H
#define DAEMON_SANITIZE_H

#include <stdbool.h>
#include <stddef.h>

/* Longest text sanitized, bytes. */
#define SANITIZE_MAX	(64u << 20)

/* What is kept of the code. */
enum sanitize_keep {
	SANITIZE_DEFS,		/* steps 2 to 4: a function's problem */
	SANITIZE_BLOCK,		/* step 1 only: a script's problem (it
				   reads stdin; its top level is the code) */
};

/*
 * Extract the program from "text" (borrowed), as the file comment says.
 * "head" (borrowed, or NULL) goes before the code found in text, with a
 * newline between.  entries[0..nentries-1] (borrowed; nentries may be
 * 0) are the names the tests call: the roots of step 3.  Returns a new
 * string ending with a newline, or NULL with the reason in errbuf when
 * head and text together are over SANITIZE_MAX bytes.  *intact is set
 * when nothing of the text was left out or moved (the code is all of
 * it; with SANITIZE_DEFS, every statement kept, imports already first):
 * only blank lines and comments between statements differ, and the
 * caller may judge head and text as they are.
 */
char	*sanitize_program(const char *head, const char *text,
	    const char *const *entries, size_t nentries,
	    enum sanitize_keep keep, bool *intact, char *errbuf,
	    size_t errlen);

#endif /* DAEMON_SANITIZE_H */
