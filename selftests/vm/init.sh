#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 of the pthru test guest (busybox sh).  Loads the profile's drivers
# and pthru.ko, then, by the pthru_vm.mode= word on the kernel command line:
#   test  runs the selftests (those of pthru.tests=a.sh,b.sh when given,
#         else all, with the kernel's run_kselftest.sh when the profile
#         installed them as a kselftest collection) and copies their KTAP to the result channel (ttyS1),
#         ending it with "# pthru-vm: done ..." so the host can tell a
#         finished run from one the kernel cut short (on a kernel with
#         kmemleak, its report comes just before); pthru.bench_runs=N
#         sets the benchmark's PTHRU_BENCH_RUNS; pthru.soak=1 adds the
#         soaks, pthru.soak_cycles=, pthru.soak_reloads= and
#         pthru.soak_nl_messages= size them; pthru.timeout=S gives each
#         test program S seconds instead of what settings says;
#         pthru.map_reloads=N sets pthru_map_reload.sh's PTHRU_MAP_RELOADS;
#   demo  prints pthructl's human output between two marker lines.
# Then powers off.  Nothing here may wait for input: the host gives the
# whole run a hard timeout.

PATH=/bin:/usr/bin
export PATH

mount -t devtmpfs devtmpfs /dev
# What udev adds on any system; the kernel's run_kselftest.sh appends its
# tests' output to /dev/stdout, which devtmpfs alone does not have.
ln -s /proc/self/fd /dev/fd
ln -s /proc/self/fd/0 /dev/stdin
ln -s /proc/self/fd/1 /dev/stdout
ln -s /proc/self/fd/2 /dev/stderr
# The initramfs has no /dev/console node; take the console from devtmpfs.
exec </dev/console >/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp

mode='test'
tests=
for word in $(cat /proc/cmdline); do
	case $word in
	pthru_vm.mode=*) mode=${word#pthru_vm.mode=} ;;
	pthru.tests=*) tests=$(echo "${word#pthru.tests=}" | tr ',' ' ') ;;
	pthru.bench_runs=*) PTHRU_BENCH_RUNS=${word#pthru.bench_runs=}; export PTHRU_BENCH_RUNS ;;
	pthru.soak=1) PTHRU_SOAK=1; export PTHRU_SOAK ;;
	pthru.timeout=*) PTHRU_TEST_TIMEOUT=${word#*=}; export PTHRU_TEST_TIMEOUT ;;
	pthru.map_reloads=*) PTHRU_MAP_RELOADS=${word#*=}; export PTHRU_MAP_RELOADS ;;
	pthru.soak_cycles=*) PTHRU_SOAK_CYCLES=${word#*=}; export PTHRU_SOAK_CYCLES ;;
	pthru.soak_reloads=*) PTHRU_SOAK_RELOADS=${word#*=}; export PTHRU_SOAK_RELOADS ;;
	pthru.soak_nl_messages=*) PTHRU_SOAK_NL_MESSAGES=${word#*=}; export PTHRU_SOAK_NL_MESSAGES ;;
	esac
done
profile=$(cat /etc/pthru-vm/profile)
echo "pthru-vm: kernel $(uname -r), profile $profile, mode $mode"

result=/dev/ttyS1
stty -F $result raw -echo 2>/dev/null

while read -r ko; do
	insmod "/lib/modules/pthru-vm/$ko" ||
		echo "pthru-vm: insmod $ko failed (its devices stay unbound)"
done </etc/pthru-vm/modules
# What the profile does with those drivers before pthru sees the host.
if [ -f /etc/pthru-vm/setup ]; then
	sh /etc/pthru-vm/setup || echo "pthru-vm: the profile's setup failed"
fi

# The selftests reload the module from here (pthru_reload.sh), mark a
# function untrusted with the test module (pthru_untrusted.sh), and read
# what the audit must find in this profile.
PTHRU_KO=/lib/pthru/pthru.ko
PTHRU_TEST_UNTRUSTED_KO=/lib/pthru/pthru_test_untrusted.ko
PTHRU_TEST_DOMAIN_KO=/lib/pthru/pthru_test_domain.ko
PTHRU_TEST_EDU_KO=/lib/pthru/pthru_test_edu.ko
export PTHRU_KO PTHRU_TEST_UNTRUSTED_KO PTHRU_TEST_DOMAIN_KO PTHRU_TEST_EDU_KO
if [ -f /etc/pthru-vm/expect ]; then
	PTHRU_TEST_EXPECT=/etc/pthru-vm/expect
	export PTHRU_TEST_EXPECT
fi
if insmod $PTHRU_KO; then
	pthru=loaded
else
	pthru=failed
	echo "pthru-vm: insmod $PTHRU_KO failed"
fi

# On a kernel with kmemleak (the debug lane's), what it finds once the
# tests are done, between two marker lines the host judges: objects must
# be older than kmemleak's 5 s minimum age, and a second scan drops those
# the first caught in transit.
kmemleak=/sys/kernel/debug/kmemleak
kmemleak_report() {
	[ -e $kmemleak ] || return 0
	sleep 6
	echo scan >$kmemleak && echo scan >$kmemleak ||
		echo "# pthru-vm: kmemleak scan failed"
	echo "# pthru-vm: kmemleak begin"
	sed 's/^/# kmemleak: /' $kmemleak
	echo "# pthru-vm: kmemleak end"
}

case $mode in
test)
	# The full KTAP goes to the result channel as it is produced, so a
	# run the kernel cuts short still shows how far it got; the console
	# gets only the top-level verdicts.
	# shellcheck disable=SC2086 # a list of test names
	if [ -z "$tests" ] && [ -x /kselftest/run_kselftest.sh ]; then
		# The profile's proof that kernel CI's runner takes the
		# installed collection; the ynl test finds its files by name.
		PTHRU_YNL_CLI=/tools/net/ynl/cli.py
		PTHRU_YNL_SPEC=/Documentation/netlink/specs/pthru.yaml
		export PTHRU_YNL_CLI PTHRU_YNL_SPEC
		(cd /kselftest && ./run_kselftest.sh -c pthru; echo $? >/tmp/rc) 2>&1 |
			tee $result | grep -E '^(not )?ok '
	else
		(cd /selftests && ./run_tests.sh $tests; echo $? >/tmp/rc) 2>&1 |
			tee $result | grep -E '^(not )?ok '
	fi
	kmemleak_report >$result
	echo "# pthru-vm: done rc=$(cat /tmp/rc) pthru=$pthru" >$result
	;;
demo)
	echo 1 >/proc/sys/kernel/printk	# keep kernel messages out of the output
	echo "===== pthru demo begin ====="
	for cmd in status dev group audit "check 0000:04:00.0"; do
		echo "\$ pthructl $cmd"
		pthructl $cmd 2>&1
		echo
	done
	echo "===== pthru demo end ====="
	;;
*)
	echo "pthru-vm: unknown pthru_vm.mode=$mode"
	;;
esac

sync
poweroff -f
