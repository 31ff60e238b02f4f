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
#
# On a kernel with kmemleak the guest adds its report between
# "# pthru-vm: kmemleak begin" and "... end" (lines "# kmemleak: ...").
# An unreferenced object whose backtrace names pthru (or one of its test
# modules, "[pthru..."), or has a frame kallsyms could not name (a module
# unloaded since: on the debug kernel, only pthru's are ever loaded), is a
# leak of ours and fails; others are counted.  Run with -v kmemleak=1 to
# make a missing report a failure.

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

BEGIN { plan = -1; reported = 0; done = 0; current = ""; leak_seen = 0 }

function leak_close() {
	if (leak_obj != "" && leak_ours) {
		ours++
		if (ours == 1)
			first_ours = leak_obj
	}
	leak_obj = ""
	leak_ours = 0
}

/^# pthru-vm: kmemleak begin/ {
	leak_seen = 1
	in_leak = 1
	leaks = ours = 0
	next
}

/^# kmemleak: / && in_leak {
	line = substr($0, 13)
	if (line ~ /^unreferenced object/) {
		leak_close()
		leaks++
		leak_obj = line
	} else if (leak_obj != "") {
		if (line ~ /\[pthru/ || line ~ /^ +(\[<[0-9a-f]+>\] )?0x[0-9a-f]+$/)
			leak_ours = 1
		if (length(leak_obj) < 1500)
			leak_obj = leak_obj " | " line
	}
	next
}

/^# pthru-vm: kmemleak end/ {
	leak_close()
	in_leak = 0
	printf "diag\tkmemleak: %d unreferenced objects, %d of them pthru's\n", leaks, ours
	if (ours)
		printf "diag\tfirst: %s\n", first_ours
	emit(ours ? "fail" : "pass", "kmemleak: no leak names pthru",
	     ours ? ours " unreferenced objects of pthru's" : "")
	next
}

/^# pthru-vm: kmemleak scan failed/ {
	emit("fail", "kmemleak: the scan ran", "writing scan to /sys/kernel/debug/kmemleak failed")
	next
}

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

# A snapshot on its way to the build host (pthru_sysfs_source.sh): data,
# not a diagnostic; selftests/vm/snapshot-check.sh reads it.
/^# # pthru-snapshot(-findings)?: / {
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
	else if (kmemleak && !leak_seen)
		emit("fail", "kmemleak: the guest reported", "no kmemleak report before the end marker")
}
