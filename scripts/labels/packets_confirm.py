#!/usr/bin/env python3
"""Packets for the confirmation labels: every sentence of PolNeAR train and of the BBC
corpus (never reserved-bbc.txt) holding a word of the confirm / verify / corroborate /
acknowledge families. The words are found by a regular expression on the text alone; no
engine output is involved, so labellers see only the text.

Writes, under OUT (default scripts/labels/packets-confirm/):
  items.tsv        one row per occurrence: item, set, doc, path, word_start, word_end, word,
                   sentence_start, sentence_end, sentence (offsets: code points, end exclusive)
  bbc.tsv, polnear.tsv  the same rows split for two first labellers
  second.tsv       a seeded tenth (at least 40 rows) for the blind second labelling

Run from the repository root with ../shared beside it: python3 scripts/labels/packets_confirm.py
"""
import csv
import os
import random
import re
import sys

SHARED = os.path.join("..", "shared")
WORD = re.compile(r"\b(confirm|verif|corroborat|acknowledg)[a-z]*", re.IGNORECASE)
# A sentence ends at . ! ? (with closing quotes) followed by space, or at a line break.
END = re.compile(r"[.!?][\"'\u201d\u2019)]*\s+|\n+")


def sentences(text):
    start = 0
    for m in END.finditer(text):
        yield start, m.end()
        start = m.end()
    if start < len(text):
        yield start, len(text)


def items_of(set_name, doc, rel, text):
    for s, e in sentences(text):
        for m in WORD.finditer(text, s, e):
            sent = text[s:e].rstrip()
            yield [set_name, doc, rel, m.start(), m.end(), m.group(0), s, s + len(sent),
                   sent.replace("\t", " ").replace("\n", " ")]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join("scripts", "labels", "packets-confirm")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(SHARED, "labels", "reserved-bbc.txt")) as f:
        reserved = {l.strip() for l in f if l.strip() and not l.startswith("#")}
    rows = []
    bbc = os.path.join(SHARED, "corpora", "bbc")
    for cat in sorted(os.listdir(bbc)):
        d = os.path.join(bbc, cat)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            if f"{cat}/{name}" in reserved or not name.endswith(".txt"):
                continue
            try:
                text = open(os.path.join(d, name), encoding="utf-8").read()
            except UnicodeDecodeError:
                continue
            rows += items_of("bbc", f"{cat}-{name[:-4]}", f"corpora/bbc/{cat}/{name}", text)
    pn = os.path.join(SHARED, "polnear", "train", "text")
    for name in sorted(os.listdir(pn)):
        text = open(os.path.join(pn, name), encoding="utf-8").read()
        rows += items_of("polnear-train", name[:-4], f"polnear/train/text/{name}", text)
    header = ["item", "set", "doc", "path", "word_start", "word_end", "word",
              "sentence_start", "sentence_end", "sentence"]
    rows = [[f"c{i:04d}"] + r for i, r in enumerate(rows)]

    def write(name, rs):
        with open(os.path.join(out, name), "w", newline="") as f:
            w = csv.writer(f, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE,
                           escapechar="\\")
            w.writerow(header)
            w.writerows(rs)

    write("items.tsv", rows)
    write("bbc.tsv", [r for r in rows if r[1] == "bbc"])
    write("polnear.tsv", [r for r in rows if r[1] == "polnear-train"])
    rng = random.Random(2026)
    k = max(40, len(rows) // 10)
    write("second.tsv", sorted(rng.sample(rows, k)))
    print(f"{len(rows)} items ({sum(r[1] == 'bbc' for r in rows)} BBC), second: {k}")


if __name__ == "__main__":
    main()
