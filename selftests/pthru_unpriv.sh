#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# An unprivileged caller cannot make the module re-evaluate: "audit" is an
# admin-perm operation (CAP_NET_ADMIN).  pthructl then falls back to the
# module's current findings, says so in one note on stderr and with
# "refreshed":false, and still exits 0; the findings are the ones root
# sees.  Reading (hazard, check) needs no privilege.  Run through the
# helper pthru_nocap, as root without CAP_NET_ADMIN and as uid 65534.

# shellcheck source=selftests/ktap_helpers.sh disable=SC3043,SC2317,SC2154 # local; trap hooks; json_load's variables
. "$(dirname "$0")/ktap_helpers.sh"

ktap_print_header
pthru_require_root
pthru_require_module
pthru_require_iommu
pthru_require_tool
nocap=$ktap_dir/pthru_nocap
[ -x "$nocap" ] || ktap_skip_all "$nocap is not built (make -C selftests)"
ktap_tmpdir
ktap_set_plan 6

t=$ktap_tmp
audit_findings "$t/root"
ktap_diag "root: $(head -n 1 "$t/root" | sed -n 's/.*\("refreshed":[a-z]*\).*/\1/p')," \
	"$(wc -l <"$t/root.list" | tr -d ' ') finding(s)"

# as_unprivileged HOW NAME: one test of "pthructl -j audit --fail-on none"
# run through pthru_nocap with HOW ("" or "-u 65534").
as_unprivileged() {
	local how=$1 rc

	ktap_begin
	# shellcheck disable=SC2086 # HOW is zero or two words
	"$nocap" $how "$PTHRUCTL" -j audit --fail-on none >"$t/out" 2>"$t/err"
	rc=$?
	ktap_expect "exit status" "$rc" 0
	ktap_expect "lines on stderr" "$(($(wc -l <"$t/err")))" 1
	case $(head -n 1 "$t/err") in
	"pthructl: note: "*CAP_NET_ADMIN*) ;;
	*) ktap_mismatch "stderr '$(head -n 1 "$t/err")' is not a note naming CAP_NET_ADMIN" ;;
	esac
	ktap_checked=$((ktap_checked + 1))
	head -n 1 "$t/out" | grep -q '"refreshed":false,' ||
		ktap_mismatch "the report does not say \"refreshed\":false: $(head -n 1 "$t/out")"
	ktap_expect "findings" "$(findings_of "$t/out" | sort | tr '\n' ';')" \
		"$(tr '\n' ';' <"$t/root.list")"
	ktap_end "$2"
}

ktap_begin
ktap_checked=1
head -n 1 "$t/root" | grep -q '"refreshed":true,' ||
	ktap_mismatch "root's report does not say \"refreshed\":true: $(head -n 1 "$t/root")"
ktap_end "root's audit re-evaluates"

as_unprivileged "" "without CAP_NET_ADMIN, audit falls back to the current findings and notes it"
as_unprivileged "-u 65534" "as uid 65534, audit falls back to the current findings and notes it"

# no_phys: the JSON on stdin with the findings' host physical addresses
# null, as a caller without CAP_SYS_ADMIN gets them (schema 2).
no_phys() {
	sed -E 's/"(phys|phys_expected)":"0x[0-9a-f]*"/"\1":null/g'
}

# Reading needs no privilege; only CAP_SYS_ADMIN sees physical addresses.
reads_as() {
	local how=$1 a

	ktap_begin
	# shellcheck disable=SC2086
	"$nocap" $how "$PTHRUCTL" -j hazard >"$t/out" 2>"$t/err"
	ktap_expect "exit status of hazard" $? 0
	ktap_expect "hazard findings" "$(findings_of "$t/out" | sort | tr '\n' ';')" \
		"$(grep -v '^cmdline-weakening ' "$t/root.list" | tr '\n' ';')"
	for a in $(pci_addrs); do
		pthructl -j check "$a" >"$t/want" 2>&1
		# shellcheck disable=SC2086
		"$nocap" $how "$PTHRUCTL" -j check "$a" >"$t/out" 2>&1
		ktap_expect "check $a" "$(no_phys <"$t/out")" \
			"$(no_phys <"$t/want")"
	done
	ktap_end "$2"
}
reads_as "" "without CAP_NET_ADMIN, hazard and check answer as for root"
reads_as "-u 65534" "as uid 65534, hazard and check answer as for root"

ktap_begin
"$nocap" -u 65534 "$PTHRUCTL" -j audit --no-refresh --fail-on none >"$t/out" 2>"$t/err"
ktap_expect "exit status of audit --no-refresh as uid 65534" $? 0
ktap_expect "findings" "$(findings_of "$t/out" | sort | tr '\n' ';')" \
	"$(tr '\n' ';' <"$t/root.list")"
ktap_end "audit --no-refresh needs no privilege"

ktap_finished
