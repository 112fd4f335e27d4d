#!/usr/bin/env bash
# Shows that a change keeps the engine's output: runs `extract` on PolNeAR dev (both
# extractors) and `score` on the BBC corpus with two binaries and compares every file byte
# for byte. Usage: scripts/same_bytes.sh BEFORE_BINARY AFTER_BINARY
# (build the "before" binary from the old commit, e.g. with `git worktree add`).
set -euo pipefail
before=${1:?usage: same_bytes.sh BEFORE_BINARY AFTER_BINARY}
after=${2:?usage: same_bytes.sh BEFORE_BINARY AFTER_BINARY}
here=$(cd "$(dirname "$0")/.." && pwd)
shared=${ONRECORD_SHARED:-$here/../shared}
[ -d "$shared/polnear/dev/text" ] || { echo "same_bytes: $shared/polnear/dev/text is missing; set ONRECORD_SHARED" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run() { # name binary
  local out=$work/$1
  mkdir -p "$out"
  "$2" extract "$shared/polnear/dev/text" -o "$out/dev-tagger.jsonl"
  "$2" extract "$shared/polnear/dev/text" --model rules -o "$out/dev-rules.jsonl"
  "$2" score "$shared/corpora/bbc" -q --out "$out/bbc-score" >/dev/null
  "$2" score "$shared/corpora/bbc" -q --model rules --out "$out/bbc-score-rules" >/dev/null
}
run before "$before"
run after "$after"
status=0
while IFS= read -r f; do
  rel=${f#"$work/before/"}
  if cmp -s "$f" "$work/after/$rel"; then
    printf 'same       %10d bytes  %s\n' "$(wc -c <"$f")" "$rel"
  else
    printf 'DIFFERENT  %10d bytes  %s\n' "$(wc -c <"$f")" "$rel"
    status=1
  fi
done < <(find "$work/before" -type f | sort)
[ "$(cd "$work/before" && find . -type f | sort)" = "$(cd "$work/after" && find . -type f | sort)" ] || { echo "the two runs wrote different files" >&2; status=1; }
exit $status
