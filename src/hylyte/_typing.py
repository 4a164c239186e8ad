"""Type aliases shared across hylyte (units in comments)."""

from __future__ import annotations

from typing import Literal, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray: TypeAlias = NDArray[np.float64]
Labels: TypeAlias = NDArray[np.uint8]  # phase label per voxel, shape (nx, ny, nz)
Axis: TypeAlias = Literal["x", "y", "z"]
AXES: tuple[str, str, str] = ("x", "y", "z")

__all__ = ["AXES", "ArrayLike", "Axis", "FloatArray", "Labels"]
