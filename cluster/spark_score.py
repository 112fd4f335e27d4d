"""onrecord on Apache Spark: each partition of a corpus scored by the onrecord binary as a
shard (`onrecord score --partial`), the row tables written by Spark, the shard summaries
merged on the driver (`onrecord merge`) into the corpus statistics one run over the whole
corpus gives. Commands and the layout of the output: docs/spark.md.

    spark-submit --files target/release/onrecord cluster/spark_score.py \
        corpus.jsonl --out result --score-args "--by publisher"
"""

import argparse
import csv
import json
import os
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
import time

from pyspark import SparkFiles, StorageLevel
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import IntegerType, StringType, StructField, StructType

# The row tables of a shard, and the folder each becomes under --tables.
ROW_TABLES = ["claims", "attributions", "documents", "errors"]
# What a partition reports besides rows: kind -> one item per partition.
SHARD_FILES = ["summary.json", "shard.json"]


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("input", help="JSONL file(s) or folder (gzip read as such), or Parquet")
    p.add_argument("--out", required=True,
                   help="local folder on the driver: shard summaries, corpora.csv, "
                        "comparisons.csv, summary.json, timings.json")
    p.add_argument("--tables", help="where Spark writes the row tables (any Spark path: "
                                    "hdfs://, s3a://, ...); default: --out")
    p.add_argument("--input-format", choices=["jsonl", "parquet"], default="jsonl")
    p.add_argument("--text-column", default="text",
                   help="Parquet: the column holding the article text (passed to onrecord "
                        "as --text-field); every other column travels along as a field")
    p.add_argument("--table-format", choices=["csv", "parquet"], default="csv",
                   help="csv: each partition's tables as onrecord wrote them, one file a "
                        "partition; parquet: every cell a string column, with the partition "
                        "(shard) and row number (row)")
    p.add_argument("--partitions", type=int,
                   help="JSONL: at least this many partitions (split in file order); "
                        "Parquet: repartitioned to this many (order not kept)")
    p.add_argument("--onrecord",
                   help="the onrecord binary on the driver, shipped to executors with "
                        "SparkContext.addFile; omit when it comes with spark-submit --files")
    p.add_argument("--score-args", default="",
                   help="options for `onrecord score` of every partition, e.g. "
                        "\"--by publisher --model rules\"")
    p.add_argument("--merge-args", default="",
                   help="options for `onrecord merge`, e.g. \"--compare pairs\"")
    p.add_argument("--master", help="Spark master when run with python, e.g. local[2]")
    return p.parse_args(argv)


def executable(path):
    """The binary, with its execute bit (files shipped by Spark may lose it)."""
    mode = os.stat(path).st_mode
    if not mode & stat.S_IXUSR:
        os.chmod(path, mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


# Bytes of CSV a record carries at most (a little more: whole lines).
CHUNK_BYTES = 8 << 20


def csv_chunks(path):
    """A CSV file in pieces cut at line ends, each without its last line end: written as
    lines of text, one after the other, they are the file byte for byte (a line end inside
    a quoted cell is cut like any other)."""
    with open(path, encoding="utf-8", newline="") as f:
        while True:
            lines = f.readlines(CHUNK_BYTES)
            if not lines:
                return
            yield "".join(lines)[:-1]


def score_partition(binary_name, score_args, table_format):
    """The function each partition runs: its JSONL lines into a temporary file, one
    `onrecord score --partial` over it, then its shard files and row tables as records
    (kind, partition, piece, values): the tables as pieces of their CSV text, or (Parquet)
    as rows of cells."""

    def run(index, lines):
        started = time.perf_counter()
        binary = executable(SparkFiles.get(binary_name))
        work = tempfile.mkdtemp(prefix=f"onrecord-part{index:05d}-")
        try:
            source = os.path.join(work, "input.jsonl")
            docs, size = 0, 0
            with open(source, "wb") as f:
                for line in lines:
                    data = line.encode("utf-8") + b"\n"
                    f.write(data)
                    docs, size = docs + 1, size + len(data)
            if docs == 0:
                return
            shard = os.path.join(work, "shard")
            command = [binary, "score", source, "--partial", "--quiet", "--out",
                       shard] + score_args
            t0 = time.perf_counter()
            done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            onrecord_s = time.perf_counter() - t0
            # 3: finished, some records skipped (they are in errors.csv).
            if done.returncode not in (0, 3):
                raise RuntimeError(f"partition {index}: {shlex.join(command)} exited with "
                                   f"{done.returncode}: {done.stderr.decode(errors='replace')}")
            for name in SHARD_FILES:
                with open(os.path.join(shard, name), encoding="utf-8") as f:
                    yield (name, index, 0, [f.read()])
            for table in ROW_TABLES:
                path = os.path.join(shard, table + ".csv")
                if table_format == "csv":
                    for i, chunk in enumerate(csv_chunks(path)):
                        yield (table, index, i, [chunk])
                    continue
                with open(path, encoding="utf-8", newline="") as f:
                    rows = csv.reader(f)
                    yield ("header", index, 0, [table] + next(rows))
                    for i, row in enumerate(rows):
                        yield (table, index, i, row)
            timing = {"partition": index, "documents": docs, "bytes": size,
                      "onrecord_s": onrecord_s, "partition_s": time.perf_counter() - started}
            yield ("timing", index, 0, [json.dumps(timing)])
        finally:
            shutil.rmtree(work, ignore_errors=True)

    return run


def read_lines(spark, opts):
    """The corpus as an RDD of JSONL lines, one per document."""
    sc = spark.sparkContext
    if opts.input_format == "jsonl":
        # Hadoop splits keep the lines in file order, each in one partition, so shards
        # given to merge in partition order are the input's consecutive pieces.
        return sc.textFile(opts.input, minPartitions=opts.partitions or sc.defaultParallelism)
    df = spark.read.parquet(opts.input)
    if opts.partitions:
        df = df.repartition(opts.partitions)
    # Every column as a string field of one JSON object; null fields are left out.
    fields = [F.col(c).cast("string").alias(c) for c in df.columns]
    return df.select(F.to_json(F.struct(*fields)).alias("line")).rdd.map(lambda r: r.line)


def run_merge(binary, shard_dirs, out, merge_args):
    command = [binary, "merge"] + shard_dirs + ["--out", out, "--quiet"] + merge_args
    done = subprocess.run(command, stderr=subprocess.PIPE)
    if done.returncode != 0:
        raise RuntimeError(f"{shlex.join(command)} exited with {done.returncode}: "
                           f"{done.stderr.decode(errors='replace')}")


def score(spark, opts):
    """Runs the job; returns the per-partition timings."""
    sc = spark.sparkContext
    if __name__ != "__main__":
        # Imported (as by the test): the partition function is pickled by reference to
        # this module, so the executors' Python needs the module too.
        sc.addPyFile(os.path.abspath(__file__))
    if opts.onrecord:
        sc.addFile(os.path.abspath(opts.onrecord))
        driver_binary = executable(os.path.abspath(opts.onrecord))
        name = os.path.basename(opts.onrecord)
    else:
        name = "onrecord"
        driver_binary = executable(SparkFiles.get(name))
    score_args = shlex.split(opts.score_args)
    if "--threads" not in score_args:
        # A task has spark.task.cpus cores (1 by default): onrecord uses as many.
        score_args += ["--threads", sc.getConf().get("spark.task.cpus", "1")]
    if opts.input_format == "parquet":
        score_args += ["--text-field", opts.text_column]
    tables_out = opts.tables or opts.out
    os.makedirs(opts.out, exist_ok=True)

    results = read_lines(spark, opts).mapPartitionsWithIndex(
        score_partition(name, score_args, opts.table_format))
    # Each partition is scored once: the rows are kept for the writes below.
    results.persist(StorageLevel.MEMORY_AND_DISK)
    small = results.filter(lambda r: r[0] not in ROW_TABLES).collect()

    for table in ROW_TABLES:
        pieces = results.filter(lambda r, t=table: r[0] == t)
        path = tables_out.rstrip("/") + "/" + table
        if opts.table_format == "csv":
            # One file per partition (part-NNNNN, N the partition), onrecord's CSV as it
            # wrote it, header included.
            df = spark.createDataFrame(pieces.map(lambda r: (r[3][0],)), "value string")
            df.write.mode("overwrite").text(path)
            continue
        header = next((r[3][1:] for r in small if r[0] == "header" and r[3][0] == table), None)
        if header is None:
            continue
        schema = StructType([StructField("shard", IntegerType(), False),
                             StructField("row", IntegerType(), False)]
                            + [StructField(c, StringType(), True) for c in header])
        rows = pieces.map(lambda r: [r[1], r[2]] + r[3])
        spark.createDataFrame(rows, schema).write.mode("overwrite").parquet(path)

    # The shard summaries on the driver, in partition order, then one merge.
    shards_dir = os.path.join(opts.out, "shards")
    shutil.rmtree(shards_dir, ignore_errors=True)
    shard_dirs = []
    for kind, index, _, (text,) in sorted(r for r in small if r[0] in SHARD_FILES):
        d = os.path.join(shards_dir, f"part-{index:05d}")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, kind), "w", encoding="utf-8") as f:
            f.write(text)
        if kind == SHARD_FILES[0]:
            shard_dirs.append(d)
    if shard_dirs:
        run_merge(driver_binary, shard_dirs, opts.out, shlex.split(opts.merge_args))
    results.unpersist()
    timings = sorted((json.loads(r[3][0]) for r in small if r[0] == "timing"),
                     key=lambda t: t["partition"])
    with open(os.path.join(opts.out, "timings.json"), "w", encoding="utf-8") as f:
        json.dump(timings, f, indent=1)
        f.write("\n")
    return timings


def main(argv):
    opts = parse_args(argv)
    builder = SparkSession.builder.appName("onrecord")
    if opts.master:
        builder = builder.master(opts.master)
    spark = builder.getOrCreate()
    try:
        started = time.perf_counter()
        timings = score(spark, opts)
        wall = time.perf_counter() - started
    finally:
        spark.stop()
    onrecord_s = sum(t["onrecord_s"] for t in timings)
    partition_s = sum(t["partition_s"] for t in timings)
    print(f"onrecord on Spark: {sum(t['documents'] for t in timings)} documents in "
          f"{len(timings)} partitions, {wall:.1f} s; per partition {partition_s / max(len(timings), 1):.2f} s, "
          f"of which onrecord {onrecord_s / max(len(timings), 1):.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
