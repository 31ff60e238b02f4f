#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The verification walk (pthructl map verify, and audit) against real
# page tables.
#
# With VFIO: the edu function (or PTHRU_TEST_BIND_DEV) goes to vfio-pci
# and pthru_vfio_map maps its buffers through a type1 container, as in
# pthru_map.sh.  A walk of that group's domain translates every range and
# finds nothing (no mapping hazard for the group), also once a buffer is
# unmapped (its unmap no longer translates).  Then pthru_vfio_map
# --identity maps a page at IOVA == its physical address: identity-over-ram
# for the group, "map verify" exits 1, root's listing has its physical
# address as a typed fact and uid 65534's has none (nor in any message);
# once the page is unmapped a new walk clears it.
#
# With the test module pthru_test_domain ($PTHRU_TEST_DOMAIN_KO) and pthru
# reloaded with shadow=on: each scenario of the module makes the page
# tables of an unattached unmanaged domain differ from the shadow in one
# way (see the module); after "map verify" the hazard of that way is
# raised, with its severity and the IOVA in its message, and no other
# mapping hazard is; once the module is unloaded (the domain freed) a walk
# clears it.  "pthructl audit" alone raises one too.  With shadow_ranges=16
# and shadow_fail_grow=1 (a free slot's reserve of one 85-node chunk that
# never grows, as at the memory cap) and 100 separate pages mapped,
# shadow-incomplete is raised with no walk.
#
# pthru is loaded again without parameters at the end, the policy and the
# function's driver are put back as they were.

# shellcheck source=selftests/pthru_shadow_lib.sh disable=SC3043,SC2317,SC2154 # local; trap hooks; json_load's variables
. "$(dirname "$0")/pthru_shadow_lib.sh"

shadow_test_start
ktap_tmpdir
t=$ktap_tmp
nocap=$ktap_dir/pthru_nocap
policy_must_answer
policy_subjects

map_hazards="map-disagrees stale-translation identity-over-ram kernel-memory-mapped superpage-overreach shadow-incomplete"
prog=$ktap_dir/pthru_vfio_map
ko=${PTHRU_TEST_DOMAIN_KO:-}

# Why the VFIO part cannot run here, or nothing.
vfio_skip=$(vfio_missing)
edu_vfio_group
if [ ! -x "$prog" ]; then
	vfio_skip="$prog is not built (make -C selftests)"
elif [ -z "$vfio_skip" ]; then
	vfio_skip=$edu_why
fi

# Why the test module part cannot run here, or nothing.
module_skip=
if [ -z "$ko" ] || [ ! -f "$ko" ]; then
	module_skip="no test module (set PTHRU_TEST_DOMAIN_KO=path/to/pthru_test_domain.ko)"
elif [ "$pol_locked" != false ]; then
	module_skip="the bind policy is locked: pthru cannot be reloaded with shadow=on"
elif ! pthru_can_reload; then
	module_skip="cannot reload: pthru is not installed (set PTHRU_KO=path/to/pthru.ko)"
elif pthru_load_expect && [ -n "${expect_unattached_domain_skip:-}" ]; then
	# The profile's IOMMU cannot map a domain attached to no device.
	module_skip=$expect_unattached_domain_skip
fi

# Put back at the end: the VFIO part loads its own, a reload the default.
[ "$pol_locked" = false ] && policy_keep
edu_orig=
[ -n "$edu" ] && [ -d "$pci_devices/$edu" ] && edu_orig=$(sysfs_driver "$edu")
prog_pid=
plain=1		# pthru is loaded without parameters
ktap_cleanup_hook() {
	prog_kill
	[ -d /sys/module/pthru_test_domain ] && rmmod pthru_test_domain 2>/dev/null
	[ -n "$edu_orig" ] && restore_driver "$edu" "$edu_orig"
	[ "$plain" = 1 ] || reload
	policy_restore
}

# verify OUT [GROUP]: "pthructl -j map verify [GROUP]" into OUT, its exit
# status in verify_rc and its counts in v_* (v__keys "invalid" when the
# output is not one object).
verify() {
	local out=$1

	shift
	v__keys=invalid
	pthructl -j map verify "$@" >"$out" 2>"$out.err"
	verify_rc=$?
	json_load v_ "$(head -n 1 "$out")"
}

# expect_verify NAME RC FIELD=VALUE|FIELD>0...: the last verify exited RC
# with those counts.
expect_verify() {
	local name=$1 rc=$2 kv key want got

	shift 2
	ktap_expect "$name: exit status of pthructl map verify" "$verify_rc" "$rc"
	if [ "$v__keys" = invalid ]; then
		ktap_checked=$((ktap_checked + 1))
		ktap_mismatch "$name: pthructl -j map verify: $(head -n 1 "$t/v.err") $(head -n 1 "$t/v")"
		return
	fi
	for kv in "$@"; do
		case $kv in
		*'>0')
			key=${kv%>0}
			eval "got=\${v_$key:-}"
			ktap_checked=$((ktap_checked + 1))
			[ -n "$got" ] && [ "$got" -gt 0 ] 2>/dev/null ||
				ktap_mismatch "$name: $key is \"$got\", expected more than 0"
			;;
		*)
			key=${kv%%=*}
			want=${kv#*=}
			eval "got=\${v_$key:-}"
			ktap_expect "$name: $key" "$got" "$want"
			;;
		esac
	done
}

# map_findings OUT: the mapping hazards of "pthructl -j hazard", one
# "name severity group message" line each, in OUT (1 when pthructl fails).
# The decimal value of a typed address fact ("0x..." in the JSON), "no"
# when the finding does not carry it.
fact_number() {
	case $1 in
	0x*) echo "yes:$(($1))" ;;
	*) echo no ;;
	esac
}

# unprivileged_sees_no_phys PHYS: as uid 65534 the hazard listing has
# the same mapping findings, with no phys (nor phys_expected) and no
# message holding PHYS: the kernel shows physical addresses only to
# CAP_SYS_ADMIN.
unprivileged_sees_no_phys() {
	local line

	ktap_checked=$((ktap_checked + 1))
	if [ ! -x "$nocap" ]; then
		ktap_mismatch "$nocap is not built (make -C selftests)"
		return
	fi
	if ! "$nocap" -u 65534 "$PTHRUCTL" -j hazard >"$t/u.json" 2>"$t/u.err"; then
		ktap_mismatch "pthructl -j hazard as uid 65534: $(head -n 1 "$t/u.err")"
		return
	fi
	json_dump_objects "$t/u.json" >"$t/u.lines"
	while read -r line; do
		json_load u_ "$line"
		case " $map_hazards " in
		*" $u_name "*) ;;
		*) continue ;;
		esac
		[ "$u_phys" = null ] && [ "$u_phys_expected" = null ] ||
			ktap_mismatch "uid 65534 sees $u_name with phys $u_phys, phys_expected $u_phys_expected"
		case $u_message in
		*"$1"*) ktap_mismatch "uid 65534 sees $1 in: $u_message" ;;
		esac
	done <"$t/u.lines"
	grep -q '"name":"identity-over-ram"' "$t/u.lines" ||
		ktap_mismatch "uid 65534 does not see the identity-over-ram finding"
}

map_findings() {
	local line

	: >"$1"
	pthructl -j hazard >"$1.json" 2>"$1.err" || return 1
	json_dump_objects "$1.json" | while read -r line; do
		json_load h_ "$line"
		case " $map_hazards " in
		*" $h_name "*)
			echo "$h_name $h_severity $h_group" \
				"iova=$(fact_number "$h_iova")" \
				"phys=$(fact_number "$h_phys")" \
				"memory=$h_memory_kind $h_message" ;;
		esac
	done >"$1"
}

# expect_findings NAME GROUP WANT...: the mapping hazards about GROUP
# (null: domains no group is attached to) are exactly the WANT, each
# "name:severity:fact|fact..." (fact: a string its line must hold, may be
# empty; no spaces: use + for one).  A line is "name severity group
# iova=yes:N|no phys=yes:N|no memory=KIND message", the typed facts of
# the JSON first: the message never holds a physical address.
expect_findings() {
	local name=$1 group=$2 w h sev fact got

	shift 2
	ktap_checked=$((ktap_checked + 1))
	if ! map_findings "$t/h"; then
		ktap_mismatch "$name: pthructl -j hazard: $(head -n 1 "$t/h.err")"
		return
	fi
	got=$(awk -v g="$group" '$3 == g { print $1 }' "$t/h" | sort | tr '\n' ' ')
	want=$(for w in "$@"; do echo "${w%%:*}"; done | sort | tr '\n' ' ')
	[ "$got" = "$want" ] ||
		ktap_mismatch "$name: mapping hazards of group $group: \"$got\", expected \"$want\""
	for w in "$@"; do
		h=${w%%:*}
		sev=${w#*:}
		fact=$(echo "${sev#*:}" | tr + ' ')
		sev=${sev%%:*}
		ktap_checked=$((ktap_checked + 1))
		awk -v g="$group" -v n="$h" -v s="$sev" -v f="$fact" '
			BEGIN { nf = split(f, part, "|") }
			$1 == n && $2 == s && $3 == g {
				for (i = 1; i <= nf; i++)
					if (!index($0, part[i]))
						next
				ok = 1
			}
			END { exit !ok }' "$t/h" ||
			ktap_mismatch "$name: no $h $sev finding of group $group saying \"$fact\": $(grep "^$h " "$t/h" | head -n 1)"
	done
}

# reload [PARAM...]: pthru unloaded and loaded with the parameters; the
# reason of a failure in $reload_err.
reload() {
	reload_err=
	pthru_wait_unused && pthru_rmmod && pthru_insmod "$@"
}

ktap_set_plan 15

# ---------------------------------------------------------------------
# 1-5: VFIO

if [ -z "$vfio_skip" ]; then
	if [ "$pol_locked" = false ]; then
		policy_allow_all ||
			vfio_skip="pthructl policy load: $(head -n 1 "$t/load.err")"
	fi
fi
if [ -z "$vfio_skip" ]; then
	to_vfio "$edu" "$group" ||
		vfio_skip="$move_err (policy mode $pol_mode, locked $pol_locked)"
fi
if [ -z "$vfio_skip" ]; then
	prog_start || vfio_skip="mkfifo failed"
fi
if [ -z "$vfio_skip" ] && ! prog_wait "wait mapped"; then
	if grep -q '^skip: ' "$t/out"; then
		vfio_skip="pthru_vfio_map: $(sed -n 's/^skip: //p' "$t/out")"
	else
		vfio_skip="pthru_vfio_map did not map its buffers: $(tr '\n' ' ' <"$t/err")"
	fi
fi

if [ -n "$vfio_skip" ]; then
	for n in "a walk of a VFIO domain finds nothing" \
		 "no mapping hazard for a VFIO domain" \
		 "a walk after VFIO_IOMMU_UNMAP_DMA finds nothing" \
		 "a page mapped at IOVA == its physical address: identity-over-ram" \
		 "identity-over-ram cleared once the page is unmapped"; do
		ktap_test_skip "$n" "$vfio_skip"
	done
else
	ktap_diag "function $edu ($edu_orig), IOMMU group $group; $(grep -c '^run ' "$t/out") runs mapped"

	# 1
	ktap_begin
	verify "$t/v" "$group"
	expect_verify "mapped" 0 group="$group" domains=1 "ranges>0" \
		"translations>0" skipped=0 disagreements=0 stale=0 identity=0 \
		kernel_memory=0 overreach=0 incomplete_domains=0
	ktap_diag "map verify $group: $(cat "$t/v")"
	ktap_end "map verify $group: every range of pthru_vfio_map's buffers translates as the shadow says"

	# 2
	ktap_begin
	expect_findings "mapped" "$group"
	ktap_end "hazard lists no mapping hazard for group $group"

	# 3
	prog_go
	ktap_begin
	if prog_wait "wait unmapped"; then
		verify "$t/v" "$group"
		expect_verify "unmapped" 0 "translations>0" disagreements=0 \
			stale=0 identity=0 kernel_memory=0 overreach=0 incomplete_domains=0
		expect_findings "unmapped" "$group"
	else
		ktap_checked=$((ktap_checked + 1))
		ktap_mismatch "pthru_vfio_map did not unmap"
		prog_fail_diag
	fi
	ktap_end "after VFIO_IOMMU_UNMAP_DMA of a buffer the walk finds nothing (no stale translation)"
	prog_end || prog_fail_diag

	# 4
	ktap_begin
	if prog_start --identity && prog_wait "wait identity"; then
		phys=$(sed -n 's/^identity \(0x[0-9a-f]*\) .*/\1/p' "$t/out")
		ktap_diag "page at IOVA == phys $phys"
		verify "$t/v" "$group"
		expect_verify "identity" 1 "identity>0" disagreements=0 stale=0 \
			kernel_memory=0 overreach=0 incomplete_domains=0
		expect_findings "identity" "$group" \
			"identity-over-ram:high:phys=yes:$((phys))+|iova=no+|maps+host+RAM+1:1,+IOVA+equal+to+physical+address"
		unprivileged_sees_no_phys "$phys"
	else
		ktap_checked=$((ktap_checked + 1))
		ktap_mismatch "pthru_vfio_map --identity did not map its page"
		prog_fail_diag
	fi
	ktap_end "a page mapped at IOVA == its physical address: identity-over-ram, map verify exits 1"

	# 5
	prog_go
	ktap_begin
	if prog_wait "wait unmapped"; then
		verify "$t/v" "$group"
		expect_verify "identity unmapped" 0 identity=0 disagreements=0 \
			stale=0 kernel_memory=0 overreach=0 incomplete_domains=0
		expect_findings "identity unmapped" "$group"
	else
		ktap_checked=$((ktap_checked + 1))
		ktap_mismatch "pthru_vfio_map --identity did not unmap"
		prog_fail_diag
	fi
	prog_end || { ktap_checked=$((ktap_checked + 1)); ktap_mismatch "pthru_vfio_map --identity failed"; prog_fail_diag; }
	ktap_end "identity-over-ram cleared once the page is unmapped and walked again"
fi
[ -n "$edu_orig" ] && restore_driver "$edu" "$edu_orig"

# ---------------------------------------------------------------------
# 6-13: the test module

if [ -z "$module_skip" ]; then
	reload shadow=on || module_skip="$reload_err"
fi
if [ -z "$module_skip" ]; then
	stats_armed=$(pthructl -j stats 2>/dev/null | sed -n 's/.*"armed":\([a-z]*\).*/\1/p')
	[ "$stats_armed" = true ] ||
		module_skip="pthru loaded with shadow=on but stats says armed \"$stats_armed\""
fi

# domain_load SCENARIO [PARAM...]: the test module loaded; 1 with a
# mismatch when it cannot be.
domain_load() {
	local s=$1

	shift
	if ! insmod "$ko" scenario="$s" "$@" 2>"$t/insmod.err"; then
		ktap_checked=$((ktap_checked + 1))
		ktap_mismatch "insmod pthru_test_domain scenario=$s: $(cat "$t/insmod.err"); $(dmesg | grep pthru_test_domain | tail -n 3 | tr '\n' ' ')"
		return 1
	fi
}

domain_unload() {
	ktap_checked=$((ktap_checked + 1))
	rmmod pthru_test_domain 2>"$t/rmmod.err" ||
		ktap_mismatch "rmmod pthru_test_domain: $(cat "$t/rmmod.err")"
}

# scenario NAME VERIFY_FIELD FINDING...: raised by a walk, cleared by a
# walk once the module is gone.
scenario() {
	local s=$1 field=$2

	shift 2
	ktap_begin
	if domain_load "$s"; then
		verify "$t/v"
		expect_verify "$s" 1 "$field>0"
		ktap_diag "$s: $(cat "$t/v")"
		expect_findings "$s" null "$@"
		domain_unload
		verify "$t/v"
		expect_verify "$s unloaded" 0 disagreements=0 stale=0 \
			identity=0 kernel_memory=0 overreach=0 incomplete_domains=0
		expect_findings "$s unloaded" null
	fi
	ktap_end "scenario $s: $(echo "$@" | sed 's/:[^ ]*//g') after map verify, cleared after the domain is freed"
}

if [ -n "$module_skip" ]; then
	for s in kernel identity disagree untracked overreach stale; do
		ktap_test_skip "scenario $s" "$module_skip"
	done
	ktap_test_skip "audit walks" "$module_skip"
	ktap_test_skip "a walk of 1024 ranges" "$module_skip"
	ktap_test_skip "shadow-incomplete without a walk" "$module_skip"
else
	# The module's IOVAs: 0x1000000000 + scenario * 0x10000000.
	# 6
	scenario kernel kernel_memory \
		"kernel-memory-mapped:critical:iova=yes:$((0x1000000000))+|phys=yes:|memory=slab+|IOVA+0x1000000000+maps+slab+memory+("
	# 7
	scenario identity identity \
		"identity-over-ram:high:phys=yes:|maps+host+RAM+1:1" \
		"kernel-memory-mapped:critical:maps+slab+memory"
	# 8
	scenario disagree disagreements \
		"map-disagrees:high:iova=yes:$((0x1020000000))+|phys=no+|IOVA+0x1020000000+does+not+translate+although+the+shadow+maps+it+("
	# 9
	scenario untracked disagreements \
		"map-disagrees:high:iova=yes:$((0x1030001000))+|phys=yes:|IOVA+0x1030001000+translates+although+the+shadow+holds+no+mapping+for+it"
	# 10
	scenario overreach overreach \
		"superpage-overreach:high:phys=yes:|IOVA+0x1040001000,+past+an+end+of+a+mapped+range,+still+translates+("
	# 11
	scenario stale stale \
		"stale-translation:critical:phys=yes:|IOVA+0x1050000000+still+translates+after+its+unmap"

	# 12
	ktap_begin
	if domain_load stale; then
		expect_findings "stale before audit" null
		ktap_checked=$((ktap_checked + 1))
		if audit_findings "$t/audit"; then
			grep -q '^stale-translation critical null null$' "$t/audit.list" ||
				ktap_mismatch "audit: no stale-translation critical finding: $(tr '\n' ';' <"$t/audit.list")"
		else
			ktap_mismatch "pthructl -j audit failed"
		fi
		expect_findings "stale after audit" null \
			"stale-translation:critical:IOVA+0x1050000000"
		domain_unload
		audit_findings "$t/audit"
		expect_findings "stale after unload and audit" null
	fi
	ktap_end "audit walks the shadow: stale-translation raised by audit alone, cleared by the next"

	# 13: 1024 one-page ranges with a page between each two: the page
	# and the two just outside each, all clean.  The time is for the
	# record (TCG is slow; /proc/uptime counts in 10 ms).
	ktap_begin
	if domain_load fragment fragments=1024; then
		ms0=$(awk '{ printf "%d", $1 * 1000 }' /proc/uptime)
		verify "$t/v"
		ms1=$(awk '{ printf "%d", $1 * 1000 }' /proc/uptime)
		expect_verify "fragment" 0 domains=1 ranges=1024 \
			translations=3072 skipped=0 disagreements=0 stale=0 \
			identity=0 kernel_memory=0 overreach=0 incomplete_domains=0
		ktap_diag "walk of 1024 ranges, 3072 translations: $((ms1 - ms0)) ms (pthructl included)"
		domain_unload
	fi
	ktap_end "a walk of 1024 separate one-page ranges translates each and the page on either side, and finds nothing"

	# 14
	ktap_begin
	ktap_checked=$((ktap_checked + 1))
	# A free slot keeps shadow_ranges / 4 nodes, in whole chunks of 85.
	if ! reload shadow=on shadow_ranges=16 shadow_fail_grow=1; then
		ktap_mismatch "$reload_err"
	elif domain_load fragment fragments=100; then
		walks=$(sed -n 's/^walks: //p' "$pthru_debugfs/verify" 2>/dev/null)
		expect_findings "fragment" null \
			"shadow-incomplete:medium:the+shadow+lost+15+mappings"
		[ -z "$walks" ] || ktap_expect "walks (debugfs verify)" \
			"$(sed -n 's/^walks: //p' "$pthru_debugfs/verify")" "$walks"
		domain_unload
		expect_findings "fragment unloaded" null
	fi
	ktap_end "shadow-incomplete (15 of 100 ranges lost, the reserve refused growth) raised without a walk, cleared when the domain goes"

	if ! reload; then
		ktap_diag "loading pthru without parameters again: $reload_err"
	fi
fi

# The last map verify document, against its JSON Schema.
json_schema_check map-verify "$t/v"

ktap_finished
