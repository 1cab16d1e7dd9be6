#!/usr/bin/env python3
"""Times the DuckDB SQL panel (scripts/reference_panel.sql) on a data set, to compare with the Rust engine.

    bench_duckdb.py DATA_DIR [--runs 3] [--threads 2] [--timeout 600] [--period quarter,year]
                    [--from 2015Q1 --to 2024Q4] [--memory-limit 16GB] [--engine]

Each run is a fresh process: it opens an in-memory DuckDB, runs the whole script over
DATA_DIR/current/*.parquet for the whole range of the data (as `indsats indicators` does
without --from/--to) and writes the panel as CSV to a temporary file, as the CLI does. Prints

    duckdb: median 12.3 s over 3 runs (threads=2), median CPU 20.1 s, peak RSS 1.90 GiB, DuckDB memory peak 1.52 GiB

CPU is user + system time of the run's process (a steadier figure than wall time on a busy
machine); peak RSS is the whole process (Python included); the DuckDB figure samples
duckdb_memory() every 0.1 s, so it can miss short peaks. With --engine the same is measured for
`indsats indicators` ($INDSATS_BIN) with the same periods and range. --timeout bounds each
run (the run is killed); then the line says so and the exit code is 124.
"""

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

DEFAULT_BIN = "/root/.cache/indsats-target/debug/indsats"
GIB = 1024**3


def child(args):
    """One timed run in this process; prints a JSON line with the figures."""
    import panel_sql  # imported here so the parent does not load DuckDB

    started = time.monotonic()
    con = panel_sql.connect(threads=args.threads, memory_limit=args.memory_limit, temp_directory=args.temp_dir)
    peak = [0]
    done = threading.Event()

    def sample():
        watcher = con.cursor()
        while not done.wait(0.1):
            try:
                used = watcher.execute("SELECT sum(memory_usage_bytes) FROM duckdb_memory()").fetchone()[0]
                peak[0] = max(peak[0], int(used or 0))
            except Exception:  # the watcher must never fail the run
                pass

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    query = panel_sql.prepare(con, args.data_dir, args.kinds, args.first, args.last)
    out = os.path.join(args.temp_dir, "panel.csv")
    con.execute(f"COPY ({query}) TO '{out}' (HEADER, DELIMITER ',')")
    seconds = time.monotonic() - started
    done.set()
    sampler.join()
    rows = con.execute(f"SELECT count(*) FROM read_csv('{out}')").fetchone()[0]
    span = con.execute(
        "SELECT (SELECT week_label FROM weeks WHERE idx = first_idx), (SELECT week_label FROM weeks WHERE idx = last_idx) "
        "FROM span"
    ).fetchone()
    print(json.dumps({"seconds": seconds, "duckdb_peak": peak[0], "rows": rows, "span": list(span)}))


def timed(command, timeout, env=None, cwd=None):
    """Runs a command; returns (seconds, peak RSS bytes, stdout, CPU seconds) or None on timeout."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(command, stdout=out, stderr=err, env=env, cwd=cwd, start_new_session=True)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if timeout and time.monotonic() - started > timeout:
                os.killpg(proc.pid, signal.SIGKILL)
                os.wait4(proc.pid, 0)
                return None
            time.sleep(0.05)
        seconds = time.monotonic() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            sys.stderr.write(err.read().decode(errors="replace"))
            raise SystemExit(f"bench: {' '.join(command)} failed with exit code {proc.returncode}")
        out.seek(0)
        # ru_maxrss is in KiB on Linux.
        return seconds, usage.ru_maxrss * 1024, out.read().decode(), usage.ru_utime + usage.ru_stime


def engine_env():
    """indsats reads INDSATS_* variables as settings and rejects unknown ones (INDSATS_BIN)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("INDSATS_")}


def gib(n):
    return f"{n / GIB:.2f} GiB"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir")
    parser.add_argument("--runs", type=int, default=3, help="runs to take the median of (default 3)")
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="DuckDB threads (default: all cores)")
    parser.add_argument("--timeout", type=float, default=0, help="seconds per run before it is killed (default: none)")
    parser.add_argument("--period", default="quarter,year")
    parser.add_argument("--from", dest="first", help="first period (default: the data's first week)")
    parser.add_argument("--to", dest="last", help="last period (default: the data's last week)")
    parser.add_argument("--memory-limit", help="DuckDB memory_limit, e.g. 16GB (default: DuckDB's, 80%% of RAM)")
    parser.add_argument("--temp-dir", help="where DuckDB spills and the CSV goes (default: a new temporary folder)")
    parser.add_argument("--engine", action="store_true", help="also time `indsats indicators` ($INDSATS_BIN)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.kinds = [k.strip() for k in args.period.split(",") if k.strip()]

    if args.child:
        child(args)
        return

    with tempfile.TemporaryDirectory(prefix="bench-duckdb-", dir=args.temp_dir) as scratch:
        command = [sys.executable, os.path.abspath(__file__), args.data_dir, "--child", "--period", args.period,
                   "--threads", str(args.threads), "--temp-dir", scratch]
        for flag, value in (("--from", args.first), ("--to", args.last), ("--memory-limit", args.memory_limit)):
            if value:
                command += [flag, value]
        results = []
        for run in range(args.runs):
            result = timed(command, args.timeout)
            if result is None:
                print(f"duckdb: run {run + 1} timed out after {args.timeout:g} s (threads={args.threads})")
                sys.exit(124)
            seconds, rss, stdout, cpu = result
            figures = json.loads(stdout.strip().splitlines()[-1])
            results.append((seconds, rss, figures, cpu))
            print(f"  duckdb run {run + 1}: {seconds:.2f} s (CPU {cpu:.1f} s), peak RSS {gib(rss)}, "
                  f"DuckDB memory peak {gib(figures['duckdb_peak'])}", flush=True)
        times = [r[0] for r in results]
        figures = results[-1][2]
        print(f"duckdb {duckdb_version()}: {figures['rows']} rows, weeks {figures['span'][0]}..{figures['span'][1]}, "
              f"periods {args.period}")
        print(f"duckdb: median {statistics.median(times):.1f} s over {len(times)} runs (threads={args.threads}), "
              f"median CPU {statistics.median(r[3] for r in results):.1f} s, peak RSS {gib(max(r[1] for r in results))}, "
              f"DuckDB memory peak {gib(max(r[2]['duckdb_peak'] for r in results))}")

    if args.engine:
        binary = os.environ.get("INDSATS_BIN", DEFAULT_BIN)
        with tempfile.TemporaryDirectory(prefix="bench-engine-") as scratch:
            command = [binary, "indicators", "--data", os.path.abspath(args.data_dir), "--period", args.period,
                       "--format", "csv", "--out", os.path.join(scratch, "panel.csv")]
            if args.first:
                command += ["--from", args.first]
            if args.last:
                command += ["--to", args.last]
            results = []
            for run in range(args.runs):
                result = timed(command, args.timeout, env=engine_env(), cwd=scratch)
                if result is None:
                    print(f"engine: run {run + 1} timed out after {args.timeout:g} s")
                    sys.exit(124)
                results.append(result)
                print(f"  engine run {run + 1}: {result[0]:.2f} s (CPU {result[3]:.1f} s), peak RSS {gib(result[1])}",
                      flush=True)
            times = [r[0] for r in results]
            print(f"engine: median {statistics.median(times):.1f} s over {len(times)} runs "
                  f"(threads: all {os.cpu_count()} cores), median CPU {statistics.median(r[3] for r in results):.1f} s, "
                  f"peak RSS {gib(max(r[1] for r in results))}")


def duckdb_version():
    import duckdb

    return duckdb.__version__


if __name__ == "__main__":
    main()
