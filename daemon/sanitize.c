/*
 * sanitize.c - a chat answer's code, extracted.  See sanitize.h.
 *
 * Sections, in order: the tokenizer (san_lex: one token at a time,
 * Python's rules for strings, comments, brackets and lines), the
 * statement splitter (san_split: top-level statements, what each one
 * is and whether it could be Python), the fences (san_block: which
 * block is the code), the reachable definitions (san_reach) and
 * sanitize_program(), which puts them together.
 *
 * Every loop moves forward through the text and every byte is read a
 * bounded number of times (the tokenizer, the splitter on the chosen
 * block and on each fenced block once, a kept definition once more for
 * its names), so hostile text (megabytes of backticks or brackets, an
 * unclosed string) costs its length.  Offsets are size_t into the text.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/xmalloc.h"
#include "daemon/sanitize.h"

/* --- The tokenizer --- */

enum san_kind {
	SAN_END,		/* the end of the range */
	SAN_NAME,		/* an identifier or a keyword */
	SAN_FNAME,		/* a name inside an f-string's braces */
	SAN_NUMBER,
	SAN_STRING,
	SAN_OP,			/* an operator or a delimiter */
	SAN_OPEN,		/* ( [ { */
	SAN_CLOSE,		/* ) ] } */
	SAN_NEWLINE,		/* the end of a logical line */
	SAN_BAD,		/* not Python: a stray character, an unclosed
				   string, a closer without its opener */
};

struct san_tok {
	enum san_kind	 kind;
	size_t		 off;		/* its bytes in the text */
	size_t		 len;
	size_t		 depth;		/* brackets open after it */
	bool		 bol;		/* it starts a logical line */
	bool		 indented;	/* ... that is indented */
	bool		 broken;	/* it starts a line at column 0 with
					   "def", "class"... while brackets
					   were open: they are given up */
};

struct san_lex {
	const char	*s;		/* the text */
	size_t		 i;		/* next byte */
	size_t		 e;		/* end of the range */
	size_t		 depth;		/* brackets open */
	bool		 bol;		/* at the start of a physical line */
	bool		 cont;		/* that line continues the one before
					   (a backslash ended it) */
	bool		 pending;	/* tokens since the last NEWLINE */
	size_t		 fi;		/* f-string body left to read for */
	size_t		 fe;		/* names: [fi, fe) */
	unsigned	 fdepth;	/* braces open in it */
};

static void
san_lex_init(struct san_lex *lx, const char *s, size_t b, size_t e)
{
	memset(lx, 0, sizeof(*lx));
	lx->s = s;
	lx->i = b;
	lx->e = e;
	lx->bol = true;
}

static bool
san_idchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

static bool
san_idstart(unsigned char c)
{
	return san_idchar(c) && !(c >= '0' && c <= '9');
}

/* Does the line at p (n bytes) start a statement no bracket holds? */
static bool
san_starts_stmt(const char *p, size_t n)
{
	static const char *const heads[] = { "def ", "class ", "async def ",
	    "import ", "from " };

	for (size_t k = 0; k < sizeof(heads) / sizeof(heads[0]); k++)
		if (n >= strlen(heads[k]) &&
		    memcmp(p, heads[k], strlen(heads[k])) == 0)
			return true;
	return n >= 2 && p[0] == '@' && san_idstart((unsigned char)p[1]);
}

/*
 * The next name inside the braces of the f-string body [fi, fe), as
 * SAN_FNAME.  Returns false when the body holds no more.
 */
static bool
san_fname(struct san_lex *lx, struct san_tok *t)
{
	const char	*s = lx->s;
	size_t		 k = lx->fi;

	while (k < lx->fe) {
		unsigned char c = (unsigned char)s[k];

		if (lx->fdepth == 0) {
			if (c == '{' && k + 1 < lx->fe && s[k + 1] == '{')
				k++;		/* "{{" is a brace */
			else if (c == '{')
				lx->fdepth = 1;
			k++;
			continue;
		}
		if (san_idstart(c)) {
			t->kind = SAN_FNAME;
			t->off = k;
			while (k < lx->fe && san_idchar((unsigned char)s[k]))
				k++;
			t->len = k - t->off;
			lx->fi = k;
			return true;
		}
		if (c >= '0' && c <= '9') {
			while (k < lx->fe && san_idchar((unsigned char)s[k]))
				k++;	/* a number: no name */
			continue;
		}
		if (c == '{')
			lx->fdepth++;
		else if (c == '}')
			lx->fdepth--;
		k++;
	}
	lx->fi = lx->fe = 0;
	return false;
}

/*
 * A string literal whose quote is at q (its prefix, pre bytes, before
 * it).  Backslashes escape the next byte in every kind (as Python's
 * tokenizer reads raw strings too); a single-quoted string ends at its
 * line.
 */
static void
san_string(struct san_lex *lx, size_t q, size_t pre, bool f,
    struct san_tok *t)
{
	const char	*s = lx->s;
	char		 quote = s[q];
	bool		 triple, closed = false;
	size_t		 k, body, end;

	triple = q + 2 < lx->e && s[q + 1] == quote && s[q + 2] == quote;
	k = body = q + (triple ? 3 : 1);
	end = lx->e;
	while (k < lx->e) {
		if (s[k] == '\\') {
			k += 2;
			continue;
		}
		if (s[k] == quote && (!triple || (k + 2 < lx->e &&
		    s[k + 1] == quote && s[k + 2] == quote))) {
			closed = true;
			end = k + (triple ? 3 : 1);
			break;
		}
		if (s[k] == '\n' && !triple) {
			end = k;	/* the newline ends the line */
			break;
		}
		k++;
	}
	if (k > lx->e)
		k = lx->e;
	t->kind = closed ? SAN_STRING : SAN_BAD;
	t->off = q - pre;
	t->len = end - t->off;
	lx->i = end;
	if (closed && f) {
		lx->fi = body;
		lx->fe = k;
		lx->fdepth = 0;
	}
}

/* The operators Python has, longest first where one begins another. */
static size_t
san_op_len(const char *p, size_t n)
{
	static const char *const ops[] = { "**=", "//=", ">>=", "<<=", "...",
	    "==", "!=", "<=", ">=", "+=", "-=", "*=", "/=", "%=", "&=", "|=",
	    "^=", "@=", ":=", "->", "**", "//", "<<", ">>" };

	for (size_t k = 0; k < sizeof(ops) / sizeof(ops[0]); k++)
		if (n >= strlen(ops[k]) &&
		    memcmp(p, ops[k], strlen(ops[k])) == 0)
			return strlen(ops[k]);
	return *p != '\0' && strchr("=+-*/%&|^~<>:@.,;", *p) != NULL;
}

/*
 * The start of a physical line at lx->i: blank and comment lines are
 * skipped; a line that starts a logical line marks the token to come.
 * Returns false at the end of the range.
 */
static bool
san_line(struct san_lex *lx, struct san_tok *t)
{
	const char	*s = lx->s;
	size_t		 start = lx->i, j = lx->i;

	while (j < lx->e && (s[j] == ' ' || s[j] == '\t' || s[j] == '\f' ||
	    s[j] == '\r'))
		j++;
	if (j < lx->e && s[j] == '#')
		while (j < lx->e && s[j] != '\n')
			j++;
	lx->i = j;
	if (j >= lx->e)
		return false;
	if (s[j] == '\n') {
		lx->i = j + 1;
		return true;		/* blank: still at a line's start */
	}
	lx->bol = false;
	if (lx->depth == 0 && !lx->cont) {
		t->bol = true;
		t->indented = j > start;
	} else if (lx->depth > 0 && j == start &&
	    san_starts_stmt(s + j, lx->e - j)) {
		t->bol = t->broken = true;
		lx->depth = 0;
	}
	lx->cont = false;
	return true;
}

/* The next token of the range into *t. */
static void
san_next(struct san_lex *lx, struct san_tok *t)
{
	const char	*s = lx->s;
	size_t		 i, pre;
	unsigned char	 c;

	memset(t, 0, sizeof(*t));
	if (lx->fe > 0 && san_fname(lx, t))
		return;
	for (;;) {
		if (lx->bol && !san_line(lx, t))
			break;
		if (lx->bol)
			continue;
		if ((i = lx->i) >= lx->e)
			break;
		c = (unsigned char)s[i];
		if (c == '\n') {
			lx->i = i + 1;
			lx->bol = true;
			if (lx->depth == 0 && lx->pending) {
				lx->pending = false;
				t->kind = SAN_NEWLINE;
				t->off = i;
				return;
			}
		} else if (c == ' ' || c == '\t' || c == '\f' || c == '\r') {
			lx->i = i + 1;
		} else if (c == '#') {
			while (lx->i < lx->e && s[lx->i] != '\n')
				lx->i++;
		} else if (c == '\\' && i + 1 < lx->e && (s[i + 1] == '\n' ||
		    (s[i + 1] == '\r' && i + 2 < lx->e && s[i + 2] == '\n'))) {
			lx->i = i + (s[i + 1] == '\n' ? 2 : 3);
			lx->bol = lx->cont = true;
		} else
			break;
	}
	if (lx->i >= lx->e) {
		t->kind = lx->pending ? SAN_NEWLINE : SAN_END;
		t->off = lx->e;
		lx->pending = false;
		return;
	}
	lx->pending = true;
	i = lx->i;
	c = (unsigned char)s[i];
	t->off = i;
	if (san_idstart(c)) {
		for (pre = 0; pre < 2 && i + pre < lx->e &&
		    strchr("rRbBuUfF", s[i + pre]) != NULL; pre++)
			;
		if (pre > 0 && i + pre < lx->e && (s[i + pre] == '\'' ||
		    s[i + pre] == '"')) {
			san_string(lx, i + pre, pre, memchr(s + i, 'f', pre) !=
			    NULL || memchr(s + i, 'F', pre) != NULL, t);
			t->depth = lx->depth;
			return;
		}
		while (lx->i < lx->e && san_idchar((unsigned char)s[lx->i]))
			lx->i++;
		t->kind = SAN_NAME;
	} else if (c == '\'' || c == '"') {
		san_string(lx, i, 0, false, t);
	} else if ((c >= '0' && c <= '9') || (c == '.' && i + 1 < lx->e &&
	    s[i + 1] >= '0' && s[i + 1] <= '9')) {
		while (lx->i < lx->e && (san_idchar((unsigned char)s[lx->i]) ||
		    s[lx->i] == '.'))
			lx->i++;
		t->kind = SAN_NUMBER;
	} else if (c == '(' || c == '[' || c == '{') {
		lx->depth++;
		lx->i++;
		t->kind = SAN_OPEN;
	} else if (c == ')' || c == ']' || c == '}') {
		lx->i++;
		t->kind = lx->depth > 0 ? SAN_CLOSE : SAN_BAD;
		lx->depth -= lx->depth > 0;
	} else if ((pre = san_op_len(s + i, lx->e - i)) > 0) {
		lx->i += pre;
		t->kind = SAN_OP;
	} else {
		/* $ ? ` ! and the like, a run of them as one token. */
		while (++lx->i < lx->e && s[lx->i] != '\0' &&
		    strchr("$?`!", s[lx->i]) != NULL && !(s[lx->i] == '!' &&
		    lx->i + 1 < lx->e && s[lx->i + 1] == '='))
			;
		t->kind = SAN_BAD;
	}
	t->len = lx->i - t->off;
	t->depth = lx->depth;
}

/* --- Statements --- */

static const char *const san_keywords[] = { "and", "as", "assert", "async",
    "await", "break", "case", "class", "continue", "def", "del", "elif",
    "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "match", "nonlocal", "not", "or", "pass",
    "raise", "return", "try", "type", "while", "with", "yield" };

/* Is the token the word "w"? */
static bool
san_is(const char *s, const struct san_tok *t, const char *w)
{
	return t->kind == SAN_NAME && t->len == strlen(w) &&
	    memcmp(s + t->off, w, t->len) == 0;
}

/* Is the token a keyword that is no value (True, False, None are)? */
static bool
san_keyword(const char *s, const struct san_tok *t)
{
	if (t->kind != SAN_NAME || t->len < 2 || t->len > 8 ||
	    s[t->off] < 'a' || s[t->off] > 'y')
		return false;		/* the common case, at once */
	for (size_t k = 0; k < sizeof(san_keywords) / sizeof(san_keywords[0]);
	    k++)
		if (san_is(s, t, san_keywords[k]))
			return true;
	return false;
}

enum san_what {
	SAN_OTHER,		/* dropped */
	SAN_IMPORT,
	SAN_FUNC,
	SAN_CLASS,
	SAN_ASSIGN,
};

struct san_stmt {
	size_t		 off;		/* its text: [off, end) */
	size_t		 end;
	enum san_what	 what;
	size_t		 name;		/* the name it defines: [name, +len) */
	size_t		 name_len;
	bool		 ok;		/* could be Python */
	bool		 has_return;	/* a "return" anywhere in it */
	bool		 keep;
};

/* What the splitter knows of the statement it is in. */
struct san_cur {
	struct san_stmt	*st;		/* NULL: none yet */
	struct san_tok	 hdr[3];	/* first tokens of its header line */
	size_t		 nhdr;
	bool		 in_hdr;	/* in the header line */
	bool		 hdr_done;	/* the header line has ended */
	bool		 deco;		/* the last line was a decorator */
	bool		 colon;		/* a ':' outside brackets in the
					   header line */
	bool		 last_colon;	/* ... as its last token */
	bool		 eq;		/* a '=' outside brackets in it */
	bool		 semi;		/* a ';' outside brackets in it */
	bool		 import;	/* the word "import" in it */
	size_t		 body;		/* logical lines after the header */
	bool		 operand;	/* the last token ends a value */
	bool		 string;	/* ... and is a string */
};

struct san_split {
	const char	*s;
	struct san_stmt	*st;		/* the statements, in text order */
	size_t		 n;
	size_t		 cap;
	size_t		 dropped;	/* statements forgotten (SAN_OTHER) */
	struct san_cur	 cur;
};

/* Decide what the statement in c is, now that it has ended. */
static void
san_finish(struct san_split *sp)
{
	struct san_cur	*c = &sp->cur;
	struct san_stmt	*st = c->st;
	const char	*s = sp->s;
	const struct san_tok *h = c->hdr;
	size_t		 name = 1;	/* the token of the name */
	bool		 body;

	if (st == NULL)
		return;
	c->st = NULL;
	body = (c->last_colon && c->body > 0) || (c->colon && !c->last_colon);
	st->what = SAN_OTHER;
	if (!st->ok || !c->hdr_done || c->nhdr < 2)
		return;
	if (san_is(s, &h[0], "import") || (san_is(s, &h[0], "from") &&
	    c->import)) {
		st->what = c->semi || c->body > 0 ? SAN_OTHER : SAN_IMPORT;
		return;
	}
	if (san_is(s, &h[0], "async") && san_is(s, &h[1], "def") &&
	    c->nhdr == 3 && h[2].kind == SAN_NAME) {
		st->what = body ? SAN_FUNC : SAN_OTHER;
		name = 2;
	} else if (san_is(s, &h[0], "def") && h[1].kind == SAN_NAME &&
	    !san_keyword(s, &h[1])) {
		st->what = body && c->nhdr == 3 && h[2].kind == SAN_OPEN ?
		    SAN_FUNC : SAN_OTHER;
	} else if (san_is(s, &h[0], "class") && h[1].kind == SAN_NAME &&
	    !san_keyword(s, &h[1])) {
		st->what = body ? SAN_CLASS : SAN_OTHER;
	} else if (h[0].kind == SAN_NAME && !san_keyword(s, &h[0]) &&
	    h[1].kind == SAN_OP && h[1].len == 1 && !c->semi &&
	    c->body == 0 && (s[h[1].off] == '=' || (s[h[1].off] == ':' &&
	    c->eq))) {
		st->what = SAN_ASSIGN;
		name = 0;
	}
	if (c->deco && st->what != SAN_FUNC && st->what != SAN_CLASS)
		st->what = SAN_OTHER;
	if (st->what != SAN_OTHER) {
		st->name = h[name].off;
		st->name_len = h[name].len;
	}
}

/* Finish the statement, and forget it when it is of no use. */
static void
san_end(struct san_split *sp)
{
	san_finish(sp);
	if (sp->n > 0 && sp->st[sp->n - 1].what == SAN_OTHER) {
		sp->n--;		/* its slot is the next one's */
		sp->dropped++;
	}
}

/* A new statement whose first token is t. */
static void
san_begin(struct san_split *sp, const struct san_tok *t)
{
	struct san_stmt	*st;

	san_end(sp);
	if (sp->n == sp->cap) {
		sp->cap = sp->cap ? 2 * sp->cap : 16;
		sp->st = xreallocarray(sp->st, sp->cap, sizeof(*sp->st));
	}
	st = &sp->st[sp->n++];
	memset(st, 0, sizeof(*st));
	st->off = st->end = t->off;
	st->ok = !t->indented;		/* an indented start is no code */
	memset(&sp->cur, 0, sizeof(sp->cur));
	sp->cur.st = st;
}

/* A logical line begins with token t. */
static void
san_line_start(struct san_split *sp, const struct san_tok *t)
{
	struct san_cur	*c = &sp->cur;
	bool		 deco = t->kind == SAN_OP && sp->s[t->off] == '@';

	if (t->broken && c->st != NULL)
		c->st->ok = false;
	if (c->st == NULL || (!t->indented && (t->broken || !c->deco)))
		san_begin(sp, t);
	else if (t->indented && c->hdr_done)
		c->body++;
	else if (t->indented)
		c->st->ok = false;	/* a decorator's indented line */
	c->operand = c->string = false;
	c->deco = deco && !t->indented;
	c->in_hdr = !t->indented && !deco;
}

/* One token of the statement (not the END). */
static void
san_token(struct san_split *sp, const struct san_tok *t)
{
	struct san_cur	*c = &sp->cur;
	const char	*s = sp->s;
	bool		 operand;

	if (t->kind == SAN_FNAME)
		return;
	if (t->bol || c->st == NULL)
		san_line_start(sp, t);
	if (t->kind == SAN_NEWLINE) {
		if (c->in_hdr) {
			c->in_hdr = false;
			c->hdr_done = true;
		}
		c->operand = c->string = false;
		return;
	}
	if (t->kind == SAN_BAD)
		c->st->ok = false;
	c->st->end = t->off + t->len;
	if (san_is(s, t, "return"))
		c->st->has_return = true;
	/* Two values in a row are prose ("Here is the code"), not Python;
	 * strings may follow each other (they are joined). */
	operand = t->kind == SAN_NUMBER || t->kind == SAN_STRING ||
	    (t->kind == SAN_NAME && !san_keyword(s, t));
	if (operand && c->operand && !(c->string && t->kind == SAN_STRING))
		c->st->ok = false;
	c->operand = operand || t->kind == SAN_CLOSE;
	c->string = t->kind == SAN_STRING;
	if (!c->in_hdr)
		return;
	if (c->nhdr < 3)
		c->hdr[c->nhdr++] = *t;
	c->last_colon = false;
	if (t->kind == SAN_OP && t->depth == 0 && t->len == 1) {
		c->last_colon = s[t->off] == ':';
		c->colon |= c->last_colon;
		c->eq |= s[t->off] == '=';
		c->semi |= s[t->off] == ';';
	}
	c->import |= san_is(s, t, "import");
}

/*
 * Split [b, e) of s into top-level statements: those that may be kept
 * in a new array in *out of *n (free()); returns how many others there
 * were.
 */
static size_t
san_split(const char *s, size_t b, size_t e, struct san_stmt **out,
    size_t *n)
{
	struct san_split sp;
	struct san_lex	 lx;
	struct san_tok	 t;

	memset(&sp, 0, sizeof(sp));
	sp.s = s;
	san_lex_init(&lx, s, b, e);
	for (san_next(&lx, &t); t.kind != SAN_END; san_next(&lx, &t))
		san_token(&sp, &t);
	if (sp.cur.st != NULL && lx.depth > 0)
		sp.cur.st->ok = false;	/* a bracket never closed */
	if (sp.cur.in_hdr)
		sp.cur.hdr_done = true;
	san_end(&sp);
	*out = sp.st;
	*n = sp.n;
	return sp.dropped;
}

/* --- Fences --- */

/*
 * A line [p, end of line) that is a fence: its backticks, else 0.  As
 * in CommonMark, at most three spaces before it (four are an indented
 * line, e.g. in a docstring), and no backtick after it.
 */
static size_t
san_fence(const char *p, const char *end, const char **info)
{
	size_t	 n = 0;

	for (int k = 0; k < 3 && p < end && *p == ' '; k++)
		p++;
	while (p + n < end && p[n] == '`')
		n++;
	if (n < 3 || memchr(p + n, '`', (size_t)(end - p - n)) != NULL)
		return 0;		/* inline code (CommonMark) */
	*info = p + n;
	return n;
}

/* Is the info string [p, end of line) Python's, or none? */
static bool
san_python_info(const char *p, const char *end)
{
	static const char *const names[] = { "python", "py", "python3",
	    "py3" };
	size_t	 n;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	for (n = 0; p + n < end && p[n] != ' ' && p[n] != '\t' &&
	    p[n] != '\r'; n++)
		;
	if (n == 0)
		return true;
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		if (strlen(names[k]) == n && strncasecmp(p, names[k], n) == 0)
			return true;
	return false;
}

/* Does [b, e) define (def or class) one of the entries? */
static bool
san_defines(const char *s, size_t b, size_t e, const char *const *entries,
    size_t nentries)
{
	struct san_stmt	*st;
	size_t		 n;
	bool		 yes = false;

	san_split(s, b, e, &st, &n);
	for (size_t i = 0; i < n && !yes; i++)
		for (size_t k = 0; k < nentries && !yes; k++)
			yes = (st[i].what == SAN_FUNC ||
			    st[i].what == SAN_CLASS) &&
			    st[i].name_len == strlen(entries[k]) &&
			    memcmp(s + st[i].name, entries[k],
			    st[i].name_len) == 0;
	free(st);
	return yes;
}

/*
 * The code of the text s (len bytes) into [*b, *e): the fenced Python
 * block that defines an entry; else all of s if it does (a fence
 * inside a docstring of unfenced code); else the first Python block;
 * else all of s.
 */
static void
san_block(const char *s, size_t len, const char *const *entries,
    size_t nentries, size_t *b, size_t *e)
{
	const char	*p = s, *end = s + len, *eol, *info, *q;
	size_t		 open, close, cb, ce;
	bool		 first = true, python;

	*b = 0;
	*e = len;
	while (p < end) {
		eol = memchr(p, '\n', (size_t)(end - p));
		eol = eol != NULL ? eol : end;
		if ((open = san_fence(p, eol, &info)) == 0) {
			p = eol + (eol < end);
			continue;
		}
		python = san_python_info(info, eol);
		cb = ce = (size_t)(eol + (eol < end) - s);
		for (q = s + cb; q < end; ) {
			eol = memchr(q, '\n', (size_t)(end - q));
			eol = eol != NULL ? eol : end;
			close = san_fence(q, eol, &info);
			if (close >= open && info + strspn(info, " \t\r") >=
			    eol)
				break;
			q = eol + (eol < end);
		}
		ce = (size_t)(q - s);
		if (python && first) {
			*b = cb;
			*e = ce;
			first = false;
		}
		if (python && nentries > 0 && san_defines(s, cb, ce, entries,
		    nentries)) {
			*b = cb;
			*e = ce;
			return;
		}
		p = q < end ? memchr(q, '\n', (size_t)(end - q)) : NULL;
		p = p != NULL ? p + 1 : end;
	}
	if (!first && nentries > 0 && san_defines(s, 0, len, entries,
	    nentries)) {
		*b = 0;
		*e = len;
	}
}

/* --- Reachable definitions --- */

/* A definition's name, for sorting and searching. */
struct san_def {
	const char	*name;
	size_t		 len;
	size_t		 stmt;		/* index in the statements */
};

static int
san_def_cmp(const void *a, const void *b)
{
	const struct san_def *x = a, *y = b;
	int		 r;

	r = memcmp(x->name, y->name, x->len < y->len ? x->len : y->len);
	if (r == 0 && x->len != y->len)
		r = x->len < y->len ? -1 : 1;
	if (r == 0 && x->stmt != y->stmt)
		r = x->stmt < y->stmt ? -1 : 1;
	return r;
}

/* The definition named [name, +len) in defs (sorted), or NULL. */
static struct san_def *
san_def_find(struct san_def *defs, size_t n, const char *name, size_t len)
{
	size_t	 lo = 0, hi = n, mid;
	struct san_def key = { name, len, 0 };
	int	 r;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		key.stmt = defs[mid].stmt;
		if ((r = san_def_cmp(&key, &defs[mid])) == 0)
			return &defs[mid];
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* Mark st[i] kept, and queue it for its names. */
static void
san_push(struct san_stmt *st, size_t i, size_t *queue, size_t *nq)
{
	if (!st[i].keep) {
		st[i].keep = true;
		queue[(*nq)++] = i;
	}
}

/*
 * Mark kept the definitions of st[0..n-1] the entries reach (all of
 * them without entries): the first definition of each name, of those
 * EvalPlus keeps (a function only when it returns something).
 */
static void
san_reach(const char *s, struct san_stmt *st, size_t n,
    const char *const *entries, size_t nentries)
{
	struct san_def	*defs, *d;
	struct san_lex	 lx;
	struct san_tok	 t;
	size_t		*queue, nd = 0, kept = 0, nq = 0, i;

	defs = xreallocarray(NULL, n + 1, sizeof(*defs));
	queue = xreallocarray(NULL, n + 1, sizeof(*queue));
	for (i = 0; i < n; i++)
		if (st[i].what == SAN_CLASS || st[i].what == SAN_ASSIGN ||
		    (st[i].what == SAN_FUNC && st[i].has_return))
			defs[nd++] = (struct san_def){ s + st[i].name,
			    st[i].name_len, i };
	qsort(defs, nd, sizeof(*defs), san_def_cmp);
	for (i = 0; i < nd; i++)		/* the first of a name wins */
		if (kept == 0 || defs[i].len != defs[kept - 1].len ||
		    memcmp(defs[i].name, defs[kept - 1].name, defs[i].len) != 0)
			defs[kept++] = defs[i];
	nd = kept;
	for (i = 0; i < nd && nentries == 0; i++)
		san_push(st, defs[i].stmt, queue, &nq);
	for (i = 0; i < nentries; i++)
		if ((d = san_def_find(defs, nd, entries[i],
		    strlen(entries[i]))) != NULL)
			san_push(st, d->stmt, queue, &nq);
	for (size_t q = 0; q < nq && nentries > 0; q++) {
		san_lex_init(&lx, s, st[queue[q]].off, st[queue[q]].end);
		for (san_next(&lx, &t); t.kind != SAN_END; san_next(&lx, &t))
			if ((t.kind == SAN_NAME || t.kind == SAN_FNAME) &&
			    (d = san_def_find(defs, nd, s + t.off,
			    t.len)) != NULL)
				san_push(st, d->stmt, queue, &nq);
	}
	free(queue);
	free(defs);
}

/* --- The program --- */

/*
 * The length of the ANSI escape sequence at p (n bytes), or 0: ESC and
 * one of @-Z \\-_, or ESC [, parameters 0-?, intermediates space-/, a
 * final @-~ (EvalPlus's pattern; ollama's small models emit them).
 */
static size_t
san_ansi_len(const char *p, size_t n)
{
	size_t	 k = 2;

	if (n < 2 || p[0] != '\x1b')
		return 0;
	if ((p[1] >= '@' && p[1] <= 'Z') || (p[1] >= '\\' && p[1] <= '_'))
		return 2;
	if (p[1] != '[')
		return 0;
	while (k < n && p[k] >= '0' && p[k] <= '?')
		k++;
	while (k < n && p[k] >= ' ' && p[k] <= '/')
		k++;
	return k < n && p[k] >= '@' && p[k] <= '~' ? k + 1 : 0;
}

/*
 * The text without its ANSI escape sequences (new), or NULL when it
 * has none.
 */
static char *
san_no_ansi(const char *text, size_t len)
{
	char	*out;
	size_t	 i, n = 0, k;

	if (memchr(text, '\x1b', len) == NULL)
		return NULL;
	out = xmalloc(len + 1);
	for (i = 0; i < len; i += k > 0 ? k : 1)
		if ((k = san_ansi_len(text + i, len - i)) == 0)
			out[n++] = text[i];
	out[n] = '\0';
	if (n == len) {
		free(out);		/* a lone ESC, in a string perhaps */
		return NULL;
	}
	return out;
}

/* Append [p, +n) and a newline to the buffer at *out (room made). */
static void
san_put(char *out, size_t *len, const char *p, size_t n)
{
	memcpy(out + *len, p, n);
	*len += n;
	out[(*len)++] = '\n';
}

/*
 * Is the code of st[0..n-1] (of which "dropped" statements were not
 * kept) kept whole and in its order, imports first?
 */
static bool
san_intact(const struct san_stmt *st, size_t n, size_t dropped)
{
	bool	 defs = false;

	for (size_t i = 0; i < n && dropped == 0; i++) {
		if (st[i].what == SAN_IMPORT && defs)
			return false;	/* moved before the definitions */
		if (st[i].what != SAN_IMPORT && !st[i].keep)
			return false;
		defs |= st[i].what != SAN_IMPORT;
	}
	return dropped == 0 && n > 0;
}

char *
sanitize_program(const char *head, const char *text,
    const char *const *entries, size_t nentries, enum sanitize_keep keep,
    bool *intact, char *errbuf, size_t errlen)
{
	struct san_stmt	*st = NULL;
	size_t		 hlen = head != NULL ? strlen(head) : 0;
	size_t		 tlen = strlen(text), b, e, len = 0, n, i, dropped;
	char		*code, *out, *plain;

	if (hlen + tlen > SANITIZE_MAX) {
		snprintf(errbuf, errlen, "%zu bytes to sanitize, over the "
		    "limit of %u", hlen + tlen, SANITIZE_MAX);
		return NULL;
	}
	if ((plain = san_no_ansi(text, tlen)) != NULL)
		text = plain;
	san_block(text, strlen(text), entries, nentries, &b, &e);
	code = head != NULL ? xasprintf("%s\n%.*s", head, (int)(e - b),
	    text + b) : xstrndup(text + b, e - b);
	len = strlen(code);
	*intact = plain == NULL && b == 0 && e == tlen;
	free(plain);
	if (keep == SANITIZE_DEFS) {
		dropped = san_split(code, 0, len, &st, &n);
		san_reach(code, st, n, entries, nentries);
		*intact = *intact && san_intact(st, n, dropped);
		out = xmalloc(len + n + 2);
		len = 0;
		/* The imports first, then the definitions (EvalPlus). */
		for (int pass = 0; pass < 2; pass++)
			for (i = 0; i < n; i++)
				if (pass == 0 ? st[i].what == SAN_IMPORT :
				    st[i].keep)
					san_put(out, &len, code + st[i].off,
					    st[i].end - st[i].off);
		free(st);
		if (len > 0) {
			out[len] = '\0';
			free(code);
			return out;
		}
		free(out);
		len = strlen(code);
	}
	if (len > 0 && code[len - 1] == '\n')
		return code;
	out = xasprintf("%s\n", code);
	free(code);
	return out;
}
