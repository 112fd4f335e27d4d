#!/usr/bin/env python3
"""AUC of real over fake articles for documents.csv columns (the validity check of
docs/sourcing-index.md). Usage: scripts/auc.py SCORE_OUT_DIR COLUMN [COLUMN ...]
A column prefixed with '-' is negated (lower is better). Documents with an empty value
are left out (counted in the output)."""
import csv
import sys


def main():
    out, cols = sys.argv[1], sys.argv[2:] or ["sourcing_index"]
    docs = list(csv.DictReader(open(f"{out}/documents.csv", newline="", encoding="utf-8")))
    for col in cols:
        sign, name = (-1.0, col[1:]) if col.startswith("-") else (1.0, col)
        vals = {"Real": [], "Fake": []}
        empty = 0
        for d in docs:
            if d["corpus"] not in vals:
                continue
            if d[name] == "":
                empty += 1
                continue
            vals[d["corpus"]].append(sign * float(d[name]))
        real, fake = vals["Real"], vals["Fake"]
        auc = sum((a > b) + 0.5 * (a == b) for a in real for b in fake) / (len(real) * len(fake))
        print(f"{col}\treal {len(real)}\tfake {len(fake)}\tempty {empty}\tAUC {auc:.3f}")


main()
