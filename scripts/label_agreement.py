#!/usr/bin/env python3
"""Agreement between the first and the blind second labelling (data/labels/second/):
Cohen's kappa per task, with the raw agreement and the number of items compared.

usage: python3 scripts/label_agreement.py [--labels data/labels]
"""
import argparse, csv, collections, os


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def kappa(pairs):
    n = len(pairs)
    if not n:
        return float("nan"), float("nan")
    po = sum(a == b for a, b in pairs) / n
    ca = collections.Counter(a for a, _ in pairs)
    cb = collections.Counter(b for _, b in pairs)
    pe = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    return (po - pe) / (1 - pe) if pe < 1 else 1.0, po


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--labels", default=os.path.join(os.path.dirname(__file__), "..", "data", "labels"))
    a = ap.parse_args()
    L = a.labels
    rows = []
    # Source types of PolNeAR gold Source spans: the same spans, labelled twice.
    first = {(r["doc"], r["source_start"], r["source_end"]): r for r in read(f"{L}/source-types.tsv") if r["set"] == "polnear-train"}
    second = [r for r in read(f"{L}/second/source-types.tsv")]
    pairs = [(first[k]["source_type"], r["source_type"]) for r in second if (k := (r["doc"], r["source_start"], r["source_end"])) in first]
    rows.append(("source type (PolNeAR train spans)", pairs))
    anon = [(first[k]["source_type"] == "anonymous", r["source_type"] == "anonymous") for r in second if (k := (r["doc"], r["source_start"], r["source_end"])) in first]
    rows.append(("anonymous or not (PolNeAR train spans)", anon))
    conf = [(first[k]["confirms"], r["confirms"]) for r in second if (k := (r["doc"], r["source_start"], r["source_end"])) in first]
    rows.append(("confirms (PolNeAR train spans)", conf))
    # BBC attributions: each labeller found their own; matched on overlapping cue spans.
    b1 = [r for r in read(f"{L}/bbc-attributions.tsv")]
    b2 = read(f"{L}/second/bbc-attributions.tsv")
    docs2 = {r["doc"] for r in b2}
    b1 = [r for r in b1 if r["doc"] in docs2]
    def ov(x, y):
        return int(x["cue_start"]) < int(y["cue_end"]) and int(y["cue_start"]) < int(x["cue_end"])
    matched, used = [], set()
    for r in b2:
        for i, q in enumerate(b1):
            if i not in used and q["doc"] == r["doc"] and ov(q, r):
                used.add(i); matched.append((q, r)); break
    found_both = len(matched)
    rows.append(("BBC source type (attributions both marked)", [(q["source_type"], r["source_type"]) for q, r in matched]))
    rows.append(("BBC confirms (attributions both marked)", [(q["confirms"], r["confirms"]) for q, r in matched]))
    u1 = {r["id"]: r for r in read(f"{L}/uncertain.tsv")}
    u2 = read(f"{L}/second/uncertain.tsv")
    rows.append(("uncertain sentence", [(u1[r["id"]]["uncertain"], r["uncertain"]) for r in u2 if r["id"] in u1]))
    c1 = {r["id"]: r for r in read(f"{L}/claim-kinds.tsv")}
    c2 = read(f"{L}/second/claim-kinds.tsv")
    rows.append(("claim kind (factual, opinion, other)", [(c1[r["id"]]["kind"], r["kind"]) for r in c2 if r["id"] in c1]))
    rows.append(("factual or not", [(c1[r["id"]]["kind"] == "factual", r["kind"] == "factual") for r in c2 if r["id"] in c1]))
    print("task\tn\tagreement\tkappa")
    for name, pairs in rows:
        k, po = kappa(pairs)
        print(f"{name}\t{len(pairs)}\t{po:.3f}\t{k:.3f}")
    if b2:
        print(f"BBC attributions marked: first {len(b1)}, second {len(b2)}, by both (cue overlap) {found_both}: "
              f"F1 {2 * found_both / (len(b1) + len(b2)):.3f}")


if __name__ == "__main__":
    main()
