// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of pcfifoctl's own pure code: value rules and messages,
 * the saved configuration's parser, restore plans, achieved rates and
 * tables. Run by `make -C utils check`; prints TAP, exits 1 on a failure.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "state.h"
#include "table.h"
#include "values.h"

static int n_tests, n_failed;

static void ok(int cond, const char *what)
{
	n_tests++;
	if (!cond)
		n_failed++;
	printf("%sok %d - %s\n", cond ? "" : "not ", n_tests, what);
}

static void is_str(const char *got, const char *want, const char *what)
{
	ok(!strcmp(got, want), what);
	if (strcmp(got, want))
		printf("#   got:  '%s'\n#   want: '%s'\n", got, want);
}

static void test_numbers(void)
{
	static const struct {
		const char *s;
		int err;
		unsigned int v;
	} rates[] = {
		{ "0", 0, 0 }, { "6", 0, 6 }, { "+6", 0, 6 }, { "6\n", 0, 6 },
		{ "007", 0, 7 }, { "1000000", 0, 1000000 },
		{ "1000001", ERANGE, 0 }, { "2000000", ERANGE, 0 },
		{ "4294967295", ERANGE, 0 }, { "4294967296", ERANGE, 0 },
		{ "99999999999999999999", ERANGE, 0 },
		{ "", EINVAL, 0 }, { "-1", EINVAL, 0 }, { "abc", EINVAL, 0 },
		{ " 5", EINVAL, 0 }, { "5 ", EINVAL, 0 }, { "5\n\n", EINVAL, 0 },
		{ "0x10", EINVAL, 0 }, { "+", EINVAL, 0 }, { "++5", EINVAL, 0 },
		{ "1.5", EINVAL, 0 }, { "\n", EINVAL, 0 },
	};
	char what[96];
	size_t n;

	for (n = 0; n < sizeof(rates) / sizeof(rates[0]); n++) {
		unsigned int v = 12345;
		int err = check_rate(rates[n].s, &v);

		char shown[64];

		escape_value(shown, sizeof(shown), rates[n].s);
		snprintf(what, sizeof(what), "rate '%s' -> %d (%u)", shown,
			 rates[n].err, rates[n].v);
		ok(err == rates[n].err && (err || v == rates[n].v), what);
	}
	ok(check_capacity("1", NULL) == 0, "capacity 1 accepted");
	ok(check_capacity("65536", NULL) == 0, "capacity 65536 accepted");
	ok(check_capacity("0", NULL) == ERANGE, "capacity 0 -> ERANGE");
	ok(check_capacity("65537", NULL) == ERANGE, "capacity 65537 -> ERANGE");
	ok(check_capacity("x", NULL) == EINVAL, "capacity x -> EINVAL");
}

static void test_strings(void)
{
	char n64[65], n65[66];

	memset(n64, 'n', 64);
	n64[64] = '\0';
	memcpy(n65, n64, 64);
	n65[64] = 'n';
	n65[65] = '\0';
	ok(check_name("spare") == 0, "name spare accepted");
	ok(check_name(n64) == 0, "name of 64 bytes accepted");
	ok(check_name(n65) == ENAMETOOLONG, "name of 65 bytes -> ENAMETOOLONG");
	ok(check_name("") == EINVAL, "empty name -> EINVAL");
	ok(check_name("a/b") == EINVAL, "name with / -> EINVAL");
	ok(check_name("..") == EINVAL, "name .. -> EINVAL");
	ok(check_name("a\nb") == EINVAL, "name with newline -> EINVAL");
	ok(check_item(n64) == 0, "item of 64 bytes accepted");
	ok(check_item(n65) == EINVAL, "item of 65 bytes -> EINVAL");
	ok(check_item("") == EINVAL, "empty item -> EINVAL");
	ok(check_item("a\nb") == 0, "producer item with a newline accepted");
	ok(check_line_item("a\nb") == EINVAL, "sent item with a newline -> EINVAL");
	ok(check_line_item("hi") == 0, "sent item hi accepted");
	ok(kind_parse("producer") == KIND_PRODUCER && kind_parse("fifos") == KIND_FIFO &&
	   kind_parse("thing") == KIND_NONE, "kinds, singular and plural");
	ok(key_valid(KIND_PRODUCER, "item") && !key_valid(KIND_CONSUMER, "item") &&
	   key_valid(KIND_FIFO, "capacity") && !key_valid(KIND_FIFO, "rate"),
	   "keys per kind");
}

static void test_messages(void)
{
	char buf[256];

	value_message(buf, sizeof(buf), "rate", "2000000", ERANGE);
	is_str(buf, "rate 2000000: out of range, 0..1000000", "message of rate 2000000");
	value_message(buf, sizeof(buf), "rate", "abc", EINVAL);
	is_str(buf, "rate abc: invalid argument, 0..1000000", "message of rate abc");
	value_message(buf, sizeof(buf), "capacity", "0", ERANGE);
	is_str(buf, "capacity 0: out of range, 1..65536", "message of capacity 0");
	value_message(buf, sizeof(buf), "item", "", EINVAL);
	is_str(buf, "item \"\": invalid argument, 1..64 bytes", "message of an empty item");
	value_message(buf, sizeof(buf), "fifo", "nope", ENOENT);
	is_str(buf, "fifo nope: does not exist, 1..64 bytes, no '/' or newline",
	       "message of a missing fifo");
	escape_value(buf, sizeof(buf), "a\nb\\c\x1b");
	is_str(buf, "a\\nb\\\\c\\x1b", "escapes");
}

static void test_seconds(void)
{
	unsigned int ms = 0;

	ok(!parse_seconds("2", 60000, &ms) && ms == 2000, "2 s");
	ok(!parse_seconds("0.5", 60000, &ms) && ms == 500, "0.5 s");
	ok(!parse_seconds("1.2345", 60000, &ms) && ms == 1234, "1.2345 s");
	ok(!parse_seconds("0", 60000, &ms) && ms == 0, "0 s");
	ok(parse_seconds("61", 60000, &ms) == ERANGE, "61 s above 60 -> ERANGE");
	ok(parse_seconds("1.", 60000, &ms) == EINVAL, "1. -> EINVAL");
	ok(parse_seconds("-1", 60000, &ms) == EINVAL, "-1 -> EINVAL");
	ok(parse_seconds("1s", 60000, &ms) == EINVAL, "1s -> EINVAL");
}

static const char good[] =
	"{ \"version\": 1,"
	"  \"fifos\": [ { \"name\": \"spare\", \"capacity\": 8 },"
	"              { \"name\": \"default\", \"capacity\": 32 } ],"
	"  \"producers\": [ { \"name\": \"apple\", \"fifo\": \"spare\", \"rate\": 6,"
	"                     \"item\": \"fruit\\n\" } ],"
	"  \"consumers\": [ { \"name\": \"eater\", \"rate\": 3 } ] }";

static void bad_config(const char *text, const char *want, const char *what)
{
	struct state s;
	char err[512] = "";
	int rc = config_from_json(text, &s, err, sizeof(err));

	ok(rc == EXIT_FAIL && s.nfifos == 0 && s.ninsts == 0, what);
	is_str(err, want, what);
}

static void test_config(void)
{
	struct state s, again;
	struct json_object *j;
	char err[512] = "";
	const char *text;

	ok(!config_from_json(good, &s, err, sizeof(err)), "a good configuration parses");
	ok(s.nfifos == 2 && !strcmp(s.fifos[0].name, "default") &&
	   s.fifos[1].capacity == 8, "FIFOs sorted, capacities read");
	ok(s.ninsts == 2 && s.insts[0].kind == KIND_PRODUCER &&
	   !strcmp(s.insts[0].item, "fruit\n") && s.insts[0].rate == 6 &&
	   s.insts[1].has_rate && !s.insts[1].has_fifo, "instances read, has_* set");
	/* Round trip: what save writes, restore reads back the same. */
	s.insts[1].has_fifo = true;
	strcpy(s.insts[1].fifo, "default");
	j = config_to_json(&s);
	text = json_object_to_json_string(j);
	ok(!config_from_json(text, &again, err, sizeof(err)) &&
	   again.ninsts == 2 && !strcmp(again.insts[0].item, "fruit\n") &&
	   !strcmp(again.insts[1].fifo, "default") && again.fifos[1].capacity == 8,
	   "save's JSON parses back to the same configuration");
	json_object_put(j);
	state_free(&again);
	state_free(&s);

	bad_config("{", "not JSON: unexpected end of data", "truncated JSON");
	bad_config("[]", "not a JSON object", "an array");
	bad_config("{\"fifoz\": []}", "unknown key \"fifoz\"", "unknown top-level key");
	bad_config("{\"producer\": []}", "unknown key \"producer\" (not \"producers\")",
		   "singular top-level key");
	bad_config("{\"version\": 2}", "version 2: not supported, 1", "version 2");
	bad_config("{\"producers\": [ {\"name\": \"a\", \"rate\": 2000000} ]}",
		   "producers[0] (a): rate 2000000: out of range, 0..1000000", "rate too big");
	bad_config("{\"producers\": [ {\"name\": \"a\", \"rate\": -1} ]}",
		   "producers[0] (a): rate -1: invalid argument, 0..1000000", "negative rate");
	bad_config("{\"producers\": [ {\"name\": \"a\", \"rate\": \"6\"} ]}",
		   "producers[0] (a): rate: not an integer", "rate as a string");
	bad_config("{\"consumers\": [ {\"name\": \"a\", \"item\": \"x\"} ]}",
		   "consumers[0] (a): unknown key \"item\" for a consumer", "consumer item");
	bad_config("{\"fifos\": [ {\"name\": \"f\", \"capacity\": 0} ]}",
		   "fifos[0] (f): capacity 0: out of range, 1..65536", "capacity 0");
	bad_config("{\"fifos\": [ {\"capacity\": 3} ]}", "fifos[0]: no name", "no name");
	bad_config("{\"fifos\": [ {\"name\": \"\"} ]}",
		   "fifos[0]: name \"\": invalid argument, 1..64 bytes, no '/' or newline",
		   "empty name");
	bad_config("{\"fifos\": [ {\"name\": \"f\"}, {\"name\": \"f\"} ]}",
		   "fifos[1] (f): fifo f: listed twice", "duplicate FIFO");
	bad_config("{\"producers\": [ {\"name\": \"a\", \"item\": \"\"} ]}",
		   "producers[0] (a): item \"\": invalid argument, 1..64 bytes", "empty item");
	bad_config("{\"producers\": [ {\"name\": \"a\", \"item\": \"a\\u0000b\"} ]}",
		   "producers[0] (a): item a: invalid argument, 1..64 bytes", "item with NUL");
}

static struct fifo_info *fifo(struct state *s, const char *name, unsigned int cap,
			      unsigned int count)
{
	struct fifo_info *f = state_add_fifo(s, name);

	f->capacity = cap;
	f->count = count;
	f->has_capacity = true;
	return f;
}

static struct inst_info *inst(struct state *s, enum kind k, const char *name,
			      const char *f, unsigned int rate, const char *item)
{
	struct inst_info *i = state_add_inst(s, k, name);

	snprintf(i->fifo, sizeof(i->fifo), "%s", f);
	snprintf(i->item, sizeof(i->item), "%s", item ? item : "");
	i->rate = rate;
	i->has_fifo = i->has_rate = true;
	i->has_item = k == KIND_PRODUCER;
	i->configfs = true;
	return i;
}

/* The plan in one line: "+fifo spare; fifo spare capacity=8; ..." */
static void plan_text(const struct action *a, unsigned int n, char *buf, size_t size)
{
	size_t len = 0;
	unsigned int j;

	buf[0] = '\0';
	for (j = 0; j < n && len < size; j++) {
		if (a[j].op == ACT_SET)
			len += (size_t)snprintf(buf + len, size - len, "%s%s %s %s=%s",
						j ? "; " : "", kind_name(a[j].kind), a[j].name,
						a[j].key, a[j].value);
		else
			len += (size_t)snprintf(buf + len, size - len, "%s%c%s %s",
						j ? "; " : "", a[j].op == ACT_CREATE ? '+' : '-',
						kind_name(a[j].kind), a[j].name);
	}
}

/* Plan HAVE -> WANT into TEXT (or the error); the plan's status. */
static int plan(const struct state *want, const struct state *have, bool clear,
		char *text, size_t size)
{
	struct action *a;
	unsigned int n;
	int rc = config_plan(want, have, clear, &a, &n, text, size);

	if (!rc)
		plan_text(a, n, text, size);
	free(a);
	return rc;
}

static void test_plan(void)
{
	struct state want, have;
	char text[1024];

	state_init(&want);
	state_init(&have);
	fifo(&want, "default", 32, 0);
	fifo(&want, "spare", 8, 0);
	inst(&want, KIND_PRODUCER, "apple", "spare", 6, "fruit");
	inst(&want, KIND_CONSUMER, "eater", "spare", 3, NULL);
	fifo(&have, "default", 32, 5);
	fifo(&have, "old", 32, 0);
	inst(&have, KIND_CONSUMER, "eater", "default", 3, NULL);
	inst(&have, KIND_CONSUMER, "extra", "old", 1, NULL);
	inst(&have, KIND_PRODUCER, "default", "old", 1, "x")->configfs = false;

	ok(!plan(&want, &have, false, text, sizeof(text)), "plan: merge");
	is_str(text, "+fifo spare; fifo spare capacity=8; +producer apple; "
	       "producer apple fifo=spare; producer apple item=fruit; producer apple rate=6; "
	       "consumer eater fifo=spare", "plan: creates what is missing, sets what differs");

	ok(!plan(&want, &have, true, text, sizeof(text)), "plan: --clear");
	is_str(text, "+fifo spare; fifo spare capacity=8; +producer apple; "
	       "producer apple fifo=spare; producer apple item=fruit; producer apple rate=6; "
	       "consumer eater fifo=spare; -consumer extra; producer default fifo=default; "
	       "-fifo old", "plan: --clear removes the rest, moves module instances home");

	ok(!plan(&want, &want, true, text, sizeof(text)), "plan: tree matches");
	is_str(text, "", "plan: nothing to do when the tree matches");

	want.fifos[0].capacity = 16;	/* default holds 5 items in HAVE */
	ok(plan(&want, &have, false, text, sizeof(text)) == EXIT_FAIL,
	   "plan: a new capacity of a FIFO that holds items is refused");
	is_str(text, "fifo default: capacity 16: busy, the FIFO is not empty (count 5)",
	       "plan: its message");
	want.fifos[0].capacity = 32;

	strcpy(want.insts[0].fifo, "nowhere");
	ok(plan(&want, &have, false, text, sizeof(text)) == EXIT_FAIL,
	   "plan: an instance on a FIFO that does not exist is refused");
	is_str(text, "producer apple: fifo nowhere: does not exist", "plan: its message");
	strcpy(want.insts[0].fifo, "old");
	ok(!plan(&want, &have, false, text, sizeof(text)),
	   "plan: merge may use a FIFO the tree has");
	ok(plan(&want, &have, true, text, sizeof(text)) == EXIT_FAIL,
	   "plan: --clear may not (it would remove it)");
	state_free(&want);
	state_free(&have);
}

static void test_rates(void)
{
	struct state a, b;
	struct inst_info *p;

	state_init(&a);
	state_init(&b);
	fifo(&a, "full", 4, 4)->enqueued = 100;
	fifo(&a, "mid", 4, 2);
	inst(&a, KIND_PRODUCER, "fast", "mid", 10, "x")->total = 100;
	inst(&a, KIND_PRODUCER, "stuck", "full", 10, "x")->total = 50;
	inst(&a, KIND_PRODUCER, "off", "mid", 0, "x")->total = 7;
	fifo(&b, "full", 4, 4)->enqueued = 101;
	fifo(&b, "mid", 4, 2);
	inst(&b, KIND_PRODUCER, "fast", "mid", 10, "x")->total = 105;
	inst(&b, KIND_PRODUCER, "stuck", "full", 10, "x")->total = 51;
	inst(&b, KIND_PRODUCER, "off", "mid", 0, "x")->total = 7;
	inst(&b, KIND_CONSUMER, "new", "mid", 1, NULL);
	inst(&a, KIND_PRODUCER, "slow", "mid", 5, "x")->total = 20;
	inst(&b, KIND_PRODUCER, "slow", "mid", 5, "x")->timed = 5.0;
	state_inst(&b, KIND_PRODUCER, "slow")->total = 21;
	state_rates(&b, &a, 500);
	p = state_inst(&b, KIND_PRODUCER, "slow");
	ok(p->achieved > 4.99 && p->achieved < 5.01 && p->state == ST_RUNNING,
	   "rates: a timed rate (first to last change) is the achieved rate");
	p = state_inst(&b, KIND_PRODUCER, "fast");
	ok(p->achieved > 9.99 && p->achieved < 10.01 && p->state == ST_RUNNING,
	   "rates: 5 items in 500 ms is 10/s, running");
	p = state_inst(&b, KIND_PRODUCER, "stuck");
	ok(p->achieved > 1.99 && p->achieved < 2.01 && p->state == ST_BLOCKED,
	   "rates: slower than its rate on a full FIFO is blocked");
	ok(state_inst(&b, KIND_PRODUCER, "off")->state == ST_PAUSED, "rates: rate 0 is paused");
	p = state_inst(&b, KIND_CONSUMER, "new");
	ok(p->achieved < 0 && p->state == ST_UNKNOWN, "rates: a new instance is not measured");
	ok(state_fifo(&b, "full")->in_rate > 1.99 && state_fifo(&b, "full")->in_rate < 2.01,
	   "rates: a FIFO's items in per second");
	state_free(&a);
	state_free(&b);
}

static void test_table(void)
{
	struct table t;
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	table_init(&t, 3, "lrl");
	table_add(&t, "NAME", "N", "LAST");
	table_add(&t, "default", "12345", "x");
	table_add(&t, "a", "7", "");
	table_print(&t, f);
	table_free(&t);
	fclose(f);
	is_str(buf, "NAME         N  LAST\ndefault  12345  x\na            7\n",
	       "table: aligned, numbers right, no trailing blanks");
	free(buf);
}

int main(void)
{
	test_numbers();
	test_strings();
	test_messages();
	test_seconds();
	test_config();
	test_plan();
	test_rates();
	test_table();
	printf("1..%d\n# %d passed, %d failed\n", n_tests, n_tests - n_failed, n_failed);
	return n_failed ? 1 : 0;
}
