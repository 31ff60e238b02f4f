# SPDX-License-Identifier: GPL-2.0
#
# What "promtool check metrics" (2.42) does not check in a Prometheus
# text exposition, one complaint a line ("FILE:LINE: why"), silent when
# the file is sound: one HELP and one TYPE per family, TYPE after HELP,
# every sample inside its family, no series twice (node_exporter refuses
# a textfile with a duplicate).  awk -f prom_lint.awk FILE; used by
# selftests/pthru_prometheus.sh and tools/pthructl/tests/prometheus.sh.
function bad(why) { print FILENAME ":" FNR ": " why }
/^# HELP / { if (help[$3]++) bad("second HELP for " $3); next }
/^# TYPE / {
	if (type[$3]++) bad("second TYPE for " $3)
	if (!($3 in help)) bad("TYPE without HELP for " $3)
	fam = $3
	next
}
/^#/ || /^$/ { next }
{
	key = $0
	sub(/ [^ ]*$/, "", key)
	name = key
	sub(/\{.*/, "", name)
	if (name != fam) bad("sample of " name " outside its family")
	if (seen[key]++) bad("series twice: " key)
}
