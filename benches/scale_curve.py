#!/usr/bin/env python3
"""Throughput of `onrecord score` at several thread counts: the scaling curve of the README.

usage: benches/scale_curve.py --bin target/release/onrecord --corpus /tmp/c200.jsonl \
           [--threads 1,2,4,8,16] [--models rules,tagger] [--repeats 3] [--out curve.csv]

Each run is `onrecord score CORPUS --model M --threads T -q --out FRESH_DIR`, timed from the
outside: wall seconds, CPU seconds (user + system of the child, all its threads) and peak
resident memory, all read from wait4(2), so no /usr/bin/time is needed. The runs alternate
(every thread count and model once, then again), so a drift in the machine's speed spreads
over all of them instead of biasing one. Every run's output files are hashed: any difference
between thread counts is reported, since the output must be the same bytes at any count.

Prints one row per run and a summary (median of the repeats) as a Markdown table; --out
writes the per-run rows as CSV.
"""
import argparse
import csv
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def run_once(binary, corpus, model, threads, workdir):
    out = tempfile.mkdtemp(prefix=f"{model}-t{threads}-", dir=workdir)
    cmd = [binary, "score", corpus, "--model", model, "--threads", str(threads), "-q", "--out", out]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 3):
        sys.exit(f"scale_curve: {' '.join(cmd)} exited with {code}")
    digest = hashlib.sha256()
    for name in sorted(os.listdir(out)):
        digest.update(name.encode() + b"\0")
        # In pieces: a large read would raise this process's peak memory, which the next
        # child inherits in its ru_maxrss (Linux keeps the high-water mark across exec).
        with open(os.path.join(out, name), "rb") as f:
            while chunk := f.read(1 << 20):
                digest.update(chunk)
    shutil.rmtree(out)
    # ru_maxrss is in KiB on Linux.
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, digest.hexdigest()[:16]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default="target/release/onrecord")
    ap.add_argument("--corpus", required=True, help="a JSONL corpus (benches/make_corpus.py)")
    ap.add_argument("--threads", default="1,2,4,8,16")
    ap.add_argument("--models", default="rules,tagger")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--workdir", default=None, help="where output folders go (default: a temp dir)")
    ap.add_argument("--out", help="write every run as a CSV row here")
    args = ap.parse_args()

    threads = [int(t) for t in args.threads.split(",")]
    models = args.models.split(",")
    size = os.path.getsize(args.corpus)
    workdir = args.workdir or tempfile.mkdtemp(prefix="scale-curve-")
    os.makedirs(workdir, exist_ok=True)
    # One untimed run reads the corpus into the page cache and the binary into memory.
    run_once(args.bin, args.corpus, "rules", max(threads), workdir)

    rows = []
    for rep in range(args.repeats):
        for model in models:
            for t in threads:
                wall, cpu, rss, digest = run_once(args.bin, args.corpus, model, t, workdir)
                row = {
                    "model": model, "threads": t, "repeat": rep, "bytes": size,
                    "wall_s": round(wall, 3), "cpu_s": round(cpu, 3),
                    "mb_per_s": round(size / 1e6 / wall, 1),
                    "mb_per_cpu_s": round(size / 1e6 / cpu, 1),
                    "peak_rss_mb": round(rss / 1e6, 1), "output_sha256": digest,
                }
                rows.append(row)
                print(",".join(str(v) for v in row.values()), flush=True)

    if args.out:
        with open(args.out, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)

    print(f"\ncorpus: {args.corpus}, {size / 1e6:.1f} MB; median of {args.repeats} runs\n")
    print("| model | threads | wall s | MB/s | speed-up | MB/s per CPU-second | peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    mismatched = []
    for model in models:
        base = None
        digests = {r["output_sha256"] for r in rows if r["model"] == model}
        if len(digests) > 1:
            mismatched.append(model)
        for t in threads:
            rs = [r for r in rows if r["model"] == model and r["threads"] == t]
            wall = statistics.median(r["wall_s"] for r in rs)
            cpu = statistics.median(r["cpu_s"] for r in rs)
            rss = max(r["peak_rss_mb"] for r in rs)
            base = base or wall
            print(f"| {model} | {t} | {wall:.2f} | {size / 1e6 / wall:.0f} | {base / wall:.2f}x "
                  f"| {size / 1e6 / cpu:.1f} | {rss:.0f} |")
    if mismatched:
        sys.exit(f"scale_curve: output differs between thread counts for {', '.join(mismatched)}")
    print("\noutput bytes: the same at every thread count, for every model")


if __name__ == "__main__":
    main()
