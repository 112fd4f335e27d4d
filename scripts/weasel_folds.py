#!/usr/bin/env python3
"""Score onrecord's uncertain-sentence flag on held-out folds of the CoNLL-2010 Wikipedia
weasel sentences (issue 4), the way the project is measured.

usage: scripts/weasel_folds.py [--shared ../shared] [--bin target/release/onrecord]
                               [--model tagger] [--folds 5] [--work /tmp/onrecord-weasel]

Sentence i of ../shared/hedges/wikipedia-weasel-train.csv goes to fold i % FOLDS. Each fold
is written as JSONL (one sentence per document, id "s<i>") with a labels CSV (id,label),
run through `onrecord extract`, and scored with
`../shared/eval/score_labels.py docs --labels FOLD.csv --pred FOLD.pred.jsonl --json`.
Nothing in onrecord is trained on these sentences, so every fold is held out; the folds
only show the spread.
"""
import argparse
import csv
import json
import os
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--bin", default="target/release/onrecord")
    ap.add_argument("--model", default="tagger")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--work", default="/tmp/onrecord-weasel")
    a = ap.parse_args()
    src = os.path.join(a.shared, "hedges", "wikipedia-weasel-train.csv")
    scorer = os.path.join(a.shared, "eval", "score_labels.py")
    with open(src, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    os.makedirs(a.work, exist_ok=True)
    f1s = []
    for k in range(a.folds):
        base = os.path.join(a.work, f"fold{k}")
        with open(base + ".jsonl", "w", encoding="utf-8") as j, open(base + ".csv", "w", newline="", encoding="utf-8") as c:
            w = csv.writer(c)
            w.writerow(["id", "label"])
            for i, r in enumerate(rows):
                if i % a.folds == k:
                    j.write(json.dumps({"id": f"s{i}", "text": r["text"]}) + "\n")
                    w.writerow([f"s{i}", r["label"]])
        with open(base + ".pred.jsonl", "w", encoding="utf-8") as out:
            subprocess.run([a.bin, "extract", base + ".jsonl", "--model", a.model, "--quiet"], stdout=out, check=True)
        res = subprocess.run([sys.executable, scorer, "docs", "--labels", base + ".csv", "--pred", base + ".pred.jsonl", "--json"],
                             capture_output=True, text=True, check=True)
        d = json.loads(res.stdout)
        f1s.append(d["f1"])
        print(f"fold {k}: n {d['n']}  P {d['p']:.3f}  R {d['r']:.3f}  F1 {d['f1']:.3f}")
    print(f"mean F1 {sum(f1s) / len(f1s):.3f}")


if __name__ == "__main__":
    main()
