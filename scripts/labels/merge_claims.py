#!/usr/bin/env python3
"""Merge the claim-kind labellers' files ($LABELWORK/claims/out/P{1..4}.tsv and the blind
P{k}-double.tsv) into data/labels/claim-kinds.tsv and data/labels/second/claim-kinds.tsv.
Checks that every packet row has exactly one label of a known kind."""
import csv
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.dirname(os.path.dirname(here))
work = os.path.join(os.environ.get("LABELWORK", os.path.join(repo, "..", "labelwork")), "claims")
KINDS = {"factual", "opinion", "other"}


def read(p):
    with open(p, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def labels(p, ids):
    rows = read(p)
    got = {r["id"]: r for r in rows}
    if len(got) != len(rows) or set(got) != set(ids):
        sys.exit(f"{p}: ids differ from the packet (missing {sorted(set(ids) - set(got))[:5]}, extra {sorted(set(got) - set(ids))[:5]})")
    for r in rows:
        if r["kind"] not in KINDS:
            sys.exit(f"{p}: {r['id']}: unknown kind {r['kind']!r}")
    return got


cols = ["id", "set", "doc", "path", "start", "end", "sentence", "kind", "labeller", "note"]


def write(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        f.write("\t".join(cols) + "\n")
        for r in rows:
            f.write("\t".join((r.get(c) or "").replace("\t", " ") for c in cols) + "\n")


first, second = [], []
for k in range(1, 5):
    pk = read(os.path.join(work, f"packet-{k}.tsv"))
    lab = labels(os.path.join(work, "out", f"P{k}.tsv"), [r["id"] for r in pk])
    first += [{**r, **{c: lab[r["id"]][c] for c in ("kind", "labeller", "note")}} for r in pk]
    dk = read(os.path.join(work, f"double-{k}.tsv"))
    dl = labels(os.path.join(work, "out", f"P{k}-double.tsv"), [r["id"] for r in dk])
    second += [{**r, **{c: dl[r["id"]][c] for c in ("kind", "labeller", "note")}} for r in dk]
first.sort(key=lambda r: r["id"])
second.sort(key=lambda r: r["id"])
write(os.path.join(repo, "data/labels/claim-kinds.tsv"), first)
write(os.path.join(repo, "data/labels/second/claim-kinds.tsv"), second)
print(f"{len(first)} labels, {len(second)} second labels")
