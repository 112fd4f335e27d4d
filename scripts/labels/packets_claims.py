#!/usr/bin/env python3
"""Packets for claim-kind labelling (docs/claims-guideline.md): 800 PolNeAR-train and 800 BBC
sentences drawn from data/labels/uncertain.tsv (already sampled from non-reserved articles),
in four packets of 400, plus four blind double packets of 40 (the first 40 of the next packet).
Writes to $LABELWORK/claims (default ../labelwork/claims beside the repository). Seeded: the same packets each run."""
import csv
import os
import random

here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.dirname(os.path.dirname(here))
out = os.path.join(os.environ.get("LABELWORK", os.path.join(repo, "..", "labelwork")), "claims")
rows = list(csv.DictReader(open(os.path.join(repo, "data/labels/uncertain.tsv")), delimiter="\t", quoting=csv.QUOTE_NONE))
rng = random.Random(20261205)
pol = [r for r in rows if r["set"] != "bbc"]
bbc = [r for r in rows if r["set"] == "bbc"]
rng.shuffle(pol)
rng.shuffle(bbc)
sel = pol[:800] + bbc[:800]
rng.shuffle(sel)
cols = ["id", "set", "doc", "path", "start", "end", "sentence"]
packs = [sel[i * 400:(i + 1) * 400] for i in range(4)]
os.makedirs(os.path.join(out, "out"), exist_ok=True)


def write(path, rs):
    with open(path, "w") as f:
        f.write("\t".join(cols) + "\n")
        for r in rs:
            f.write("\t".join(r[c] for c in cols) + "\n")


for k, p in enumerate(packs, 1):
    write(os.path.join(out, f"packet-{k}.tsv"), p)
    write(os.path.join(out, f"double-{k}.tsv"), packs[k % 4][:40])
