"""Results store of a sweep: Parquet parts plus a manifest in one folder.

Layout of a results folder::

    results/
      manifest.json          # plan, evaluator, input columns, parts (rewritten atomically)
      part-000001.parquet    # one batch of finished designs (all rows of each design)
      part-000002.parquet
      ...

Every part is written to a temporary file, flushed to disk and then linked to its final name,
so a reader (or a run resumed after ``SIGKILL``) sees a part completely or not at all. The
parts on disk are the truth; the manifest is a summary rebuilt from them. Rows carry the
design key (``design_hash``); reading keeps, for each design, the rows of the first part that
holds it with ``status = 'ok'`` (or, failing that, its first error), so a design that ended up
in two parts is never counted twice.

Requires pyarrow (``pip install 'hylyte[store]'``); queries need duckdb.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from hylyte._atomic import atomic_write_text
from hylyte._optional import import_optional
from hylyte.errors import DataFormatError, InputError

__all__ = ["MANIFEST", "ResultStore", "rows_to_table"]

MANIFEST = "manifest.json"
SCHEMA_VERSION = 1
_PART_RE = re.compile(r"^part-(\d{6,})\.parquet$")
#: columns every stored row has
KEY_COLUMNS = ("design_hash", "row_index", "status", "error_type", "error_message")


def _pa():
    return import_optional("pyarrow", extra="store", purpose="to store sweep results")


def _pq():
    _pa()
    return import_optional("pyarrow.parquet", extra="store", purpose="to store sweep results")


def _column_array(pa: Any, values: list[Any]) -> Any:
    try:
        return pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.array([None if v is None else str(v) for v in values], type=pa.string())


def rows_to_table(rows: list[Mapping[str, Any]]) -> Any:
    """Build a ``pyarrow.Table`` from flat dict rows whose keys may differ.

    Columns appear in first-seen order; a missing value is null; a column whose values do not
    share one type is stored as strings.
    """
    pa = _pa()
    names: dict[str, None] = {}
    for r in rows:
        for k in r:
            names.setdefault(k, None)
    return pa.table({k: _column_array(pa, [r.get(k) for r in rows]) for k in names})


class ResultStore:
    """A folder of Parquet parts holding sweep rows keyed by design hash.

    Parameters
    ----------
    path
        Results folder (created on the first write).
    """

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self._keys_cache: dict[str, tuple[set[str], set[str]]] = {}

    # ---------------------------------------------------------------- reading
    def parts(self) -> list[Path]:
        """Part files, in the order they were written."""
        if not self.path.is_dir():
            return []
        found = []
        for p in self.path.iterdir():
            m = _PART_RE.match(p.name)
            if m:
                found.append((int(m.group(1)), p))
        return [p for _, p in sorted(found)]

    def _part_keys(self, part: Path) -> tuple[set[str], set[str]]:
        if part.name not in self._keys_cache:
            pq = _pq()
            try:
                t = pq.read_table(part, columns=["design_hash", "status"])
            except Exception as err:
                raise DataFormatError(f"{part}: cannot read the part: {err}") from err
            keys = t.column("design_hash").to_pylist()
            status = t.column("status").to_pylist()
            ok = {k for k, s in zip(keys, status, strict=True) if s == "ok"}
            self._keys_cache[part.name] = (ok, set(keys) - ok)
        return self._keys_cache[part.name]

    def done_keys(self, *, include_errors: bool = True) -> set[str]:
        """Keys of designs already in the store.

        Parameters
        ----------
        include_errors
            Count designs that failed as done (``True``) or only those that succeeded.
        """
        done: set[str] = set()
        for p in self.parts():
            ok, err = self._part_keys(p)
            done |= ok
            if include_errors:
                done |= err
        return done

    def manifest(self) -> dict[str, Any]:
        """The manifest (empty dict when there is none yet)."""
        f = self.path / MANIFEST
        if not f.is_file():
            return {}
        try:
            return json.loads(f.read_text(encoding="utf-8"))
        except json.JSONDecodeError as err:
            raise DataFormatError(f"{f}: not valid JSON: {err}") from err

    def table(self) -> Any:
        """All rows as one ``pyarrow.Table``, deduplicated by design key.

        For each design the rows of the first part holding it with ``status = 'ok'`` are kept;
        a design that only ever failed keeps the rows of its first error.
        """
        pa = _pa()
        pc = import_optional("pyarrow.compute", extra="store", purpose="to read sweep results")
        pq = _pq()
        parts = self.parts()
        if not parts:
            return pa.table({c: pa.array([], type=pa.string()) for c in KEY_COLUMNS})
        ok_any: set[str] = set()
        for p in parts:
            ok_any |= self._part_keys(p)[0]
        taken: set[str] = set()
        tables = []
        for p in parts:
            t = pq.read_table(p)
            ok, err = self._part_keys(p)
            keep = (ok - taken) | (err - taken - ok_any)
            if not keep:
                continue
            if keep != ok | err:
                mask = pc.is_in(t.column("design_hash"), value_set=pa.array(sorted(keep)))
                t = t.filter(mask)
            taken |= keep
            tables.append(t)
        if not tables:
            return pa.table({c: pa.array([], type=pa.string()) for c in KEY_COLUMNS})
        return pa.concat_tables(tables, promote_options="permissive")

    def query(self, sql: str) -> Any:
        """Run DuckDB SQL over a view named ``results``; returns a ``pyarrow.Table``.

        Raises
        ------
        InputError
            The SQL is invalid; the message carries DuckDB's.
        """
        duckdb = import_optional("duckdb", extra="store", purpose="to query sweep results")
        con = duckdb.connect()
        try:
            con.register("results", self.table())
            try:
                rel = con.sql(sql)
                if rel is None:  # a statement without a result set
                    raise InputError(f"query: {sql!r} returns no rows; use SELECT")
                fetch = getattr(rel, "to_arrow_table", None) or rel.arrow
                return fetch()
            except duckdb.Error as err:
                raise InputError(f"query: {err}") from err
        finally:
            con.close()

    def to_csv(self, out: str | os.PathLike, sql: str = "SELECT * FROM results") -> Path:
        """Write the result of ``sql`` (default: every row) as CSV, atomically."""
        import io

        pa_csv = import_optional("pyarrow.csv", extra="store", purpose="to export CSV")
        table = self.query(sql)
        buf = io.BytesIO()
        pa_csv.write_csv(table, buf)
        from hylyte._atomic import atomic_write_bytes

        return atomic_write_bytes(out, buf.getvalue())

    # ---------------------------------------------------------------- writing
    def check_evaluator(self, evaluator: str) -> None:
        """Refuse to mix results of two different evaluation functions in one folder.

        Raises
        ------
        InputError
            The manifest names another evaluator.
        """
        old = self.manifest().get("evaluator")
        if old is not None and old != evaluator:
            raise InputError(
                f"results folder {str(self.path)!r} holds results of evaluator {old!r}, not "
                f"{evaluator!r}; use another output folder"
            )

    def clean_temporaries(self, *, older_than_s: float = 0.0) -> int:
        """Remove temporary files left by writers that were killed; returns how many."""
        if not self.path.is_dir():
            return 0
        n = 0
        now = time.time()
        for p in self.path.iterdir():
            if p.name.startswith(".part-") or (p.name.startswith(f".{MANIFEST}.")):
                with contextlib.suppress(FileNotFoundError):
                    if now - p.stat().st_mtime >= older_than_s:
                        p.unlink()
                        n += 1
        return n

    def write_part(self, rows: list[Mapping[str, Any]]) -> Path:
        """Write rows as a new part; atomic and never overwriting an existing part.

        Returns
        -------
        Path
            The part file written.
        """
        pq = _pq()
        table = rows_to_table(rows)
        self.path.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".part-", suffix=".tmp", dir=self.path)
        try:
            with os.fdopen(fd, "wb") as fh:
                pq.write_table(table, fh, compression="zstd")
                fh.flush()
                os.fsync(fh.fileno())
            existing = self.parts()
            n = int(_PART_RE.match(existing[-1].name).group(1)) + 1 if existing else 1  # type: ignore[union-attr]
            while True:
                final = self.path / f"part-{n:06d}.parquet"
                try:
                    os.link(tmp, final)  # exclusive: fails if another writer took the name
                    break
                except FileExistsError:
                    n += 1
                except OSError:  # a file system without hard links: rename if still free
                    if final.exists():
                        n += 1
                        continue
                    os.replace(tmp, final)
                    break
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        with contextlib.suppress(OSError):
            dfd = os.open(self.path, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
        return final

    def write_manifest(self, info: Mapping[str, Any]) -> Path:
        """Rewrite the manifest from ``info`` plus a listing of the parts on disk."""
        parts = []
        n_designs = 0
        for p in self.parts():
            ok, err = self._part_keys(p)
            parts.append({"file": p.name, "n_ok": len(ok), "n_error": len(err)})
            n_designs += len(ok) + len(err)
        data = {"schema_version": SCHEMA_VERSION, "kind": "hylyte-sweep-results",
                **dict(info), "parts": parts, "n_designs_stored": n_designs}
        return atomic_write_text(self.path / MANIFEST, json.dumps(data, indent=1, default=str))

    def input_columns(self) -> dict[str, dict[str, Any]]:
        """Axis columns recorded in the manifest: column -> {path, unit, categorical}."""
        return dict(self.manifest().get("inputs", {}))


def iter_chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    """Consecutive chunks of ``items`` of at most ``size`` elements."""
    for i in range(0, len(items), size):
        yield items[i : i + size]
