#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Validate pthructl's -j documents against Documentation/schemas/.

    schema-check.py [--schemas DIR] DOC...

Each DOC is a file named NNN.KIND.json holding one document of KIND
(pthru-KIND.schema.json); for KIND "monitor" every line is one event.
The unit tests write them from crafted netlink messages (tests/unit
PTHRUCTL DIR).  A file of KIND "names" holds the tool's name tables
instead, which the enumerations of pthru-defs.schema.json must match.

Besides each document and each schema, it checks that the check can
fail: every document is mutated (an unknown key added to each of its
objects, each key removed, each value and each array's first element
given a value no schema allows) and every mutation must be rejected.

Prints "ok N - ..." / "not ok N - ..." lines and "N passed, N failed";
exits 1 when something failed (python3-jsonschema missing included).
"""
import argparse
import copy
import json
import os
import sys

try:
    from jsonschema import Draft202012Validator
except ImportError:
    print("not ok 1 - python3-jsonschema (4.x, with Draft 2020-12) is needed")
    print("0 passed, 1 failed")
    sys.exit(1)

BASE = "https://pthru.example/schemas/2/"
# Keys a document may lack: map verify names its group only when asked.
OPTIONAL = {("map-verify", ("group",))}
# "source" tops a dev show or group show document but not the same object
# in a list, where the schema shares its definition; "snapshot" is there
# only when a snapshot file was evaluated.
OPTIONAL |= {(k, ("source",)) for k in ("dev-show", "group-show")}
OPTIONAL |= {(k, ("snapshot",)) for k in ("audit", "check", "dev", "group",
                                          "dev-show", "group-show",
                                          "policy-test")}
# No schema allows a number that is not an integer.
WRONG = 0.5

passed = 0
failed = 0
num = 0


def report(ok, what, detail=()):
    global passed, failed, num
    num += 1
    if ok:
        passed += 1
    else:
        failed += 1
    print("%s %d - %s" % ("ok" if ok else "not ok", num, what))
    for line in detail:
        print("# " + line)


def load_schemas(path):
    schemas = {}
    for name in sorted(os.listdir(path)):
        if name.endswith(".schema.json"):
            with open(os.path.join(path, name)) as f:
                schemas[name] = json.load(f)
    return schemas


def make_validator_factory(schemas):
    """One validator per schema, $ref by $id resolved among the files.

    jsonschema 4.18 and later resolve through a referencing.Registry;
    Debian 12's 4.10 through a RefResolver with the files as its store.
    Neither fetches anything: every $id is in the set.
    """
    try:
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012

        registry = Registry().with_resources(
            (s["$id"], Resource.from_contents(s, DRAFT202012))
            for s in schemas.values())
        return lambda s: Draft202012Validator(s, registry=registry)
    except ImportError:
        from jsonschema import RefResolver

        store = {s["$id"]: s for s in schemas.values()}
        return lambda s: Draft202012Validator(
            s, resolver=RefResolver.from_schema(s, store=store))


def open_objects(node, path="$"):
    """Object subschemas that let keys through undeclared."""
    bad = []
    if isinstance(node, dict):
        is_object = node.get("type") == "object" or "properties" in node
        closed = (node.get("additionalProperties") is False or
                  node.get("unevaluatedProperties") is False)
        fragment = str(node.get("$comment", "")).startswith("Open on purpose")
        if is_object and not closed and not fragment:
            bad.append(path)
        # A fragment's members are still checked, not its own openness.
        children = node.get("properties", {}) if fragment else node
        for key, val in children.items():
            bad += open_objects(val, "%s/%s" % (path, key))
    elif isinstance(node, list):
        for i, val in enumerate(node):
            bad += open_objects(val, "%s/%d" % (path, i))
    return bad


def check_schemas(schemas):
    for name, s in schemas.items():
        problems = []
        try:
            Draft202012Validator.check_schema(s)
        except Exception as e:  # SchemaError, with its message
            problems.append("not a valid Draft 2020-12 schema: %s" %
                            str(e).splitlines()[0])
        if s.get("$schema") != "https://json-schema.org/draft/2020-12/schema":
            problems.append("$schema is not Draft 2020-12")
        if s.get("$id") != BASE + name:
            problems.append("$id is %r, not %r" % (s.get("$id"), BASE + name))
        if not s.get("title"):
            problems.append("no title")
        problems += ["open object at %s" % p for p in open_objects(s)]
        report(not problems, "schema %s" % name, problems)


def enum_of(defs, key):
    node = defs["$defs"][key]
    if "items" in node:
        node = node["items"]
    if "anyOf" in node:
        node = node["anyOf"][0]
    return {v for v in node["enum"] if v is not None}


def check_names(schemas, names_file):
    """The schemas' enumerations are the tool's tables, word for word."""
    with open(names_file) as f:
        tables = json.load(f)
    defs = schemas["pthru-defs.schema.json"]
    for key, words in sorted(tables.items()):
        if key == "hazard_name":
            words = words + ["bridge"]
        want = set(words)
        got = enum_of(defs, key)
        report(got == want, "enumeration %s matches the tool's table" % key,
               ["schema lacks %s" % sorted(want - got)] * bool(want - got) +
               ["tool lacks %s" % sorted(got - want)] * bool(got - want))


def errors_of(validator, doc):
    return sorted(validator.iter_errors(doc), key=lambda e: list(e.path))


def fmt(err):
    where = "/".join(str(p) for p in err.absolute_path) or "(top)"
    return "%s: %s" % (where, err.message[:200])


def mutations(doc, kind):
    """(description, mutated document) pairs, each of which must fail."""
    out = []

    def walk(node, path):
        if isinstance(node, dict):
            m = copy.deepcopy(doc)
            at(m, path)["x_not_in_schema"] = 1
            out.append(("unknown key in %s" % show(path), m))
            for key in node:
                if (kind, tuple(path) + (key,)) not in OPTIONAL:
                    m = copy.deepcopy(doc)
                    del at(m, path)[key]
                    out.append(("%s removed" % show(path + [key]), m))
                m = copy.deepcopy(doc)
                at(m, path)[key] = WRONG
                out.append(("%s of a wrong type" % show(path + [key]), m))
                walk(node[key], path + [key])
        elif isinstance(node, list) and node:
            m = copy.deepcopy(doc)
            at(m, path)[0] = WRONG
            out.append(("%s of a wrong type" % show(path + [0]), m))
            walk(node[0], path + [0])

    walk(doc, [])
    return out


def at(node, path):
    for p in path:
        node = node[p]
    return node


def show(path):
    return "/".join(str(p) for p in path) or "the document"


def check_doc(validator, kind, label, doc):
    errs = errors_of(validator, doc)
    report(not errs, "%s is valid" % label, [fmt(e) for e in errs[:5]])
    if errs:
        return
    muts = mutations(doc, kind)
    accepted = [what for what, m in muts if validator.is_valid(m) is True]
    report(not accepted, "%s: %d mutations rejected" % (label, len(muts) -
                                                         len(accepted)),
           ["accepted: %s" % a for a in accepted[:10]])


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--schemas",
                    default=os.path.join(here, "../../../Documentation/schemas"))
    ap.add_argument("docs", nargs="*")
    args = ap.parse_args()

    schemas = load_schemas(args.schemas)
    factory = make_validator_factory(schemas)
    check_schemas(schemas)

    seen = set()
    events = set()
    for path in args.docs:
        label = os.path.basename(path)
        kind = label.split(".")[1]
        if kind == "names":
            check_names(schemas, path)
            continue
        schema = schemas.get("pthru-%s.schema.json" % kind)
        if schema is None:
            report(False, "%s: no schema pthru-%s.schema.json" % (label, kind))
            continue
        seen.add(kind)
        validator = factory(schema)
        with open(path) as f:
            text = f.read()
        if kind == "monitor":
            docs = [json.loads(line) for line in text.splitlines()]
            events.update(d.get("event") for d in docs)
        else:
            docs = [json.loads(text)]
        for i, doc in enumerate(docs):
            what = label if len(docs) == 1 else "%s line %d" % (label, i + 1)
            if kind != "monitor":
                check_doc(validator, kind, what, doc)
                continue
            # The event's own schema says best what is wrong with a line;
            # pthru-monitor.schema.json, any event, must take it too.
            errs = errors_of(validator, doc)
            report(not errs, "%s is a monitor event" % what,
                   [fmt(e) for e in errs[:5]])
            event = schemas.get("pthru-monitor-%s.schema.json" %
                                doc.get("event"))
            if event:
                check_doc(factory(event), kind, what, doc)

    # Every document kind and every event type was seen at least once.
    if args.docs:
        for name in schemas:
            kind = name[len("pthru-"):-len(".schema.json")]
            if kind == "defs":
                continue
            if kind.startswith("monitor-"):
                ok = kind[len("monitor-"):] in events
            else:
                ok = kind in seen
            report(ok, "a document of %s was checked" % name)

    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
