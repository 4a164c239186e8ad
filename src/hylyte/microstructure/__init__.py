"""Voxel microstructures of hybrid electrolytes: volumes, generators, connectivity, I/O."""

import importlib

_LAZY = {
    "VoxelVolume": "hylyte.microstructure.volume",
    "InterfaceProperties": "hylyte.microstructure.volume",
    "as_volume": "hylyte.microstructure.volume",
    "label_clusters": "hylyte.microstructure.connectivity",
    "spanning_mask": "hylyte.microstructure.connectivity",
    "percolation_report": "hylyte.microstructure.connectivity",
}
__all__ = sorted(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'hylyte.microstructure' has no attribute {name!r}")
