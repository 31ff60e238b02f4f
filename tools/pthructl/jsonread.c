// SPDX-License-Identifier: GPL-2.0
/*
 * A strict JSON reader: recursive descent over RFC 8259's grammar, the
 * tree in one arena.  Depth is bounded by JR_MAX_DEPTH, so the recursion
 * is too.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "jsonread.h"

/* Small allocations share chunks of this size; big ones get their own. */
#define ARENA_CHUNK	(64 * 1024)

struct chunk {
	struct chunk *next;
	size_t used;
	size_t cap;
	max_align_t data[];
};

/* Where the reader is inside the tree, for the path of an error. */
struct frame {
	bool in_object;
	bool has_key;		/* in an object: @key names the value read */
	const char *key;
	size_t key_len;
	size_t index;		/* in an array: the element read */
};

struct parser {
	const char *p;
	const char *end;
	unsigned int line;
	unsigned int col;
	struct chunk *arena;
	struct jr_error *err;
	unsigned int depth;
	struct frame frames[JR_MAX_DEPTH + 1];
};

/* A growable array, outside the arena until it is complete. */
struct vec {
	void *data;
	size_t n;
	size_t cap;
};

static void *arena_alloc(struct parser *ps, size_t size)
{
	struct chunk *c = ps->arena;
	size_t unit = sizeof(max_align_t);
	void *mem;

	size = (size + unit - 1) / unit * unit;
	if (!c || c->cap - c->used < size) {
		size_t cap = size > ARENA_CHUNK ? size : ARENA_CHUNK;

		c = malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->used = 0;
		c->cap = cap;
		/* A big one-off block must not retire the chunk in use. */
		if (ps->arena && cap > ARENA_CHUNK) {
			c->next = ps->arena->next;
			ps->arena->next = c;
		} else {
			c->next = ps->arena;
			ps->arena = c;
		}
	}
	mem = (char *)c->data + c->used;
	c->used += size;
	return mem;
}

static void arena_free(struct chunk *c)
{
	struct chunk *next;

	for (; c; c = next) {
		next = c->next;
		free(c);
	}
}

static void *vec_push(struct vec *v, size_t size)
{
	void *bigger;

	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 8;

		bigger = realloc(v->data, cap * size);
		if (!bigger)
			return NULL;
		v->data = bigger;
		v->cap = cap;
	}
	return (char *)v->data + v->n++ * size;
}

/* Copy @v's entries into the arena and free @v; NULL when out of memory. */
static void *vec_finish(struct parser *ps, struct vec *v, size_t size)
{
	void *mem = NULL;

	if (v->n) {
		mem = arena_alloc(ps, v->n * size);
		if (mem)
			memcpy(mem, v->data, v->n * size);
	}
	free(v->data);
	v->data = NULL;
	return mem;
}

/* Append @s to the path in @buf, keeping one line and the size. */
static void path_add(char *buf, size_t size, size_t *len, const char *s,
		     size_t n)
{
	size_t i;

	for (i = 0; i < n && *len + 1 < size; i++) {
		unsigned char c = s[i];

		buf[(*len)++] = c < 0x20 || c == 0x7f ? '?' : c;
	}
	buf[*len] = '\0';
}

static void format_path(const struct parser *ps, char *buf, size_t size)
{
	char index[32];
	size_t len = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 1; i <= ps->depth; i++) {
		const struct frame *f = &ps->frames[i];

		if (f->in_object && f->has_key) {
			if (len)
				path_add(buf, size, &len, ".", 1);
			path_add(buf, size, &len, f->key, f->key_len);
		} else if (!f->in_object) {
			snprintf(index, sizeof(index), "[%zu]", f->index);
			path_add(buf, size, &len, index, strlen(index));
		}
	}
	/* Cut short: say so rather than name a different path. */
	if (len + 1 == size && size > 4)
		memcpy(buf + size - 4, "...", 4);
}

static int __attribute__((format(printf, 4, 5)))
fail_at(struct parser *ps, unsigned int line, unsigned int col,
	const char *fmt, ...)
{
	va_list ap;

	ps->err->line = line;
	ps->err->col = col;
	format_path(ps, ps->err->path, sizeof(ps->err->path));
	va_start(ap, fmt);
	vsnprintf(ps->err->msg, sizeof(ps->err->msg), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

#define fail(ps, ...)	fail_at(ps, (ps)->line, (ps)->col, __VA_ARGS__)

static int out_of_memory(struct parser *ps)
{
	fail(ps, "out of memory");
	return -ENOMEM;
}

static int end_of_input(struct parser *ps)
{
	return fail(ps, "unexpected end of input (the text is cut short)");
}

/* The character at the reader, as an error message shows it. */
static int refuse_char(struct parser *ps, const char *wanted)
{
	unsigned char c = *ps->p;

	if (c > 0x20 && c < 0x7f)
		return fail(ps, "unexpected '%c'%s%s", c, wanted ? ", " : "",
			    wanted ? wanted : "");
	return fail(ps, "unexpected byte 0x%02x%s%s", c, wanted ? ", " : "",
		    wanted ? wanted : "");
}

static void advance(struct parser *ps)
{
	unsigned char c = *ps->p++;

	if (c == '\n') {
		ps->line++;
		ps->col = 1;
	} else if ((c & 0xc0) != 0x80) {
		/* A UTF-8 continuation byte is part of the last character. */
		ps->col++;
	}
}

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' ||
				   *ps->p == '\n' || *ps->p == '\r'))
		advance(ps);
}

static int parse_value(struct parser *ps, struct jr_value *out);

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

/* Four hex digits after "\u" at @s (which has @n bytes), or -1. */
static long hex4(const char *s, size_t n)
{
	long val = 0;
	int i, d;

	if (n < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		d = hex_digit(s[i]);
		if (d < 0)
			return -1;
		val = val << 4 | d;
	}
	return val;
}

static size_t put_utf8(char *out, unsigned long cp)
{
	if (cp < 0x80) {
		out[0] = cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = 0xc0 | cp >> 6;
		out[1] = 0x80 | (cp & 0x3f);
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = 0xe0 | cp >> 12;
		out[1] = 0x80 | (cp >> 6 & 0x3f);
		out[2] = 0x80 | (cp & 0x3f);
		return 3;
	}
	out[0] = 0xf0 | cp >> 18;
	out[1] = 0x80 | (cp >> 12 & 0x3f);
	out[2] = 0x80 | (cp >> 6 & 0x3f);
	out[3] = 0x80 | (cp & 0x3f);
	return 4;
}

/* A "\u" escape at the reader (the backslash), decoded into @out. */
static int parse_unicode(struct parser *ps, char *out, size_t *n)
{
	long cp, low;
	int i;

	cp = hex4(ps->p + 2, ps->end - ps->p - 2);
	if (cp < 0)
		return fail(ps, "\\u needs four hex digits");
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return fail(ps, "unpaired surrogate \\u%04lx", cp);
	if (cp >= 0xd800 && cp <= 0xdbff) {
		/* A high surrogate: the low half must follow at once. */
		if (ps->end - ps->p < 12 || ps->p[6] != '\\' || ps->p[7] != 'u')
			return fail(ps, "unpaired surrogate \\u%04lx", cp);
		low = hex4(ps->p + 8, ps->end - ps->p - 8);
		if (low < 0xdc00 || low > 0xdfff)
			return fail(ps, "unpaired surrogate \\u%04lx", cp);
		cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
		for (i = 0; i < 6; i++)
			advance(ps);
	}
	for (i = 0; i < 6; i++)
		advance(ps);
	*n += put_utf8(out + *n, cp);
	return 0;
}

/* A string at the reader (its opening quote) into the arena. */
static int parse_string(struct parser *ps, const char **str, size_t *len)
{
	const char *q = ps->p + 1;
	char *out;
	size_t n = 0, seq;
	int err;

	/*
	 * Find the closing quote first: the decoded string is never longer
	 * than the text between the quotes, so one allocation does.
	 */
	while (q < ps->end && *q != '"') {
		if (*q == '\\' && ps->end - q < 2)
			break;
		q += *q == '\\' ? 2 : 1;
	}
	if (q >= ps->end || *q != '"') {
		/* Show where the text ends, not where the string began. */
		while (ps->p < ps->end)
			advance(ps);
		return end_of_input(ps);
	}
	out = arena_alloc(ps, q - ps->p);
	if (!out)
		return out_of_memory(ps);

	advance(ps);
	for (;;) {
		unsigned char c = *ps->p;

		if (c == '"') {
			advance(ps);
			break;
		}
		if (c < 0x20)
			return fail(ps, "control character U+%04X in a string (write it as an escape)",
				    c);
		if (c >= 0x80) {
			seq = json_utf8_len((const unsigned char *)ps->p,
				       ps->end - ps->p);
			if (!seq)
				return fail(ps, "invalid UTF-8 in a string");
			while (seq--) {
				out[n++] = *ps->p;
				advance(ps);
			}
			continue;
		}
		if (c != '\\') {
			out[n++] = c;
			advance(ps);
			continue;
		}
		switch (ps->p[1]) {
		case '"':
		case '\\':
		case '/':
			out[n++] = ps->p[1];
			break;
		case 'b':
			out[n++] = '\b';
			break;
		case 'f':
			out[n++] = '\f';
			break;
		case 'n':
			out[n++] = '\n';
			break;
		case 'r':
			out[n++] = '\r';
			break;
		case 't':
			out[n++] = '\t';
			break;
		case 'u':
			err = parse_unicode(ps, out, &n);
			if (err)
				return err;
			continue;
		default:
			if (ps->p[1] > 0x20 && ps->p[1] < 0x7f)
				return fail(ps, "invalid escape \\%c", ps->p[1]);
			return fail(ps, "invalid escape: backslash before byte 0x%02x",
				    (unsigned char)ps->p[1]);
		}
		advance(ps);
		advance(ps);
	}
	out[n] = '\0';
	*str = out;
	*len = n;
	return 0;
}

static bool is_digit(const struct parser *ps, const char *s)
{
	return s < ps->end && *s >= '0' && *s <= '9';
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? at the reader. */
static int parse_number(struct parser *ps, struct jr_value *out)
{
	const char *start = ps->p;
	char *text;

	if (*ps->p == '-')
		advance(ps);
	if (ps->p >= ps->end)
		return end_of_input(ps);
	if (*ps->p == '0') {
		advance(ps);
		if (is_digit(ps, ps->p))
			return fail_at(ps, out->line, out->col,
				       "invalid number: a leading zero");
	} else if (is_digit(ps, ps->p)) {
		while (is_digit(ps, ps->p))
			advance(ps);
	} else {
		return refuse_char(ps, "expected a digit");
	}
	if (ps->p < ps->end && *ps->p == '.') {
		advance(ps);
		if (ps->p >= ps->end)
			return end_of_input(ps);
		if (!is_digit(ps, ps->p))
			return refuse_char(ps, "expected a digit after '.'");
		while (is_digit(ps, ps->p))
			advance(ps);
	}
	if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
		advance(ps);
		if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
			advance(ps);
		if (ps->p >= ps->end)
			return end_of_input(ps);
		if (!is_digit(ps, ps->p))
			return refuse_char(ps, "expected a digit in the exponent");
		while (is_digit(ps, ps->p))
			advance(ps);
	}
	text = arena_alloc(ps, ps->p - start + 1);
	if (!text)
		return out_of_memory(ps);
	memcpy(text, start, ps->p - start);
	text[ps->p - start] = '\0';
	out->type = JR_NUMBER;
	out->u.str = text;
	out->len = ps->p - start;
	return 0;
}

static int parse_literal(struct parser *ps, struct jr_value *out,
			 const char *word)
{
	size_t len = strlen(word), i;

	for (i = 0; i < len; i++) {
		if (ps->p >= ps->end)
			return end_of_input(ps);
		if (*ps->p != word[i])
			return fail_at(ps, out->line, out->col,
				       "invalid literal (true, false or null?)");
		advance(ps);
	}
	return 0;
}

static int enter(struct parser *ps, bool in_object)
{
	struct frame *f;

	if (ps->depth == JR_MAX_DEPTH)
		return fail(ps, "nested deeper than %d levels", JR_MAX_DEPTH);
	f = &ps->frames[++ps->depth];
	memset(f, 0, sizeof(*f));
	f->in_object = in_object;
	advance(ps);		/* the bracket */
	return 0;
}

static int parse_array(struct parser *ps, struct jr_value *out)
{
	struct vec items = { 0 };
	struct jr_value *item;
	int err;

	err = enter(ps, false);
	if (err)
		return err;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == ']')
		goto done;
	for (;;) {
		ps->frames[ps->depth].index = items.n;
		item = vec_push(&items, sizeof(*item));
		if (!item) {
			err = out_of_memory(ps);
			goto fail;
		}
		err = parse_value(ps, item);
		if (err)
			goto fail;
		skip_ws(ps);
		if (ps->p >= ps->end) {
			err = end_of_input(ps);
			goto fail;
		}
		if (*ps->p == ']')
			break;
		if (*ps->p != ',') {
			err = refuse_char(ps, "expected ',' or ']'");
			goto fail;
		}
		advance(ps);
	}
done:
	out->type = JR_ARRAY;
	out->len = items.n;
	out->u.items = vec_finish(ps, &items, sizeof(*item));
	if (items.n && !out->u.items)
		return out_of_memory(ps);
	advance(ps);
	ps->depth--;
	return 0;
fail:
	free(items.data);
	return err;
}

static int cmp_member(const void *a, const void *b)
{
	const struct jr_member *x = *(const struct jr_member * const *)a;
	const struct jr_member *y = *(const struct jr_member * const *)b;
	size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
	int c = memcmp(x->key, y->key, n);

	if (c)
		return c;
	if (x->key_len != y->key_len)
		return x->key_len < y->key_len ? -1 : 1;
	/* Equal keys in the order written: the second is the duplicate. */
	return x < y ? -1 : x > y;
}

/*
 * The first key of @n members that repeats an earlier one, by sorting:
 * a linear search per key would make a big object quadratic.
 */
static int check_duplicates(struct parser *ps, struct jr_member *m, size_t n)
{
	const struct jr_member **sorted, *dup = NULL, *first = NULL;
	size_t i;

	if (n < 2)
		return 0;
	sorted = malloc(n * sizeof(*sorted));
	if (!sorted)
		return out_of_memory(ps);
	for (i = 0; i < n; i++)
		sorted[i] = &m[i];
	qsort(sorted, n, sizeof(*sorted), cmp_member);
	for (i = 1; i < n; i++) {
		if (sorted[i]->key_len != sorted[i - 1]->key_len ||
		    memcmp(sorted[i]->key, sorted[i - 1]->key,
			   sorted[i]->key_len))
			continue;
		if (!dup || sorted[i] < dup) {
			dup = sorted[i];
			first = sorted[i - 1];
		}
	}
	free(sorted);
	if (!dup)
		return 0;
	ps->frames[ps->depth].has_key = false;
	return fail_at(ps, dup->line, dup->col,
		       "duplicate key \"%.40s\" (first at line %u, col %u)",
		       dup->key, first->line, first->col);
}

static int parse_object(struct parser *ps, struct jr_value *out)
{
	struct vec members = { 0 };
	struct jr_member *m;
	struct frame *f;
	int err;

	err = enter(ps, true);
	if (err)
		return err;
	f = &ps->frames[ps->depth];
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == '}')
		goto done;
	for (;;) {
		skip_ws(ps);
		f->has_key = false;
		if (ps->p >= ps->end) {
			err = end_of_input(ps);
			goto fail;
		}
		if (*ps->p != '"') {
			err = refuse_char(ps, "expected a key in double quotes");
			goto fail;
		}
		m = vec_push(&members, sizeof(*m));
		if (!m) {
			err = out_of_memory(ps);
			goto fail;
		}
		m->line = ps->line;
		m->col = ps->col;
		err = parse_string(ps, &m->key, &m->key_len);
		if (err)
			goto fail;
		f->key = m->key;
		f->key_len = m->key_len;
		f->has_key = true;
		skip_ws(ps);
		if (ps->p >= ps->end) {
			err = end_of_input(ps);
			goto fail;
		}
		if (*ps->p != ':') {
			err = refuse_char(ps, "expected ':'");
			goto fail;
		}
		advance(ps);
		err = parse_value(ps, &m->value);
		if (err)
			goto fail;
		skip_ws(ps);
		if (ps->p >= ps->end) {
			err = end_of_input(ps);
			goto fail;
		}
		if (*ps->p == '}')
			break;
		if (*ps->p != ',') {
			err = refuse_char(ps, "expected ',' or '}'");
			goto fail;
		}
		advance(ps);
	}
done:
	err = check_duplicates(ps, members.data, members.n);
	if (err)
		goto fail;
	out->type = JR_OBJECT;
	out->len = members.n;
	out->u.members = vec_finish(ps, &members, sizeof(*m));
	if (members.n && !out->u.members)
		return out_of_memory(ps);
	advance(ps);
	ps->depth--;
	return 0;
fail:
	free(members.data);
	return err;
}

static int parse_value(struct parser *ps, struct jr_value *out)
{
	skip_ws(ps);
	memset(out, 0, sizeof(*out));
	out->line = ps->line;
	out->col = ps->col;
	if (ps->p >= ps->end)
		return end_of_input(ps);
	switch (*ps->p) {
	case '{':
		return parse_object(ps, out);
	case '[':
		return parse_array(ps, out);
	case '"':
		out->type = JR_STRING;
		return parse_string(ps, &out->u.str, &out->len);
	case 't':
		out->type = JR_BOOL;
		out->u.b = true;
		return parse_literal(ps, out, "true");
	case 'f':
		out->type = JR_BOOL;
		return parse_literal(ps, out, "false");
	case 'n':
		out->type = JR_NULL;
		return parse_literal(ps, out, "null");
	case '-':
	case '0' ... '9':
		return parse_number(ps, out);
	default:
		return refuse_char(ps, "expected a value");
	}
}

int jr_parse(const char *text, size_t len, struct jr_doc *doc,
	     struct jr_error *err)
{
	struct parser ps = {
		.p = text,
		.end = text + len,
		.line = 1,
		.col = 1,
		.err = err,
	};
	struct jr_value *root;
	int ret;

	memset(doc, 0, sizeof(*doc));
	memset(err, 0, sizeof(*err));
	if (len > JR_MAX_INPUT)
		return fail(&ps, "larger than %zu MiB", JR_MAX_INPUT >> 20);
	skip_ws(&ps);
	if (ps.p == ps.end)
		return fail(&ps, "no JSON value (the text is empty)");
	root = arena_alloc(&ps, sizeof(*root));
	if (!root)
		return out_of_memory(&ps);
	ret = parse_value(&ps, root);
	if (!ret) {
		skip_ws(&ps);
		if (ps.p != ps.end)
			ret = refuse_char(&ps, "after the end of the JSON value");
	}
	if (ret) {
		arena_free(ps.arena);
		return ret;
	}
	doc->root = root;
	doc->arena = ps.arena;
	return 0;
}

void jr_free(struct jr_doc *doc)
{
	arena_free(doc->arena);
	memset(doc, 0, sizeof(*doc));
}

const char *jr_type_name(enum jr_type type)
{
	switch (type) {
	case JR_NULL:
		return "null";
	case JR_BOOL:
		return "a boolean";
	case JR_NUMBER:
		return "a number";
	case JR_STRING:
		return "a string";
	case JR_ARRAY:
		return "an array";
	case JR_OBJECT:
		return "an object";
	}
	return "an unknown type";
}

const struct jr_value *jr_get(const struct jr_value *obj, const char *key)
{
	size_t len = strlen(key), i;

	if (!obj || obj->type != JR_OBJECT)
		return NULL;
	for (i = 0; i < obj->len; i++) {
		const struct jr_member *m = &obj->u.members[i];

		if (m->key_len == len && !memcmp(m->key, key, len))
			return &m->value;
	}
	return NULL;
}

bool jr_utf8_valid(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, seq;

	while (i < len) {
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		seq = json_utf8_len(u + i, len - i);
		if (!seq)
			return false;
		i += seq;
	}
	return true;
}

/* The digits of an integer's magnitude at @s into @out, at most @max. */
static int magnitude(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t val = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;	/* a fraction or an exponent */
		if (val > (max - (*s - '0')) / 10)
			return -ERANGE;
		val = val * 10 + (*s - '0');
	}
	*out = val;
	return 0;
}

int jr_u64(const struct jr_value *v, uint64_t *out)
{
	if (!v || v->type != JR_NUMBER || v->u.str[0] == '-')
		return -EINVAL;
	return magnitude(v->u.str, UINT64_MAX, out);
}

int jr_s64(const struct jr_value *v, int64_t *out)
{
	bool negative;
	uint64_t mag;
	int err;

	if (!v || v->type != JR_NUMBER)
		return -EINVAL;
	negative = v->u.str[0] == '-';
	err = magnitude(v->u.str + negative,
			negative ? (uint64_t)INT64_MAX + 1 : INT64_MAX, &mag);
	if (err)
		return err;
	*out = negative ? (int64_t)(0 - mag) : (int64_t)mag;
	return 0;
}
