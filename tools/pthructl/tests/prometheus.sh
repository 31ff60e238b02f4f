#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Prometheus feed, host-side: the exposition of "audit -p" and "stats
# -p" run whole against the fake kernel (tests/unit --prometheus) and the
# file scripts/pthru-textfile makes of them, checked by Debian's promtool
# ("promtool check metrics": syntax and naming lint) and by a stricter
# awk check of our own (one HELP and one TYPE per family, samples inside
# their family, no series twice: promtool 2.42 does not look for
# duplicates, node_exporter rejects them); then the writer: atomic
# replacement, pthru_up 0 when the module is absent, its exit statuses,
# and that no temporary file survives a failure.  A fake pthructl (named
# by $PTHRUCTL or found first on $PATH) stands in for the tool.
#
#	tests/prometheus.sh PTHRUCTL	(from tools/pthructl, after make)
#
# Needs promtool: scripts/fetch-promtool.sh finds it or takes it from
# Debian's prometheus package (scripts/install-deps.sh runs it); its
# checks fail, saying so, without it.
#
# Ends with "N passed, N failed"; exits non-zero when a check failed.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
pthructl=$(cd "$(dirname "${1:-$here/../pthructl}")" && pwd)/$(basename "${1:-pthructl}")
unit=$here/unit
writer=$(cd "$here/../../.." && pwd)/scripts/pthru-textfile
promtool=${PROMTOOL:-$("$here/../../../scripts/fetch-promtool.sh" || true)}
passed=0
failed=0

tmp=$(mktemp -d) || exit 2
writer_pid=
cleanup() {
	[ -n "$writer_pid" ] && kill "$writer_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

pass() {
	passed=$((passed + 1))
	echo "ok   prom: $1"
}

fail() {
	failed=$((failed + 1))
	echo "FAIL prom: $1"
	shift
	local line
	for line in "$@"; do
		echo "  $line"
	done
}

# check NAME STATUS [DETAIL...]: pass when STATUS is 0.
check() {
	local name=$1 status=$2

	shift 2
	if [ "$status" -eq 0 ]; then
		pass "$name"
	else
		fail "$name" "$@"
	fi
}

# lint FILE: what promtool does not check, one complaint a line on stdout;
# silent when the file is sound.
lint() {
	awk -f "$here/../../../selftests/prom_lint.awk" "$1"
}

# promcheck NAME FILE: promtool check metrics and lint both accept FILE.
promcheck() {
	local name=$1 file=$2 out rc

	if [ -z "$promtool" ]; then
		fail "$name" "promtool not found (scripts/fetch-promtool.sh could not fetch it)"
		return
	fi
	out=$("$promtool" check metrics <"$file" 2>&1)
	rc=$?
	out+=$(lint "$file")
	if [ $rc -eq 0 ] && [ -z "$out" ]; then
		pass "$name"
	else
		fail "$name" "promtool exit $rc" "$out"
		sed 's/^/  | /' "$file"
	fi
}

# promrefuses NAME TEXT: promtool, or lint, rejects TEXT (the check can
# fail, so its passes mean something).
promrefuses() {
	local name=$1 out rc

	printf '%s\n' "$2" >"$tmp/bad.prom"
	if [ -z "$promtool" ]; then
		fail "$name" "promtool not found"
		return
	fi
	out=$("$promtool" check metrics <"$tmp/bad.prom" 2>&1)
	rc=$?
	out+=$(lint "$tmp/bad.prom")
	if [ $rc -ne 0 ] || [ -n "$out" ]; then
		pass "$name"
	else
		fail "$name" "accepted:" "$2"
	fi
}

# --- the exposition, from crafted messages --------------------------------

"$unit" --prometheus audit >"$tmp/audit.prom" 2>"$tmp/audit.err"
check "unit --prometheus audit runs" $? "$(cat "$tmp/audit.err")"
promcheck "audit -p passes promtool check metrics" "$tmp/audit.prom"
"$unit" --prometheus stats >"$tmp/stats.prom" 2>"$tmp/stats.err"
check "unit --prometheus stats runs" $? "$(cat "$tmp/stats.err")"
promcheck "stats -p passes promtool check metrics" "$tmp/stats.prom"

promrefuses "promtool refuses a counter without _total" \
'# HELP pthru_maps Maps.
# TYPE pthru_maps counter
pthru_maps 3'
promrefuses "promtool refuses a unit that is not a base unit" \
'# HELP pthru_wait_ms A wait.
# TYPE pthru_wait_ms gauge
pthru_wait_ms 3'
promrefuses "promtool refuses a family's second HELP (naive concatenation)" \
'# HELP pthru_up Up.
# TYPE pthru_up gauge
pthru_up 1
# HELP pthru_up Up.
# TYPE pthru_up gauge
pthru_up 0'
promrefuses "promtool refuses an unescaped quote in a label value" \
'# HELP pthru_finding F.
# TYPE pthru_finding gauge
pthru_finding{addr="a"b"} 1'
promrefuses "the lint refuses a series twice" \
'# HELP pthru_finding F.
# TYPE pthru_finding gauge
pthru_finding{id="PTHRU-001"} 1
pthru_finding{id="PTHRU-001"} 1'
promrefuses "the lint refuses a family split in two" \
'# HELP pthru_a A.
# TYPE pthru_a gauge
pthru_a{x="1"} 1
# HELP pthru_b B.
# TYPE pthru_b gauge
pthru_b 1
pthru_a{x="2"} 1'

# --- the writer ---------------------------------------------------------------

# The fake pthructl.  FAKE_MODE: up (audit and stats from the fake
# kernel), absent (not loaded), unloaded (stats finds it gone), broken
# (stats prints half, then fails), note (audit says a note on stderr),
# hold (audit prints half, says so in $FAKE_STATE/mid, and finishes once
# $FAKE_STATE/go exists).
mkdir -p "$tmp/bin" "$tmp/state"
cat >"$tmp/bin/pthructl" <<EOF
#!/bin/bash
unit='$unit'
state=\${FAKE_STATE:-/nonexistent}
not_loaded() {
	echo "pthructl: the pthru module is not loaded (modprobe pthru)" >&2
	exit 2
}
case \${FAKE_MODE:-up}:\$1 in
absent:*) not_loaded ;;
unloaded:stats) not_loaded ;;
broken:stats)
	"\$unit" --prometheus stats | head -n 7
	echo "pthructl: cannot reach generic netlink: Connection refused" >&2
	exit 2
	;;
note:audit)
	echo "pthructl: note: re-evaluating needs CAP_NET_ADMIN; reporting the module's current findings" >&2
	exec "\$unit" --prometheus audit
	;;
hold:audit)
	"\$unit" --prometheus audit >"\$state/audit"
	head -n 5 "\$state/audit"
	: >"\$state/mid"
	for _ in \$(seq 500); do
		[ -e "\$state/go" ] && break
		sleep 0.01
	done
	tail -n +6 "\$state/audit"
	;;
*:audit | *:stats) exec "\$unit" --prometheus "\$1" ;;
*) echo "fake pthructl: unexpected \$*" >&2; exit 2 ;;
esac
EOF
chmod +x "$tmp/bin/pthructl"
export FAKE_STATE=$tmp/state
fake=$tmp/bin/pthructl
dir=$tmp/textfile
mkdir -p "$dir"

# write [MODE] [ARGS...]: run the writer on $dir with the fake (under
# $shell: its #! line's, or busybox ash as in the test guest); its exit
# status in $rc, stderr in $tmp/err.
shell=()
write() {
	FAKE_MODE=${1:-up} PTHRUCTL=$fake "${shell[@]}" "$writer" -d "$dir" \
		"${@:2}" 2>"$tmp/err" >"$tmp/out"
	rc=$?
}

# leftovers: the temporary files in $dir, space-separated.
leftovers() {
	local f out=

	for f in "$dir"/.pthru.prom.*; do
		[ -e "$f" ] && out+="${f##*/} "
	done
	echo "${out% }"
}

up_text='# HELP pthru_up Whether pthructl reached the pthru module (1) or found it not loaded (0).
# TYPE pthru_up gauge'

write up
check "writer: exit 0 with the module loaded" $rc "exit $rc: $(cat "$tmp/err")"
cat "$tmp/audit.prom" "$tmp/stats.prom" >"$tmp/want"
printf '%s\npthru_up 1\n' "$up_text" >>"$tmp/want"
cmp -s "$tmp/want" "$dir/pthru.prom"
check "writer: audit -p, stats -p and pthru_up 1" $? \
	"$(diff "$tmp/want" "$dir/pthru.prom" 2>&1)"
promcheck "writer: its file passes promtool check metrics" "$dir/pthru.prom"
[ "$(stat -c %a "$dir/pthru.prom")" = 644 ]
check "writer: the file is readable by node_exporter (0644)" $? \
	"mode $(stat -c %a "$dir/pthru.prom")"
[ -z "$(leftovers)" ] && [ ! -s "$tmp/err" ]
check "writer: no temporary file and nothing on stderr" $? \
	"left: $(leftovers)" "stderr: $(cat "$tmp/err")"
cp "$dir/pthru.prom" "$tmp/loaded"

write absent
printf '%s\npthru_up 0\n' "$up_text" >"$tmp/want"
cmp -s "$tmp/want" "$dir/pthru.prom" && [ $rc -eq 0 ]
check "writer: module absent: pthru_up 0 and nothing else, exit 0" $? \
	"exit $rc" "$(cat "$dir/pthru.prom")"
promcheck "writer: the pthru_up 0 file passes promtool check metrics" "$dir/pthru.prom"
cp "$dir/pthru.prom" "$tmp/absent"

write unloaded
cmp -s "$tmp/absent" "$dir/pthru.prom" && [ $rc -eq 0 ]
check "writer: unloaded between audit and stats: pthru_up 0 only" $? \
	"exit $rc" "$(cat "$dir/pthru.prom")"

# A real pthructl on a host without the module says so the same way.
if [ ! -d /sys/module/pthru ]; then
	PTHRUCTL=$pthructl "$writer" -d "$dir" 2>"$tmp/err"
	rc=$?
	cmp -s "$tmp/absent" "$dir/pthru.prom" && [ $rc -eq 0 ]
	check "writer: the real pthructl without the module: pthru_up 0" $? \
		"exit $rc" "$(cat "$tmp/err")" "$(cat "$dir/pthru.prom")"
fi

write note
cmp -s "$tmp/loaded" "$dir/pthru.prom" && [ $rc -eq 0 ] &&
	grep -q '^pthructl: note: re-evaluating' "$tmp/err"
check "writer: pthructl's note goes to stderr, not into the file" $? \
	"exit $rc" "$(cat "$tmp/err")"

# Failures: the old file stays as it was, and no temporary file is left.
write broken
cmp -s "$tmp/loaded" "$dir/pthru.prom" && [ $rc -eq 1 ] && [ -z "$(leftovers)" ] &&
	grep -q '^pthru-textfile: pthructl stats failed: pthructl: cannot reach' "$tmp/err"
check "writer: pthructl failing halfway: exit 1, old file kept, no temporary file" $? \
	"exit $rc" "left: $(leftovers)" "$(cat "$tmp/err")"

FAKE_MODE=up PTHRUCTL=$tmp/none "$writer" -d "$dir" 2>"$tmp/err"
rc=$?
cmp -s "$tmp/loaded" "$dir/pthru.prom" && [ $rc -eq 1 ] && [ -z "$(leftovers)" ]
check "writer: no pthructl at all: exit 1, old file kept" $? \
	"exit $rc" "left: $(leftovers)" "$(cat "$tmp/err")"

FAKE_MODE=up PTHRUCTL=$fake "$writer" -d "$tmp/nowhere" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] && [ ! -e "$tmp/nowhere" ] &&
	grep -q "^pthru-textfile: $tmp/nowhere is not a directory" "$tmp/err"
check "writer: a missing directory: exit 1, one line, nothing created" $? \
	"exit $rc" "$(cat "$tmp/err")"

# An unwritable directory: root writes anywhere, so run as nobody then.
chmod 0755 "$dir" "$tmp"
chmod 0555 "$dir"
as_user=()
[ "$(id -u)" -eq 0 ] &&
	as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
FAKE_MODE=up PTHRUCTL=$fake "${as_user[@]}" "$writer" -d "$dir" 2>"$tmp/err"
rc=$?
chmod 0755 "$dir"
cmp -s "$tmp/loaded" "$dir/pthru.prom" && [ $rc -eq 1 ] && [ -z "$(leftovers)" ] &&
	grep -q "^pthru-textfile: cannot create a temporary file in $dir" "$tmp/err"
check "writer: an unwritable directory: exit 1, old file kept" $? \
	"exit $rc" "left: $(leftovers)" "$(cat "$tmp/err")"

# A SIGKILLed run's leftover goes once it is ten minutes old; a fresh
# one may be another run's, and stays.
touch -d '20 minutes ago' "$dir/.pthru.prom.OLDone"
touch "$dir/.pthru.prom.NEWone"
write up
[ $rc -eq 0 ] && [ "$(leftovers)" = ".pthru.prom.NEWone" ]
check "writer: removes a leftover older than ten minutes, keeps a fresh one" $? \
	"exit $rc" "left: $(leftovers)"
rm -f "$dir/.pthru.prom.NEWone"
cp "$tmp/loaded" "$dir/pthru.prom"

mkdir "$tmp/dirdir" "$tmp/dirdir/pthru.prom"
FAKE_MODE=up PTHRUCTL=$fake "$writer" -d "$tmp/dirdir" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] && [ -z "$(ls -A "$tmp/dirdir/pthru.prom")" ] &&
	[ "$(ls -A "$tmp/dirdir")" = pthru.prom ]
check "writer: pthru.prom a directory: exit 1, nothing moved into it" $? \
	"exit $rc" "$(cat "$tmp/err")"

# hold_writer MODE: start the writer with the fake in hold mode and wait
# until it is halfway through; its pid in $writer_pid.
hold_writer() {
	rm -f "$FAKE_STATE/mid" "$FAKE_STATE/go"
	FAKE_MODE=hold PTHRUCTL=$fake "$writer" -d "$dir" 2>"$tmp/err" &
	writer_pid=$!
	for _ in $(seq 500); do
		[ -e "$FAKE_STATE/mid" ] && return 0
		sleep 0.01
	done
	return 1
}

# Killed halfway (the timer's unit stopped, a shutdown): the trap removes
# the temporary file and the old one stays.
write absent
hold_writer
mid=$?
tmpname=$(leftovers)
kill -TERM "$writer_pid"
# Let the fake finish: the shell runs its trap once the tool returns.
: >"$FAKE_STATE/go"
wait "$writer_pid"
rc=$?
writer_pid=
[ $mid -eq 0 ] && [ -n "$tmpname" ] && [ $rc -ne 0 ] &&
	[ -z "$(leftovers)" ] && cmp -s "$tmp/absent" "$dir/pthru.prom"
check "writer: killed halfway: old file kept, temporary file removed" $? \
	"halfway: $mid, temporary file then: '$tmpname', exit $rc, left: $(leftovers)"

# reader FILE STOP OUT: read FILE until STOP exists; OUT gets the md5sum
# of every distinct content read ("missing" when it was not there).
reader() {
	while [ ! -e "$2" ]; do
		md5sum <"$1" 2>/dev/null || echo missing
	done | sort -u >"$3"
}

# atomic NAME WRITE_FN: while a reader reads $dir/pthru.prom in a loop,
# WRITE_FN replaces it 6 times, alternating the absent and the loaded
# content, holding halfway each time; every read must be one of them.
# Returns 0 when every read was whole.
atomic() {
	local fn=$2 i good

	cp "$tmp/absent" "$dir/pthru.prom"
	rm -f "$tmp/stop"
	reader "$dir/pthru.prom" "$tmp/stop" "$tmp/reads" &
	local rpid=$!
	for i in 1 2 3 4 5 6; do
		"$fn" "$i"
	done
	: >"$tmp/stop"
	wait "$rpid"
	good="$(md5sum <"$tmp/absent") $(md5sum <"$tmp/loaded")"
	while read -r sum _; do
		case " $good " in
		*" $sum "*) ;;
		*) return 1 ;;
		esac
	done <"$tmp/reads"
	return 0
}

# One replacement by the writer: halfway, the file is still the old one.
writer_step() {
	if [ $(($1 % 2)) -eq 1 ]; then
		hold_writer || return
		sleep 0.1
		: >"$FAKE_STATE/go"
		wait "$writer_pid"
		writer_pid=
	else
		write absent
	fi
	sleep 0.1
}

# The same, written the naive way: straight into the file.
naive_step() {
	if [ $(($1 % 2)) -eq 1 ]; then
		# Long enough halfway that even a starved reader gets a look.
		{
			head -n 5 "$tmp/loaded"
			sleep 0.3
			tail -n +6 "$tmp/loaded"
		} >"$dir/pthru.prom"
	else
		cat "$tmp/absent" >"$dir/pthru.prom"
	fi
	sleep 0.1
}

# Both contents seen: the reader did read across the replacements.
atomic writer writer_step && [ "$(wc -l <"$tmp/reads")" -eq 2 ]
check "writer: a reader only ever sees the old or the new file, whole" $? \
	"distinct reads: $(cat "$tmp/reads")"
[ -z "$(leftovers)" ] && cmp -s "$tmp/absent" "$dir/pthru.prom"
check "writer: after the replacements, no temporary file" $? "left: $(leftovers)"
! atomic naive naive_step
check "the reader catches a writer that is not atomic" $? \
	"it saw only whole files: the atomicity check proves nothing"

# Found on $PATH, the directory from the environment, usage errors.
rm -f "$dir/pthru.prom"
PATH=$tmp/bin:$PATH PTHRU_TEXTFILE_DIR=$dir FAKE_MODE=up "$writer" 2>"$tmp/err"
rc=$?
cmp -s "$tmp/loaded" "$dir/pthru.prom" && [ $rc -eq 0 ]
check "writer: pthructl from PATH, PTHRU_TEXTFILE_DIR for the directory" $? \
	"exit $rc" "$(cat "$tmp/err")"
write up -x
[ $rc -eq 2 ] && grep -q '^usage: pthru-textfile \[-d DIR\]' "$tmp/err"
check "writer: an unknown option is a usage error (exit 2)" $? "exit $rc"
write up extra
[ $rc -eq 2 ]
check "writer: an extra argument is a usage error (exit 2)" $? "exit $rc"
write up -h
[ $rc -eq 0 ] && grep -q '^usage: pthru-textfile' "$tmp/out"
check "writer: -h prints the usage, exit 0" $? "exit $rc"

# --- the example alert rules -------------------------------------------------

rules=$(cd "$here/../../.." && pwd)/examples/prometheus/pthru.rules.yml
if [ -z "$promtool" ]; then
	fail "the example rules pass promtool check rules" "promtool not found"
else
	out=$("$promtool" check rules "$rules" 2>&1)
	check "the example rules pass promtool check rules" $? "$out"
	out=$(cd "$here" && "$promtool" test rules pthru.rules.test.yml 2>&1)
	check "the example rules fire as tests/pthru.rules.test.yml expects" $? "$out"
	printf 'groups:\n  - name: bad\n    rules:\n      - alert: X\n        expr: pthru_up ==\n' \
		>"$tmp/bad.rules.yml"
	! "$promtool" check rules "$tmp/bad.rules.yml" >/dev/null 2>&1
	check "promtool check rules refuses a broken expression" $?
fi
# Every pthru metric the rules name is one the feed writes.
missing=
while read -r m; do
	grep -q "^# TYPE $m " "$tmp/loaded" "$tmp/absent" || missing+=" $m"
done < <(grep -o 'pthru_[a-z0-9_]*' "$rules" | sort -u)
[ -z "$missing" ]
check "the example rules name only metrics the feed writes" $? "unknown:$missing"

# The guest has busybox's ash, not dash: the same under it.
if command -v busybox >/dev/null; then
	shell=(busybox sh)
	write up
	cmp -s "$tmp/loaded" "$dir/pthru.prom" && [ $rc -eq 0 ]
	check "writer under busybox ash: pthru_up 1 and the metrics" $? \
		"exit $rc" "$(cat "$tmp/err")"
	write absent
	cmp -s "$tmp/absent" "$dir/pthru.prom" && [ $rc -eq 0 ]
	check "writer under busybox ash: pthru_up 0" $? "exit $rc" "$(cat "$tmp/err")"
	write broken
	cmp -s "$tmp/absent" "$dir/pthru.prom" && [ $rc -eq 1 ] && [ -z "$(leftovers)" ]
	check "writer under busybox ash: a failure keeps the old file" $? \
		"exit $rc" "left: $(leftovers)" "$(cat "$tmp/err")"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
