"""Running the person-day SQL (`vitk2.cohort.sql`) on DuckDB or on Spark, and writing
the result as one Parquet file.

Both engines get the same tables and the same SQL text; their exact-decimal results are
turned into float64 columns by the same code (`write_parquet`), so the two files hold
identical values. DuckDB (``vitk2[cohort]``) runs in process on the Arrow tables.
Spark (``vitk2[spark]``, Java 17) runs in local mode here, on every core; on a cluster
the session the caller has built is used (`spark_session` returns the active one). The
inputs are handed to Spark as Parquet files in a temporary folder and its result is
read back from Parquet part files, in order.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
import warnings
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, Literal

from vitk2.cohort._extras import COHORT, SPARK, arrow, require
from vitk2.cohort.foods import per_gram_type
from vitk2.cohort.inputs import Staged
from vitk2.cohort.sql import person_day_sql
from vitk2.errors import InvalidOptionError, MissingExtraError, quoted
from vitk2.files import atomic_path

__all__ = [
    "ENGINES",
    "METADATA_KEY",
    "Engine",
    "Progress",
    "check_engine",
    "read_metadata",
    "read_parquet",
    "run_person_days",
    "spark_session",
    "write_parquet",
]

Engine = Literal["duckdb", "spark"]
ENGINES: Final[tuple[Engine, ...]] = ("duckdb", "spark")
#: The Parquet key-value metadata key that holds vitk2's run description (JSON).
METADATA_KEY: Final = b"vitk2"
Progress = Callable[[str, float], None]
_BATCH_ROWS: Final = 250_000


def check_engine(name: str) -> Engine:
    """The engine ``name`` names (duckdb or spark)."""
    for engine in ENGINES:
        if name == engine:
            return engine
    raise InvalidOptionError(f"Unknown --engine {quoted(name)}: expected duckdb or spark.")


def _float_schema(schema: Any) -> Any:
    """Decimal columns as float64; every column nullable (Spark marks some not null,
    DuckDB none: the files of both engines have one schema)."""
    pa = arrow()
    return pa.schema(
        [pa.field(f.name, pa.float64() if pa.types.is_decimal(f.type) else f.type) for f in schema]
    )


def _as_floats(batch: Any, schema: Any) -> Any:
    pa = arrow()
    columns = [
        column.cast(pa.float64(), safe=False) if pa.types.is_decimal(column.type) else column
        for column in batch.columns
    ]
    return pa.RecordBatch.from_arrays(columns, schema=schema)


def write_parquet(
    batches: Iterable[Any], schema: Any, out: Path, metadata: Mapping[str, object]
) -> int:
    """Write ``batches`` (decimal columns as float64) to ``out`` with vitk2's
    ``metadata``: through a temporary file, so a failure leaves nothing half-written.
    Returns the number of rows."""
    import pyarrow.parquet as pq

    target = _float_schema(schema).with_metadata({METADATA_KEY: json.dumps(metadata)})
    rows = 0
    with atomic_path(out) as temporary, pq.ParquetWriter(temporary, target) as writer:
        for batch in batches:
            if batch.num_rows:
                writer.write_batch(_as_floats(batch, target))
                rows += batch.num_rows
        if rows == 0:
            writer.write_table(target.empty_table())
    return rows


def read_parquet(path: Path) -> tuple[Any, dict[str, Any]]:
    """A Parquet file as an Arrow table and vitk2's run description stored in it; a
    file that cannot be read as Parquet is an `InvalidOptionError` naming it."""
    import pyarrow.parquet as pq

    pa = arrow()
    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowInvalid) as error:
        raise InvalidOptionError(
            f"Cannot read {quoted(str(path), 200)} as Parquet: {error}"
        ) from None
    return table, read_metadata(path)


def read_metadata(path: Path) -> dict[str, Any]:
    """vitk2's run description stored in a Parquet file (empty if it has none)."""
    import pyarrow.parquet as pq

    schema = pq.read_schema(path)
    raw = (schema.metadata or {}).get(METADATA_KEY)
    return dict(json.loads(raw)) if raw else {}


def run_person_days(
    staged: Staged,
    foods: Any,
    keys: list[str],
    *,
    engine: Engine,
    out: Path,
    metadata: Mapping[str, object],
    progress: Progress | None = None,
) -> int:
    """Compute the person-day intakes of ``keys`` on ``engine`` and write them to
    ``out``. Returns the number of person-days."""
    sql = person_day_sql(keys)
    supplements = staged.supplements
    for key in keys:  # a supplement names only some nutrients: the others are 0
        if key not in supplements.column_names:
            zeros = arrow().array([Decimal(0)] * supplements.num_rows, per_gram_type())
            supplements = supplements.append_column(key, zeros)
    tables = {
        "records": staged.records,
        "supplements": supplements,
        "foods": foods,
        "persons": staged.persons,
    }
    if check_engine(engine) == "duckdb":
        return _duckdb(tables, sql, out, metadata, progress)
    return _spark(tables, sql, out, metadata, progress)


def _duckdb(
    tables: Mapping[str, Any],
    sql: str,
    out: Path,
    metadata: Mapping[str, object],
    progress: Progress | None,
) -> int:
    duckdb = require("duckdb", fix=COHORT, what="--engine duckdb")
    connection = duckdb.connect()
    try:
        # DuckDB spills its sort and aggregation to disk beyond this (default 1.5 GB: with
        # the inputs, 1 M persons x 2 days then stays under 4 GB; docs/benchmarks.md)
        memory = os.environ.get("VITK2_DUCKDB_MEMORY", "1.5GB").strip()
        if not re.fullmatch(r"\d{1,6}(\.\d+)?\s?[KMGT]i?B", memory):
            raise InvalidOptionError(
                f"VITK2_DUCKDB_MEMORY={quoted(memory)} is not a memory size such as 3GB."
            )
        connection.execute(f"SET memory_limit = '{memory}'")
        connection.execute(f"SET temp_directory = '{tempfile.gettempdir()}'")
        for name, table in tables.items():
            connection.register(name, table)
        done = threading.Event()
        watcher = None
        if progress is not None:
            watcher = threading.Thread(
                target=_watch, args=(connection, progress, done), daemon=True
            )
            watcher.start()
        try:
            reader = connection.sql(sql).to_arrow_reader(_BATCH_ROWS)
        finally:
            done.set()
            if watcher is not None:
                watcher.join()
        if progress is not None:
            progress("Writing", 0.0)
        return write_parquet(reader, reader.schema, out, metadata)
    finally:
        connection.close()


def _watch(connection: Any, progress: Progress, done: threading.Event) -> None:
    """Report DuckDB's own query progress while the query runs."""
    while not done.wait(0.2):
        try:
            share = float(connection.query_progress())
        except Exception:
            return
        if share >= 0:
            progress("Computing", min(share / 100.0, 1.0))


_SPARK_LOCK: Final = threading.Lock()


def spark_session() -> Any:
    """The active Spark session, or a new local one on every core (no web UI, few
    shuffle partitions). Raises `MissingExtraError` without PySpark or Java."""
    with warnings.catch_warnings():
        # PySpark warns about the pandas version on import; vitk2 hands Spark no pandas
        warnings.simplefilter("ignore", FutureWarning)
        sql = require("pyspark.sql", fix=SPARK, what="--engine spark")
    with _SPARK_LOCK:
        active = sql.SparkSession.getActiveSession()
        if active is not None:
            return active
        try:
            session = (
                sql.SparkSession.builder.master("local[*]")
                .appName("vitk2-cohort")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "8")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.driver.memory", os.environ.get("VITK2_SPARK_MEMORY", "4g"))
                .config("spark.ui.showConsoleProgress", "false")
                .getOrCreate()
            )
        except Exception as error:  # PySpark raises its own errors when Java is missing
            raise MissingExtraError(
                f"--engine spark could not start Spark ({str(error).splitlines()[0][:200]}). It "
                "needs Java 17 (Debian: apt-get install openjdk-17-jre-headless) and "
                f"{SPARK}."
            ) from None
        session.sparkContext.setLogLevel("ERROR")
        return session


def _spark(
    tables: Mapping[str, Any],
    sql: str,
    out: Path,
    metadata: Mapping[str, object],
    progress: Progress | None,
) -> int:
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    session = spark_session()
    with tempfile.TemporaryDirectory(prefix="vitk2-spark-") as folder:
        base = Path(folder)
        for name, table in tables.items():
            pq.write_table(table, base / f"{name}.parquet")
            session.read.parquet(str(base / f"{name}.parquet")).createOrReplaceTempView(name)
        if progress is not None:
            progress("Computing", 0.0)
        result = base / "result"
        session.sql(sql).write.parquet(str(result))
        if progress is not None:
            progress("Writing", 0.0)
        parts = sorted(str(p) for p in result.glob("part-*.parquet"))
        dataset = ds.dataset(parts, format="parquet")
        batches = dataset.to_batches(batch_size=_BATCH_ROWS)
        return write_parquet(batches, dataset.schema, out, metadata)
