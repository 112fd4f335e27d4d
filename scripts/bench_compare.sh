#!/usr/bin/env bash
# Criterion figures of two bench binaries (benches/pipeline.rs built at two commits), run in
# alternation so that both see the same machine load; prints each benchmark's best median
# throughput per binary and the ratio. Usage: scripts/bench_compare.sh BEFORE AFTER [ROUNDS]
# (build a binary with `cargo bench --bench pipeline --no-run` and copy the path it prints).
# FILTER=REGEX runs only the benchmarks whose names match.
set -euo pipefail
before=${1:?usage: bench_compare.sh BEFORE AFTER [ROUNDS]}
after=${2:?usage: bench_compare.sh BEFORE AFTER [ROUNDS]}
rounds=${3:-2}
cd "$(dirname "$0")/.."
work=$(mktemp -d)
for r in $(seq "$rounds"); do
  for side in before after; do
    bin=$before; [ "$side" = after ] && bin=$after
    "$bin" --bench --warm-up-time 1 --measurement-time 3 ${FILTER:+"$FILTER"} >"$work/$side-$r.txt" 2>/dev/null
  done
done
python3 - "$work" "$rounds" <<'PY'
import re, sys, glob
work, rounds = sys.argv[1], int(sys.argv[2])
unit = {"B/s": 1e-6, "KiB/s": 1024e-6, "MiB/s": 1.048576, "GiB/s": 1073.741824}
best = {}
for side in ("before", "after"):
    for r in range(1, rounds + 1):
        name = None
        for line in open(f"{work}/{side}-{r}.txt"):
            m = re.match(r"^(\S+/\S+)", line)
            if m:
                name = m.group(1)
            m2 = re.search(r"(?:^(\S+/\S+)\s+)?thrpt:\s+\[\S+ \S+ (\S+) (\S+) \S+ \S+\]", line)
            if m2:
                n = m2.group(1) or name
                v = float(m2.group(2)) * unit[m2.group(3)]
                best[(n, side)] = max(best.get((n, side), 0), v)
names = sorted({n for n, _ in best})
print(f"| benchmark | before MB/s | after MB/s | after/before |")
print("|---|---|---|---|")
for n in names:
    b, a = best.get((n, "before")), best.get((n, "after"))
    if b and a:
        print(f"| {n} | {b:.1f} | {a:.1f} | {a/b:.3f} |")
PY
