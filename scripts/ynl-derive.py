#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# What scripts/ynl-regen.sh needs beyond the kernel's ynl-gen-c.py:
#
#   ynl-derive.py legacy-spec SPEC OUT
#	Write a genetlink-legacy, per-op copy of SPEC for Debian's 6.1, which
#	has no split ops: one policy per command (the union of its do and
#	dump request attributes), and neither notifications nor commands
#	that take no attribute (those get no policy; the kernel then rejects
#	every attribute).
#   ynl-derive.py fix-split SPEC FILE
#	Edit the generated split-op source (6.2 and later) in place: the
#	family lives in the initial network namespace only, multicast
#	groups flagged admin-perm need CAP_NET_ADMIN to join, and an op
#	without request attributes rejects every attribute, as it does on
#	6.1.
#   ynl-derive.py lint SPEC
#	Fail unless every definition, enum entry, attribute and operation
#	has a doc, and no u8/u16 attribute is left (the family's convention
#	is u32 and u64).
#   ynl-derive.py legacy-source SPEC GENERATED OUT
#	Turn the policies ynl-gen-c.py made from the legacy copy into the
#	6.1 source: the same policies, a genl_ops table with every command of
#	SPEC, the multicast groups and the family.
#
# The generator of the 6.12 tree does not render multicast group flags
# and always makes split-op families network-namespace aware; both are
# settled here so that the spec stays the one definition of the family.
import re
import sys

import yaml


def c_upper(name):
    return name.upper().replace('-', '_')


def c_lower(name):
    return name.lower().replace('-', '_')


def request_attrs(op):
    attrs = []
    for mode in ('do', 'dump'):
        for a in op.get(mode, {}).get('request', {}).get('attributes', []):
            if a not in attrs:
                attrs.append(a)
    return attrs


def calls(spec):
    return [op for op in spec['operations']['list']
            if 'do' in op or 'dump' in op]


def legacy_spec(spec_path, out):
    with open(spec_path) as f:
        text = f.read()
    spec = yaml.safe_load(text)
    spec['protocol'] = 'genetlink-legacy'
    spec['kernel-policy'] = 'per-op'
    ops = []
    for op in spec['operations']['list']:
        if 'do' not in op and 'dump' not in op:
            continue	# notifications are not in the table
        attrs = request_attrs(op)
        if not attrs:
            continue
        op.pop('dump', None)
        op['do'] = {'request': {'attributes': attrs}}
        ops.append(op)
    spec['operations']['list'] = ops
    spdx = text.splitlines()[0]
    with open(out, 'w') as f:
        f.write(spdx + '\n')
        yaml.safe_dump(spec, f, sort_keys=False)


def mcgrp_lines(spec):
    lines = ['static const struct genl_multicast_group pthru_nl_mcgrps[] = {']
    for grp in spec.get('mcast-groups', {}).get('list', []):
        gid = c_upper(f"{spec['name']}-nlgrp-{grp['name']}")
        if 'admin-perm' in grp.get('flags', []):
            lines.append(f'\t[{gid}] = {{ .name = "{grp["name"]}", '
                         '.flags = GENL_MCAST_CAP_NET_ADMIN, },')
        else:
            lines.append(f'\t[{gid}] = {{ .name = "{grp["name"]}", }},')
    lines.append('};')
    return lines


def replace_block(text, start, lines):
    """Replace the C block that begins with the line @start."""
    i = text.index(start)
    j = text.index('\n};\n', i) + len('\n};\n')
    return text[:i] + '\n'.join(lines) + '\n' + text[j:]


REJECT_ALL = '''/*
 * Ops that take no attribute: the kernel fills in its reject-all policy
 * only for policy dumps of split ops, so without a policy of their own
 * they would accept anything (scripts/ynl-derive.py).
 */
static const struct nla_policy pthru_reject_all_nl_policy[] = {
	[0 ... 1] = { .type = NLA_REJECT },
};

'''


def reject_unlisted(text):
    """Give every split op without a request policy the reject-all one."""
    start = text.index('static const struct genl_split_ops')
    end = text.index('\n};\n', start)
    table = text[start:end]
    head = text.rindex('/* Ops table for', 0, start)
    blocks = re.split(r'(\n\t\{\n)', table)
    out = []
    for block in blocks:
        if block.startswith('\t\t.cmd') and '.policy' not in block:
            block = re.sub(r'^\t\t\.(\w+)\t= ', r'\t\t.\1\t\t= ', block,
                           flags=re.M)
            block = re.sub(r'(\n\t\t\.flags)',
                           '\n\t\t.policy\t\t= pthru_reject_all_nl_policy,'
                           '\n\t\t.maxattr\t= 1,\\1', block, count=1)
        out.append(block)
    return (text[:head] + REJECT_ALL + text[head:start] + ''.join(out) +
            text[end:])


def fix_split(spec_path, path):
    spec = yaml.safe_load(open(spec_path))
    text = reject_unlisted(open(path).read())
    text = replace_block(text, 'static const struct genl_multicast_group',
                         mcgrp_lines(spec))
    if '.netnsok\t= true,' not in text:
        sys.exit('ynl-derive: no .netnsok in the generated family')
    text = text.replace('.netnsok\t= true,', '.netnsok\t= false,')
    open(path, 'w').write(text)


def attr_value(attr_set, name):
    value = 0
    for attr in attr_set['attributes']:
        value = attr.get('value', value + 1)
        if attr['name'] == name:
            return value
    raise KeyError(name)


def legacy_source(spec_path, generated, out):
    spec = yaml.safe_load(open(spec_path))
    sets = {s['name']: s for s in spec['attribute-sets']}
    fam = spec['name']
    text = open(generated).read()
    # Keep the includes and policies; the table and family come from here.
    text = text[:text.index('/* Ops table for')]
    # The per-op policies are the table's own; nested ones stay shared.
    text = re.sub(r'^(/\* PTHRU_CMD_\S+ - do \*/\n)const struct nla_policy',
                  r'\1static const struct nla_policy', text, flags=re.M)
    # 6.1's nla_policy points to a range that is not const.
    text = text.replace('static const struct netlink_range_validation',
                        'static struct netlink_range_validation')
    text = text.replace('"pthru-nl-legacy-policies.h"', '"pthru-nl.h"')
    text = text.replace('specs/pthru-legacy.yaml', 'specs/pthru.yaml')
    text = text.replace('YNL-GEN kernel source',
                        'YNL-GEN kernel source, per-op for 6.1 (scripts/ynl-derive.py)')
    lines = ['/* Ops table for pthru (6.1 has no split ops) */',
             'static const struct genl_ops pthru_nl_ops[] = {']
    for op in calls(spec):
        members = [('cmd', c_upper(f"{fam}-cmd-{op['name']}"))]
        for mode in ('do', 'dump'):
            if mode in op:
                members.append((mode + 'it',
                                c_lower(f"{fam}-nl-{op['name']}-{mode}it")))
        attrs = request_attrs(op)
        if attrs:
            aset = sets[op['attribute-set']]
            prefix = aset.get('name-prefix', f"{fam}-a-{aset['name']}-")
            top = max(attrs, key=lambda a: attr_value(aset, a))
            members.append(('policy',
                            c_lower(f"{fam}-{op['name']}-nl-policy")))
            members.append(('maxattr', c_upper(prefix + top)))
        if 'admin-perm' in op.get('flags', []):
            members.append(('flags', 'GENL_ADMIN_PERM'))
        width = max(len(m[0]) for m in members)
        lines.append('\t{')
        for key, val in members:
            pad = '\t' if len(key) + 1 >= 8 or width + 1 < 8 else '\t\t'
            lines.append(f'\t\t.{key}{pad}= {val},')
        lines.append('\t},')
    lines.append('};')
    lines.append('')
    lines += mcgrp_lines(spec)
    lines += ['',
              'struct genl_family pthru_nl_family __ro_after_init = {',
              '\t.name\t\t= PTHRU_FAMILY_NAME,',
              '\t.version\t= PTHRU_FAMILY_VERSION,',
              '\t.netnsok\t= false,',
              '\t.parallel_ops\t= true,',
              '\t.module\t\t= THIS_MODULE,',
              '\t.ops\t\t= pthru_nl_ops,',
              '\t.n_ops\t\t= ARRAY_SIZE(pthru_nl_ops),',
              '\t.mcgrps\t\t= pthru_nl_mcgrps,',
              '\t.n_mcgrps\t= ARRAY_SIZE(pthru_nl_mcgrps),',
              '};']
    with open(out, 'w') as f:
        f.write(text + '\n'.join(lines) + '\n')


def lint(spec_path):
    spec = yaml.safe_load(open(spec_path))
    missing = []
    for d in spec.get('definitions', []):
        if 'doc' not in d:
            missing.append(f"definition {d['name']}")
        for e in d.get('entries', []):
            if not isinstance(e, dict) or 'doc' not in e:
                name = e['name'] if isinstance(e, dict) else e
                missing.append(f"entry {d['name']}.{name}")
    for aset in spec['attribute-sets']:
        for a in aset['attributes']:
            if 'doc' not in a:
                missing.append(f"attribute {aset['name']}.{a['name']}")
            if a.get('type') in ('u8', 'u16', 's8', 's16'):
                missing.append(f"attribute {aset['name']}.{a['name']} "
                               f"is {a['type']} (use u32)")
    for op in spec['operations']['list']:
        if 'doc' not in op:
            missing.append(f"operation {op['name']}")
    for m in missing:
        print(f'ynl-derive: {spec_path}: {m}: no doc' if 'use u32' not in m
              else f'ynl-derive: {spec_path}: {m}', file=sys.stderr)
    sys.exit(1 if missing else 0)


def main():
    if len(sys.argv) == 4 and sys.argv[1] == 'legacy-spec':
        legacy_spec(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == 'fix-split':
        fix_split(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 3 and sys.argv[1] == 'lint':
        lint(sys.argv[2])
    elif len(sys.argv) == 5 and sys.argv[1] == 'legacy-source':
        legacy_source(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit('usage: ynl-derive.py legacy-spec SPEC OUT | '
                 'fix-split SPEC FILE | lint SPEC | '
                 'legacy-source SPEC GENERATED OUT')


if __name__ == '__main__':
    main()
