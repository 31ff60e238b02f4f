#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Changing the policy needs CAP_NET_ADMIN: without it (root that dropped
# the capability, and uid 65534), "policy mode", "policy lock" and "policy
# load" (policy-set and policy-replace, with and without a gate line)
# each fail with one "pthructl: ..." line saying it is not permitted and
# exit 2, and the policy stays what it was, byte for byte and generation
# for generation.  Reading needs nothing: "policy", "-j policy", "policy
# save", "policy test" and "policy generate" answer as they do for root.
# Run through the helper pthru_nocap, as pthru_unpriv.sh does.

# shellcheck source=selftests/ktap_helpers.sh disable=SC3043,SC2317,SC2154 # local; trap hooks; json_load's variables
. "$(dirname "$0")/ktap_helpers.sh"
# shellcheck source=selftests/pthru_policy_lib.sh
. "$(dirname "$0")/pthru_policy_lib.sh"

ktap_print_header
pthru_require_root
pthru_require_module
pthru_require_iommu
pthru_require_tool
nocap=$ktap_dir/pthru_nocap
[ -x "$nocap" ] || ktap_skip_all "$nocap is not built (make -C selftests)"
ktap_tmpdir
t=$ktap_tmp
policy_must_answer
policy_require_unlocked
policy_keep
ktap_cleanup_hook() {
	policy_restore
}
# uid 65534 must be able to read the policy files.
chmod 0755 "$t"

ktap_set_plan 5

# A policy root can load, differing from the current one in every part
# the refused requests would change.
policy_state
case $pol_mode in
enforce) other_mode=audit ;;
*) other_mode=enforce ;;
esac
cat >"$t/new.conf" <<EOF
mode $other_mode
gate vfio-pci
default deny
rule 99 deny vendor 0xffff label "unprivileged"
EOF
chmod 0644 "$t/new.conf"
printf 'rule 98 deny vendor 0xffff\n' >"$t/rules-only.conf"
chmod 0644 "$t/rules-only.conf"

# refused HOW: every changing command fails through pthru_nocap HOW and
# the policy does not move.
refused() {
	local how=$1 rc cmd

	ktap_begin
	policy_save "$t/before"
	policy_state
	gen0=$pol_generation
	for cmd in "policy mode $other_mode" "policy lock" "policy load $t/new.conf" \
		   "policy load $t/rules-only.conf" "policy load -"; do
		# shellcheck disable=SC2086 # HOW and CMD are words
		"$nocap" $how "$PTHRUCTL" $cmd <"$t/new.conf" >"$t/out" 2>"$t/err"
		rc=$?
		ktap_expect "exit status of '$cmd'" $rc 2
		ktap_expect "lines on stderr of '$cmd'" "$(($(wc -l <"$t/err")))" 1
		ktap_expect "bytes on stdout of '$cmd'" "$(($(wc -c <"$t/out")))" 0
		case $(head -n 1 "$t/err") in
		"pthructl: "*"not permitted"* | "pthructl: "*CAP_NET_ADMIN*) ;;
		*) ktap_mismatch "'$cmd': stderr '$(head -n 1 "$t/err")' does not say it is not permitted" ;;
		esac
	done
	policy_save "$t/after"
	ktap_checked=$((ktap_checked + 1))
	cmp -s "$t/before" "$t/after" ||
		ktap_mismatch "the policy changed: $(diff "$t/before" "$t/after" | tr '\n' ' ')"
	policy_state
	ktap_expect "generation" "$pol_generation" "$gen0"
	ktap_expect "locked" "$pol_locked" false
	ktap_end "$2"
}

refused "" "without CAP_NET_ADMIN, mode, lock and load are refused and change nothing"
refused "-u 65534" "as uid 65534, mode, lock and load are refused and change nothing"

# reads HOW: the reading commands answer as for root.
reads() {
	local how=$1 cmd

	ktap_begin
	for cmd in "policy" "-j policy" "policy save" "policy test $t/new.conf" \
		   "-j policy test $t/new.conf" "policy generate"; do
		# shellcheck disable=SC2086
		pthructl $cmd >"$t/want" 2>&1
		# shellcheck disable=SC2086
		"$nocap" $how "$PTHRUCTL" $cmd >"$t/out" 2>&1
		ktap_expect "exit status of '$cmd'" $? 0
		ktap_expect "output of '$cmd'" "$(cat "$t/out")" "$(cat "$t/want")"
	done
	ktap_end "$2"
}

reads "" "without CAP_NET_ADMIN, the policy reads as for root"
reads "-u 65534" "as uid 65534, the policy reads as for root"

# The refusals above were the capability's doing: root makes the changes.
ktap_begin
policy_state
gen0=$pol_generation
pthructl policy mode "$other_mode" 2>"$t/err"
ktap_expect "exit status of root's 'policy mode $other_mode' ($(cat "$t/err"))" $? 0
policy_expect_load "the same policy as root" "$t/new.conf"
policy_state
ktap_expect "mode after root's load" "$pol_mode" "$other_mode"
ktap_expect "gated after root's load" "$pol_gated" vfio-pci
ktap_expect "generation after two changes" "$pol_generation" $((gen0 + 2))
policy_restore
ktap_end "root makes the same changes"

ktap_finished
