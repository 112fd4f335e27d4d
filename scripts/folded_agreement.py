#!/usr/bin/env python3
"""Does hard wrapping change what onrecord reads? Folds a corpus at N columns
(scripts/fold.py), runs `onrecord extract` and `onrecord score` on the original and the
folded copy, and reports
  (a) sentences: the share of the original's sentences that the folded copy also has
      (same document, same text once whitespace is normalised; counted as multisets), and
  (b) claims: of claims.csv's claims (matched by document, offsets and normalised text;
      fold.py keeps every offset), how many have the same score, a different one, or no
      match on the other side.

Usage: scripts/folded_agreement.py SRC WORKDIR [--width 72] [--exclude LIST]
                                   [--onrecord target/release/onrecord] [--model tagger]
  e.g. scripts/folded_agreement.py ../shared/polnear/dev/text /tmp/fold-polnear
       scripts/folded_agreement.py ../shared/corpora/bbc /tmp/fold-bbc \\
           --exclude ../shared/labels/reserved-bbc.txt
WORKDIR receives orig/ and folded/ (the texts), *.jsonl and score-*/ (the outputs)."""
import argparse
import collections
import csv
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fold  # noqa: E402


def norm(s):
    return " ".join(s.split())


def run(cmd):
    print("$ " + " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, check=True)


def sentences(jsonl, root):
    """(corpus, doc) -> Counter of normalised sentence texts."""
    out = {}
    with open(jsonl, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            corpus = r["corpus"]
            rel = os.path.join(root, corpus, r["doc"] + ".txt")
            if not os.path.exists(rel):
                rel = os.path.join(root, r["doc"] + ".txt")
            with open(rel, encoding="utf-8", errors="replace", newline="") as t:
                text = t.read()
            out[(corpus, r["doc"])] = collections.Counter(
                norm(text[a:b]) for a, b in (s["span"] for s in r["sentences"])
            )
    return out


def claims(out_dir):
    """(doc, group, start, end, text) -> score; rows in input order."""
    rows = {}
    with open(os.path.join(out_dir, "claims.csv"), newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            key = (r["doc"], r["group"], r["start"], r["end"], norm(r["text"]))
            rows[key] = r["score"]
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("src")
    ap.add_argument("work")
    ap.add_argument("--width", type=int, default=72)
    ap.add_argument("--exclude")
    ap.add_argument("--onrecord", default="target/release/onrecord")
    ap.add_argument("--model", default="tagger")
    a = ap.parse_args()
    ex = fold.excluded(a.exclude)
    res = {}
    for name, width in (("orig", 0), ("folded", a.width)):
        root = os.path.join(a.work, name)
        if os.path.exists(root):
            sys.exit(f"{root} exists: give a fresh WORKDIR")
        n = fold.fold_corpus(a.src, root, width, ex)
        jsonl = os.path.join(a.work, name + ".jsonl")
        score = os.path.join(a.work, "score-" + name)
        # Files directly in the root take the source folder's name as their corpus.
        corpus = os.path.basename(os.path.normpath(a.src))
        common = ["--model", a.model, "--corpus", corpus, "-q"]
        with open(jsonl, "w", encoding="utf-8") as f:
            print(f"$ {a.onrecord} extract {root} {' '.join(common)} > {jsonl}", file=sys.stderr)
            subprocess.run([a.onrecord, "extract", root, *common], check=True, stdout=f)
        run([a.onrecord, "score", root, *common, "--out", score])
        res[name] = (n, sentences(jsonl, root), claims(score))

    (n, s0, c0), (_, s1, c1) = res["orig"], res["folded"]
    total = same = 0
    for key, sents in s0.items():
        total += sum(sents.values())
        same += sum((sents & s1.get(key, collections.Counter())).values())
    folded_total = sum(sum(c.values()) for c in s1.values())
    both = [k for k in c0 if k in c1]
    same_score = sum(c0[k] == c1[k] for k in both)
    print(f"documents: {n}, folded at {a.width} columns")
    print(
        f"(a) sentences: {same}/{total} of the original's are in the folded copy "
        f"({100 * same / max(total, 1):.2f}%); the folded copy has {folded_total}"
    )
    print(
        f"(b) claims: {len(c0)} original, {len(c1)} folded; {len(both)} in both, "
        f"{same_score} with the same score, {len(both) - same_score} with another; "
        f"{len(c0) - len(both)} only in the original, {len(c1) - len(both)} only folded"
    )
    for k in both:
        if c0[k] != c1[k]:
            print(f"  score {c0[k]} -> {c1[k]}: {k[0]} {k[4][:100]}")


if __name__ == "__main__":
    main()
