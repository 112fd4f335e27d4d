#!/usr/bin/env python3
"""Claim kinds per corpus, from `onrecord extract` JSONL: how many sentences the claim model
reads as factual claims, the author's opinion, or no claim, and how many sentences that the
old definition (every sentence laid out as one) counted as unattributed claims are now
opinion or other. Prints a Markdown table and, per corpus, example sentences of each kind
(the first N by document id, so the output is the same on every run).

Usage: scripts/claim_kinds.py [--examples N] [--exclude LIST] NAME=FILE.jsonl=TEXT_DIR ...
TEXT_DIR: the folder `extract` read (the sentence texts are read back from it: DIR/doc.txt
or DIR/corpus/doc.txt); offsets are code points.
--exclude: a file of corpus/doc.txt paths (e.g. ../shared/labels/reserved-bbc.txt) left out.
"""
import argparse
import json


def attributed_sentences(rec):
    """Sentences holding an attribution's cue, or overlapping an attribution's content."""
    out = set()
    spans = [s["span"] for s in rec["sentences"]]
    for a in rec["attributions"]:
        out.add(a["sentence"])
        for c0, c1 in a["content"]:
            for i, (s0, s1) in enumerate(spans):
                if s0 < c1 and c0 < s1:
                    out.add(i)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--examples", type=int, default=3)
    ap.add_argument("--exclude")
    ap.add_argument("inputs", nargs="+")
    args = ap.parse_args()
    excluded = set()
    if args.exclude:
        for line in open(args.exclude, encoding="utf-8"):
            line = line.strip()
            if line and not line.startswith("#"):
                corpus, _, name = line.rpartition("/")
                excluded.add((corpus, name.removesuffix(".txt")))
    rows, examples, spans = [], {}, {}
    for spec in args.inputs:
        name, path, text_dir = spec.split("=")
        n_docs = n = 0
        kinds = {"factual": 0, "opinion": 0, "other": 0}
        unattr_not_factual = {"opinion": 0, "other": 0}
        ex = {"factual": [], "opinion": [], "other": []}
        recs = [json.loads(l) for l in open(path, encoding="utf-8")]
        recs.sort(key=lambda r: (r["corpus"], r["doc"]))
        for rec in recs:
            if (rec["corpus"], rec["doc"]) in excluded:
                continue
            n_docs += 1
            attributed = attributed_sentences(rec)
            spans[(name, rec["corpus"], rec["doc"])] = [s["span"] for s in rec["sentences"]]
            for i, s in enumerate(rec["sentences"]):
                n += 1
                k = s["kind"]
                kinds[k] += 1
                if k != "factual" and i not in attributed:
                    unattr_not_factual[k] += 1
                if len(ex[k]) < args.examples and i not in attributed:
                    ex[k].append((rec["corpus"], rec["doc"], s["kind_probability"], i))
        rows.append((name, n_docs, n, kinds, unattr_not_factual))
        examples[name] = (text_dir, ex)
    print("| corpus | documents | sentences | factual | opinion | other | unattributed sentences now opinion | now other |")
    print("|---|---|---|---|---|---|---|---|")
    for name, d, n, k, u in rows:
        pct = lambda x: f"{x} ({100 * x / max(n, 1):.1f}%)"
        print(f"| {name} | {d} | {n} | {pct(k['factual'])} | {pct(k['opinion'])} | {pct(k['other'])} | {u['opinion']} | {u['other']} |")
    # Examples: the sentence text, read back from the folder at the record's spans.
    import os
    for name, (text_dir, ex) in examples.items():
        print(f"\n{name}, examples without an attribution (first {args.examples} of each kind by document):")
        for k in ("factual", "opinion", "other"):
            for c, d, p, i in ex[k]:
                f = os.path.join(text_dir, f"{d}.txt")
                if not os.path.exists(f):
                    f = os.path.join(text_dir, c, f"{d}.txt")
                text = open(f, encoding="utf-8").read()
                span = spans[(name, c, d)][i]
                sentence = " ".join(text[span[0]:span[1]].split())
                print(f"- {k} (p {p:.2f}) {c}/{d}: {sentence}")
    return 0


main()
