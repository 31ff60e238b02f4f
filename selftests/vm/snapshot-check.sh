#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The build host's half of pthru_sysfs_source.sh: the guest printed the
# snapshot it saved without the module ("# pthru-snapshot: " lines) and
# the findings it evaluated from it ("# pthru-snapshot-findings: "
# lines) on its result channel.  Evaluate that snapshot here, with this
# host's pthructl, without root or module, and compare:
#
#	selftests/vm/snapshot-check.sh RESULT.ktap OUTDIR PTHRUCTL
#
# Prints one tab-separated "pass|fail <TAB> name <TAB> reason" line for
# run-all.sh to number, or nothing when the guest printed no snapshot
# (the test did not run that far; its own results say why).
set -uo pipefail

ktap=$1 out=$2 tool=$3
snap=$out/guest.snapshot.json
name="the guest's snapshot, evaluated on the build host, gives the guest's findings"

sed -n 's/^# # pthru-snapshot: //p' "$ktap" >"$snap"
[ -s "$snap" ] || exit 0
sed -n 's/^# # pthru-snapshot-findings: //p' "$ktap" | sort >"$out/guest.findings"

# As ktap_helpers.sh's findings_of: "name severity addr group" per finding.
if ! "$tool" -j audit --snapshot "$snap" --fail-on none >"$out/host.audit.json" \
	2>"$out/host.audit.err"; then
	printf 'fail\t%s\t%s\n' "$name" "pthructl audit --snapshot: $(head -n 1 "$out/host.audit.err")"
	exit 0
fi
sed -e '1d' -e '$d' "$out/host.audit.json" | sed -E -n \
	's/^\{"id":"[^"]*","name":"([^"]*)","severity":"([^"]*)","addr":"?([^",]*)"?,"group":([0-9]+|null),.*/\1 \2 \3 \4/p' |
	sort >"$out/host.findings"
if ! head -n 1 "$out/host.audit.json" | grep -q '"source":"sysfs","snapshot":{"file":'; then
	printf 'fail\t%s\t%s\n' "$name" "the host's audit does not name the snapshot as its source"
elif ! cmp -s "$out/guest.findings" "$out/host.findings"; then
	printf 'fail\t%s\t%s\n' "$name" "$(diff "$out/guest.findings" "$out/host.findings" | grep '^[<>]' | head -n 2 | tr '\n' ' ')"
else
	printf 'pass\t%s (%d findings)\t\n' "$name" "$(wc -l <"$out/host.findings")"
fi
