# SPDX-License-Identifier: GPL-2.0
#
# The module's pure core (kmod/core) in pthructl, and its KUnit suites as a
# userspace program, tests/kunit.  The sources are the module's own,
# unchanged; kcompat/ supplies the kernel headers they include.  The
# Makefile includes this file after "all", OBJS and LIB_OBJS, before the
# rules that use them.
#
# The core's objects go under core/, never next to the sources: kbuild
# would take a userspace kmod/core/*.o for its own.

CORE_DIR	:= ../../kmod/core
CORE_OBJS	:= $(patsubst $(CORE_DIR)/%.c,core/%.o,$(wildcard $(CORE_DIR)/*.c))
CORE_OBJS	+= core/upstream/rbtree.o core/upstream/sort.o

# The benchmark is no test: scripts/bench-core.sh runs it under UML.
KUNIT_SRCS	:= $(filter-out %/bench_kunit.c,$(wildcard $(CORE_DIR)/tests/*_kunit.c))
KUNIT_OBJS	:= $(patsubst $(CORE_DIR)/%.c,core/%.o,$(KUNIT_SRCS)) core/kunit.o

# 100 times the 2,000 random topologies the UML run checks: about a
# second.  MODEL_TOPOLOGIES=N in the environment of tests/kunit overrides it.
KUNIT_MODEL_TOPOLOGIES ?= 200000

# Kernel code, so the kernel's W=1 rules: -Wextra without the warnings
# W=1 turns off again.  The tests also trip GCC's string overread check
# where they dereference a lookup they expect to succeed.
CORE_CPPFLAGS	:= -Ikcompat -Ikcompat/upstream -I../../uapi -D_GNU_SOURCE
CORE_CFLAGS	= $(CORE_CPPFLAGS) $(WARNINGS) -Wno-unused-parameter $(CFLAGS) -MMD -MP
# clang has no such check, and would warn about the option.
KUNIT_NO_OVERREAD := $(shell $(CC) -Werror -Wno-stringop-overread -x c -c \
	-o /dev/null /dev/null 2>/dev/null && echo -Wno-stringop-overread)
KUNIT_CFLAGS	= $(CORE_CFLAGS) -Wno-missing-field-initializers $(KUNIT_NO_OVERREAD)

# The tool's own files that call the core see its headers as <core/...>.
# Each new one goes in this list.
CORE_USERS	:= names.o facts.o local_view.o evaluate.o source.o dev.o group.o \
		   audit.o check.o module_facts.o snapshot_cmd.o sysfs_source.o \
		   policy_local.o policy_cmd.o policy_print.o \
		   tests/test_evaluate.o tests/test_sysfs_source.o \
		   tests/test_policy_local.o snapfile.o tests/test_snapfile.o
$(CORE_USERS): CPPFLAGS += -Ikcompat -Ikcompat/upstream -I../../kmod

OBJS		+= $(CORE_OBJS)
LIB_OBJS	+= $(CORE_OBJS)

core/%.o: $(CORE_DIR)/%.c
	$(quiet) CC $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CORE_CFLAGS) -c -o $@ $<

core/upstream/%.o: kcompat/upstream/%.c
	$(quiet) CC $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CORE_CFLAGS) -c -o $@ $<

core/kunit.o: kcompat/kunit.c
	$(quiet) CC $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(KUNIT_CFLAGS) -c -o $@ $<

core/tests/%.o: $(CORE_DIR)/tests/%.c
	$(quiet) CC $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(KUNIT_CFLAGS) -c -o $@ $<

core/tests/reach_model_kunit.o: KUNIT_CFLAGS += \
	-D'MODEL_TOPOLOGIES=kunit_shim_param("MODEL_TOPOLOGIES", $(KUNIT_MODEL_TOPOLOGIES))'

tests/kunit: $(KUNIT_OBJS) $(CORE_OBJS)
	$(quiet) LD $@
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

-include $(KUNIT_OBJS:.o=.d)
