"""Runs scripts/reference_panel.sql with DuckDB; shared by crosscheck.py and bench_duckdb.py."""

import os
import pathlib

import duckdb

SQL_PATH = pathlib.Path(__file__).with_name("reference_panel.sql")
COLUMNS = ["municipality", "period", "indicator", "dimension", "category", "value", "persons"]


def engine_env() -> dict:
    """The environment for running indsats: without INDSATS_* variables, which it reads as
    settings and rejects when unknown (INDSATS_BIN names the binary for these scripts)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("INDSATS_")}


def data_files_dir(data_dir: str) -> str:
    """The folder holding the Parquet files: DATA/current when it exists, else DATA itself (as the CLI)."""
    current = os.path.join(data_dir, "current")
    folder = current if os.path.isdir(current) else data_dir
    for table in ("persons", "residence", "benefits", "activation"):
        if not os.path.exists(os.path.join(folder, f"{table}.parquet")):
            raise FileNotFoundError(f"{folder}: no {table}.parquet (import the data with `indsats import register` first)")
    return os.path.realpath(folder)


def connect(threads=None, memory_limit=None, temp_directory=None) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    if memory_limit:
        con.execute("SET memory_limit = ?", [memory_limit])
    if temp_directory:
        con.execute("SET temp_directory = ?", [temp_directory])
    # Row order comes from the final ORDER BY; intermediate tables need not keep insertion order.
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET enable_progress_bar = false")
    return con


def statements() -> list:
    """The script's statements as text; the last one is the panel query."""
    return [s.query.strip().rstrip(";") for s in duckdb.extract_statements(SQL_PATH.read_text())]


def prepare(con, data_dir: str, kinds, first=None, last=None) -> str:
    """Sets the parameters and runs every statement but the last; returns the last (the panel query)."""
    con.execute("SET VARIABLE data_dir = ?", [data_files_dir(data_dir)])
    con.execute("SET VARIABLE kinds = ?::VARCHAR[]", [list(kinds)])
    con.execute("SET VARIABLE from_period = ?::VARCHAR", [first])
    con.execute("SET VARIABLE to_period = ?::VARCHAR", [last])
    *setup, query = statements()
    for statement in setup:
        con.execute(statement)
    return query


def panel(con, data_dir: str, kinds, first=None, last=None) -> list:
    """The panel rows as tuples in COLUMNS order."""
    query = prepare(con, data_dir, kinds, first, last)
    return con.execute(query).fetchall()
