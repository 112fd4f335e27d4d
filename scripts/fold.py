#!/usr/bin/env python3
"""Hard-wrap a corpus of .txt files at N columns, as `fold -s -w N` or textwrap would: every
line (a paragraph, in line-per-paragraph text) is wrapped greedily at spaces, lines that fit
and blank lines are kept, a word longer than N stays whole on its line.

Only the space that ends a line is replaced (by the line break); the other spaces of a run
stay at the end of the line, as `fold -s` leaves them, so every character keeps its offset
and the folded text equals the original once whitespace is normalised.

Usage: scripts/fold.py SRC DST [--width 72] [--exclude LIST]
  SRC      a folder of .txt files (read recursively; the tree is kept under DST)
  LIST     paths relative to SRC to leave out, one a line (`#` comments), e.g.
           ../shared/labels/reserved-bbc.txt
--width 0 copies the files unchanged (the originals of a comparison, with the same
exclusions)."""
import argparse
import os
import re
import sys


def fold_line(line, width):
    """`line` (no line break) wrapped at `width` code points."""
    if width <= 0 or len(line) <= width:
        return line
    parts = re.split(r"( +)", line)  # word, spaces, word, ...; parts[0] may be an indent's ''
    out = []
    cur = parts[0]
    k = 1
    while k < len(parts):
        sep, word = parts[k], parts[k + 1]
        k += 2
        if cur.strip() == "" or len(cur) + len(sep) + len(word) <= width:
            cur += sep + word
        else:
            # The break takes the run's last space; the rest stay at the line's end.
            out.append(cur + sep[:-1])
            cur = word
    out.append(cur)
    return "\n".join(out)


def fold_text(text, width):
    return "\n".join(fold_line(line, width) for line in text.split("\n"))


def excluded(path):
    if not path:
        return set()
    with open(path, encoding="utf-8") as f:
        rows = (line.strip() for line in f)
        return {os.path.normpath(r) for r in rows if r and not r.startswith("#")}


def fold_corpus(src, dst, width, exclude=()):
    """Writes the folded .txt files of `src` under `dst`; returns how many."""
    n = 0
    for root, dirs, files in os.walk(src):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith(".txt"):
                continue
            path = os.path.join(root, name)
            rel = os.path.normpath(os.path.relpath(path, src))
            if rel in exclude:
                continue
            with open(path, encoding="utf-8", errors="surrogateescape", newline="") as f:
                text = f.read()
            out = os.path.join(dst, rel)
            os.makedirs(os.path.dirname(out), exist_ok=True)
            with open(out, "w", encoding="utf-8", errors="surrogateescape", newline="") as f:
                f.write(fold_text(text, width))
            n += 1
    return n


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("src")
    ap.add_argument("dst")
    ap.add_argument("--width", type=int, default=72)
    ap.add_argument("--exclude", help="paths relative to SRC to leave out, one a line")
    a = ap.parse_args()
    n = fold_corpus(a.src, a.dst, a.width, excluded(a.exclude))
    print(f"{n} files folded at {a.width} columns into {a.dst}", file=sys.stderr)


if __name__ == "__main__":
    main()
