#!/usr/bin/env python3
"""Compares `indsats indicators` with the DuckDB SQL panel (scripts/reference_panel.sql), row by row.

    crosscheck.py DATA_DIR [--from 2019Q1 --to 2022Q4] [--period quarter,year]

DATA_DIR is a data set written by `indsats import register` (the SQL reads
DATA_DIR/current/*.parquet). The engine binary is $INDSATS_BIN, by default
/root/.cache/indsats-target/debug/indsats. Both panels must have the same rows (key:
municipality, period, indicator, dimension, category) in the same order, values equal within
1e-9 (absolute or relative) and persons equal. Prints a summary line

    crosscheck: 12345 rows compared, 0 differences

and the first differences; exits 1 when there is any difference, 2 when a side fails to run.
"""

import argparse
import csv
import io
import math
import os
import subprocess
import sys
import tempfile
import time

import panel_sql

DEFAULT_BIN = "/root/.cache/indsats-target/debug/indsats"
KEY = slice(0, 5)


def fail(message):
    """A side could not be run: exit code 2, not 1 (which means differences)."""
    print(f"crosscheck: {message}", file=sys.stderr)
    sys.exit(2)


def engine_panel(binary, data_dir, kinds, first, last):
    command = [binary, "indicators", "--data", os.path.abspath(data_dir), "--period", ",".join(kinds), "--format", "csv"]
    if first:
        command += ["--from", first]
    if last:
        command += ["--to", last]
    with tempfile.TemporaryDirectory(prefix="crosscheck-") as cwd:
        done = subprocess.run(command, capture_output=True, text=True, env=panel_sql.engine_env(), cwd=cwd, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        fail(f"{' '.join(command)} failed with exit code {done.returncode}")
    reader = csv.reader(io.StringIO(done.stdout))
    header = next(reader)
    if header != panel_sql.COLUMNS:
        fail(f"unexpected engine header {header}")
    return [(m, p, i, d, c, float(v), int(n)) for m, p, i, d, c, v, n in reader]


def close(a, b, tolerance):
    return a == b or abs(a - b) <= tolerance or abs(a - b) <= tolerance * max(abs(a), abs(b))


def compare(engine, sql, tolerance):
    """Every difference as (kind, key, engine value, sql value), in the engine's row order."""
    differences = []
    engine_rows = {tuple(r[KEY]): r for r in engine}
    sql_rows = {tuple(r[KEY]): r for r in sql}
    for name, rows, count in (("engine", engine_rows, len(engine)), ("sql", sql_rows, len(sql))):
        if len(rows) != count:
            differences.append(("duplicate keys", name, count - len(rows), ""))
    for key, e in engine_rows.items():
        s = sql_rows.get(key)
        if s is None:
            differences.append(("only in engine", key, e[5:], ""))
            continue
        if not (math.isfinite(e[5]) and math.isfinite(s[5]) and close(e[5], s[5], tolerance)):
            differences.append(("value", key, e[5], s[5]))
        if e[6] != s[6]:
            differences.append(("persons", key, e[6], s[6]))
    for key, s in sql_rows.items():
        if key not in engine_rows:
            differences.append(("only in sql", key, "", s[5:]))
    if not differences:
        # Same rows: they must also come in the same order.
        for position, (e, s) in enumerate(zip(engine, sql)):
            if e[KEY] != s[KEY]:
                differences.append(("order", f"row {position + 1}", tuple(e[KEY]), tuple(s[KEY])))
                break
    return len(engine_rows.keys() | sql_rows.keys()), differences


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir")
    parser.add_argument("--from", dest="first", help="first period, e.g. 2019Q1 (default: the data's first week)")
    parser.add_argument("--to", dest="last", help="last period, e.g. 2022Q4 (default: the data's last week)")
    parser.add_argument("--period", default="quarter,year", help="period kinds (default quarter,year)")
    parser.add_argument("--bin", default=os.environ.get("INDSATS_BIN", DEFAULT_BIN), help="the indsats binary")
    parser.add_argument("--threads", type=int, default=0, help="DuckDB threads (default: all cores)")
    parser.add_argument("--tolerance", type=float, default=1e-9)
    parser.add_argument("--show", type=int, default=20, help="differences to list (default 20)")
    parser.add_argument("--save", metavar="PREFIX", help="also write PREFIX.engine.csv and PREFIX.sql.csv")
    args = parser.parse_args()
    kinds = [k.strip() for k in args.period.split(",") if k.strip()]

    started = time.monotonic()
    engine = engine_panel(args.bin, args.data_dir, kinds, args.first, args.last)
    engine_seconds = time.monotonic() - started

    started = time.monotonic()
    try:
        sql = panel_sql.panel(panel_sql.connect(threads=args.threads), args.data_dir, kinds, args.first, args.last)
    except Exception as err:  # a DuckDB error is a failure to run, not a difference
        fail(f"the SQL panel failed: {err}")
    sql_seconds = time.monotonic() - started

    if args.save:
        for side, rows in (("engine", engine), ("sql", sql)):
            with open(f"{args.save}.{side}.csv", "w", newline="") as f:
                w = csv.writer(f, lineterminator="\n")
                w.writerow(panel_sql.COLUMNS)
                w.writerows(rows)

    compared, differences = compare(engine, sql, args.tolerance)
    print(f"engine: {len(engine)} rows in {engine_seconds:.2f} s; "
          f"duckdb {panel_sql.duckdb.__version__}: {len(sql)} rows in {sql_seconds:.2f} s")
    if compared == 0:
        fail("both panels are empty; nothing compared")
    print(f"crosscheck: {compared} rows compared, {len(differences)} differences")
    for kind, key, e, s in differences[: args.show]:
        print(f"  {kind}: {','.join(map(str, key)) if isinstance(key, tuple) else key}: engine {e!r}, sql {s!r}")
    if len(differences) > args.show:
        print(f"  ... and {len(differences) - args.show} more")
    sys.exit(1 if differences else 0)


if __name__ == "__main__":
    main()
