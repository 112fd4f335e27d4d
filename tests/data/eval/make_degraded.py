#!/usr/bin/env python3
"""Degrade gold-as-predictions (brat_to_pred.py output) to exercise score_attributions.py.

usage: make_degraded.py --gold SPLIT_DIR --in GOLD_PRED.jsonl --out OUT.jsonl [--docs DOC ...]

Deterministic (seeded). Drops every 3rd attribution, shifts some spans by one code point, drops
some sources, pads spans with neighbouring whitespace / punctuation, adds duplicates (matching
ties), spurious and empty attributions, and varies the file format: byte offsets for documents
with non-ASCII text (including a zero-length span inside a multi-byte character), "codepoint"
and ".txt" doc names, null/missing roles, one document split over two lines, an unknown document.
Used to produce the fixtures the Rust port of the scorer is compared against.
"""
import argparse, json, os, random

ap = argparse.ArgumentParser()
ap.add_argument("--gold", required=True)
ap.add_argument("--in", dest="inp", required=True)
ap.add_argument("--out", required=True)
ap.add_argument("--docs", nargs="*")
args = ap.parse_args()
rng = random.Random(20240611)
ROLES = ("source", "cue", "content")
TYPES = ["named", "anonymous", None, "null", "document", "Ünïcode"]

def shift(spans, n, text):
    out = []
    for s, e in spans:
        s2, e2 = min(max(0, s + n), len(text)), min(max(0, e + n), len(text))
        if s2 <= e2: out.append([s2, e2])
    return out

def pad(spans, text):
    out = []
    for s, e in spans:
        while s > 0 and (text[s - 1].isspace() or not text[s - 1].isalnum()) and rng.random() < 0.7: s -= 1
        while e < len(text) and (text[e].isspace() or not text[e].isalnum()) and rng.random() < 0.7: e += 1
        out.append([s, e])
    return out

lines = [json.loads(l) for l in open(args.inp, encoding="utf-8")]
if args.docs:
    lines = [l for l in lines if l["doc"] in set(args.docs)]
k = 0
out = []
for li, line in enumerate(lines):
    doc = line["doc"]
    text = open(os.path.join(args.gold, "text", doc + ".txt"), encoding="utf-8", newline="").read()
    atts = []
    for a in line["attributions"]:
        k += 1
        if k % 3 == 0:
            continue
        a = {r: [list(x) for x in a[r]] for r in ROLES}
        a["source_type"] = TYPES[k % len(TYPES)]
        if k % 4 == 0: a["cue"] = shift(a["cue"], 1, text)
        if k % 7 == 0: a["content"] = shift(a["content"], -1, text)
        if k % 5 == 0: a["source"] = []
        if k % 11 == 0: a["source"] = pad(a["source"], text)
        if k % 13 == 0: a["content"] = pad(a["content"], text)
        if k % 17 == 0: a["source"] = None
        if k % 19 == 0: del a["content"]
        atts.append(a)
        if k % 8 == 0:  # a duplicate: two predictions tie for one gold cue
            atts.append(dict(a, source_type="dup"))
    # spurious attributions: a random cue, a whitespace-only cue, an empty one
    if text:
        s = rng.randrange(len(text)); atts.append({"cue": [[s, min(len(text), s + 5)]], "source": [], "content": []})
        ws = [i for i, c in enumerate(text) if c.isspace()]
        if ws: atts.append({"cue": [[ws[0], ws[0] + 1]], "source": [[ws[0], ws[0] + 1]]})
    atts.append({})
    rec = {"doc": doc, "attributions": atts}
    if any(ord(c) > 127 for c in text) and li % 2 == 0:
        cum = [0]
        for ch in text: cum.append(cum[-1] + len(ch.encode("utf-8")))
        for a in atts:
            for r in ROLES:
                if a.get(r): a[r] = [[cum[s], cum[e]] for s, e in a[r]]
        mb = next((i for i, c in enumerate(text) if len(c.encode("utf-8")) > 1), None)
        if mb is not None:  # zero-length byte span inside a multi-byte character
            atts.append({"cue": [[cum[mb] + 1, cum[mb] + 1]], "source_type": "midchar"})
        rec["offset_unit"] = "byte"
    elif li % 3 == 1:
        rec["offset_unit"] = "codepoint"
        rec["doc"] = doc + ".txt"
    if li % 5 == 2 and len(atts) > 2:  # the same document on two lines
        h = len(atts) // 2
        out.append(dict(rec, attributions=atts[:h]))
        rec = dict(rec, attributions=atts[h:])
    out.append(rec)
out.append({"doc": "not-a-dev-doc", "attributions": [{"cue": [[0, 1]]}]})
with open(args.out, "w", encoding="utf-8") as f:
    for i, r in enumerate(out):
        f.write(json.dumps(r, ensure_ascii=(i % 2 == 0)) + ("\r\n" if i % 4 == 3 else "\n"))
        if i % 6 == 5: f.write("   \n")
