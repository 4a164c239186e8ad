"""Shared plumbing of the tutorial scripts: command line, atomic figure and summary writes.

Not part of the hylyte package; the tutorials import it from their own folder.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "images" / "tutorials"


def parse_args(description: str, argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse ``[--out DIR] [--fast]``; create the output folder."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"folder for the figures and the summary (default {DEFAULT_OUT})")
    parser.add_argument("--fast", action="store_true",
                        help="coarser grids and fewer points (a few seconds; used by CI)")
    parser.add_argument("--summary", type=Path, default=None,
                        help="also write the key numbers to this JSON file")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    return args


def _atomic(path: Path, write) -> Path:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; the figures are meant to be published
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def save_figure(fig: Any, out: Path, name: str) -> Path:
    """Save ``fig`` as ``out/name`` (PNG, 150 dpi) atomically and close it."""
    import matplotlib.pyplot as plt

    path = _atomic(Path(out) / name, lambda tmp: fig.savefig(tmp, dpi=150, format="png",
                                                               bbox_inches="tight"))
    plt.close(fig)
    print(f"wrote {path}")
    return path


def save_summary(path: Path | None, data: Mapping[str, Any]) -> Path | None:
    """Write the key numbers to ``path`` (JSON) atomically; nothing when ``path`` is None."""
    if path is None:
        return None
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, indent=2, sort_keys=True, default=float)
    return _atomic(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Print a plain-text table; floats in 4 significant digits."""
    def fmt(x: Any) -> str:
        return f"{x:.4g}" if isinstance(x, float) else str(x)

    cells = [[fmt(x) for x in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    print("  ".join(h.rjust(w) for h, w in zip(headers, widths, strict=True)))
    for r in cells:
        print("  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)))
