"""cluster/spark_score.py in Spark local mode (local[2]) against one local `onrecord score`
run on the same 300 PolNeAR articles: corpora.csv, corpora_long.csv and comparisons.csv
byte for byte, summary.json's figures, and the row tables row for row (JSONL input, tables
as Parquet) or as the same rows (Parquet input, tables as CSV). Run by .ci/run after cargo
test (it uses target/release/onrecord; ONRECORD names another binary).

    python cluster/test_spark_local.py
"""

import csv
import glob
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
# No __pycache__ left in the checkout.
sys.dont_write_bytecode = True

import spark_score  # noqa: E402
from pyspark.sql import SparkSession  # noqa: E402

BINARY = os.environ.get("ONRECORD", os.path.join(ROOT, "target", "release", "onrecord"))
SHARED = os.path.join(ROOT, "..", "shared")
STATISTICS = ["corpora.csv", "corpora_long.csv", "comparisons.csv"]
ARTICLES = 300


def polnear_jsonl(path, limit):
    """PolNeAR articles (dev, then train, in file name order) with their publisher."""
    with open(os.path.join(SHARED, "polnear", "metadata.tsv"), encoding="utf-8") as f:
        meta = {r["filename"]: r["publisher"] for r in csv.DictReader(f, delimiter="\t")}
    n = 0
    with open(path, "w", encoding="utf-8") as out:
        for part in ["dev", "train"]:
            folder = os.path.join(SHARED, "polnear", part, "text")
            for name in sorted(os.listdir(folder)):
                if not name.endswith(".txt") or n == limit:
                    continue
                with open(os.path.join(folder, name), encoding="utf-8") as f:
                    text = f.read()
                doc = name[:-4]
                out.write(json.dumps({"id": doc, "corpus": part, "publisher": meta[doc],
                                      "text": text}) + "\n")
                n += 1
    assert n == limit, f"{n} articles in {SHARED}/polnear"


def records(path):
    """A CSV file: its header and its records in order."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def check_statistics(local, spark):
    for name in STATISTICS:
        with open(os.path.join(local, name), "rb") as a, open(os.path.join(spark, name), "rb") as b:
            assert a.read() == b.read(), f"{name} differs between Spark and the local run"
    groups = []
    for d in [local, spark]:
        with open(os.path.join(d, "summary.json"), encoding="utf-8") as f:
            groups.append(json.load(f)["groups"])
    assert groups[0] == groups[1], "summary.json figures differ"


def main():
    started = time.perf_counter()
    tmp = tempfile.mkdtemp(prefix="onrecord-spark-test-")
    corpus = os.path.join(tmp, "corpus.jsonl")
    polnear_jsonl(corpus, ARTICLES)
    local = os.path.join(tmp, "local")
    subprocess.run([BINARY, "score", corpus, "--by", "publisher", "--quiet", "--out", local],
                   check=True, stdout=subprocess.DEVNULL)

    spark = (SparkSession.builder.master("local[2]").appName("onrecord-test")
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .config("spark.sql.shuffle.partitions", "2").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    try:
        # JSONL in 6 partitions, row tables as CSV: one file a partition, in file name
        # order the local run's rows in its order.
        out = os.path.join(tmp, "spark-jsonl")
        job = time.perf_counter()
        timings = spark_score.score(spark, spark_score.parse_args(
            [corpus, "--out", out, "--partitions", "6", "--onrecord", BINARY,
             "--score-args", "--by publisher"]))
        job = time.perf_counter() - job
        assert len(timings) >= 6, timings
        assert sum(t["documents"] for t in timings) == ARTICLES
        check_statistics(local, out)
        for table in spark_score.ROW_TABLES:
            header, rows = records(os.path.join(local, table + ".csv"))
            parts = sorted(glob.glob(os.path.join(out, table, "part-*")))
            assert len(parts) == len(timings), (table, parts)
            got = []
            for part in parts:
                h, r = records(part)
                assert h == header, (table, part, h)
                got += r
            assert got == rows, f"{table}: Spark's rows differ from the local run's"
            assert table == "errors" or len(rows) > ARTICLES / 2, (table, len(rows))

        # The same corpus as Parquet in 3 partitions (repartitioned: order not kept), row
        # tables as Parquet: the same statistics, the same rows.
        parquet = os.path.join(tmp, "corpus.parquet")
        spark.read.json(corpus).write.parquet(parquet)
        out2 = os.path.join(tmp, "spark-parquet")
        spark_score.score(spark, spark_score.parse_args(
            [parquet, "--input-format", "parquet", "--out", out2, "--partitions", "3",
             "--table-format", "parquet", "--onrecord", BINARY,
             "--score-args", "--by publisher"]))
        check_statistics(local, out2)
        for table in spark_score.ROW_TABLES:
            header, rows = records(os.path.join(local, table + ".csv"))
            if not rows:
                continue
            df = spark.read.parquet(os.path.join(out2, table))
            assert df.columns == ["shard", "row"] + header, (table, df.columns)
            got = [list(r)[2:] for r in df.collect()]
            assert sorted(got) == sorted(rows), f"{table}: Parquet rows differ from the local run's"
    finally:
        spark.stop()

    n = len(timings)
    part_s = sum(t["partition_s"] for t in timings) / n
    onrecord_s = sum(t["onrecord_s"] for t in timings) / n
    print(f"spark local-mode test passed in {time.perf_counter() - started:.1f} s "
          f"(JSONL job {job:.1f} s: {n} partitions, per partition {part_s:.3f} s in Python "
          f"of which onrecord {onrecord_s:.3f} s, overhead {part_s - onrecord_s:.3f} s)")
    for t in timings:
        print(f"  partition {t['partition']}: {t['documents']} documents, {t['bytes']} bytes, "
              f"onrecord {t['onrecord_s']:.3f} s, partition {t['partition_s']:.3f} s")


if __name__ == "__main__":
    main()
