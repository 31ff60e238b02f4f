# SPDX-License-Identifier: GPL-2.0
#
# Reads the KTAP a test guest wrote to its result channel (run_tests.sh's
# output followed by "# pthru-vm: done rc=N pthru=loaded|failed") and
# prints one line per result, tab-separated, for run-all.sh to number:
#
#	pass|fail|skip <TAB> test name <TAB> reason
#	diag <TAB> a diagnostic of the failure printed just before
#	bench <TAB> a "bench: ..." diagnostic (a benchmark figure, always shown)
#
# A leaf is an individual test inside a test program; a program that
# printed none (skipped whole, crashed, timed out) counts as one.  A
# missing plan, programs that never reported, and a run that did not reach
# its end marker are failures: a truncated run is never a pass.

function emit(status, name, reason) {
	printf "%s\t%s\t%s\n", status, name, reason
}

function flush_diags(   i) {
	for (i = 1; i <= ndiag; i++)
		printf "diag\t%s\n", diags[i]
	ndiag = 0
}

# "ok 3 some name # SKIP why" -> sets r_ok, r_name, r_directive.
function parse_result(line,   p) {
	r_ok = (line ~ /^ok /)
	sub(/^(not )?ok [0-9]+ ?/, "", line)
	r_directive = ""
	p = index(line, " # ")
	if (p) {
		r_directive = substr(line, p + 3)
		line = substr(line, 1, p - 1)
	}
	r_name = line
}

BEGIN { plan = -1; reported = 0; done = 0; current = "" }

{ sub(/\r$/, "") }

/^1\.\.[0-9]+/ {
	plan = substr($0, 4) + 0
	next
}

/^# selftests: / {
	current = substr($0, 14)
	sub(/^pthru: /, "", current)
	leaves = 0
	leaf_fail = 0
	skip_reason = ""
	ndiag = 0
	next
}

/^# (not )?ok [0-9]+/ {
	parse_result(substr($0, 3))
	leaves++
	if (r_directive ~ /^SKIP/) {
		sub(/^SKIP ?/, "", r_directive)
		emit("skip", current ": " r_name, r_directive)
	} else if (r_ok) {
		emit("pass", current ": " r_name, "")
	} else {
		leaf_fail++
		emit("fail", current ": " r_name, r_directive)
		flush_diags()
	}
	ndiag = 0
	next
}

/^# 1\.\.0 # SKIP/ {
	skip_reason = $0
	sub(/^# 1\.\.0 # SKIP ?/, "", skip_reason)
	next
}

/^# pthru-vm: done/ {
	done = 1
	if ($0 !~ /pthru=loaded/)
		emit("fail", "pthru.ko loads in the guest", "insmod failed, see the console log")
	next
}

/^# # bench: / {
	printf "bench\t%s\n", substr($0, 5)
	next
}

/^# # / {
	if (ndiag < 20)
		diags[++ndiag] = substr($0, 5)
	next
}

/^(not )?ok [0-9]+/ {
	parse_result($0)
	reported++
	if (leaves == 0) {
		if (r_directive ~ /^SKIP/)
			emit("skip", current, skip_reason != "" ? skip_reason : "skipped")
		else if (r_ok)
			emit("pass", current, "")
		else {
			emit("fail", current, r_directive)
			flush_diags()
		}
	} else if (!r_ok && leaf_fail == 0) {
		emit("fail", current ": exits cleanly", r_directive)
		flush_diags()
	}
	current = ""
	next
}

END {
	if (plan < 0)
		emit("fail", "the result channel has a KTAP plan", "no plan: the tests never started")
	else if (reported < plan)
		emit("fail", "every test program reported",
		     "only " reported " of " plan " reported" (current != "" ? ", cut short in " current : ""))
	if (!done)
		emit("fail", "the guest finished the run", "no end marker: the guest died or hung")
}
