#!/usr/bin/env python3
"""Merges the confirmation labellers' files into data/labels/confirmations.tsv (first
labelling: L1 the BBC packet, L2 the PolNeAR packet) and data/labels/second/confirmations.tsv
(L3, the blind second labelling of second.tsv), then prints Cohen's kappa per field on the
items labelled twice. Usage, from the repository root:
    python3 scripts/labels/merge_confirm.py /work/lab-confirm
"""
import csv
import collections
import os
import sys

COLS = ["set", "doc", "path", "word_start", "word_end", "word", "sentence_start",
        "sentence_end", "is_attribution", "source_start", "source_end", "source_text",
        "source_type", "confirms", "refusal", "labeller", "note"]
TYPES = {"named_official", "named_person", "organization", "media", "document", "anonymous",
         "vague", "other", "none"}


def rd(p):
    with open(p, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\"))


def clean(x):
    return (x or "").replace("\t", " ").replace("\n", " ").strip()


def rows_of(work, labeller, labels, items):
    out = []
    for r in rd(os.path.join(work, labeller, "labels.tsv")):
        it = items[r["item"]]
        text = open(os.path.join("..", "shared", it["path"]), encoding="utf-8").read()
        if r["source_text"]:
            s, e = int(r["source_start"]), int(r["source_end"])
            assert text[s:e] == r["source_text"], (labeller, r["item"])
        assert r["source_type"] in TYPES and r["confirms"] in "01" and r["refusal"] in "01"
        out.append({**{k: it[k] for k in COLS[:8]}, "is_attribution": r["is_attribution"],
                    "source_start": r["source_start"], "source_end": r["source_end"],
                    "source_text": clean(r["source_text"]), "source_type": r["source_type"],
                    "confirms": r["confirms"], "refusal": r["refusal"], "labeller": labels,
                    "note": clean(r["note"])})
    return out


def kappa(pairs):
    n = len(pairs)
    agree = sum(a == b for a, b in pairs) / n
    ca, cb = collections.Counter(a for a, _ in pairs), collections.Counter(b for _, b in pairs)
    chance = sum(ca[k] * cb[k] for k in ca) / n / n
    return (agree - chance) / (1 - chance) if chance < 1 else 1.0, agree, n


def write(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, COLS, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE)
        w.writeheader()
        w.writerows(rows)


def main():
    work = sys.argv[1]
    items = {r["item"]: r for r in rd(os.path.join(work, "items.tsv"))}
    first = rows_of(work, "L1", "E1", items) + rows_of(work, "L2", "E2", items)
    second = rows_of(work, "L3", "E3", items)
    key = lambda r: (r["path"], int(r["word_start"]))
    first.sort(key=key)
    second.sort(key=key)
    write(os.path.join("data", "labels", "confirmations.tsv"), first)
    write(os.path.join("data", "labels", "second", "confirmations.tsv"), second)
    by = {key(r): r for r in first}
    both = [(by[key(r)], r) for r in second]
    print(f"{len(first)} items labelled, {len(second)} twice")
    for field in ["is_attribution", "confirms", "refusal", "source_type"]:
        k, a, n = kappa([(x[field], y[field]) for x, y in both])
        print(f"  {field:15s} kappa {k:.3f}  agreement {a:.3f}  n {n}")
    k, a, n = kappa([(x["source_type"] == "named_official" and x["confirms"] == "1",
                      y["source_type"] == "named_official" and y["confirms"] == "1")
                     for x, y in both])
    print(f"  {'confirmed by a named official':15s} kappa {k:.3f}  agreement {a:.3f}  n {n}")


if __name__ == "__main__":
    main()
