# SPDX-License-Identifier: GPL-2.0
#
# The module's pure core (kmod/core) in pthructl.  The sources are the
# module's own, unchanged; kcompat/ supplies the kernel headers they
# include.  The Makefile includes this file after "all", OBJS and
# LIB_OBJS, before the rules that use them.
#
# The core's objects go under core/, never next to the sources: kbuild
# would take a userspace kmod/core/*.o for its own.

CORE_DIR	:= ../../kmod/core
CORE_OBJS	:= $(patsubst $(CORE_DIR)/%.c,core/%.o,$(wildcard $(CORE_DIR)/*.c))
CORE_OBJS	+= core/upstream/rbtree.o

# Kernel code, so the kernel's W=1 rules: -Wextra without the warnings
# W=1 turns off again.
CORE_CPPFLAGS	:= -Ikcompat -Ikcompat/upstream -I../../uapi -D_GNU_SOURCE
CORE_CFLAGS	= $(CORE_CPPFLAGS) $(WARNINGS) -Wno-unused-parameter $(CFLAGS) -MMD -MP

# The tool's own files that call the core see its headers as <core/...>.
names.o: CPPFLAGS += -Ikcompat -Ikcompat/upstream -I../../kmod

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
