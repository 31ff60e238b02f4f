// SPDX-License-Identifier: GPL-2.0
/*
 * The policy language: every statement, match key and requirement, the
 * canonical form, each error with its exact position, the limits, the
 * save -> load round trip, and the fuzzer's seed corpus.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/pthru.h>

#include "policy_lang.h"
#include "unit.h"

/* unit.c runs this suite; the lead registers it there. */

#define FILE_NAME	"policy.conf"
#define ALL_REQS	0x7f

/* Where the fuzzer's seeds are, from tests/ where the unit tests run. */
#define CORPUS_DIR	"../fuzz/corpus"

static bool parse_len(const char *text, size_t len, struct policy_doc *doc,
		      int line)
{
	char err[256];

	if (policy_parse(FILE_NAME, text, len, doc, err, sizeof(err))) {
		unit_check_str(err, "(no error)", __FILE__, line, text);
		return false;
	}
	unit_check(true, __FILE__, line, text);
	return true;
}

#define PARSE(text, doc)	parse_len((text), strlen(text), (doc), __LINE__)

/* @doc in canonical form, malloc'd. */
static char *format_doc(const struct policy_doc *doc)
{
	struct capture c;

	if (policy_format(capture_open(&c), doc)) {
		capture_close(&c);
		free(c.text);
		return NULL;
	}
	return (char *)capture_close(&c);
}

/*
 * @text parses, prints as @want, and @want parses back into the same
 * document and prints as the same bytes.
 */
static void check_canon_len(const char *text, size_t len, const char *want,
			    int line)
{
	struct policy_doc a, b;
	char *out, *out2;

	if (!parse_len(text, len, &a, line))
		return;
	out = format_doc(&a);
	unit_check_str(out, want, __FILE__, line, "canonical form");
	if (out && parse_len(out, strlen(out), &b, line)) {
		unit_check(policy_doc_equal(&a, &b), __FILE__, line,
			   "parse(format(D)) == D");
		out2 = format_doc(&b);
		unit_check_str(out2, out, __FILE__, line,
			       "format(parse(format(D))) == format(D)");
		free(out2);
		policy_doc_free(&b);
	}
	free(out);
	policy_doc_free(&a);
}

#define CHECK_CANON(text, want)	\
	check_canon_len((text), strlen(text), (want), __LINE__)

/* @text (of @len bytes) is refused with exactly @want; @doc stays empty. */
static void check_err_len(const char *text, size_t len, const char *want,
			  int line)
{
	struct policy_doc doc;
	char err[256] = "";

	memset(&doc, 0xa5, sizeof(doc));
	if (!policy_parse(FILE_NAME, text, len, &doc, err, sizeof(err))) {
		unit_check_str("(parsed)", want, __FILE__, line, text);
		policy_doc_free(&doc);
		return;
	}
	unit_check_str(err, want, __FILE__, line, text);
	unit_check(!doc.nr_rules && !doc.rules && !doc.nr_gated &&
		   !doc.has_mode, __FILE__, line, "doc left empty");
}

#define CHECK_ERR(text, want)	\
	check_err_len((text), strlen(text), (want), __LINE__)
#define CHECK_ERR_BIN(text, want)	\
	check_err_len((text), sizeof(text) - 1, (want), __LINE__)

static void test_empty(void)
{
	struct policy_doc doc;

	if (PARSE("", &doc)) {
		CHECK(!doc.has_mode);
		CHECK_INT(doc.nr_gated, 0);
		CHECK_INT(doc.default_action, PTHRU_ACTION_DENY);
		CHECK_INT(doc.default_requirements, 0);
		CHECK_INT(doc.nr_rules, 0);
		policy_doc_free(&doc);
	}
	CHECK_CANON("", "default deny\n");
	CHECK_CANON("\n\n   \t\n# only a comment\n  # indented\n",
		    "default deny\n");
	CHECK_CANON("#", "default deny\n");
	/* "default deny" is what no default line means: same document */
	CHECK_CANON("default deny\n", "default deny\n");
}

static void test_mode(void)
{
	struct policy_doc doc;

	if (PARSE("mode enforce\n", &doc)) {
		CHECK(doc.has_mode);
		CHECK_INT(doc.mode, PTHRU_POLICY_MODE_ENFORCE);
		policy_doc_free(&doc);
	}
	if (PARSE("mode off", &doc)) {
		CHECK(doc.has_mode);
		CHECK_INT(doc.mode, PTHRU_POLICY_MODE_OFF);
		policy_doc_free(&doc);
	}
	CHECK_CANON("\t mode   audit\t# comment\n", "mode audit\ndefault deny\n");
	CHECK_CANON("mode off#no space needed", "mode off\ndefault deny\n");
	CHECK_ERR("mode\n", FILE_NAME ":1:5: missing mode (off, audit or enforce)");
	CHECK_ERR("mode # none\n",
		  FILE_NAME ":1:5: missing mode (off, audit or enforce)");
	CHECK_ERR("mode Audit\n",
		  FILE_NAME ":1:6: unknown mode \"Audit\" (off, audit or enforce)");
	CHECK_ERR("mode audit enforce\n",
		  FILE_NAME ":1:12: unexpected \"enforce\"");
	CHECK_ERR("mode \"audit\"\n",
		  FILE_NAME ":1:6: expected mode (off, audit or enforce), found a quoted string");
	CHECK_ERR("# first\nmode audit\n\nmode audit\n",
		  FILE_NAME ":4:1: duplicate \"mode\" statement (first on line 2)");
	CHECK_STR(policy_mode_name(PTHRU_POLICY_MODE_AUDIT), "audit");
	CHECK(!policy_mode_name(3));
}

static void test_gate(void)
{
	struct policy_doc doc;

	if (PARSE("gate vfio-pci pci-stub uio_pci_generic *-vfio-pci", &doc)) {
		CHECK_INT(doc.nr_gated, 4);
		CHECK_STR(doc.gated[0], "vfio-pci");
		CHECK_STR(doc.gated[3], "*-vfio-pci");
		policy_doc_free(&doc);
	}
	CHECK_CANON("gate\tvfio-pci    *.x_Y-9 # gated\n",
		    "gate vfio-pci *.x_Y-9\ndefault deny\n");
	/* 16 names fit, the 17th is refused where it starts */
	CHECK_CANON("gate a b c d e f g h i j k l m n o p\n",
		    "gate a b c d e f g h i j k l m n o p\ndefault deny\n");
	CHECK_ERR("gate a b c d e f g h i j k l m n o p q\n",
		  FILE_NAME ":1:38: more than 16 gate names");
	/* 31 characters, with and without the star */
	CHECK_CANON("gate abcdefghijklmnopqrstuvwxyz01234 *bcdefghijklmnopqrstuvwxyz01234\n",
		    "gate abcdefghijklmnopqrstuvwxyz01234 *bcdefghijklmnopqrstuvwxyz01234\ndefault deny\n");
	CHECK_ERR("gate abcdefghijklmnopqrstuvwxyz012345\n",
		  FILE_NAME ":1:6: gate name \"abcdefghijklmnopqrstuvwxyz012345\" longer than 31 characters");
	CHECK_ERR("gate x *abcdefghijklmnopqrstuvwxyz01234\n",
		  FILE_NAME ":1:8: gate name \"*abcdefghijklmnopqrstuvwxyz01234\" longer than 31 characters");
	CHECK_ERR("gate vfio-pci *\n",
		  FILE_NAME ":1:15: bad gate name \"*\" (a driver name of A-Z a-z 0-9 _ . -, or * and the end of one)");
	CHECK_ERR("gate vfio*pci\n",
		  FILE_NAME ":1:6: bad gate name \"vfio*pci\" (a driver name of A-Z a-z 0-9 _ . -, or * and the end of one)");
	CHECK_ERR("gate a/b\n",
		  FILE_NAME ":1:6: bad gate name \"a/b\" (a driver name of A-Z a-z 0-9 _ . -, or * and the end of one)");
	CHECK_ERR("gate vfio-pci pci-stub vfio-pci\n",
		  FILE_NAME ":1:24: gate name \"vfio-pci\" given twice");
	CHECK_ERR("gate\n", FILE_NAME ":1:5: missing driver names after \"gate\"");
	CHECK_ERR("gate \"vfio-pci\"\n", FILE_NAME ":1:6: unexpected quoted string");
	CHECK_ERR("gate a\ngate b\n",
		  FILE_NAME ":2:1: duplicate \"gate\" statement (first on line 1)");
}

static void test_default(void)
{
	struct policy_doc doc;

	if (PARSE("default allow require all", &doc)) {
		CHECK_INT(doc.default_action, PTHRU_ACTION_ALLOW);
		CHECK_INT(doc.default_requirements, ALL_REQS);
		policy_doc_free(&doc);
	}
	CHECK_CANON("default allow\n", "default allow\n");
	CHECK_CANON("default allow require viable-group,acs-isolated,translated\n",
		    "default allow require acs-isolated,translated,viable-group\n");
	/* "all" is never printed: every name in bit order instead */
	CHECK_CANON("default allow require all\n",
		    "default allow require acs-isolated,translated,strict-invalidation,no-ats,isolated-msi,no-direct-regions,viable-group\n");
	CHECK_ERR("default deny require translated\n",
		  FILE_NAME ":1:14: \"require\" only goes with allow");
	CHECK_ERR("default\n", FILE_NAME ":1:8: missing action (allow or deny)");
	CHECK_ERR("default maybe\n",
		  FILE_NAME ":1:9: unknown action \"maybe\" (allow or deny)");
	CHECK_ERR("default allow please\n",
		  FILE_NAME ":1:15: unexpected \"please\"");
	CHECK_ERR("default allow require\n",
		  FILE_NAME ":1:22: missing requirements after \"require\"");
	CHECK_ERR("default allow require no-ats no-ats\n",
		  FILE_NAME ":1:30: unexpected \"no-ats\"");
	CHECK_ERR("default allow\ndefault deny\n",
		  FILE_NAME ":2:1: duplicate \"default\" statement (first on line 1)");
}

static void test_requirements(void)
{
	static const struct {
		const char *name;
		uint32_t bit;
	} reqs[] = {
		{ "acs-isolated", PTHRU_REQUIREMENT_ACS_ISOLATED },
		{ "translated", PTHRU_REQUIREMENT_TRANSLATED },
		{ "strict-invalidation", PTHRU_REQUIREMENT_STRICT_INVALIDATION },
		{ "no-ats", PTHRU_REQUIREMENT_NO_ATS },
		{ "isolated-msi", PTHRU_REQUIREMENT_ISOLATED_MSI },
		{ "no-direct-regions", PTHRU_REQUIREMENT_NO_DIRECT_REGIONS },
		{ "viable-group", PTHRU_REQUIREMENT_VIABLE_GROUP },
	};
	struct policy_doc doc;
	char text[128], want[128], buf[256];
	uint32_t all = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(reqs); i++) {
		all |= reqs[i].bit;
		CHECK_STR(policy_req_name(reqs[i].bit), reqs[i].name);
		snprintf(text, sizeof(text), "rule 1 allow require %s\n",
			 reqs[i].name);
		if (PARSE(text, &doc)) {
			CHECK_INT(doc.nr_rules, 1);
			CHECK_INT(doc.rules[0].requirements, reqs[i].bit);
			policy_doc_free(&doc);
		}
		snprintf(want, sizeof(want), "default deny\n%s", text);
		CHECK_CANON(text, want);
	}
	CHECK_INT(all, ALL_REQS);
	CHECK(!policy_req_name(0));
	CHECK(!policy_req_name(0x80));
	CHECK(!policy_req_name(3));

	policy_reqs_str(0, buf, sizeof(buf));
	CHECK_STR(buf, "");
	policy_reqs_str(PTHRU_REQUIREMENT_NO_ATS | PTHRU_REQUIREMENT_TRANSLATED,
			buf, sizeof(buf));
	CHECK_STR(buf, "translated,no-ats");
	/* a bit from a newer module shows as a number, not as nothing */
	policy_reqs_str(0x100 | PTHRU_REQUIREMENT_ACS_ISOLATED, buf, sizeof(buf));
	CHECK_STR(buf, "acs-isolated,0x100");
	/* cut short, still terminated */
	policy_reqs_str(ALL_REQS, buf, 8);
	CHECK_STR(buf, "acs-iso");

	if (PARSE("rule 1 allow require all", &doc)) {
		CHECK_INT(doc.rules[0].requirements, ALL_REQS);
		policy_doc_free(&doc);
	}
	CHECK_ERR("rule 10 allow vendor 1 require acs\n",
		  FILE_NAME ":1:32: unknown requirement \"acs\"");
	CHECK_ERR("rule 10 allow require translated,acs\n",
		  FILE_NAME ":1:34: unknown requirement \"acs\"");
	CHECK_ERR("rule 10 allow require ACS-isolated\n",
		  FILE_NAME ":1:23: unknown requirement \"ACS-isolated\"");
	CHECK_ERR("rule 10 allow require translated,,no-ats\n",
		  FILE_NAME ":1:34: empty requirement in list");
	CHECK_ERR("rule 10 allow require translated,\n",
		  FILE_NAME ":1:34: empty requirement in list");
	CHECK_ERR("rule 10 allow require ,translated\n",
		  FILE_NAME ":1:23: empty requirement in list");
	CHECK_ERR("rule 10 allow require translated,translated\n",
		  FILE_NAME ":1:34: requirement \"translated\" given twice");
	CHECK_ERR("rule 10 allow require all,no-ats\n",
		  FILE_NAME ":1:27: requirement \"no-ats\" given twice");
	/* no spaces in the list: the second word is not a keyword */
	CHECK_ERR("rule 10 allow require translated, no-ats\n",
		  FILE_NAME ":1:34: empty requirement in list");
	CHECK_ERR("rule 10 allow require translated no-ats\n",
		  FILE_NAME ":1:34: unknown keyword \"no-ats\"");
	CHECK_ERR("rule 10 deny require translated\n",
		  FILE_NAME ":1:14: \"require\" only goes with allow");
	CHECK_ERR("rule 10 allow require translated require no-ats\n",
		  FILE_NAME ":1:34: \"require\" given twice");
}

static void test_match_keys(void)
{
	struct policy_doc doc;
	struct policy_rule *r;

	if (PARSE("rule 7 allow vendor 0x1AF4 device 1041 subvendor 0x0 subdevice ffff class 0x020000/0xff0000 addr 0000:0A:1f.7 slot CPU1-SLOT_2 serial 00-11-22-33-44-55-66-77 driver vfio-pci\n",
		  &doc)) {
		r = &doc.rules[0];
		CHECK_INT(r->id, 7);
		CHECK_INT(r->action, PTHRU_ACTION_ALLOW);
		CHECK_INT(r->fields, POLICY_F_VENDOR | POLICY_F_DEVICE |
			  POLICY_F_SUBVENDOR | POLICY_F_SUBDEVICE |
			  POLICY_F_CLASS | POLICY_F_ADDR | POLICY_F_SLOT |
			  POLICY_F_SERIAL | POLICY_F_DRIVER);
		CHECK_INT(r->vendor, 0x1af4);
		CHECK_INT(r->device, 0x1041);
		CHECK_INT(r->subvendor, 0);
		CHECK_INT(r->subdevice, 0xffff);
		CHECK_INT(r->class, 0x020000);
		CHECK_INT(r->class_mask, 0xff0000);
		CHECK_STR(r->addr, "0000:0a:1f.7");
		CHECK_STR(r->slot, "CPU1-SLOT_2");
		CHECK(r->serial == 0x0011223344556677ULL);
		CHECK_STR(r->driver, "vfio-pci");
		CHECK_INT(r->requirements, 0);
		CHECK_STR(r->label, "");
		CHECK_INT(r->line, 1);
		policy_doc_free(&doc);
	}
	/* any order in, one order out */
	CHECK_CANON("rule 7 deny driver x serial 0X00112233AABBCCDD slot 3 addr 02:00.1 class 10802 subdevice 1 subvendor 2 device 3 vendor 4\n",
		    "default deny\nrule 7 deny vendor 0x0004 device 0x0003 subvendor 0x0002 subdevice 0x0001 class 0x010802 addr 0000:02:00.1 slot 3 serial 0x00112233aabbccdd driver x\n");
	CHECK_CANON("rule 1 deny serial ffffffffffffffff\n",
		    "default deny\nrule 1 deny serial 0xffffffffffffffff\n");
	CHECK_CANON("rule 1 deny addr FFFF:FF:00.0\n",
		    "default deny\nrule 1 deny addr ffff:ff:00.0\n");
	/* no mask and a full mask are the same rule, printed without one */
	CHECK_CANON("rule 1 deny class 0x0c0330/0xFFFFFF\nrule 2 deny class 0x0c0330\n",
		    "default deny\nrule 1 deny class 0x0c0330\nrule 2 deny class 0x0c0330\n");
	if (PARSE("rule 1 deny class 0x0c0330/0xffffff", &doc)) {
		CHECK_INT(doc.rules[0].class_mask, 0);
		policy_doc_free(&doc);
	}
	CHECK_CANON("rule 1 deny class 0/1\n",
		    "default deny\nrule 1 deny class 0x000000/0x000001\n");
	/* a rule without match fields matches every device */
	CHECK_CANON("rule 4294967295 deny\n", "default deny\nrule 4294967295 deny\n");

	/* values */
	CHECK_ERR("rule 1 deny vendor 0x10000\n",
		  FILE_NAME ":1:20: vendor \"0x10000\" out of range (at most 0xffff)");
	CHECK_ERR("rule 1 deny device 10000\n",
		  FILE_NAME ":1:20: device \"10000\" out of range (at most 0xffff)");
	CHECK_ERR("rule 1 deny subvendor 0x1ffffffffffffffff\n",
		  FILE_NAME ":1:23: subvendor \"0x1ffffffffffffffff\" out of range (at most 0xffff)");
	CHECK_ERR("rule 1 deny subdevice 0xg\n",
		  FILE_NAME ":1:23: bad subdevice \"0xg\": not a hex number");
	CHECK_ERR("rule 1 deny vendor 0x\n",
		  FILE_NAME ":1:20: bad vendor \"0x\": not a hex number");
	CHECK_ERR("rule 1 deny vendor -1\n",
		  FILE_NAME ":1:20: bad vendor \"-1\": not a hex number");
	CHECK_ERR("rule 1 deny vendor\n",
		  FILE_NAME ":1:19: missing value after \"vendor\"");
	CHECK_ERR("rule 1 deny vendor \"1af4\"\n",
		  FILE_NAME ":1:20: expected value after \"vendor\", found a quoted string");
	CHECK_ERR("rule 1 deny class 0x1000000\n",
		  FILE_NAME ":1:19: class \"0x1000000\" out of range (at most 0xffffff)");
	CHECK_ERR("rule 1 deny class 0x020000/0x000000\n",
		  FILE_NAME ":1:28: class mask must not be 0");
	CHECK_ERR("rule 1 deny class 0x020000/0x1000000\n",
		  FILE_NAME ":1:28: class mask \"0x1000000\" out of range (at most 0xffffff)");
	CHECK_ERR("rule 1 deny class 0x020000/\n",
		  FILE_NAME ":1:28: bad class mask \"\": not a hex number");
	CHECK_ERR("rule 1 deny class /0xff\n",
		  FILE_NAME ":1:19: bad class \"\": not a hex number");
	CHECK_ERR("rule 1 deny class 1/2/3\n",
		  FILE_NAME ":1:21: bad class mask \"2/3\": not a hex number");
	CHECK_ERR("rule 1 deny addr 0000:00:20.0\n",
		  FILE_NAME ":1:18: bad PCI address \"0000:00:20.0\": device above 1f or function above 7");
	CHECK_ERR("rule 1 deny addr 00:00.8\n",
		  FILE_NAME ":1:18: bad PCI address \"00:00.8\": device above 1f or function above 7");
	CHECK_ERR("rule 1 deny addr 0:00:00.0\n",
		  FILE_NAME ":1:18: bad PCI address \"0:00:00.0\" (DDDD:BB:DD.F or BB:DD.F)");
	CHECK_ERR("rule 1 deny addr 10000:00:00.0\n",
		  FILE_NAME ":1:18: bad PCI address \"10000:00:00.0\" (DDDD:BB:DD.F or BB:DD.F)");
	CHECK_ERR("rule 1 deny addr 00:0g.0\n",
		  FILE_NAME ":1:18: bad PCI address \"00:0g.0\" (DDDD:BB:DD.F or BB:DD.F)");
	CHECK_ERR("rule 1 deny addr 0000.00:00.0\n",
		  FILE_NAME ":1:18: bad PCI address \"0000.00:00.0\" (DDDD:BB:DD.F or BB:DD.F)");
	CHECK_ERR("rule 1 deny serial 0x001122334455667\n",
		  FILE_NAME ":1:20: bad serial \"0x001122334455667\" (16 hex digits, or xx-xx-xx-xx-xx-xx-xx-xx)");
	CHECK_ERR("rule 1 deny serial 00-11-22-33-44-55-66:77\n",
		  FILE_NAME ":1:20: bad serial \"00-11-22-33-44-55-66:77\" (16 hex digits, or xx-xx-xx-xx-xx-xx-xx-xx)");
	CHECK_ERR("rule 1 deny serial 00-11-22-33-44-55-66-7g\n",
		  FILE_NAME ":1:20: bad serial \"00-11-22-33-44-55-66-7g\" (16 hex digits, or xx-xx-xx-xx-xx-xx-xx-xx)");
	CHECK_ERR("rule 1 deny driver vfio/pci\n",
		  FILE_NAME ":1:20: bad driver name \"vfio/pci\" (A-Z a-z 0-9 _ . -)");
	CHECK_ERR("rule 1 deny driver *-vfio-pci\n",
		  FILE_NAME ":1:20: bad driver name \"*-vfio-pci\" (A-Z a-z 0-9 _ . -)");
	CHECK_CANON("rule 1 deny driver abcdefghijklmnopqrstuvwxyz01234\n",
		    "default deny\nrule 1 deny driver abcdefghijklmnopqrstuvwxyz01234\n");
	CHECK_ERR("rule 1 deny driver abcdefghijklmnopqrstuvwxyz012345\n",
		  FILE_NAME ":1:20: driver name \"abcdefghijklmnopqrstuvwxyz012345\" longer than 31 characters");
	CHECK_CANON("rule 1 deny slot !$%&()*+,-./:;<=>?@[\\]^_`{|}~01\n",
		    "default deny\nrule 1 deny slot !$%&()*+,-./:;<=>?@[\\]^_`{|}~01\n");
	CHECK_ERR("rule 1 deny slot abcdefghijklmnopqrstuvwxyz012345\n",
		  FILE_NAME ":1:18: slot name \"abcdefghijklmnopqrstuvwxyz012345\" longer than 31 characters");
	CHECK_ERR("rule 1 deny slot it's\n",
		  FILE_NAME ":1:18: bad slot name \"it's\"");
	/* '#' ends the word: the slot is "a", the rest is a comment */
	CHECK_CANON("rule 1 deny slot a#b\n", "default deny\nrule 1 deny slot a\n");

	/* keys */
	CHECK_ERR("rule 1 deny vendor 1 vendor 1\n",
		  FILE_NAME ":1:22: \"vendor\" given twice in a rule");
	CHECK_ERR("rule 1 deny class 1 device 2 class 1\n",
		  FILE_NAME ":1:30: \"class\" given twice in a rule");
	CHECK_ERR("rule 1 deny Vendor 1\n",
		  FILE_NAME ":1:13: unknown keyword \"Vendor\"");
	CHECK_ERR("rule 1 deny subsystem 1\n",
		  FILE_NAME ":1:13: unknown keyword \"subsystem\"");
	CHECK_ERR("rule 1 allow require no-ats vendor 1\n",
		  FILE_NAME ":1:29: \"vendor\" must come before \"require\"");
	CHECK_ERR("rule 1 deny \"x\"\n",
		  FILE_NAME ":1:13: unexpected quoted string (a label goes after \"label\")");
}

static void test_rule_ids(void)
{
	CHECK_ERR("rule\n", FILE_NAME ":1:5: missing rule id");
	CHECK_ERR("rule 10\n", FILE_NAME ":1:8: missing action (allow or deny)");
	CHECK_ERR("rule 10 # allow\n", FILE_NAME ":1:8: missing action (allow or deny)");
	CHECK_ERR("rule 10 vendor 0x1af4\n",
		  FILE_NAME ":1:9: unknown action \"vendor\" (allow or deny)");
	CHECK_ERR("rule 10 Allow\n",
		  FILE_NAME ":1:9: unknown action \"Allow\" (allow or deny)");
	CHECK_ERR("rule 0 deny\n",
		  FILE_NAME ":1:6: rule id \"0\" out of range (1 to 4294967295)");
	CHECK_ERR("rule 4294967296 deny\n",
		  FILE_NAME ":1:6: rule id \"4294967296\" out of range (1 to 4294967295)");
	CHECK_ERR("rule 99999999999999999999999999 deny\n",
		  FILE_NAME ":1:6: rule id \"99999999999999999999999999\" out of range (1 to 4294967295)");
	CHECK_ERR("rule 0x10 deny\n",
		  FILE_NAME ":1:6: rule id \"0x10\" is not a decimal number");
	CHECK_ERR("rule -1 deny\n",
		  FILE_NAME ":1:6: rule id \"-1\" is not a decimal number");
	CHECK_ERR("rule +1 deny\n",
		  FILE_NAME ":1:6: rule id \"+1\" is not a decimal number");
	CHECK_ERR("rule 010 deny\n",
		  FILE_NAME ":1:6: rule id \"010\" has a leading zero");
	CHECK_ERR("rule \"1\" deny\n",
		  FILE_NAME ":1:6: expected rule id, found a quoted string");
	CHECK_ERR("rule 10 deny\nrule 20 deny\n\nrule 10 allow\n",
		  FILE_NAME ":4:6: duplicate rule id 10 (first on line 1)");
}

static void test_labels(void)
{
	struct policy_doc doc;

	if (PARSE("rule 1 deny label \"a \\\"q\\\" b\\\\c\"", &doc)) {
		CHECK_STR(doc.rules[0].label, "a \"q\" b\\c");
		policy_doc_free(&doc);
	}
	CHECK_CANON("rule 1 deny label \"a \\\"q\\\" b\\\\c\"\n",
		    "default deny\nrule 1 deny label \"a \\\"q\\\" b\\\\c\"\n");
	/* '#' in a label is text; after it, a comment */
	if (PARSE("rule 1 deny label \"x # y\" # z \"w\"\n", &doc)) {
		CHECK_STR(doc.rules[0].label, "x # y");
		policy_doc_free(&doc);
	}
	CHECK_CANON("rule 1 deny label \"x # y\"# z\n",
		    "default deny\nrule 1 deny label \"x # y\"\n");
	/* an empty label is no label */
	CHECK_CANON("rule 1 deny label \"\"\n", "default deny\nrule 1 deny\n");
	/* 63 bytes after unescaping fit (65 in the file), 64 do not */
	CHECK_CANON("rule 1 deny label \"\\\\bcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ\\\"\"\n",
		    "default deny\nrule 1 deny label \"\\\\bcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ\\\"\"\n");
	CHECK_ERR("rule 1 deny label \"abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_-\"\n",
		  FILE_NAME ":1:19: label longer than 63 bytes");
	CHECK_CANON("rule 1 allow vendor 1 require no-ats label \" !~'{}\"\n",
		    "default deny\nrule 1 allow vendor 0x0001 require no-ats label \" !~'{}\"\n");

	CHECK_ERR("rule 1 deny label \"abc\n",
		  FILE_NAME ":1:19: unterminated string");
	CHECK_ERR("rule 1 deny label \"abc\\\"\n",
		  FILE_NAME ":1:19: unterminated string");
	CHECK_ERR("rule 1 deny label \"abc\\",
		  FILE_NAME ":1:19: unterminated string");
	CHECK_ERR("rule 1 deny label \"a\\nb\"\n",
		  FILE_NAME ":1:21: bad escape \"\\n\" in string (only \\\" and \\\\)");
	CHECK_ERR("rule 1 deny label \"a\tb\"\n",
		  FILE_NAME ":1:21: control character 0x09");
	CHECK_ERR("rule 1 deny label \"a\\\tb\"\n",
		  FILE_NAME ":1:22: control character 0x09");
	CHECK_ERR("rule 1 deny label \"caf\xc3\xa9\"\n",
		  FILE_NAME ":1:23: non-ASCII byte 0xc3");
	CHECK_ERR("rule 1 deny label \"x\" vendor 1\n",
		  FILE_NAME ":1:23: text after the label");
	CHECK_ERR("rule 1 deny label \"x\"vendor\n",
		  FILE_NAME ":1:22: text after the label");
	CHECK_ERR("rule 1 deny label \"x\" label \"y\"\n",
		  FILE_NAME ":1:23: text after the label");
	CHECK_ERR("rule 1 deny label \"x\" \"y\"\n",
		  FILE_NAME ":1:23: text after the label");
	CHECK_ERR("rule 1 allow label \"x\" require no-ats\n",
		  FILE_NAME ":1:24: text after the label");
	CHECK_ERR("rule 1 deny label x\n",
		  FILE_NAME ":1:19: label needs a quoted string");
	CHECK_ERR("rule 1 deny label\n",
		  FILE_NAME ":1:18: missing quoted string after \"label\"");
	CHECK_ERR("rule 1 deny label # \"x\"\n",
		  FILE_NAME ":1:18: missing quoted string after \"label\"");
	CHECK_ERR("rule 1 deny la\"bel\"\n",
		  FILE_NAME ":1:15: unexpected '\"' inside a word");
}

static void test_statements(void)
{
	CHECK_ERR("mode audit\nallow all\n",
		  FILE_NAME ":2:1: unknown statement \"allow\"");
	CHECK_ERR("  Mode audit\n", FILE_NAME ":1:3: unknown statement \"Mode\"");
	CHECK_ERR("\"rule\" 1 deny\n", FILE_NAME ":1:1: unexpected quoted string");
	CHECK_ERR("rules 1 deny\n", FILE_NAME ":1:1: unknown statement \"rules\"");
	/* a long word is cut in the message */
	CHECK_ERR("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ\n",
		  FILE_NAME ":1:1: unknown statement \"abcdefghijklmnopqrstuvwxyz0123456789ABCD...\"");
}

static void test_bytes(void)
{
	struct policy_doc doc;
	char *text;

	CHECK_ERR_BIN("mode\0audit\n", FILE_NAME ":1:5: NUL byte");
	CHECK_ERR_BIN("mode audit\n\0", FILE_NAME ":2:1: NUL byte");
	CHECK_ERR_BIN("# a\0b\n", FILE_NAME ":1:4: NUL byte");
	CHECK_ERR_BIN("rule 1 deny label \"a\0b\"\n", FILE_NAME ":1:21: NUL byte");
	CHECK_ERR("# caf\xc3\xa9\n", FILE_NAME ":1:6: non-ASCII byte 0xc3");
	CHECK_ERR("mode\240audit\n", FILE_NAME ":1:5: non-ASCII byte 0xa0");
	CHECK_ERR("mode audit\x7f\n", FILE_NAME ":1:11: control character 0x7f");
	CHECK_ERR("mode\013audit\n", FILE_NAME ":1:5: control character 0x0b");
	CHECK_ERR("mode audit # \x1b[31m\n", FILE_NAME ":1:14: control character 0x1b");
	/* CRLF line ends are taken; a CR anywhere else is not */
	CHECK_CANON("mode audit\r\n\r\ngate a # x\r\nrule 1 deny label \"x\"\r\n",
		    "mode audit\ngate a\ndefault deny\nrule 1 deny label \"x\"\n");
	CHECK_ERR("mode audit\r\ngate a\r", FILE_NAME ":2:7: carriage return not followed by a line feed");
	CHECK_ERR("mode audit\rgate a\n", FILE_NAME ":1:11: carriage return not followed by a line feed");
	CHECK_ERR("mode audit\r\r\n", FILE_NAME ":1:11: carriage return not followed by a line feed");
	CHECK_ERR("rule 1 deny label \"a\rb\"\n", FILE_NAME ":1:21: carriage return not followed by a line feed");

	/* the text ends at len, wherever its NUL is */
	if (parse_len("mode audit\"junk", 10, &doc, __LINE__)) {
		CHECK_INT(doc.mode, PTHRU_POLICY_MODE_AUDIT);
		policy_doc_free(&doc);
	}
	check_err_len("rule 1 deny label \"abc\" extra", 22,
		      FILE_NAME ":1:19: unterminated string", __LINE__);
	check_err_len("mode audit", 4, FILE_NAME ":1:5: missing mode (off, audit or enforce)",
		      __LINE__);
	CHECK_INT(policy_parse(FILE_NAME, NULL, 0, &doc, NULL, 0), 0);
	policy_doc_free(&doc);

	/* 4096 bytes is a line, 4097 is too long, CR LF not counted */
	text = malloc(POLICY_LINE_MAX + 16);
	if (!text)
		return;
	memset(text, ' ', POLICY_LINE_MAX + 16);
	memcpy(text, "mode off", 8);
	text[POLICY_LINE_MAX - 1] = '#';
	strcpy(text + POLICY_LINE_MAX, "\r\nmode off");
	check_canon_len(text, POLICY_LINE_MAX + 2, "mode off\ndefault deny\n",
			__LINE__);
	check_err_len(text, strlen(text),
		      FILE_NAME ":2:1: duplicate \"mode\" statement (first on line 1)",
		      __LINE__);
	text[POLICY_LINE_MAX] = '#';
	check_err_len(text, strlen(text),
		      FILE_NAME ":1:4097: line longer than 4096 bytes", __LINE__);
	/* too long is refused first, before an error earlier in the line */
	text[0] = 'x';
	check_err_len(text, strlen(text),
		      FILE_NAME ":1:4097: line longer than 4096 bytes", __LINE__);
	free(text);
}

/* A document of @n rules "rule 1 deny" ... "rule n deny". */
static char *many_rules(unsigned int n)
{
	struct capture c;
	FILE *f = capture_open(&c);
	unsigned int i;

	fputs("default deny\n", f);
	for (i = 1; i <= n; i++)
		fprintf(f, "rule %u deny vendor 0x%04x\n", i, i);
	return (char *)capture_close(&c);
}

static void test_limits(void)
{
	struct policy_doc doc;
	char *text = many_rules(POLICY_MAX_RULES);

	if (PARSE(text, &doc)) {
		CHECK_INT(doc.nr_rules, POLICY_MAX_RULES);
		CHECK_INT(doc.rules[POLICY_MAX_RULES - 1].id, POLICY_MAX_RULES);
		CHECK_INT(doc.rules[POLICY_MAX_RULES - 1].line,
			  POLICY_MAX_RULES + 1);
		policy_doc_free(&doc);
	}
	check_canon_len(text, strlen(text), text, __LINE__);
	free(text);
	text = many_rules(POLICY_MAX_RULES + 1);
	CHECK_ERR(text, FILE_NAME ":1026:1: more than 1024 rules");
	free(text);
	/* the limit is on rules, not on lines */
	text = many_rules(POLICY_MAX_RULES);
	text = realloc(text, strlen(text) + 16);
	strcat(text, "\n# end\n\n");
	if (PARSE(text, &doc))
		policy_doc_free(&doc);
	free(text);
}

static void test_roundtrip(void)
{
	/* the example of the reference, and the kernel's default policy */
	CHECK_CANON("mode enforce\n"
		    "gate vfio-pci pci-stub uio_pci_generic *-vfio-pci\n"
		    "default deny\n"
		    "rule 10 allow vendor 0x1af4 device 0x1041 require acs-isolated,translated label \"virtio-net for guests\"\n"
		    "rule 20 deny class 0x0c0300/0xffff00\n",
		    "mode enforce\n"
		    "gate vfio-pci pci-stub uio_pci_generic *-vfio-pci\n"
		    "default deny\n"
		    "rule 10 allow vendor 0x1af4 device 0x1041 require acs-isolated,translated label \"virtio-net for guests\"\n"
		    "rule 20 deny class 0x0c0300/0xffff00\n");
	CHECK_CANON("gate vfio-pci pci-stub uio_pci_generic *-vfio-pci\n"
		    "default allow require acs-isolated,translated,viable-group\n",
		    "gate vfio-pci pci-stub uio_pci_generic *-vfio-pci\n"
		    "default allow require acs-isolated,translated,viable-group\n");
	/* sloppy input: comments, tabs, odd order, case, short forms */
	CHECK_CANON("# host policy\n"
		    "\n"
		    "rule 300 allow driver vfio-pci addr 03:00.0 require all label \"GPU \\\"A\\\" #1\"   # the GPU\n"
		    "\tdefault   allow\trequire no-ats,translated\n"
		    "rule 5 deny serial 00-1b-21-ff-fe-00-00-01 label \"known bad \\\\ NIC\"\n"
		    "gate *-vfio-pci vfio-pci\n"
		    "mode audit # for now\n"
		    "rule 6 allow class 0x010802 subvendor 0x8086 subdevice 0x390d slot 7\n"
		    "rule 1 deny class 0x060400/0xffff00\n",
		    "mode audit\n"
		    "gate *-vfio-pci vfio-pci\n"
		    "default allow require translated,no-ats\n"
		    "rule 300 allow addr 0000:03:00.0 driver vfio-pci require acs-isolated,translated,strict-invalidation,no-ats,isolated-msi,no-direct-regions,viable-group label \"GPU \\\"A\\\" #1\"\n"
		    "rule 5 deny serial 0x001b21fffe000001 label \"known bad \\\\ NIC\"\n"
		    "rule 6 allow subvendor 0x8086 subdevice 0x390d class 0x010802 slot 7\n"
		    "rule 1 deny class 0x060400/0xffff00\n");
}

static void test_check_and_format(void)
{
	struct policy_rule rule;
	struct policy_doc doc;
	char err[128], *out;

	memset(&doc, 0, sizeof(doc));
	memset(&rule, 0, sizeof(rule));
	rule.id = 3;
	rule.action = PTHRU_ACTION_ALLOW;
	rule.requirements = PTHRU_REQUIREMENT_NO_ATS;
	rule.fields = POLICY_F_CLASS | POLICY_F_ADDR;
	rule.class = 0x020000;
	rule.class_mask = 0xffffff;	/* from the kernel: printed without */
	strcpy(rule.addr, "0000:00:1f.3");
	doc.nr_rules = 1;
	doc.rules = &rule;
	doc.default_action = PTHRU_ACTION_ALLOW;
	CHECK_INT(policy_doc_check(&doc, err, sizeof(err)), 0);
	out = format_doc(&doc);
	CHECK_STR(out, "default allow\nrule 3 allow class 0x020000 addr 0000:00:1f.3 require no-ats\n");
	free(out);

	/* what cannot be printed faithfully is not printed at all */
#define CHECK_BAD(change, reason) do {					\
		struct policy_rule saved = rule;			\
		struct policy_doc saved_doc = doc;			\
		struct capture c;					\
		const char *text;					\
		change;							\
		CHECK_INT(policy_doc_check(&doc, err, sizeof(err)), -1); \
		CHECK_STR(err, reason);					\
		errno = 0;						\
		CHECK_INT(policy_format(capture_open(&c), &doc), -1);	\
		CHECK_INT(errno, EINVAL);				\
		text = capture_close(&c);				\
		CHECK_STR(text, "");					\
		free(c.text);						\
		rule = saved;						\
		doc = saved_doc;					\
	} while (0)

	CHECK_BAD(rule.id = 0, "rule with id 0");
	CHECK_BAD(rule.action = 2, "rule 3: unknown action 2");
	CHECK_BAD(rule.requirements = 0x81, "rule 3: unknown requirements 0x80");
	CHECK_BAD(rule.action = PTHRU_ACTION_DENY, "rule 3: deny with requirements");
	CHECK_BAD(rule.fields |= 0x200, "rule 3: unknown match fields");
	CHECK_BAD(rule.class_mask = 0x1000000, "rule 3: class wider than 24 bits");
	CHECK_BAD(strcpy(rule.addr, "0000:00:1F.3"),
		  "rule 3: address not in canonical form");
	CHECK_BAD(strcpy(rule.addr, "00:1f.3"),
		  "rule 3: address not in canonical form");
	CHECK_BAD((rule.fields |= POLICY_F_SLOT, strcpy(rule.slot, "a b")),
		  "rule 3: bad slot name");
	CHECK_BAD(rule.fields |= POLICY_F_DRIVER, "rule 3: bad driver name");
	CHECK_BAD(strcpy(rule.label, "tab\there"),
		  "rule 3: label is not printable ASCII of at most 63 bytes");
	CHECK_BAD(memset(rule.label, 'x', sizeof(rule.label)),
		  "rule 3: label is not printable ASCII of at most 63 bytes");
	CHECK_BAD((doc.has_mode = true, doc.mode = 3), "unknown mode 3");
	CHECK_BAD(doc.default_action = 5, "unknown default action 5");
	CHECK_BAD(doc.default_requirements = 0x80,
		  "unknown default requirements 0x80");
	CHECK_BAD((doc.default_action = PTHRU_ACTION_DENY,
		   doc.default_requirements = 1),
		  "default deny with requirements");
	CHECK_BAD(doc.nr_gated = POLICY_MAX_GATED + 1,
		  "more than 16 gated drivers");
	CHECK_BAD(doc.nr_gated = 1, "bad gated driver name");
	CHECK_BAD((doc.nr_gated = 2, strcpy(doc.gated[0], "a"),
		   strcpy(doc.gated[1], "a")), "gated driver a listed twice");
	CHECK_BAD(doc.nr_rules = POLICY_MAX_RULES + 1, "more than 1024 rules");
	CHECK_BAD(doc.rules = NULL, "no rule array");
#undef CHECK_BAD
	/* the fields a rule does not use are not looked at */
	rule.vendor = 0x1234;
	strcpy(rule.slot, "a b");
	CHECK_INT(policy_doc_check(&doc, err, sizeof(err)), 0);
}

static void test_equal(void)
{
	struct policy_doc a, b;

	if (!PARSE("gate a\nrule 1 allow vendor 1 label \"x\"\n", &a))
		return;
	if (PARSE("gate a\n\n# moved down a line\nrule 1 allow vendor 1 label \"x\"\n",
		  &b)) {
		CHECK(policy_doc_equal(&a, &b));	/* lines differ */
		b.rules[0].label[0] = 'y';
		CHECK(!policy_doc_equal(&a, &b));
		b.rules[0].label[0] = 'x';
		b.rules[0].vendor = 2;
		CHECK(!policy_doc_equal(&a, &b));
		b.rules[0].vendor = 1;
		b.gated[0][0] = 'b';
		CHECK(!policy_doc_equal(&a, &b));
		b.gated[0][0] = 'a';
		b.has_mode = true;
		CHECK(!policy_doc_equal(&a, &b));
		b.has_mode = false;
		CHECK(policy_doc_equal(&a, &b));
		policy_doc_free(&b);
	}
	policy_doc_free(&a);
}

/*
 * The fuzzer's seeds hold their own expectation in their names: "ok-*"
 * must load and round-trip, "bad-*" must be refused; anything else (a
 * crash once found) must do either without harm.
 */
static void test_corpus(void)
{
	unsigned int nr_ok = 0, nr_bad = 0;
	char path[512], err[256];
	struct policy_doc doc;
	struct dirent *de;
	DIR *dir;

	dir = opendir(CORPUS_DIR);
	CHECK(dir);
	if (!dir)
		return;
	while ((de = readdir(dir))) {
		struct capture c;
		FILE *f;
		int ret;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", CORPUS_DIR, de->d_name);
		f = fopen(path, "r");
		if (!f) {
			unit_check(false, __FILE__, __LINE__, path);
			continue;
		}
		capture_open(&c);
		for (int ch; (ch = fgetc(f)) != EOF;)
			fputc(ch, c.f);
		fclose(f);
		fflush(c.f);
		ret = policy_parse(de->d_name, c.text, c.len, &doc, err,
				   sizeof(err));
		if (!strncmp(de->d_name, "ok-", 3)) {
			nr_ok++;
			unit_check_str(ret ? err : "ok", "ok", __FILE__,
				       __LINE__, path);
		} else if (!strncmp(de->d_name, "bad-", 4)) {
			nr_bad++;
			unit_check(ret, __FILE__, __LINE__, path);
		}
		if (!ret) {
			char *out = format_doc(&doc);

			unit_check(out, __FILE__, __LINE__, path);
			if (out)
				check_canon_len(out, strlen(out), out, __LINE__);
			free(out);
			policy_doc_free(&doc);
		}
		capture_close(&c);
		free(c.text);
	}
	closedir(dir);
	/* an empty or moved corpus must not pass quietly */
	CHECK(nr_ok >= 5);
	CHECK(nr_bad >= 5);
}

void test_policy_lang(void)
{
	test_empty();
	test_mode();
	test_gate();
	test_default();
	test_requirements();
	test_match_keys();
	test_rule_ids();
	test_labels();
	test_statements();
	test_bytes();
	test_limits();
	test_roundtrip();
	test_check_and_format();
	test_equal();
	test_corpus();
}
