// SPDX-License-Identifier: GPL-2.0
/*
 * The pthru policy language: a line-oriented lexer and parser, and the
 * canonical printer.
 *
 * The parser works on a byte range that need not be NUL-terminated and
 * never looks past it.  It allocates nothing but the rule array, so an
 * error needs no unwinding beyond one free().  Every byte it accepts is
 * printable ASCII, a space or a tab (plus the line ends), so any token it
 * quotes back in an error message is printable as it is.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/pthru.h>

#include "policy_lang.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* A token longer than this is cut with "..." when quoted in an error. */
#define QUOTE_MAX	40

static const char *const mode_names[] = {
	[PTHRU_POLICY_MODE_OFF] = "off",
	[PTHRU_POLICY_MODE_AUDIT] = "audit",
	[PTHRU_POLICY_MODE_ENFORCE] = "enforce",
};

void policy_reqs_str(uint32_t reqs, char *buf, size_t size)
{
	size_t used = 0;
	uint32_t bit;
	int n;

	if (!size)
		return;
	buf[0] = '\0';
	for (bit = 1; bit && reqs; bit <<= 1) {
		const char *name = policy_req_name(bit);

		if (!(reqs & bit))
			continue;
		reqs &= ~bit;
		/* A bit from a newer module still shows, as a number. */
		if (name)
			n = snprintf(buf + used, size - used, "%s%s",
				     used ? "," : "", name);
		else
			n = snprintf(buf + used, size - used, "%s0x%x",
				     used ? "," : "", bit);
		if (n < 0 || (size_t)n >= size - used)
			return;		/* truncated, still terminated */
		used += n;
	}
}

/* Every requirement with a name: the names come from the module's core. */
static uint32_t all_reqs(void)
{
	uint32_t all = 0, bit;

	for (bit = 1; bit; bit <<= 1)
		if (policy_req_name(bit))
			all |= bit;
	return all;
}

const char *policy_mode_name(uint8_t mode)
{
	return mode < ARRAY_SIZE(mode_names) ? mode_names[mode] : NULL;
}

/* ---- Names and values, shared by the parser and policy_doc_check() ---- */

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

/* A driver name: 1..31 of [A-Za-z0-9_.-]. */
static bool driver_name_ok(const char *s, size_t len)
{
	size_t i;

	if (!len || len > POLICY_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!is_name_char(s[i]))
			return false;
	return true;
}

/* A gate entry: a driver name, or '*' and a non-empty suffix of one. */
static bool gate_name_ok(const char *s, size_t len)
{
	if (len && s[0] == '*')
		return len <= POLICY_NAME_MAX && driver_name_ok(s + 1, len - 1);
	return driver_name_ok(s, len);
}

/*
 * A slot name as sysfs has them ("1", "CPU1 SLOT2" would not do: the
 * language splits words at spaces): printable, no quotes, no '#'.
 */
static bool slot_name_ok(const char *s, size_t len)
{
	size_t i;

	if (!len || len > POLICY_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (s[i] <= ' ' || s[i] > '~' || s[i] == '"' ||
		    s[i] == '\'' || s[i] == '#')
			return false;
	return true;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Exactly @n hex digits at @s into @val. */
static bool hex_fixed(const char *s, size_t n, uint64_t *val)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		int d = hex_digit(s[i]);

		if (d < 0)
			return false;
		v = v << 4 | d;
	}
	*val = v;
	return true;
}

/*
 * Parse "DDDD:BB:DD.F" or "BB:DD.F" (any case) into the canonical lower
 * case form in @out (POLICY_ADDR_LEN + 1 bytes).  Returns 0, -EINVAL for
 * a malformed address or -ERANGE for a device above 1f or a function
 * above 7.
 */
static int addr_parse(const char *s, size_t len, char *out)
{
	uint64_t dom = 0, bus, dev, fn;

	if (len == POLICY_ADDR_LEN) {
		if (!hex_fixed(s, 4, &dom) || s[4] != ':')
			return -EINVAL;
		s += 5;
		len -= 5;
	}
	if (len != 7 || s[2] != ':' || s[5] != '.' || !hex_fixed(s, 2, &bus) ||
	    !hex_fixed(s + 3, 2, &dev) || !hex_fixed(s + 6, 1, &fn))
		return -EINVAL;
	if (dev > 0x1f || fn > 7)
		return -ERANGE;
	snprintf(out, POLICY_ADDR_LEN + 1, "%04x:%02x:%02x.%x",
		 (unsigned int)dom, (unsigned int)bus, (unsigned int)dev,
		 (unsigned int)fn);
	return 0;
}

/* ---- Lexer ---- */

struct token {
	size_t start;		/* offset of the first byte */
	size_t end;		/* offset past the last byte */
	bool quoted;		/* a "string", start and end at its quotes */
};

struct parser {
	const char *file;
	const char *text;
	size_t len;
	unsigned long lineno;
	size_t line_start;	/* offset of the current line */
	size_t line_end;	/* offset of its end, without the line end */
	size_t pos;		/* the lexer's position in the line */
	size_t last_end;	/* offset past the last token returned */
	char *err;
	size_t errsz;
	struct policy_doc doc;
	size_t rules_cap;
	unsigned int mode_line, gate_line, default_line;
};

static int fail(struct parser *p, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Report the error at byte @off of the current line; returns -1. */
static int fail(struct parser *p, size_t off, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!p->err || !p->errsz)
		return -1;
	n = snprintf(p->err, p->errsz, "%s:%lu:%zu: ",
		     p->file ? p->file : "policy", p->lineno,
		     off - p->line_start + 1);
	if (n < 0 || (size_t)n >= p->errsz)
		return -1;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errsz - n, fmt, ap);
	va_end(ap);
	return -1;
}

/* A byte that is never allowed outside the line ends. */
static int bad_byte(struct parser *p, size_t off)
{
	unsigned char c = p->text[off];

	if (c == '\0')
		return fail(p, off, "NUL byte");
	if (c >= 0x80)
		return fail(p, off, "non-ASCII byte 0x%02x", c);
	if (c == '\r')
		return fail(p, off, "carriage return not followed by a line feed");
	return fail(p, off, "control character 0x%02x", c);
}

static bool byte_ok(char c)
{
	return (c >= ' ' && c <= '~') || c == '\t';
}

/*
 * Move to the next line.  Returns 1 with the line set up, 0 at the end of
 * the text, -1 on a line that is too long.
 */
static int next_line(struct parser *p)
{
	const char *nl;
	size_t start = p->line_end;

	if (p->lineno) {
		/* skip the line end of the previous line */
		if (start < p->len && p->text[start] == '\r')
			start++;
		if (start < p->len && p->text[start] == '\n')
			start++;
	}
	if (start >= p->len)
		return 0;
	p->lineno++;
	p->line_start = start;
	p->pos = start;
	p->last_end = start;
	nl = memchr(p->text + start, '\n', p->len - start);
	p->line_end = nl ? (size_t)(nl - p->text) : p->len;
	/* CRLF: the CR belongs to the line end; a CR elsewhere is refused */
	if (nl && p->line_end > start && p->text[p->line_end - 1] == '\r')
		p->line_end--;
	if (p->line_end - start > POLICY_LINE_MAX)
		return fail(p, start + POLICY_LINE_MAX,
			    "line longer than %d bytes", POLICY_LINE_MAX);
	return 1;
}

/* The rest of the line is a comment: it may hold any printable byte. */
static int skip_comment(struct parser *p)
{
	size_t i;

	for (i = p->pos; i < p->line_end; i++)
		if (!byte_ok(p->text[i]))
			return bad_byte(p, i);
	p->pos = p->line_end;
	return 0;
}

static int lex_string(struct parser *p, struct token *t)
{
	size_t i;

	for (i = p->pos + 1; i < p->line_end; i++) {
		char c = p->text[i];

		if (c == '"') {
			t->end = i + 1;
			p->pos = i + 1;
			p->last_end = i + 1;
			return 1;
		}
		if (c == '\\') {
			if (i + 1 >= p->line_end)
				break;
			if (p->text[i + 1] != '"' && p->text[i + 1] != '\\') {
				if (!byte_ok(p->text[i + 1]) ||
				    p->text[i + 1] == '\t')
					return bad_byte(p, i + 1);
				return fail(p, i, "bad escape \"\\%c\" in string (only \\\" and \\\\)",
					    p->text[i + 1]);
			}
			i++;
			continue;
		}
		if (c < ' ' || c > '~')
			return bad_byte(p, i);
	}
	return fail(p, t->start, "unterminated string");
}

/*
 * The next token of the line into @t.  Returns 1, 0 at the end of the
 * line (comments skipped), or -1 on an error.
 */
static int next_token(struct parser *p, struct token *t)
{
	size_t i;

	while (p->pos < p->line_end &&
	       (p->text[p->pos] == ' ' || p->text[p->pos] == '\t'))
		p->pos++;
	if (p->pos >= p->line_end)
		return 0;
	if (p->text[p->pos] == '#')
		return skip_comment(p);
	t->start = p->pos;
	t->quoted = p->text[p->pos] == '"';
	if (t->quoted)
		return lex_string(p, t);
	for (i = p->pos; i < p->line_end; i++) {
		char c = p->text[i];

		if (c == ' ' || c == '\t' || c == '#')
			break;
		if (c == '"')
			return fail(p, i, "unexpected '\"' inside a word");
		if (!byte_ok(c))
			return bad_byte(p, i);
	}
	t->end = i;
	p->pos = i;
	p->last_end = i;
	return 1;
}

static size_t tok_len(const struct token *t)
{
	return t->end - t->start;
}

static const char *tok_str(const struct parser *p, const struct token *t)
{
	return p->text + t->start;
}

static bool tok_is(const struct parser *p, const struct token *t,
		   const char *word)
{
	size_t n = strlen(word);

	return !t->quoted && tok_len(t) == n && !memcmp(tok_str(p, t), word, n);
}

/* printf arguments for "%.*s%s": the token, cut if long. */
#define TOK_ARGS(p, t)							\
	(int)(tok_len(t) > QUOTE_MAX ? QUOTE_MAX : tok_len(t)),		\
	tok_str(p, t), tok_len(t) > QUOTE_MAX ? "..." : ""

/* Where a missing token was expected: one past the previous one. */
static int fail_missing(struct parser *p, const char *what)
{
	return fail(p, p->last_end, "missing %s", what);
}

/* The next token, which must exist and be a word. */
static int need_word(struct parser *p, struct token *t, const char *what)
{
	int ret = next_token(p, t);

	if (ret < 0)
		return -1;
	if (!ret)
		return fail_missing(p, what);
	if (t->quoted)
		return fail(p, t->start, "expected %s, found a quoted string",
			    what);
	return 0;
}

/* Nothing but a comment may follow. */
static int expect_end(struct parser *p)
{
	struct token t;
	int ret = next_token(p, &t);

	if (ret <= 0)
		return ret;
	if (t.quoted)
		return fail(p, t.start, "unexpected quoted string");
	return fail(p, t.start, "unexpected \"%.*s%s\"", TOK_ARGS(p, &t));
}

/* ---- Values ---- */

/*
 * A hex number with or without "0x", at most @max.  Returns 0, or fails
 * naming @what.
 */
static int parse_hex(struct parser *p, size_t start, size_t end,
		     uint64_t max, const char *what, uint64_t *val)
{
	const char *s = p->text + start;
	size_t len = end - start, i;
	bool big = false;
	uint64_t v = 0;
	struct token t = { start, end, false };

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		len -= 2;
	}
	if (!len)
		return fail(p, start, "bad %s \"%.*s%s\": not a hex number",
			    what, TOK_ARGS(p, &t));
	for (i = 0; i < len; i++) {
		int d = hex_digit(s[i]);

		if (d < 0)
			return fail(p, start,
				    "bad %s \"%.*s%s\": not a hex number",
				    what, TOK_ARGS(p, &t));
		if (v >> 60)
			big = true;
		v = v << 4 | d;
	}
	if (big || v > max)
		return fail(p, start,
			    "%s \"%.*s%s\" out of range (at most 0x%llx)",
			    what, TOK_ARGS(p, &t), (unsigned long long)max);
	*val = v;
	return 0;
}

static int parse_reqs(struct parser *p, const struct token *t,
		      uint32_t *reqs)
{
	size_t s = t->start, e;
	uint32_t all = all_reqs(), bits = 0, add, bit;

	for (;;) {
		const char *name = p->text + s;
		struct token el;

		for (e = s; e < t->end && p->text[e] != ','; e++)
			;
		el = (struct token){ s, e, false };
		if (e == s)
			return fail(p, s, "empty requirement in list");
		add = 0;
		if (tok_is(p, &el, "all"))
			add = all;
		for (bit = 1; bit && !add; bit <<= 1)
			if ((bit & all) && tok_is(p, &el, policy_req_name(bit)))
				add = bit;
		if (!add)
			return fail(p, s, "unknown requirement \"%.*s%s\"",
				    TOK_ARGS(p, &el));
		if (bits & add)
			return fail(p, s, "requirement \"%.*s\" given twice",
				    (int)(e - s), name);
		bits |= add;
		if (e == t->end)
			break;
		s = e + 1;
	}
	*reqs = bits;
	return 0;
}

/* Either "allow" or "deny". */
static int parse_action(struct parser *p, uint8_t *action)
{
	struct token t;

	if (need_word(p, &t, "action (allow or deny)"))
		return -1;
	if (tok_is(p, &t, "allow"))
		*action = PTHRU_ACTION_ALLOW;
	else if (tok_is(p, &t, "deny"))
		*action = PTHRU_ACTION_DENY;
	else
		return fail(p, t.start,
			    "unknown action \"%.*s%s\" (allow or deny)",
			    TOK_ARGS(p, &t));
	return 0;
}

/* "require REQS", with the "require" token in @t. */
static int parse_require(struct parser *p, const struct token *kw,
			 uint8_t action, uint32_t *reqs)
{
	struct token t;

	if (action != PTHRU_ACTION_ALLOW)
		return fail(p, kw->start, "\"require\" only goes with allow");
	if (need_word(p, &t, "requirements after \"require\""))
		return -1;
	return parse_reqs(p, &t, reqs);
}

/* A decimal rule id, 1..UINT32_MAX, without leading zeros. */
static int parse_id(struct parser *p, uint32_t *id)
{
	struct token t;
	uint64_t v = 0;
	size_t i;

	if (need_word(p, &t, "rule id"))
		return -1;
	for (i = t.start; i < t.end; i++) {
		char c = p->text[i];

		if (c < '0' || c > '9')
			return fail(p, t.start,
				    "rule id \"%.*s%s\" is not a decimal number",
				    TOK_ARGS(p, &t));
		if (v <= UINT32_MAX)
			v = v * 10 + (c - '0');
	}
	if (v == 0 || v > UINT32_MAX)
		return fail(p, t.start,
			    "rule id \"%.*s%s\" out of range (1 to 4294967295)",
			    TOK_ARGS(p, &t));
	/* "010" would read as octal elsewhere; say what is meant */
	if (p->text[t.start] == '0')
		return fail(p, t.start, "rule id \"%.*s%s\" has a leading zero",
			    TOK_ARGS(p, &t));
	for (i = 0; i < p->doc.nr_rules; i++)
		if (p->doc.rules[i].id == v)
			return fail(p, t.start,
				    "duplicate rule id %llu (first on line %u)",
				    (unsigned long long)v, p->doc.rules[i].line);
	*id = v;
	return 0;
}

/* ---- Statements ---- */

static int stmt_once(struct parser *p, const struct token *kw,
		     unsigned int *line, const char *name)
{
	if (*line)
		return fail(p, kw->start,
			    "duplicate \"%s\" statement (first on line %u)",
			    name, *line);
	*line = p->lineno;
	return 0;
}

static int stmt_mode(struct parser *p, const struct token *kw)
{
	struct token t;
	size_t i;

	if (stmt_once(p, kw, &p->mode_line, "mode"))
		return -1;
	if (need_word(p, &t, "mode (off, audit or enforce)"))
		return -1;
	for (i = 0; i < ARRAY_SIZE(mode_names); i++)
		if (tok_is(p, &t, mode_names[i]))
			break;
	if (i == ARRAY_SIZE(mode_names))
		return fail(p, t.start,
			    "unknown mode \"%.*s%s\" (off, audit or enforce)",
			    TOK_ARGS(p, &t));
	p->doc.has_mode = true;
	p->doc.mode = i;
	return expect_end(p);
}

static int stmt_gate(struct parser *p, const struct token *kw)
{
	struct policy_doc *d = &p->doc;
	struct token t;
	unsigned int i;
	int ret;

	if (stmt_once(p, kw, &p->gate_line, "gate"))
		return -1;
	while ((ret = next_token(p, &t)) > 0) {
		size_t len = tok_len(&t);

		if (t.quoted)
			return fail(p, t.start, "unexpected quoted string");
		if (d->nr_gated == POLICY_MAX_GATED)
			return fail(p, t.start, "more than %d gate names",
				    POLICY_MAX_GATED);
		if (len > POLICY_NAME_MAX)
			return fail(p, t.start,
				    "gate name \"%.*s%s\" longer than %d characters",
				    TOK_ARGS(p, &t), POLICY_NAME_MAX);
		if (!gate_name_ok(tok_str(p, &t), len))
			return fail(p, t.start,
				    "bad gate name \"%.*s%s\" (a driver name of A-Z a-z 0-9 _ . -, or * and the end of one)",
				    TOK_ARGS(p, &t));
		for (i = 0; i < d->nr_gated; i++)
			if (strlen(d->gated[i]) == len &&
			    !memcmp(d->gated[i], tok_str(p, &t), len))
				return fail(p, t.start,
					    "gate name \"%.*s\" given twice",
					    (int)len, tok_str(p, &t));
		memcpy(d->gated[d->nr_gated], tok_str(p, &t), len);
		d->gated[d->nr_gated][len] = '\0';
		d->nr_gated++;
	}
	if (ret < 0)
		return -1;
	if (!d->nr_gated)
		return fail_missing(p, "driver names after \"gate\"");
	return 0;
}

static int stmt_default(struct parser *p, const struct token *kw)
{
	struct token t;
	int ret;

	if (stmt_once(p, kw, &p->default_line, "default"))
		return -1;
	if (parse_action(p, &p->doc.default_action))
		return -1;
	ret = next_token(p, &t);
	if (ret <= 0)
		return ret;
	if (!tok_is(p, &t, "require")) {
		if (t.quoted)
			return fail(p, t.start, "unexpected quoted string");
		return fail(p, t.start, "unexpected \"%.*s%s\"",
			    TOK_ARGS(p, &t));
	}
	if (parse_require(p, &t, p->doc.default_action,
			  &p->doc.default_requirements))
		return -1;
	return expect_end(p);
}

static const struct {
	const char *key;
	uint32_t field;
} match_keys[] = {
	{ "vendor", POLICY_F_VENDOR },
	{ "device", POLICY_F_DEVICE },
	{ "subvendor", POLICY_F_SUBVENDOR },
	{ "subdevice", POLICY_F_SUBDEVICE },
	{ "class", POLICY_F_CLASS },
	{ "addr", POLICY_F_ADDR },
	{ "slot", POLICY_F_SLOT },
	{ "serial", POLICY_F_SERIAL },
	{ "driver", POLICY_F_DRIVER },
};

/* "0011223344556677", "0x0011223344556677" or "00-11-22-33-44-55-66-77" */
static int parse_serial(struct parser *p, const struct token *t, uint64_t *v)
{
	const char *s = tok_str(p, t);
	size_t len = tok_len(t), i;
	uint64_t byte;

	if (len == 18 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		len -= 2;
	}
	if (len == 16 && hex_fixed(s, 16, v))
		return 0;
	if (len == 23) {
		*v = 0;
		for (i = 0; i < 8; i++) {
			if ((i < 7 && s[i * 3 + 2] != '-') ||
			    !hex_fixed(s + i * 3, 2, &byte))
				break;
			*v = *v << 8 | byte;
		}
		if (i == 8)
			return 0;
	}
	return fail(p, t->start,
		    "bad serial \"%.*s%s\" (16 hex digits, or xx-xx-xx-xx-xx-xx-xx-xx)",
		    TOK_ARGS(p, t));
}

static int parse_class(struct parser *p, const struct token *t,
		       struct policy_rule *r)
{
	size_t slash;
	uint64_t v;

	for (slash = t->start; slash < t->end && p->text[slash] != '/'; slash++)
		;
	if (parse_hex(p, t->start, slash, 0xffffff, "class", &v))
		return -1;
	r->class = v;
	r->class_mask = 0;
	if (slash == t->end)
		return 0;
	if (parse_hex(p, slash + 1, t->end, 0xffffff, "class mask", &v))
		return -1;
	if (!v)
		return fail(p, slash + 1, "class mask must not be 0");
	/* all 24 bits is what no mask means: keep one form of it */
	r->class_mask = v == 0xffffff ? 0 : v;
	return 0;
}

static int parse_match(struct parser *p, uint32_t field, const char *key,
		       struct policy_rule *r)
{
	char what[32];
	struct token t;
	uint64_t v;
	size_t len;
	int ret;

	snprintf(what, sizeof(what), "value after \"%s\"", key);
	if (need_word(p, &t, what))
		return -1;
	len = tok_len(&t);
	switch (field) {
	case POLICY_F_VENDOR:
	case POLICY_F_DEVICE:
	case POLICY_F_SUBVENDOR:
	case POLICY_F_SUBDEVICE:
		if (parse_hex(p, t.start, t.end, 0xffff, key, &v))
			return -1;
		if (field == POLICY_F_VENDOR)
			r->vendor = v;
		else if (field == POLICY_F_DEVICE)
			r->device = v;
		else if (field == POLICY_F_SUBVENDOR)
			r->subvendor = v;
		else
			r->subdevice = v;
		return 0;
	case POLICY_F_CLASS:
		return parse_class(p, &t, r);
	case POLICY_F_ADDR:
		ret = -EINVAL;
		if (len <= POLICY_ADDR_LEN)
			ret = addr_parse(tok_str(p, &t), len, r->addr);
		if (ret == -ERANGE)
			return fail(p, t.start,
				    "bad PCI address \"%.*s%s\": device above 1f or function above 7",
				    TOK_ARGS(p, &t));
		if (ret)
			return fail(p, t.start,
				    "bad PCI address \"%.*s%s\" (DDDD:BB:DD.F or BB:DD.F)",
				    TOK_ARGS(p, &t));
		return 0;
	case POLICY_F_SLOT:
		if (len > POLICY_NAME_MAX)
			return fail(p, t.start,
				    "slot name \"%.*s%s\" longer than %d characters",
				    TOK_ARGS(p, &t), POLICY_NAME_MAX);
		if (!slot_name_ok(tok_str(p, &t), len))
			return fail(p, t.start,
				    "bad slot name \"%.*s%s\"", TOK_ARGS(p, &t));
		memcpy(r->slot, tok_str(p, &t), len);
		r->slot[len] = '\0';
		return 0;
	case POLICY_F_SERIAL:
		return parse_serial(p, &t, &r->serial);
	default: /* POLICY_F_DRIVER */
		if (len > POLICY_NAME_MAX)
			return fail(p, t.start,
				    "driver name \"%.*s%s\" longer than %d characters",
				    TOK_ARGS(p, &t), POLICY_NAME_MAX);
		if (!driver_name_ok(tok_str(p, &t), len))
			return fail(p, t.start,
				    "bad driver name \"%.*s%s\" (A-Z a-z 0-9 _ . -)",
				    TOK_ARGS(p, &t));
		memcpy(r->driver, tok_str(p, &t), len);
		r->driver[len] = '\0';
		return 0;
	}
}

/* Unescape the string token @t into the rule's label. */
static int parse_label(struct parser *p, const struct token *t,
		       struct policy_rule *r)
{
	size_t i, n = 0;

	for (i = t->start + 1; i < t->end - 1; i++) {
		if (p->text[i] == '\\')
			i++;	/* the lexer let only \" and \\ through */
		if (n == POLICY_LABEL_MAX)
			return fail(p, t->start,
				    "label longer than %d bytes",
				    POLICY_LABEL_MAX);
		r->label[n++] = p->text[i];
	}
	r->label[n] = '\0';
	return 0;
}

static struct policy_rule *new_rule(struct parser *p)
{
	struct policy_doc *d = &p->doc;

	if (d->nr_rules == p->rules_cap) {
		size_t cap = p->rules_cap ? p->rules_cap * 2 : 16;
		struct policy_rule *rules;

		if (cap > POLICY_MAX_RULES)
			cap = POLICY_MAX_RULES;
		rules = realloc(d->rules, cap * sizeof(*rules));
		if (!rules)
			return NULL;
		d->rules = rules;
		p->rules_cap = cap;
	}
	return memset(&d->rules[d->nr_rules], 0, sizeof(d->rules[0]));
}

static int stmt_rule(struct parser *p, const struct token *kw)
{
	enum { MATCHES, REQUIRE, LABEL } state = MATCHES;
	struct policy_rule *r;
	struct token t;
	size_t i;
	int ret;

	if (p->doc.nr_rules == POLICY_MAX_RULES)
		return fail(p, kw->start, "more than %d rules",
			    POLICY_MAX_RULES);
	r = new_rule(p);
	if (!r)
		return fail(p, kw->start, "out of memory");
	if (parse_id(p, &r->id) || parse_action(p, &r->action))
		return -1;
	r->line = p->lineno;
	while ((ret = next_token(p, &t)) > 0) {
		if (state == LABEL)
			return fail(p, t.start, "text after the label");
		if (t.quoted)
			return fail(p, t.start,
				    "unexpected quoted string (a label goes after \"label\")");
		if (tok_is(p, &t, "require")) {
			if (state != MATCHES)
				return fail(p, t.start,
					    "\"require\" given twice");
			if (parse_require(p, &t, r->action, &r->requirements))
				return -1;
			state = REQUIRE;
			continue;
		}
		if (tok_is(p, &t, "label")) {
			ret = next_token(p, &t);
			if (ret < 0)
				return -1;
			if (!ret)
				return fail_missing(p,
						    "quoted string after \"label\"");
			if (!t.quoted)
				return fail(p, t.start,
					    "label needs a quoted string");
			if (parse_label(p, &t, r))
				return -1;
			state = LABEL;
			continue;
		}
		for (i = 0; i < ARRAY_SIZE(match_keys); i++)
			if (tok_is(p, &t, match_keys[i].key))
				break;
		if (i == ARRAY_SIZE(match_keys))
			return fail(p, t.start, "unknown keyword \"%.*s%s\"",
				    TOK_ARGS(p, &t));
		if (state != MATCHES)
			return fail(p, t.start,
				    "\"%s\" must come before \"require\"",
				    match_keys[i].key);
		if (r->fields & match_keys[i].field)
			return fail(p, t.start, "\"%s\" given twice in a rule",
				    match_keys[i].key);
		if (parse_match(p, match_keys[i].field, match_keys[i].key, r))
			return -1;
		r->fields |= match_keys[i].field;
	}
	if (ret < 0)
		return -1;
	p->doc.nr_rules++;
	return 0;
}

int policy_parse(const char *file, const char *text, size_t len,
		 struct policy_doc *doc, char *err, size_t errsz)
{
	struct parser p = {
		.file = file, .text = text, .len = len,
		.err = err, .errsz = errsz,
		.doc.default_action = PTHRU_ACTION_DENY,
	};
	struct token t;
	int ret;

	memset(doc, 0, sizeof(*doc));
	if (err && errsz)
		err[0] = '\0';
	while ((ret = next_line(&p)) > 0) {
		ret = next_token(&p, &t);
		if (ret < 0)
			break;
		if (!ret)
			continue;	/* blank or comment */
		if (tok_is(&p, &t, "mode"))
			ret = stmt_mode(&p, &t);
		else if (tok_is(&p, &t, "gate"))
			ret = stmt_gate(&p, &t);
		else if (tok_is(&p, &t, "default"))
			ret = stmt_default(&p, &t);
		else if (tok_is(&p, &t, "rule"))
			ret = stmt_rule(&p, &t);
		else if (t.quoted)
			ret = fail(&p, t.start, "unexpected quoted string");
		else
			ret = fail(&p, t.start, "unknown statement \"%.*s%s\"",
				   TOK_ARGS(&p, &t));
		if (ret < 0)
			break;
	}
	if (ret < 0) {
		free(p.doc.rules);
		return -1;
	}
	*doc = p.doc;
	return 0;
}

void policy_doc_free(struct policy_doc *doc)
{
	free(doc->rules);
	memset(doc, 0, sizeof(*doc));
}

/* ---- Checking and printing ---- */

/* A NUL-terminated string of at most @max bytes in a @max + 1 buffer. */
static size_t bounded_len(const char *s, size_t max)
{
	const char *nul = memchr(s, '\0', max + 1);

	return nul ? (size_t)(nul - s) : max + 1;
}

static bool label_ok(const char *label)
{
	size_t len = bounded_len(label, POLICY_LABEL_MAX), i;

	if (len > POLICY_LABEL_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (label[i] < ' ' || label[i] > '~')
			return false;
	return true;
}

static int check_fail(char *err, size_t errsz, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int check_fail(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	if (err && errsz) {
		va_start(ap, fmt);
		vsnprintf(err, errsz, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int check_rule(const struct policy_rule *r, char *err, size_t errsz)
{
	char addr[POLICY_ADDR_LEN + 1];
	size_t len;

	if (r->id == 0)
		return check_fail(err, errsz, "rule with id 0");
	if (r->action != PTHRU_ACTION_ALLOW && r->action != PTHRU_ACTION_DENY)
		return check_fail(err, errsz, "rule %u: unknown action %u",
				  r->id, r->action);
	if (r->requirements & ~all_reqs())
		return check_fail(err, errsz,
				  "rule %u: unknown requirements 0x%x", r->id,
				  r->requirements & ~all_reqs());
	if (r->action == PTHRU_ACTION_DENY && r->requirements)
		return check_fail(err, errsz, "rule %u: deny with requirements",
				  r->id);
	if (r->fields & ~((uint32_t)POLICY_F_DRIVER * 2 - 1))
		return check_fail(err, errsz, "rule %u: unknown match fields",
				  r->id);
	if ((r->fields & POLICY_F_CLASS) &&
	    (r->class > 0xffffff || r->class_mask > 0xffffff))
		return check_fail(err, errsz, "rule %u: class wider than 24 bits",
				  r->id);
	if (r->fields & POLICY_F_ADDR) {
		len = bounded_len(r->addr, POLICY_ADDR_LEN);
		if (len != POLICY_ADDR_LEN || addr_parse(r->addr, len, addr) ||
		    memcmp(addr, r->addr, len))
			return check_fail(err, errsz,
					  "rule %u: address not in canonical form",
					  r->id);
	}
	if ((r->fields & POLICY_F_SLOT) &&
	    !slot_name_ok(r->slot, bounded_len(r->slot, POLICY_NAME_MAX)))
		return check_fail(err, errsz, "rule %u: bad slot name", r->id);
	if ((r->fields & POLICY_F_DRIVER) &&
	    !driver_name_ok(r->driver, bounded_len(r->driver, POLICY_NAME_MAX)))
		return check_fail(err, errsz, "rule %u: bad driver name",
				  r->id);
	if (!label_ok(r->label))
		return check_fail(err, errsz,
				  "rule %u: label is not printable ASCII of at most %d bytes",
				  r->id, POLICY_LABEL_MAX);
	return 0;
}

int policy_doc_check(const struct policy_doc *doc, char *err, size_t errsz)
{
	unsigned int i, j;
	size_t len;

	if (doc->has_mode && !policy_mode_name(doc->mode))
		return check_fail(err, errsz, "unknown mode %u", doc->mode);
	if (doc->nr_gated > POLICY_MAX_GATED)
		return check_fail(err, errsz, "more than %d gated drivers",
				  POLICY_MAX_GATED);
	for (i = 0; i < doc->nr_gated; i++) {
		len = bounded_len(doc->gated[i], POLICY_NAME_MAX);
		if (!gate_name_ok(doc->gated[i], len))
			return check_fail(err, errsz, "bad gated driver name");
		for (j = 0; j < i; j++)
			if (!strcmp(doc->gated[i], doc->gated[j]))
				return check_fail(err, errsz,
						  "gated driver %s listed twice",
						  doc->gated[i]);
	}
	if (doc->default_action != PTHRU_ACTION_ALLOW &&
	    doc->default_action != PTHRU_ACTION_DENY)
		return check_fail(err, errsz, "unknown default action %u",
				  doc->default_action);
	if (doc->default_requirements & ~all_reqs())
		return check_fail(err, errsz,
				  "unknown default requirements 0x%x",
				  doc->default_requirements & ~all_reqs());
	if (doc->default_action == PTHRU_ACTION_DENY &&
	    doc->default_requirements)
		return check_fail(err, errsz, "default deny with requirements");
	if (doc->nr_rules > POLICY_MAX_RULES)
		return check_fail(err, errsz, "more than %d rules",
				  POLICY_MAX_RULES);
	if (doc->nr_rules && !doc->rules)
		return check_fail(err, errsz, "no rule array");
	for (i = 0; i < doc->nr_rules; i++) {
		if (check_rule(&doc->rules[i], err, errsz))
			return -1;
		for (j = 0; j < i; j++)
			if (doc->rules[j].id == doc->rules[i].id)
				return check_fail(err, errsz,
						  "rule id %u used twice",
						  doc->rules[i].id);
	}
	return 0;
}

bool policy_doc_equal(const struct policy_doc *a, const struct policy_doc *b)
{
	const struct policy_rule *x, *y;
	unsigned int i;

	if (a->has_mode != b->has_mode || a->mode != b->mode ||
	    a->nr_gated != b->nr_gated || a->nr_gated > POLICY_MAX_GATED ||
	    a->default_action != b->default_action ||
	    a->default_requirements != b->default_requirements ||
	    a->nr_rules != b->nr_rules)
		return false;
	for (i = 0; i < a->nr_gated; i++)
		if (strncmp(a->gated[i], b->gated[i], POLICY_NAME_MAX + 1))
			return false;
	for (i = 0; i < a->nr_rules; i++) {
		x = &a->rules[i];
		y = &b->rules[i];
		if (x->id != y->id || x->action != y->action ||
		    x->requirements != y->requirements ||
		    x->fields != y->fields || x->vendor != y->vendor ||
		    x->device != y->device || x->subvendor != y->subvendor ||
		    x->subdevice != y->subdevice || x->class != y->class ||
		    x->class_mask != y->class_mask || x->serial != y->serial ||
		    strncmp(x->label, y->label, sizeof(x->label)) ||
		    strncmp(x->addr, y->addr, sizeof(x->addr)) ||
		    strncmp(x->slot, y->slot, sizeof(x->slot)) ||
		    strncmp(x->driver, y->driver, sizeof(x->driver)))
			return false;
	}
	return true;
}

static void format_label(FILE *out, const char *label)
{
	fputs(" label \"", out);
	for (; *label; label++) {
		if (*label == '"' || *label == '\\')
			fputc('\\', out);
		fputc(*label, out);
	}
	fputc('"', out);
}

static void format_rule(FILE *out, const struct policy_rule *r)
{
	char reqs[256];

	fprintf(out, "rule %u %s", r->id,
		r->action == PTHRU_ACTION_ALLOW ? "allow" : "deny");
	if (r->fields & POLICY_F_VENDOR)
		fprintf(out, " vendor 0x%04x", r->vendor);
	if (r->fields & POLICY_F_DEVICE)
		fprintf(out, " device 0x%04x", r->device);
	if (r->fields & POLICY_F_SUBVENDOR)
		fprintf(out, " subvendor 0x%04x", r->subvendor);
	if (r->fields & POLICY_F_SUBDEVICE)
		fprintf(out, " subdevice 0x%04x", r->subdevice);
	if (r->fields & POLICY_F_CLASS) {
		fprintf(out, " class 0x%06x", r->class);
		if (r->class_mask && r->class_mask != 0xffffff)
			fprintf(out, "/0x%06x", r->class_mask);
	}
	if (r->fields & POLICY_F_ADDR)
		fprintf(out, " addr %s", r->addr);
	if (r->fields & POLICY_F_SLOT)
		fprintf(out, " slot %s", r->slot);
	if (r->fields & POLICY_F_SERIAL)
		fprintf(out, " serial 0x%016llx",
			(unsigned long long)r->serial);
	if (r->fields & POLICY_F_DRIVER)
		fprintf(out, " driver %s", r->driver);
	if (r->action == PTHRU_ACTION_ALLOW && r->requirements) {
		policy_reqs_str(r->requirements, reqs, sizeof(reqs));
		fprintf(out, " require %s", reqs);
	}
	if (r->label[0])
		format_label(out, r->label);
	fputc('\n', out);
}

int policy_format(FILE *out, const struct policy_doc *doc)
{
	char reqs[256];
	unsigned int i;

	if (policy_doc_check(doc, NULL, 0)) {
		errno = EINVAL;
		return -1;
	}
	if (doc->has_mode)
		fprintf(out, "mode %s\n", policy_mode_name(doc->mode));
	if (doc->nr_gated) {
		fputs("gate", out);
		for (i = 0; i < doc->nr_gated; i++)
			fprintf(out, " %s", doc->gated[i]);
		fputc('\n', out);
	}
	if (doc->default_action == PTHRU_ACTION_ALLOW) {
		fputs("default allow", out);
		if (doc->default_requirements) {
			policy_reqs_str(doc->default_requirements, reqs,
					sizeof(reqs));
			fprintf(out, " require %s", reqs);
		}
		fputc('\n', out);
	} else {
		fputs("default deny\n", out);
	}
	for (i = 0; i < doc->nr_rules; i++)
		format_rule(out, &doc->rules[i]);
	if (ferror(out)) {
		errno = EIO;
		return -1;
	}
	return 0;
}
