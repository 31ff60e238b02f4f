// SPDX-License-Identifier: GPL-2.0
/*
 * The facts container: names of the sources, the unread list, freeing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "pthructl.h"

static const char *const source_names[] = {
	[FACTS_MODULE]	= "module",
	[FACTS_SYSFS]	= "sysfs",
};

const char *facts_source_name(enum facts_source source)
{
	if ((size_t)source >= ARRAY_SIZE(source_names))
		return "unknown";
	return source_names[source];
}

int facts_source_parse(const char *s, enum facts_source *source)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(source_names); i++)
		if (!strcmp(s, source_names[i])) {
			*source = i;
			return 0;
		}
	return -EINVAL;
}

int facts_note_unread(struct facts *facts, const char *path, int err)
{
	struct facts_unread *bigger;
	char *copy;

	copy = strdup(path);
	if (!copy)
		return -ENOMEM;
	bigger = realloc(facts->unread,
			 (facts->n_unread + 1) * sizeof(*facts->unread));
	if (!bigger) {
		free(copy);
		return -ENOMEM;
	}
	facts->unread = bigger;
	facts->unread[facts->n_unread].path = copy;
	facts->unread[facts->n_unread].err = err;
	facts->n_unread++;
	return 0;
}

void facts_free(struct facts *facts)
{
	size_t i;

	if (facts->snap)
		pthru_snapshot_put(facts->snap);
	free(facts->cmdline);
	for (i = 0; i < facts->n_unread; i++)
		free(facts->unread[i].path);
	free(facts->unread);
	memset(facts, 0, sizeof(*facts));
}
