"""Shared plumbing of the CLI: one-line errors with fixed exit codes, JSON output, progress."""

from __future__ import annotations

import contextlib
import json
import math
import os
import sys
import traceback
from collections.abc import Iterator
from enum import IntEnum
from typing import Any

import numpy as np
import typer

from hylyte.errors import ConvergenceError, HylyteError


class ExitCode(IntEnum):
    """Exit status of ``hylyte`` commands."""

    OK = 0
    ERROR = 1
    USAGE = 2
    NOT_CONVERGED = 3
    INTERRUPTED = 130


def _want_traceback() -> bool:
    return bool(os.environ.get("HYLYTE_TRACEBACK"))


@contextlib.contextmanager
def cli_errors() -> Iterator[None]:
    """Turn expected failures into one ``error: ...`` line on stderr and a fixed exit code.

    Set ``HYLYTE_TRACEBACK=1`` to see the traceback as well.
    """
    try:
        yield
    except ConvergenceError as err:
        _fail(err, ExitCode.NOT_CONVERGED)
    except HylyteError as err:
        _fail(err, ExitCode.ERROR)
    except FileNotFoundError as err:
        _fail(err, ExitCode.ERROR, f"file not found: {err.filename or err}")
    except (IsADirectoryError, PermissionError) as err:
        _fail(err, ExitCode.ERROR, f"{err.strerror}: {err.filename}")
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        raise typer.Exit(ExitCode.INTERRUPTED) from None


def _fail(err: BaseException, code: ExitCode, message: str | None = None) -> None:
    if _want_traceback():
        traceback.print_exception(err)
    typer.echo(f"error: {message or err}", err=True)
    raise typer.Exit(int(code)) from None


def to_jsonable(obj: Any) -> Any:
    """Convert numpy scalars/arrays, tuples, sets and non-finite floats into JSON-safe values.

    NaN and infinities become ``None`` (JSON has no NaN); callers that need them document it.
    """
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist())
    if isinstance(obj, np.generic):
        return to_jsonable(obj.item())
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if hasattr(obj, "to_dict"):
        return to_jsonable(obj.to_dict())
    return obj


def echo_json(obj: Any) -> None:
    """Print ``obj`` as indented JSON on stdout."""
    typer.echo(json.dumps(to_jsonable(obj), indent=2, ensure_ascii=False))


def progress_enabled(quiet: bool) -> bool:
    """Progress bars only for an interactive stderr and when not silenced with ``-q``."""
    return not quiet and sys.stderr.isatty()
