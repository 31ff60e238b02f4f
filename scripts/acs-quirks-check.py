#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Check pthru's copy of the kernel's device-specific ACS quirks.

kmod/core/acs_quirks.c carries, for each pinned kernel (Debian's
linux-source-6.1 and linux-source-6.12), every line of pci_dev_acs_enabled[]
in drivers/pci/quirks.c with its line number, the device-ID lists the quirk
functions match on, and a fingerprint of the body of every function pthru
reproduces.  This script reads quirks.c (and pci_ids.h, for the vendor
names) straight out of the tarballs and fails when any of it disagrees:
one line per disagreement, then one summary line

    acs-quirks: N passed, N failed

  scripts/acs-quirks-check.py            check (the make check lane)
  scripts/acs-quirks-check.py --print K  print the table rows of kernel K
                                         (6.1 or 6.12) as acs_quirks.c
                                         writes them, for a refresh
  scripts/acs-quirks-check.py --fingerprints
                                         print the fingerprint lines

Environment: PTHRU_LINUX_SOURCE_6_1 / PTHRU_LINUX_SOURCE_6_12 name other
tarballs (or unpacked trees) than /usr/src/linux-source-<K>.tar.xz.
"""
import difflib
import hashlib
import os
import re
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TABLE = os.path.join(TOP, "kmod", "core", "acs_quirks.c")
KERNELS = ["6.1", "6.12"]	# column order of the table's line numbers

# The functions whose bodies decide what a quirk says; a change in any of
# them needs a person to read it (acs_quirks.c reproduces them by hand).
JUDGED = [
    "pci_acs_ctrl_enabled",
    "pci_dev_specific_acs_enabled",
    "pci_quirk_amd_sb_acs",
    "pci_quirk_cavium_acs_match",
    "pci_quirk_cavium_acs",
    "pci_quirk_xgene_acs",
    "pci_quirk_zhaoxin_pcie_ports_acs",
    "pci_quirk_intel_pch_acs_match",
    "pci_quirk_intel_pch_acs",
    "pci_quirk_qcom_rp_acs",
    "pci_quirk_nxp_rp_acs",
    "pci_quirk_al_acs",
    "pci_quirk_intel_spt_pch_acs_match",
    "pci_quirk_intel_spt_pch_acs",
    "pci_quirk_mf_endpoint_acs",
    "pci_quirk_rciep_acs",
    "pci_quirk_brcm_acs",
    "pci_quirk_loongson_acs",
    "pci_quirk_wangxun_nic_acs",
]

# ID lists: the function (or array) of quirks.c they come from.
ID_LISTS = [
    "pci_quirk_intel_pch_acs_ids",
    "pci_quirk_intel_spt_pch_acs_match",
    "pci_quirk_cavium_acs_match",
    "pci_quirk_zhaoxin_pcie_ports_acs",
    "pci_quirk_wangxun_nic_acs",
]


def source_of(kernel):
    env = "PTHRU_LINUX_SOURCE_" + kernel.replace(".", "_")
    return os.environ.get(env, "/usr/src/linux-source-%s.tar.xz" % kernel)


def read_members(src, kernel, rels):
    """Text of @rels (paths inside the tree) from a tarball or a tree."""
    if os.path.isdir(src):
        out = []
        for rel in rels:
            with open(os.path.join(src, rel), encoding="utf-8") as f:
                out.append(f.read())
        return out
    with tempfile.TemporaryDirectory() as tmp:
        members = ["linux-source-%s/%s" % (kernel, rel) for rel in rels]
        subprocess.run(["tar", "-C", tmp, "-xJf", src] + members, check=True,
                       stderr=subprocess.PIPE)
        return read_members(os.path.join(tmp, "linux-source-" + kernel),
                            kernel, rels)


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"),
                  text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def vendor_ids(pci_ids):
    ids = {}
    for m in re.finditer(r"#define\s+(PCI_VENDOR_ID_\w+)\s+(0x[0-9a-fA-F]+)",
                         pci_ids):
        ids[m.group(1)] = int(m.group(2), 16)
    return ids


def number(tok, names):
    tok = tok.strip()
    if tok == "PCI_ANY_ID":
        return 0xffff
    if tok in names:
        return names[tok]
    return int(tok, 0)


def kernel_table(quirks, names):
    """Rows (vendor, device, function, line) of pci_dev_acs_enabled[]."""
    lines = quirks.split("\n")
    start = None
    for i, line in enumerate(lines):
        if re.search(r"\}\s*pci_dev_acs_enabled\[\]\s*=\s*\{", line):
            start = i
            break
    if start is None:
        raise ValueError("no pci_dev_acs_enabled[] in quirks.c")
    rows = []
    for i in range(start + 1, len(lines)):
        code = strip_comments(lines[i]).strip()
        if code.startswith("{ 0 }") or code.startswith("};"):
            break
        m = re.match(r"\{\s*([^,]+),\s*([^,]+),\s*(\w+)\s*\},", code)
        if not m:
            if code:
                raise ValueError("quirks.c:%d: cannot read %r" % (i + 1, code))
            continue
        rows.append((number(m.group(1), names), number(m.group(2), names),
                     m.group(3), i + 1))
    return rows


def function_body(quirks, name):
    """Text of function (or array) @name from its name to its closing brace."""
    # A definition starts in column 0 (a call is indented) on one line.
    m = re.search(r"^(?=\S)[\w \t\*]*?\b%s\b[ \t]*(\(|\[)"
                  % re.escape(name), quirks, flags=re.M)
    if not m:
        return None
    end = re.compile(r"^\};?\s*$", re.M).search(quirks, m.end())
    return quirks[m.start():end.end()] if end else None


def fingerprint(body):
    code = re.sub(r"\s+", "", strip_comments(body))
    return hashlib.sha256(code.encode()).hexdigest()[:16]


def id_ranges(body):
    """Device IDs a function's case labels or an array's values name."""
    code = strip_comments(body)
    ranges = []
    if "[]" in code.split("{", 1)[0]:
        for tok in re.findall(r"0x[0-9a-fA-F]+", code.split("{", 1)[1]):
            v = int(tok, 16)
            ranges.append((v, v))
        return ranges
    for m in re.finditer(r"case\s+(0x[0-9a-fA-F]+)(?:\s*\.\.\.\s*(0x[0-9a-fA-F]+))?\s*:",
                         code):
        lo = int(m.group(1), 16)
        hi = int(m.group(2), 16) if m.group(2) else lo
        ranges.append((lo, hi))
    return ranges


# --- pthru's side -------------------------------------------------------

def pthru_table(text):
    """Rows (vendor, device, function, [line per kernel]) of acs_quirks.c."""
    m = re.search(r"pthru_acs_quirk_table\[\]\s*=\s*\{(.*?)\n\};", text, re.S)
    if not m:
        raise ValueError("no pthru_acs_quirk_table[] in acs_quirks.c")
    rows = []
    for e in re.finditer(r"Q\(\s*(0x[0-9a-fA-F]+),\s*(0x[0-9a-fA-F]+|ANY),\s*(\w+),\s*(\d+),\s*(\d+)\s*\)",
                         m.group(1)):
        dev = 0xffff if e.group(2) == "ANY" else int(e.group(2), 16)
        rows.append((int(e.group(1), 16), dev, e.group(3),
                     [int(e.group(4)), int(e.group(5))]))
    return rows


def pthru_fn_names(text):
    """enum name -> kernel function name, from the quirk_fns[] array."""
    names = {}
    for e in re.finditer(r"\[PTHRU_ACS_QUIRK_(\w+)\]\s*=\s*\{\s*\"(\w+)\"", text):
        names[e.group(1)] = e.group(2)
    return names


def pthru_id_lists(text):
    lists = {}
    for e in re.finditer(r"/\* ids: (\w+) \*/\s*\n[^{]*=\s*\{(.*?)\n\};", text, re.S):
        ranges = []
        body = strip_comments(e.group(2))
        pairs = re.findall(r"\{\s*(0x[0-9a-fA-F]+),\s*(0x[0-9a-fA-F]+)\s*\}", body)
        if pairs:
            ranges = [(int(a, 16), int(b, 16)) for a, b in pairs]
        else:
            ranges = [(int(v, 16), int(v, 16))
                      for v in re.findall(r"0x[0-9a-fA-F]+", body)]
        lists[e.group(1)] = ranges
    return lists


def pthru_fingerprints(text):
    return {m.group(1): m.group(2)
            for m in re.finditer(r"fingerprint (\w+) ([0-9a-f]{16})", text)}


def row_name(r):
    return "%04x:%s %s" % (r[0], "ANY" if r[1] == 0xffff else "%04x" % r[1],
                           r[2])


def compare_rows(kernel, mine, theirs, problems):
    """Align the rows on (vendor, device, function) in order; report rows
    only one side has, one line each, and return (rows that agree, pairs
    that agree but for the line number)."""
    a = [r[:3] for r in mine]
    b = [r[:3] for r in theirs]
    passed = 0
    moved = []
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2)):
                if mine[i][3] == theirs[j][3]:
                    passed += 1
                else:
                    moved.append((mine[i], theirs[j]))
            continue
        for i in range(i1, i2):
            problems.append("%s: pthru has %s (quirks.c:%d), the kernel does not"
                            % (kernel, row_name(mine[i]), mine[i][3]))
        for j in range(j1, j2):
            problems.append("%s: the kernel has %s at quirks.c:%d, pthru does not"
                            % (kernel, row_name(theirs[j]), theirs[j][3]))
    return passed, moved


def load_kernel(kernel):
    src = source_of(kernel)
    quirks, pci_ids = read_members(src, kernel, ["drivers/pci/quirks.c",
                                                 "include/linux/pci_ids.h"])
    return quirks, vendor_ids(pci_ids)


def main():
    args = sys.argv[1:]
    if args[:1] == ["--print"] and len(args) == 2 and args[1] in KERNELS:
        quirks, names = load_kernel(args[1])
        rev = {}
        for k, v in names.items():
            rev.setdefault(v, k)
        for vendor, dev, fn, line in kernel_table(quirks, names):
            print("%s, %s, %d  /* %s */" % (
                "0x%04x" % vendor, "ANY" if dev == 0xffff else "0x%04x" % dev,
                line, fn))
        return 0
    if args == ["--fingerprints"]:
        quirks, _ = load_kernel(KERNELS[-1])
        for name in JUDGED:
            body = function_body(quirks, name)
            print(" * fingerprint %s %s" % (
                name, fingerprint(body) if body else "missing"))
        return 0
    if args:
        print(__doc__.strip(), file=sys.stderr)
        return 2

    passed = failed = 0
    problems = []
    with open(TABLE, encoding="utf-8") as f:
        text = f.read()
    ours = pthru_table(text)
    fn_names = pthru_fn_names(text)
    our_lists = pthru_id_lists(text)
    our_prints = pthru_fingerprints(text)

    for col, kernel in enumerate(KERNELS):
        try:
            quirks, names = load_kernel(kernel)
            theirs = kernel_table(quirks, names)
        except (OSError, ValueError, subprocess.CalledProcessError) as e:
            problems.append("%s: cannot read the pinned source: %s" % (kernel, e))
            continue
        mine = [(v, d, fn_names.get(f, "?" + f), lines[col])
                for v, d, f, lines in ours if lines[col]]
        p, moved = compare_rows(kernel, mine, theirs, problems)
        passed += p
        if moved:
            problems.append("%s: %d row(s) at other lines of quirks.c, first %s: pthru %d, kernel %d (see --print %s)"
                            % (kernel, len(moved), row_name(moved[0][0]),
                               moved[0][0][3], moved[0][1][3], kernel))
        for name in ID_LISTS:
            body = function_body(quirks, name)
            if body is None:
                problems.append("%s: %s is gone from quirks.c" % (kernel, name))
                continue
            want = id_ranges(body)
            have = our_lists.get(name)
            if have == want:
                passed += 1
            else:
                problems.append("%s: ID list of %s differs: pthru %s, kernel %s"
                                % (kernel, name,
                                   " ".join("%04x-%04x" % r for r in have or []),
                                   " ".join("%04x-%04x" % r for r in want)))
        for name in JUDGED:
            body = function_body(quirks, name)
            have = our_prints.get(name)
            got = fingerprint(body) if body else "missing"
            if have == got:
                passed += 1
            else:
                problems.append("%s: %s changed (fingerprint %s, pthru judged %s): read it and update acs_quirks.c"
                                % (kernel, name, got, have))
        used = {f for _, _, f, _ in theirs}
        for f in sorted(used - set(JUDGED)):
            problems.append("%s: new quirk function %s is not judged by pthru"
                            % (kernel, f))
    for line in problems:
        print("acs-quirks: " + line)
    failed = len(problems)
    print("acs-quirks: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
