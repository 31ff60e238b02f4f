#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# pthructl's error contract: a bad request gives exactly one line on
# stderr starting "pthructl: ", nothing on stdout, and exit status 2 (for
# check and audit too, whose exit status 1 means "not assignable" and
# "findings"); --help and --version work.

# shellcheck source=selftests/ktap_helpers.sh disable=SC3043,SC2317,SC2154 # local; trap hooks; json_load's variables
. "$(dirname "$0")/ktap_helpers.sh"

ktap_print_header
pthru_require_module
pthru_require_tool
ktap_tmpdir
ktap_set_plan 14

# cli_refuses NAME MENTION ARGS...: pthructl ARGS must fail by the
# contract, its message containing MENTION.
cli_refuses() {
	local name=$1 mention=$2 rc

	shift 2
	pthructl "$@" >"$ktap_tmp/out" 2>"$ktap_tmp/err"
	rc=$?
	ktap_begin
	ktap_expect "exit status of 'pthructl $*'" "$rc" 2
	ktap_expect "lines on stderr" "$(($(wc -l <"$ktap_tmp/err")))" 1
	ktap_expect "bytes on stdout" "$(($(wc -c <"$ktap_tmp/out")))" 0
	case $(head -n 1 "$ktap_tmp/err") in
	"pthructl: "*"$mention"*) ;;
	*) ktap_mismatch "stderr '$(head -n 1 "$ktap_tmp/err")' does not start" \
			 "with 'pthructl: ' and mention '$mention'" ;;
	esac
	ktap_end "$name"
}

cli_refuses "dev show of a malformed address fails with one line" zz \
	dev show zz
cli_refuses "dev show of an absent device fails with one line" ff:1f.7 \
	dev show ff:1f.7
cli_refuses "an unknown command fails with one line" frobnicate frobnicate
cli_refuses "check of an absent device fails with one line" ff:1f.7 \
	check 0000:ff:1f.7
cli_refuses "check of a malformed address fails with one line" zz check zz
cli_refuses "check without an address fails with one line" "" check
cli_refuses "check with an unknown option fails with one line" --frobnicate \
	check --frobnicate 0000:00:00.0
cli_refuses "audit --fail-on with an unknown severity fails with one line" bogus \
	audit --fail-on bogus
cli_refuses "audit with an unknown option fails with one line" --frobnicate \
	audit --frobnicate
cli_refuses "hazard --severity with an unknown severity fails with one line" bogus \
	hazard --severity bogus
cli_refuses "hazard --dev of a malformed address fails with one line" zz \
	hazard --dev zz
cli_refuses "hazard with an unknown option fails with one line" --frobnicate \
	hazard --frobnicate
cli_refuses "-j check of an absent device fails with one line" ff:1f.7 \
	-j check 0000:ff:1f.7

ktap_begin
for opt in --help --version; do
	pthructl $opt >"$ktap_tmp/out" 2>"$ktap_tmp/err"
	ktap_expect "exit status of 'pthructl $opt'" $? 0
	[ -s "$ktap_tmp/out" ] || ktap_mismatch "'pthructl $opt' printed nothing on stdout"
	[ -s "$ktap_tmp/err" ] && ktap_mismatch "'pthructl $opt' wrote to stderr: $(head -n 1 "$ktap_tmp/err")"
done
ktap_end "--help and --version succeed"

ktap_finished
