#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The node_exporter feed on the live module: scripts/pthru-textfile writes
# pthru.prom (pthru_up 1, the audit's findings, the shadow's and the flush
# window's figures), which Debian's "promtool check metrics" accepts, with
# one HELP and TYPE per family and no series twice; its findings are the
# ones "pthructl audit -p" prints; a failing tool leaves the old file and
# no temporary one; a tool that finds no module gives pthru_up 0 alone.
#
# The writer is $PTHRU_TEXTFILE, else ../scripts/pthru-textfile beside
# selftests/, else /usr/lib/pthru/pthru-textfile or
# /usr/local/lib/pthru/pthru-textfile (make install-textfile); the test
# skips without one.  promtool is $PTHRU_PROMTOOL or found on $PATH (a
# guest needs /usr/bin/promtool and the libc it links); without it the
# promtool checks skip, saying so, and the others run.

# shellcheck source=selftests/ktap_helpers.sh disable=SC3043,SC2317,SC2154 # local; trap hooks; json_load's variables
. "$(dirname "$0")/ktap_helpers.sh"

ktap_print_header
pthru_require_root
pthru_require_module
pthru_require_tool

writer=${PTHRU_TEXTFILE:-}
if [ -z "$writer" ]; then
	for w in "$ktap_dir/../scripts/pthru-textfile" \
		 /usr/lib/pthru/pthru-textfile /usr/local/lib/pthru/pthru-textfile; do
		[ -f "$w" ] && writer=$w && break
	done
fi
if [ -z "$writer" ] || [ ! -f "$writer" ]; then
	ktap_skip_all "no pthru-textfile writer (scripts/pthru-textfile beside" \
		"selftests/, /usr/lib/pthru/pthru-textfile, or set PTHRU_TEXTFILE)"
fi
promtool=${PTHRU_PROMTOOL:-$(command -v promtool 2>/dev/null)}
no_promtool="no promtool (Debian's prometheus package has it; the VM harness puts it only in acs guests)"

ktap_tmpdir
t=$ktap_tmp
dir=$t/textfile
mkdir -p "$dir"
ktap_set_plan 8

# leftovers: the writer's temporary files in $dir.
leftovers() {
	local f out=

	for f in "$dir"/.pthru.prom.*; do
		[ -e "$f" ] && out="$out ${f##*/}"
	done
	echo "${out# }"
}

# lint FILE: what promtool does not check, one complaint a line.
lint() {
	awk -f "$(dirname "$0")/prom_lint.awk" "$1"
}

# promcheck NAME FILE: promtool check metrics accepts FILE, or a skip.
promcheck() {
	local out

	if [ -z "$promtool" ]; then
		ktap_test_skip "$1" "$no_promtool"
		return
	fi
	ktap_begin
	out=$("$promtool" check metrics <"$2" 2>&1)
	ktap_expect "promtool check metrics exit status" $? 0
	[ -z "$out" ] || ktap_mismatch "promtool: $out"
	ktap_end "$1"
}

ktap_begin
PTHRUCTL=$PTHRUCTL sh "$writer" -d "$dir" >"$t/out" 2>"$t/err"
ktap_expect "writer exit status" $? 0
ktap_expect "pthru_up lines" "$(grep -c '^pthru_up ' "$dir/pthru.prom" 2>/dev/null)" 1
ktap_expect "pthru_up" "$(sed -n 's/^pthru_up //p' "$dir/pthru.prom" 2>/dev/null)" 1
ktap_expect "mode of pthru.prom" "$(stat -c %a "$dir/pthru.prom" 2>/dev/null)" 644
ktap_expect "temporary files left" "$(leftovers)" ""
[ -s "$t/err" ] && ktap_diag "stderr: $(head -n 3 "$t/err")"
ktap_end "the writer writes pthru.prom with pthru_up 1"

promcheck "promtool check metrics accepts the live file" "$dir/pthru.prom"

ktap_begin
ktap_expect "lint complaints" "$(lint "$dir/pthru.prom")" ""
ktap_end "one HELP and one TYPE per family, no series twice"

# The families every armed or disarmed module reports; the flush window's
# tracked series too.  pthru_quirk_hops comes with a re-evaluation (root).
ktap_begin
for fam in pthru_up pthru_findings pthru_quirk_hops pthru_shadow_armed \
	   pthru_shadow_status pthru_shadow_incomplete_domains \
	   pthru_shadow_lost_maps_total pthru_shadow_memory_bytes \
	   pthru_flush_window_waits_total pthru_flush_window_wait_p99_seconds; do
	ktap_expect "TYPE lines of $fam" \
		"$(grep -c "^# TYPE $fam " "$dir/pthru.prom")" 1
done
ktap_expect "shadow status series set to 1" \
	"$(grep -c '^pthru_shadow_status{status="[a-z]*"} 1$' "$dir/pthru.prom")" 1
ktap_expect "tracked flush-window waits" \
	"$(grep -c '^pthru_flush_window_waits_total{window="tracked"} [0-9][0-9]*$' "$dir/pthru.prom")" 1
ktap_end "the audit's, the shadow's and the flush window's families are there"

# The writer's findings are the audit's: nothing re-evaluates in between.
ktap_begin
pthructl audit -p --no-refresh --fail-on none >"$t/audit.prom" 2>/dev/null
ktap_expect "pthructl audit -p exit status" $? 0
grep '^pthru_finding' "$dir/pthru.prom" >"$t/file.findings"
grep '^pthru_finding' "$t/audit.prom" >"$t/audit.findings"
cmp -s "$t/file.findings" "$t/audit.findings" ||
	ktap_mismatch "findings differ: $(diff "$t/audit.findings" "$t/file.findings" | head -n 6)"
ktap_end "its findings are those of pthructl audit -p"

# A tool that fails: the old file stays, the temporary one goes.
cp "$dir/pthru.prom" "$t/old"
printf '#!/bin/sh\necho "pthructl: cannot reach generic netlink: Permission denied" >&2\nexit 2\n' \
	>"$t/failing"
chmod +x "$t/failing"
ktap_begin
PTHRUCTL=$t/failing sh "$writer" -d "$dir" 2>"$t/err"
ktap_expect "writer exit status" $? 1
cmp -s "$t/old" "$dir/pthru.prom" || ktap_mismatch "pthru.prom changed"
ktap_expect "temporary files left" "$(leftovers)" ""
ktap_expect "stderr" "$(cat "$t/err")" \
	"pthru-textfile: pthructl audit failed: pthructl: cannot reach generic netlink: Permission denied"
ktap_end "a failing pthructl leaves the old file and no temporary one"

# The module's absence as pthructl reports it (unloading it here would
# disturb the tests after this one).
printf '#!/bin/sh\necho "pthructl: the pthru module is not loaded (modprobe pthru)" >&2\nexit 2\n' \
	>"$t/absent"
chmod +x "$t/absent"
ktap_begin
PTHRUCTL=$t/absent sh "$writer" -d "$dir" 2>"$t/err"
ktap_expect "writer exit status" $? 0
ktap_expect "lines" "$(wc -l <"$dir/pthru.prom" | tr -d ' ')" 3
ktap_expect "last line" "$(tail -n 1 "$dir/pthru.prom")" "pthru_up 0"
ktap_expect "samples" "$(grep -vc '^#' "$dir/pthru.prom")" 1
ktap_end "with the module absent: pthru_up 0 and nothing else"

promcheck "promtool check metrics accepts the pthru_up 0 file" "$dir/pthru.prom"

ktap_finished
