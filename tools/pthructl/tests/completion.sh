#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The bash completion of pthructl, driven as bash drives it: COMP_WORDS and
# COMP_CWORD set, _pthructl called, COMPREPLY compared.  A fake sysfs tree
# stands in for the host's PCI functions and IOMMU groups, so the test
# needs neither the module nor a device.  The completion's lists are also
# checked against pthructl's own help, so neither can drift alone.
#
#	tests/completion.sh PTHRUCTL	(from tools/pthructl)
#
# Ends with "N passed, N failed"; exits non-zero when a check failed.
set -u

here=$(cd "$(dirname "$0")" && pwd)
pthructl=${1:-$here/../pthructl}
passed=0
failed=0

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/sys/bus/pci/devices/0000:00:02.0" \
	"$tmp/sys/bus/pci/devices/0000:04:00.0" \
	"$tmp/sys/kernel/iommu_groups/3" "$tmp/sys/kernel/iommu_groups/12" \
	"$tmp/files/conf.d"
: >"$tmp/files/policy.conf"

_PTHRUCTL_SYSFS=$tmp/sys
# shellcheck source=/dev/null
. "$here/../completion/pthructl"

# check NAME WANT LINE: complete LINE (its last word is the one being
# completed; a trailing space means an empty word) and compare the sorted
# candidates, space-separated, with WANT.
check() {
	local name=$1 want=$2 line=$3 got

	read -r -a COMP_WORDS <<<"$line"
	[ "${line: -1}" = " " ] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_pthructl pthructl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]:-}"
	got=$(printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort | tr '\n' ' ')
	got=${got% }
	if [ "$got" = "$want" ]; then
		passed=$((passed + 1))
		echo "ok   completion: $name"
	else
		failed=$((failed + 1))
		echo "FAIL completion: $name"
		echo "  line: '$line'"
		echo "  got:  $got"
		echo "  want: $want"
	fi
}

# sorted WORDS...: the words sorted, space-separated (as check prints).
sorted() {
	printf '%s\n' "$@" | sort | tr '\n' ' ' | sed 's/ $//'
}

# The command list against pthructl --help's "Commands:" section.
mapfile -t help_cmds < <("$pthructl" --help | sed -n '/^Commands:/,/^$/p' |
	sed -n 's/^  \([a-z]\{1,\}\).*/\1/p')
all_cmds=$(sorted "${help_cmds[@]}")
[ ${#help_cmds[@]} -ge 10 ] || { echo "FAIL completion: pthructl --help lists its commands (got ${#help_cmds[@]})"; failed=$((failed + 1)); }
check "every command of --help, and only those" "$all_cmds" "pthructl "
check "global options" "$(sorted --help --json --version -h -j)" "pthructl -"
check "a command by its prefix" "stats status" "pthructl st"
check "a command after -j" "$all_cmds" "pthructl -j "

check "dev: show" "--help show" "pthructl dev "
check "dev show: PCI addresses from sysfs" "0000:00:02.0 0000:04:00.0" "pthructl dev show "
check "dev show: addresses by prefix" "0000:04:00.0" "pthructl -j dev show 0000:04"
check "dev show ADDR: nothing more" "" "pthructl dev show 0000:04:00.0 "
check "group show: IOMMU group numbers from sysfs" "12 3" "pthructl group show "
check "check: addresses" "--help 0000:00:02.0 0000:04:00.0" "pthructl check "
check "check: where the facts come from" "--help --no-module --snapshot" "pthructl check -"
check "dev: where the facts come from" "--help --no-module --snapshot" "pthructl dev -"
check "group: where the facts come from" "--help --no-module --snapshot" "pthructl group show -"
check "--snapshot: file names" "$tmp/files/conf.d $tmp/files/policy.conf" "pthructl audit --snapshot $tmp/files/"
check "snapshot: save and diff" "--help diff save" "pthructl snapshot "
check "snapshot save: --no-module" "--no-module" "pthructl snapshot save -"
check "snapshot diff: two files" "$tmp/files/conf.d $tmp/files/policy.conf" "pthructl snapshot diff $tmp/files/policy.conf $tmp/files/"

# audit's options against its help.
audit_help=$("$pthructl" help audit)
for opt in --fail-on --no-refresh --format -p --no-module --snapshot; do
	case $audit_help in
	*"$opt"*) ;;
	*) echo "FAIL completion: pthructl help audit names $opt"; failed=$((failed + 1)) ;;
	esac
done
check "audit: its options" "$(sorted --fail-on --format --help --no-module --no-refresh --prometheus --snapshot -p)" "pthructl audit -"
check "audit --fail-on: severities and none" "critical high info low medium none" "pthructl audit --fail-on "
check "audit --format: formats" "json prometheus text" "pthructl audit --format "
check "audit: an option's value is not a command word" \
	"$(sorted --fail-on --format --help --no-module --no-refresh --prometheus --snapshot -p)" "pthructl audit --fail-on high -"

check "stats: its options" "$(sorted --format --help --prometheus -p)" "pthructl stats -"
check "stats --format: formats" "json prometheus text" "pthructl stats --format "

check "hazard: list" "list" "pthructl hazard "
check "hazard: its options" "--dev --help --severity" "pthructl hazard -"
check "hazard --severity: severities" "critical high info low medium" "pthructl hazard --severity "
check "hazard --dev: addresses" "0000:00:02.0 0000:04:00.0" "pthructl hazard --dev "

check "map: subcommands and groups" "--help 12 3 show verify" "pthructl map "
check "map verify: groups" "12 3" "pthructl map verify "

check "policy: subcommands" "$(sorted --help generate load lock mode save show test)" "pthructl policy "
check "policy mode: modes" "audit enforce off" "pthructl policy mode "
check "policy load: file names" "$tmp/files/conf.d $tmp/files/policy.conf" "pthructl policy load $tmp/files/"
check "policy test: a file, then an address" "0000:00:02.0 0000:04:00.0" "pthructl policy test $tmp/files/policy.conf "
check "policy test: --driver and the sources" "--driver --no-module --snapshot" "pthructl policy test -"
check "policy test --driver: passthrough drivers" "pci-stub uio_pci_generic vfio-pci" "pthructl policy test f --driver "
check "help: commands" "$all_cmds" "pthructl help "

# policy's subcommands against its help.
policy_usage=$("$pthructl" help policy | head -n 1)
for sub in show mode lock load save test generate; do
	case $policy_usage in
	*"$sub"*) ;;
	*) echo "FAIL completion: pthructl help policy names $sub"; failed=$((failed + 1)) ;;
	esac
done

# A host without pthru or without PCI: commands still complete.
_pthructl_sysfs=$tmp/none
check "no sysfs: commands still complete" "$all_cmds" "pthructl "
check "no sysfs: no address" "" "pthructl dev show "

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
