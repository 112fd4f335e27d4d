#!/usr/bin/env python3
"""Build a large JSONL corpus for throughput and memory tests by repeating real articles.

usage: benches/make_corpus.py --size 1G --out /tmp/corpus-1g.jsonl [--shared ../shared]

Articles: PolNeAR train+dev text (corpus "polnear") and the BBC corpus (corpus "bbc"), read
from --shared. Each repetition gets a new id ("<name>#<n>") so ids stay unique; the order is
fixed (sorted paths, round-robin), so the same --size gives the same bytes.
--size accepts a plain byte count or a K/M/G suffix (powers of 1024).
"""
import argparse
import json
import os
import sys


def parse_size(s):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    s = s.strip().upper()
    if s and s[-1] in units:
        return int(float(s[:-1]) * units[s[-1]])
    return int(s)


def articles(shared):
    """(corpus, name, text) of every article, in sorted path order."""
    sets = [
        ("polnear", os.path.join(shared, "polnear", "train", "text")),
        ("polnear", os.path.join(shared, "polnear", "dev", "text")),
        ("bbc", os.path.join(shared, "corpora", "bbc")),
    ]
    out = []
    for corpus, root in sets:
        if not os.path.isdir(root):
            print(f"make_corpus: {root} not found; skipping it", file=sys.stderr)
            continue
        paths = []
        for d, _, files in os.walk(root):
            paths += [os.path.join(d, f) for f in files if f.endswith(".txt") and f != "README.TXT"]
        for p in sorted(paths):
            with open(p, encoding="utf-8", errors="replace") as f:
                out.append((corpus, os.path.relpath(p, root), f.read()))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", required=True, help="target size of the output, e.g. 500M or 1G")
    ap.add_argument("--out", required=True, help="output .jsonl file")
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared"))
    args = ap.parse_args()
    target = parse_size(args.size)
    arts = articles(args.shared)
    if not arts:
        sys.exit("make_corpus: no articles found; give --shared (the folder holding polnear/ and corpora/)")
    written, n = 0, 0
    with open(args.out, "w", encoding="utf-8") as f:
        while written < target:
            corpus, name, text = arts[n % len(arts)]
            line = json.dumps({"id": f"{name}#{n // len(arts)}", "corpus": corpus, "text": text},
                              ensure_ascii=False) + "\n"
            f.write(line)
            written += len(line.encode("utf-8"))
            n += 1
    print(f"make_corpus: {n} documents, {written} bytes -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
