"""Example designs shipped with the package (``hylyte/design/data/examples``) and the demo.

The files mirror ``examples/designs/`` of the source tree (a test keeps them in sync).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

#: the design of the demo that also gets a (small) voxel solve
DEMO_VOXEL_DESIGN = "peo_sio2_passive.toml"
#: voxel budget per axis of the demo's voxel solve [-]
DEMO_VOXEL_BUDGET = 32
#: helper files that are layers of other examples, not designs of their own in the demo
_LAYER_ONLY = ("cathode_side.toml",)


@contextlib.contextmanager
def example_dir() -> Iterator[Path]:
    """A real folder holding the bundled example designs (context manager)."""
    with as_file(files("hylyte.design") / "data" / "examples") as path:
        yield Path(path)


def example_names() -> list[str]:
    """File names of the bundled example designs, sorted."""
    root = files("hylyte.design") / "data" / "examples"
    return sorted(p.name for p in root.iterdir() if p.name.endswith(".toml"))


def example_paths() -> list[str]:
    """Names of the examples the demo evaluates (layer-only helper files left out)."""
    return [n for n in example_names() if n not in _LAYER_ONLY]


def run_demo(*, progress: Callable[[str], None] | None = None) -> list[Any]:
    """Evaluate every bundled example (analytic) plus one small voxel solve.

    Parameters
    ----------
    progress
        Receives one line per step.

    Returns
    -------
    list of Result
        One result per example, in name order; the voxel design is evaluated with
        ``method = "both"`` at a budget of :data:`DEMO_VOXEL_BUDGET` voxels per axis.
    """
    from dataclasses import replace

    from hylyte.design.evaluate import evaluate
    from hylyte.design.load import load_design

    results = []
    with example_dir() as root:
        for name in example_paths():
            design = load_design(root / name)
            method = "analytic"
            if name == DEMO_VOXEL_DESIGN:
                ev = design.evaluate
                design = replace(design, evaluate=replace(
                    ev, voxel=replace(ev.voxel, max_voxels_per_axis=DEMO_VOXEL_BUDGET)))
                method = "both"
            if progress is not None:
                progress(f"demo: {name} ({method})")
            results.append(evaluate(design, method=method, progress=progress, rng=0))
    return results


__all__ = ["DEMO_VOXEL_DESIGN", "example_dir", "example_names", "example_paths", "run_demo"]
