# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers of the pthru selftests (POSIX sh: busybox ash in the test
# guest, dash or bash on a host).  Source it from a test script:
#
#	. "$(dirname "$0")/ktap_helpers.sh"
#
# KTAP output (kselftest conventions): TAP version 13, a plan, one
# "ok N name" / "not ok N name" / "ok N name # SKIP reason" line per test,
# "# " diagnostics; exit 0 pass, 1 fail, 4 skip.  Then helpers to read the
# host's ground truth from sysfs and config space, to run pthructl and read
# its one-object-per-line JSON, and to wait for things by polling.
#
# "local" is not POSIX but every shell the tests run under has it (as the
# kernel's own selftests assume); variables are set here for the sourcing
# scripts.
# shellcheck disable=SC3043,SC2034

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

ktap_dir=$(cd "$(dirname "$0")" && pwd)
ktap_planned=0
ktap_num=0
ktap_npass=0
ktap_nfail=0
ktap_nskip=0

ktap_print_header() {
	echo "TAP version 13"
}

ktap_set_plan() {
	ktap_planned=$1
	echo "1..$1"
}

# The whole script cannot run here: say why and exit as a skip.
ktap_skip_all() {
	echo "1..0 # SKIP $*"
	exit $KSFT_SKIP
}

ktap_diag() {
	echo "# $*"
}

ktap_test_pass() {
	ktap_num=$((ktap_num + 1))
	ktap_npass=$((ktap_npass + 1))
	echo "ok $ktap_num $*"
}

ktap_test_fail() {
	ktap_num=$((ktap_num + 1))
	ktap_nfail=$((ktap_nfail + 1))
	echo "not ok $ktap_num $*"
}

# ktap_test_skip NAME REASON
ktap_test_skip() {
	ktap_num=$((ktap_num + 1))
	ktap_nskip=$((ktap_nskip + 1))
	echo "ok $ktap_num $1 # SKIP $2"
}

# A test made of many checks: ktap_begin, any number of ktap_expect*
# (each mismatch is printed as a diagnostic), then ktap_end NAME.
ktap_begin() {
	ktap_bad=0
	ktap_checked=0
}

ktap_mismatch() {
	ktap_bad=$((ktap_bad + 1))
	ktap_diag "$*"
}

# ktap_expect WHAT GOT WANT
ktap_expect() {
	ktap_checked=$((ktap_checked + 1))
	[ "$2" = "$3" ] || ktap_mismatch "$1: got '$2', expected '$3'"
}

# ktap_end NAME: a test that checked nothing has proven nothing: it fails.
ktap_end() {
	if [ "$ktap_checked" -eq 0 ]; then
		ktap_diag "nothing was checked"
		ktap_test_fail "$*"
	elif [ "$ktap_bad" -eq 0 ]; then
		ktap_test_pass "$*"
	else
		ktap_test_fail "$*"
	fi
}

# A scratch directory, removed when the script exits.
ktap_tmpdir() {
	ktap_tmp=$(mktemp -d "${TMPDIR:-/tmp}/pthru-test.XXXXXX") ||
		ktap_skip_all "cannot create a temporary directory"
	trap 'ktap_cleanup' EXIT
	trap 'exit 1' INT TERM
}

# Scripts that start things (a monitor, a bind) define ktap_cleanup_hook.
ktap_cleanup() {
	command -v ktap_cleanup_hook >/dev/null 2>&1 && ktap_cleanup_hook
	[ -n "${ktap_tmp:-}" ] && rm -rf "$ktap_tmp"
}

ktap_finished() {
	ktap_diag "Totals: pass:$ktap_npass fail:$ktap_nfail skip:$ktap_nskip"
	if [ "$ktap_num" -ne "$ktap_planned" ]; then
		ktap_diag "planned $ktap_planned tests but ran $ktap_num"
		exit $KSFT_FAIL
	fi
	[ "$ktap_nfail" -eq 0 ] || exit $KSFT_FAIL
	[ "$ktap_npass" -eq 0 ] && [ "$ktap_nskip" -gt 0 ] && exit $KSFT_SKIP
	exit $KSFT_PASS
}

# ---------------------------------------------------------------------
# Preconditions: each ends the script as a skip, with the reason.

pthru_debugfs=/sys/kernel/debug/pthru
pci_devices=/sys/bus/pci/devices

pthru_require_root() {
	[ "$(id -u)" -eq 0 ] || ktap_skip_all "needs root (config space, sysfs writes)"
}

pthru_module_loaded() {
	[ -d /sys/module/pthru ]
}

pthru_require_module() {
	pthru_module_loaded || ktap_skip_all "the pthru module is not loaded (modprobe pthru)"
}

# An IOMMU translates PCI functions when at least one has a group.
pthru_require_iommu() {
	local d

	for d in "$pci_devices"/*; do
		[ -e "$d/iommu_group" ] && return 0
	done
	ktap_skip_all "no IOMMU: no PCI function has an IOMMU group"
}

# Finds pthructl: $PTHRUCTL, else the tree's own build, else $PATH.
pthru_require_tool() {
	if [ -n "${PTHRUCTL:-}" ]; then
		[ -x "$PTHRUCTL" ] || ktap_skip_all "PTHRUCTL=$PTHRUCTL is not executable"
	elif [ -x "$ktap_dir/../tools/pthructl/pthructl" ]; then
		PTHRUCTL=$ktap_dir/../tools/pthructl/pthructl
	else
		# Not "command -v": it would find the pthructl function below.
		local dir ifs="$IFS"

		IFS=:
		for dir in $PATH; do
			[ -x "$dir/pthructl" ] && PTHRUCTL=$dir/pthructl && break
		done
		IFS=$ifs
		[ -n "${PTHRUCTL:-}" ] ||
			ktap_skip_all "pthructl not found (make tool, or set PTHRUCTL)"
	fi
}

pthructl() {
	"$PTHRUCTL" "$@"
}

# ---------------------------------------------------------------------
# pthructl's JSON: every object the tests read is on one line.

# json_load PREFIX LINE: set PREFIX<key> for each top-level member of the
# object on LINE (strings unquoted; null, numbers, booleans, arrays and
# objects verbatim) and PREFIX_keys to the keys in order.  A line that is
# not one object (a trailing comma is allowed) sets PREFIX_keys to
# "invalid".  Strings are taken as they are: pthru's never need escapes.
json_load() {
	eval "$(json_vars "$1" "$2")"
}

# json_vars PREFIX LINE: what json_load evaluates, as shell assignments
# (to keep in a file and source later without running awk again).
json_vars() {
	printf '%s\n' "$2" | awk -v p="$1" '
	function shq(s) { gsub(/\047/, "\047\\\047\047", s); return "\047" s "\047" }
	function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
	function member(m,   c, k, v) {
		m = trim(m)
		if (m == "")
			return 1
		if (!match(m, /^"[a-z_][a-z0-9_]*"[ \t]*:/))
			return 0
		c = index(m, ":")
		k = substr(m, 2, c - 3)
		sub(/"[ \t]*$/, "", k)
		v = trim(substr(m, c + 1))
		if (v ~ /^".*"$/)
			v = substr(v, 2, length(v) - 2)
		out = out p k "=" shq(v) "\n"
		keys = keys (keys == "" ? "" : " ") k
		return 1
	}
	{
		s = trim($0)
		sub(/,$/, "", s)
		s = trim(s)
		if (s !~ /^\{.*\}$/) { print p "_keys=invalid"; exit }
		s = substr(s, 2, length(s) - 2)
		n = length(s); depth = 0; instr = 0; start = 1; ok = 1
		for (i = 1; i <= n + 1; i++) {
			ch = (i <= n) ? substr(s, i, 1) : ","
			if (instr) {
				if (ch == "\\") i++
				else if (ch == "\"") instr = 0
				continue
			}
			if (ch == "\"") instr = 1
			else if (ch == "{" || ch == "[") depth++
			else if (ch == "}" || ch == "]") depth--
			else if (ch == "," && depth == 0) {
				if (!member(substr(s, start, i - start))) ok = 0
				start = i + 1
			}
		}
		if (!ok || depth != 0 || instr) { print p "_keys=invalid"; exit }
		printf "%s", out
		print p "_keys=" shq(keys)
	}'
}

# lines_not_in A B: the lines of file A that file B does not have (comm -23
# without the sorting; busybox has no comm).
lines_not_in() {
	# Not "NR == FNR": that is true all along when B is empty.
	awk -v b="$2" 'FILENAME == b { seen[$0] = 1; next } !($0 in seen)' "$2" "$1"
}

# json_strings ARRAY: the strings of a JSON array of strings, space-separated.
json_strings() {
	printf '%s\n' "$1" | tr -d '[]" ' | tr ',' ' '
}

# The object lines of a "-j dev" or "-j group" dump: everything between
# the opening line ({"schema":2,"devices":[) and the closing one (]}).
json_dump_objects() {
	sed -e '1d' -e '$d' "$1"
}

# ---------------------------------------------------------------------
# pthructl's JSON against its JSON Schemas (Documentation/schemas/).

# The validator: python3 with python3-jsonschema, given every schema file
# so that no reference is fetched by its $id.  argv: DIR KIND FILE; for
# KIND monitor every line of FILE is one event, checked by its event's
# schema.  Prints one line per problem; exits 0 valid, 1 invalid.
# shellcheck disable=SC2016 # Python, not shell: $id is a JSON key
json_schema_py='
import glob, json, sys
from jsonschema import Draft202012Validator
sdir, kind, path = sys.argv[1:4]
schemas = {}
for f in glob.glob(sdir + "/pthru-*.schema.json"):
    with open(f) as fp:
        s = json.load(fp)
    schemas[f.rsplit("/", 1)[1][len("pthru-"):-len(".schema.json")]] = s
try:
    from referencing import Registry, Resource
    reg = Registry().with_resources(
        (s["$id"], Resource.from_contents(s)) for s in schemas.values())
    def validator(s):
        return Draft202012Validator(s, registry=reg)
except ImportError:
    from jsonschema import RefResolver
    store = {s["$id"]: s for s in schemas.values()}
    def validator(s):
        return Draft202012Validator(
            s, resolver=RefResolver.from_schema(s, store=store))
with open(path) as fp:
    text = fp.read()
if kind == "monitor":
    docs = [(n + 1, l) for n, l in enumerate(text.splitlines()) if l]
else:
    docs = [(0, text)]
bad = 0
for n, doc in docs:
    where = "line %d: " % n if n else ""
    try:
        doc = json.loads(doc)
    except ValueError as e:
        print("%snot JSON: %s" % (where, e))
        bad += 1
        continue
    k = kind
    if kind == "monitor" and isinstance(doc, dict):
        k = "monitor-%s" % doc.get("event")
    if k not in schemas:
        print("%sno schema pthru-%s.schema.json in %s" % (where, k, sdir))
        bad += 1
        continue
    for e in validator(schemas[k]).iter_errors(doc):
        at = "/".join(str(p) for p in e.absolute_path) or "(top)"
        print("%s%s: %s" % (where, at, e.message[:300]))
        bad += 1
sys.exit(1 if bad else 0)
'

# json_schema_ready: find python3 with jsonschema and the schemas, once;
# json_schema_why says what is missing when one is not there.  The
# schemas are looked for in $PTHRU_SCHEMAS, the source tree (and the VM
# guest, which lays out Documentation/ as the tree has it), the
# kselftest install (make -C selftests install copies them next to the
# tests), then where make install puts them.
json_schema_ready() {
	local d p

	[ -n "${json_schema_why+set}" ] && return 0
	json_schema_why=
	json_schema_python=
	json_schema_dir=
	for d in "${PTHRU_SCHEMAS:-}" "$ktap_dir/../Documentation/schemas" \
		 "$ktap_dir/schemas" /usr/share/pthru/schemas \
		 /usr/local/share/pthru/schemas; do
		[ -n "$d" ] && [ -f "$d/pthru-defs.schema.json" ] &&
			json_schema_dir=$d && break
	done
	for p in python3 /usr/bin/python3; do
		command -v "$p" >/dev/null 2>&1 &&
			"$p" -c 'from jsonschema import Draft202012Validator' 2>/dev/null &&
			json_schema_python=$p && break
	done
	if [ -z "$json_schema_dir" ]; then
		json_schema_why="no JSON Schemas (Documentation/schemas/, or set PTHRU_SCHEMAS)"
	elif [ -z "$json_schema_python" ]; then
		if command -v python3 >/dev/null 2>&1 || [ -x /usr/bin/python3 ]; then
			json_schema_why="python3 has no jsonschema with Draft 2020-12 (python3-jsonschema)"
		else
			json_schema_why="no python3 with python3-jsonschema here"
		fi
	fi
}

# json_schema_check KIND FILE [NAME]: one KTAP test, FILE (the output of
# pthructl -j) valid against pthru-KIND.schema.json; for KIND monitor,
# every line against its event's schema.  A skip, with the reason, where
# python3-jsonschema or the schemas are missing, or FILE is empty (the
# test that made it has failed already).
json_schema_check() {
	local kind="$1" file="$2"
	local name="${3:-pthructl -j $1 output is valid against pthru-$1.schema.json}"

	json_schema_ready
	if [ -n "$json_schema_why" ]; then
		ktap_test_skip "$name" "$json_schema_why"
	elif [ ! -s "$file" ]; then
		ktap_test_skip "$name" "no document: $file is empty or missing"
	elif "$json_schema_python" -c "$json_schema_py" "$json_schema_dir" \
		"$kind" "$file" >"$file.schema" 2>&1; then
		ktap_test_pass "$name"
	else
		sed -n '1,10s/^/# /p' "$file.schema"
		ktap_test_fail "$name"
	fi
}

# ---------------------------------------------------------------------
# Ground truth, read from sysfs and config space without pthru.

pci_addrs() {
	ls "$pci_devices"
}

# pci_names DIR: the entries of DIR named like PCI functions (0000:00:02.0).
pci_names() {
	local e

	for e in "$1"/[0-9a-f][0-9a-f][0-9a-f][0-9a-f]:*; do
		[ -e "$e" ] && echo "${e##*/}"
	done
}

# pci_find_device VENDOR DEVICE (0x1234 0x11e8): the first such function.
pci_find_device() {
	local d

	for d in "$pci_devices"/*; do
		[ "$(cat "$d/vendor")" = "$1" ] && [ "$(cat "$d/device")" = "$2" ] &&
			{ basename "$d"; return 0; }
	done
	return 1
}

# The IOMMU group number of a function, or null.
sysfs_group() {
	if [ -e "$pci_devices/$1/iommu_group" ]; then
		basename "$(readlink "$pci_devices/$1/iommu_group")"
	else
		echo null
	fi
}

# The default domain type sysfs shows for a group: DMA, DMA-FQ, identity...
sysfs_group_type() {
	cat "/sys/kernel/iommu_groups/$1/type"
}

sysfs_driver() {
	if [ -e "$pci_devices/$1/driver" ]; then
		basename "$(readlink "$pci_devices/$1/driver")"
	else
		echo null
	fi
}

# A sysfs id file (0x1af4) as pthru prints it (1af4).
sysfs_hex() {
	sed 's/^0x//' "$pci_devices/$1/$2"
}

# The bridge above a function, or null on a root bus.
sysfs_upstream() {
	local parent

	parent=$(basename "$(dirname "$(readlink -f "$pci_devices/$1")")")
	case $parent in
	[0-9a-f][0-9a-f][0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f].[0-7])
		echo "$parent" ;;
	*)	echo null ;;
	esac
}

# cfg_read ADDR OFFSET WIDTH(1|2|4): a config-space register as a number,
# empty when it lies beyond what the config file holds.  The file is
# little endian, as x86 is.
cfg_read() {
	local v

	v=$(od -A n -t "x$3" -j "$2" -N "$3" "$pci_devices/$1/config" 2>/dev/null | tr -d ' \n')
	[ -n "$v" ] && echo $((0x$v))
}

# cfg_find_ext ADDR ID: offset of an extended capability, walking the list
# from 0x100 ourselves; 0 when the function has none.
cfg_find_ext() {
	local pos=256 hops=0 hdr

	while [ "$pos" -ge 256 ] && [ $hops -lt 512 ]; do
		hdr=$(cfg_read "$1" "$pos" 4)
		[ -n "$hdr" ] || break
		{ [ "$hdr" -eq 0 ] || [ "$hdr" -eq 4294967295 ]; } && break
		if [ $((hdr & 0xffff)) -eq "$2" ]; then
			echo "$pos"
			return
		fi
		pos=$(((hdr >> 20) & 0xffc))
		hops=$((hops + 1))
	done
	echo 0
}

# cfg_find_cap ADDR ID: offset of a standard capability, or 0.
cfg_find_cap() {
	local status pos hops=0

	status=$(cfg_read "$1" 6 2)
	if [ -z "$status" ] || [ $((status & 0x10)) -eq 0 ]; then
		echo 0	# no capability list
		return
	fi
	pos=$(($(cfg_read "$1" 52 1) & 0xfc))
	while [ "$pos" -ge 64 ] && [ $hops -lt 48 ]; do
		if [ "$(cfg_read "$1" "$pos" 1)" -eq "$2" ]; then
			echo "$pos"
			return
		fi
		pos=$(($(cfg_read "$1" $((pos + 1)) 1) & 0xfc))
		hops=$((hops + 1))
	done
	echo 0
}

# cfg_write16 ADDR OFFSET VALUE: write a 16-bit register (OFFSET even)
# through sysfs as one 2-byte write, little endian.
cfg_write16() {
	# shellcheck disable=SC2059 # the format is the octal escapes built here
	printf "$(printf '\\%03o\\%03o' $(($3 & 255)) $((($3 >> 8) & 255)))" |
		dd of="$pci_devices/$1/config" bs=2 seek=$(($2 / 2)) count=1 \
		   conv=notrunc 2>/dev/null
}

PCI_EXT_CAP_ID_ACS=13
PCI_EXT_CAP_ID_ATS=15
PCI_CAP_ID_EXP=16

# ---------------------------------------------------------------------
# Waiting: poll, never sleep for a fixed long time.

# wait_for SECONDS COMMAND...: 0 as soon as COMMAND succeeds, 1 on timeout.
wait_for() {
	local tries=$(($1 * 10))

	shift
	while [ $tries -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		tries=$((tries - 1))
	done
	return 1
}

# ---------------------------------------------------------------------
# pthructl -j monitor in the background, writing to a file.

# monitor_start FILE: start it and wait until its netlink socket has
# joined a multicast group (/proc/net/netlink shows the first 32 groups;
# a family whose group id is higher is given one second instead).
monitor_start() {
	monitor_file=$1
	: >"$monitor_file"
	# Not through the pthructl function: $! must be pthructl's own pid.
	"$PTHRUCTL" -j monitor >"$monitor_file" 2>"$monitor_file.err" &
	monitor_pid=$!
	if ! wait_for 10 monitor_subscribed; then
		kill -0 "$monitor_pid" 2>/dev/null || {
			ktap_diag "pthructl -j monitor exited: $(cat "$monitor_file.err")"
			return 1
		}
		sleep 1
	fi
	return 0
}

# A generic netlink socket (protocol 16) of the monitor with a group set.
monitor_subscribed() {
	awk -v pid="$monitor_pid" '$2 == 16 && $3 == pid && $4 !~ /^0+$/ { f = 1 }
		END { exit !f }' /proc/net/netlink
}

monitor_stop() {
	[ -n "${monitor_pid:-}" ] || return 0
	kill "$monitor_pid" 2>/dev/null
	wait "$monitor_pid" 2>/dev/null
	monitor_pid=
}

# monitor_has EVENT ADDR: the monitor printed that event for that function.
monitor_has() {
	grep -q "^{\"event\":\"$1\",\"dev\":{\"addr\":\"$2\"" "$monitor_file"
}

# ---------------------------------------------------------------------
# Findings of the isolation audit ("pthructl -j audit", "-j hazard").

# The kinds of findings in the order of the spec's hazard-id enum: a
# finding's "id" is PTHRU-<position>, and neither may ever change.
hazard_names="iommu-absent default-passthrough no-group identity-domain
	group-narrower acs-missing acs-changed direct-region relaxable-region
	no-isolated-msi unsafe-interrupts group-not-viable ats-exposed
	lazy-invalidation cmdline-weakening map-disagrees stale-translation
	identity-over-ram kernel-memory-mapped superpage-overreach
	shadow-incomplete acs-quirk topology-unknown"
severity_names="info low medium high critical"

# hazard_id NAME: PTHRU-NNN, or nothing for a name that is not a kind.
hazard_id() {
	local n=0 h

	for h in $hazard_names; do
		n=$((n + 1))
		[ "$h" = "$1" ] && printf 'PTHRU-%03d\n' $n && return 0
	done
	return 1
}

# severity_rank NAME: 0 (info) .. 4 (critical), -1 for anything else.
severity_rank() {
	local n=0 s

	for s in $severity_names; do
		[ "$s" = "$1" ] && echo $n && return 0
		n=$((n + 1))
	done
	echo -1
}

# findings_of FILE: the findings of a -j audit or -j hazard output, one
# "name severity addr group" line each (addr and group may be null).
findings_of() {
	json_dump_objects "$1" | sed -E -n \
		's/^\{"id":"[^"]*","name":"([^"]*)","severity":"([^"]*)","addr":"?([^",]*)"?,"group":([0-9]+|null),.*/\1 \2 \3 \4/p'
}

# expect_resolve LIST: the expectation lines "name severity about" of a
# profile, with "group:ADDR" replaced by "group:<ADDR's IOMMU group>".
# about is an address (the finding's addr), group:ADDR (the finding's
# group), or host (neither).  Comments after '#' are dropped.
expect_resolve() {
	local name sev about

	printf '%s\n' "$1" | sed 's/#.*//' | while read -r name sev about; do
		[ -n "$name" ] || continue
		case $about in
		group:*) about="group:$(sysfs_group "${about#group:}")" ;;
		esac
		echo "$name $sev $about"
	done
}

# findings_compare EXPECTED ACTUAL: EXPECTED holds expect_resolve lines,
# ACTUAL findings_of lines.  Prints "missing: ..." for every expected
# finding not reported and "unexpected: ..." for every finding not
# expected; prints nothing when the two sets are the same.
findings_compare() {
	awk -v expected="$1" '
	FILENAME == expected { n++; en[n] = $1; es[n] = $2; ea[n] = $3; next }
	function fits(i, name, sev, addr, group) {
		if (used[i] || en[i] != name || es[i] != sev)
			return 0
		if (ea[i] == "host")
			return addr == "null" && group == "null"
		if (ea[i] ~ /^group:/)
			return "group:" group == ea[i]
		return ea[i] == addr
	}
	{
		hit = 0
		# an exact address first, then a group, then host-wide
		for (pass = 1; pass <= 3 && !hit; pass++)
			for (i = 1; i <= n && !hit; i++) {
				kind = ea[i] == "host" ? 3 : ea[i] ~ /^group:/ ? 2 : 1
				if (kind == pass && fits(i, $1, $2, $3, $4)) {
					used[i] = 1
					hit = 1
				}
			}
		if (!hit)
			print "unexpected: " $1 " " $2 " addr " $3 " group " $4
	}
	END {
		for (i = 1; i <= n; i++)
			if (!used[i])
				print "missing: " en[i] " " es[i] " " ea[i]
	}' "$1" "$2"
}

# A profile's expectations (selftests/vm/profiles/<name>.expect): from
# $PTHRU_TEST_EXPECT, which the test guest sets.  Returns 1 without one.
pthru_load_expect() {
	[ -n "${PTHRU_TEST_EXPECT:-}" ] || return 1
	[ -f "$PTHRU_TEST_EXPECT" ] || ktap_skip_all "PTHRU_TEST_EXPECT=$PTHRU_TEST_EXPECT does not exist"
	# shellcheck source=/dev/null
	. "$PTHRU_TEST_EXPECT"
}

# pthru_bench_profile_gate: a benchmark skips, with the reason, in a
# profile whose expectation file sets expect_bench_skip (the figures come
# from one profile; the others save the CI's time).
pthru_bench_profile_gate() {
	pthru_load_expect || return 0
	[ -z "${expect_bench_skip:-}" ] || ktap_skip_all "$expect_bench_skip"
}

# expect_topology_ok: the functions the expectations name are where the
# expectation file says (addr vendor:device upstream): a guest that
# enumerates differently fails here, with the reason, not later as a list
# of wrong findings.  Prints a diagnostic per difference; 1 on any.
expect_topology_ok() {
	local addr id up bad=0

	# shellcheck disable=SC2154 # expect_topology: set by the expectation file
	while read -r addr id up; do
		[ -n "$addr" ] || continue
		if [ ! -d "$pci_devices/$addr" ]; then
			ktap_diag "topology: $addr ($id) does not exist"
			bad=1
			continue
		fi
		[ "$(sysfs_hex "$addr" vendor):$(sysfs_hex "$addr" device)" = "$id" ] ||
			{ ktap_diag "topology: $addr is not $id"; bad=1; }
		[ "$(sysfs_upstream "$addr")" = "$up" ] ||
			{ ktap_diag "topology: $addr is not below $up"; bad=1; }
	done <<-EOT
	$(printf '%s\n' "$expect_topology" | sed 's/#.*//')
	EOT
	return $bad
}

# audit_findings FILE: run "pthructl -j audit --fail-on none" into FILE
# and leave its findings in FILE.list; 1 (with a diagnostic) on failure.
audit_findings() {
	if ! pthructl -j audit --fail-on none >"$1" 2>"$1.err"; then
		ktap_diag "pthructl -j audit --fail-on none failed: $(head -n 1 "$1.err")"
		: >"$1.list"
		return 1
	fi
	findings_of "$1" | sort >"$1.list"
}

# monitor_finding EVENT NAME ADDR: the monitor printed a hazard-raise or
# hazard-clear of that kind about that function.  A finding event is
# {"event":"hazard-raise","generation":N,"finding":{...}}.
monitor_finding() {
	grep -E "^\{\"event\":\"$1\",(\"generation\":[0-9]+,)?\"finding\":\{" "$monitor_file" |
		grep "\"name\":\"$2\"" | grep -q "\"addr\":\"$3\""
}

# monitor_findings EVENT: the findings of every EVENT the monitor printed
# so far, as findings_of lines.
monitor_findings() {
	sed -E -n "s/^\{\"event\":\"$1\",(\"generation\":[0-9]+,)?\"finding\":(\{.*\})\}\$/\2/p" "$monitor_file" |
		sed -E -n 's/^\{"id":"[^"]*","name":"([^"]*)","severity":"([^"]*)","addr":"?([^",]*)"?,"group":([0-9]+|null),.*/\1 \2 \3 \4/p'
}

# ---------------------------------------------------------------------
# The soak tests (pthru_soak_*.sh).

# pcie_port_type ADDR: the Device/Port Type of ADDR's PCI Express
# capability (bits 7:4 of its capabilities register: 0 endpoint, 4 root
# port, 5 upstream port, 6 downstream port, ...); 1 and nothing printed
# when ADDR has no PCI Express capability.
pcie_port_type() {
	local pos

	pos=$(cfg_find_cap "$1" $PCI_CAP_ID_EXP)
	[ "$pos" -ne 0 ] || return 1
	echo $((($(cfg_read "$1" $((pos + 2)) 2) >> 4) & 0xf))
}

# dev_dump_addrs FILE: the addresses of a "pthructl -j dev" dump, sorted,
# one per line (as pthru_inventory.sh reads them).
dev_dump_addrs() {
	json_dump_objects "$1" | sed -n 's/^{"addr":"\([^"]*\)".*/\1/p' | sort
}

# soak_dump_loop DIR ALLOWED CMD...: a background loop of a soak test (run
# it with &): "pthructl -j CMD" for each CMD in turn (a CMD is split into
# words: "audit --fail-on none"), round after round until DIR/stop exists.
# DIR/dump.now names the dump in flight and its pid.  After each dump DIR/dumps.count
# holds "DUMPS ALLOWED": dumps run, and
# failures whose stderr is one line matching the extended regular
# expression ALLOWED (their lines appended to DIR/dumps.allowed).  Any
# other failure appends "CMD: exit RC: STDERR" to DIR/dumps.bad.
soak_dump_loop() {
	local dir="$1" allowed="$2" n=0 nallowed=0 c rc

	shift 2
	# Not the script's cleanup when this subshell ends.
	trap - EXIT INT TERM
	while [ ! -e "$dir/stop" ]; do
		for c in "$@"; do
			[ -e "$dir/stop" ] && break
			# shellcheck disable=SC2086 # CMD is a list of words
			"$PTHRUCTL" -j $c >"$dir/dump.out" 2>"$dir/dump.err" &
			echo "$c (pid $!)" >"$dir/dump.now"
			wait $!
			rc=$?
			n=$((n + 1))
			if [ $rc -ne 0 ]; then
				if [ "$(wc -l <"$dir/dump.err")" -eq 1 ] &&
				   grep -Eq "$allowed" "$dir/dump.err"; then
					nallowed=$((nallowed + 1))
					cat "$dir/dump.err" >>"$dir/dumps.allowed"
				else
					echo "$c: exit $rc: $(tr '\n' ' ' <"$dir/dump.err")" >>"$dir/dumps.bad"
				fi
			fi
			echo "$n $nallowed" >"$dir/dumps.count"
		done
	done
	exit 0
}

# soak_dump_test DIR DUMPS WHAT NAME: the test of a soak_dump_loop that
# ran DUMPS dumps: it ran one at least and none failed but those
# DIR/dumps.allowed lists (a diagnostic "WHAT: " and their counts).
soak_dump_test() {
	ktap_begin
	ktap_checked=1
	[ "$2" -gt 0 ] || ktap_mismatch "the dump loop ran no dump"
	ktap_mismatch_head "$1/dumps.bad" "unexpected dump failures"
	[ -f "$1/dumps.allowed" ] &&
		ktap_diag "$3: $(sort "$1/dumps.allowed" | uniq -c | tr '\n' ' ')"
	ktap_end "$4"
}

# pid_alive PID: PID is a process that has not exited.  Not "kill -0": a
# background loop that has exited stays a zombie until the shell reaps it,
# and busybox ash runs sleep, kill and touch in-process, so a loop of them
# waiting for it never does; kill -0 succeeds on a zombie.
pid_alive() {
	local state

	[ -n "$1" ] || return 1
	state=$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$1/status" 2>/dev/null)
	[ -n "$state" ] && [ "$state" != Z ]
}

# proc_where PID: where a process is, for a diagnostic about one that
# hangs: its state, wait channel and kernel stack (when readable).
proc_where() {
	[ -d "/proc/$1" ] || { echo "pid $1 is gone"; return; }
	echo "pid $1 $(cut -d ' ' -f 3 "/proc/$1/stat") wchan $(cat "/proc/$1/wchan" 2>/dev/null) stack $(cut -d ' ' -f 2 "/proc/$1/stack" 2>/dev/null | head -n 8 | tr '\n' ' ')"
}

# ktap_mismatch_head FILE [WHAT]: when FILE exists, the test fails with
# its first five lines as diagnostics, after "N WHAT; the first ones:"
# (N its lines) when WHAT is given.  It counts as one mismatch: the loop
# runs in a pipeline's subshell.
ktap_mismatch_head() {
	[ -f "$1" ] || return 0
	[ -z "${2:-}" ] || ktap_diag "$(wc -l <"$1") $2; the first ones:"
	head -n 5 "$1" | while read -r l; do
		ktap_mismatch "$l"
	done
	ktap_bad=$((ktap_bad + 1))
}
