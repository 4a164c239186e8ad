"""Voxel microstructures of hybrid electrolytes: volumes, generators, connectivity, I/O."""

from hylyte._lazy import lazy_module_attrs

_LAZY = {
    "VoxelVolume": "hylyte.microstructure.volume",
    "InterfaceProperties": "hylyte.microstructure.volume",
    "as_volume": "hylyte.microstructure.volume",
    "label_clusters": "hylyte.microstructure.connectivity",
    "spanning_mask": "hylyte.microstructure.connectivity",
    "percolation_report": "hylyte.microstructure.connectivity",
    "percolation_reports": "hylyte.microstructure.connectivity",
    "spheres": "hylyte.microstructure.particles",
    "particle_chains": "hylyte.microstructure.particles",
    "platelets": "hylyte.microstructure.sheets",
    "tpms": "hylyte.microstructure.frameworks",
    "spinodal": "hylyte.microstructure.frameworks",
    "bicontinuous": "hylyte.microstructure.frameworks",
    "fibre_network": "hylyte.microstructure.frameworks",
    "lamellar": "hylyte.microstructure.frameworks",
    "stack": "hylyte.microstructure.layers",
    "add_interphase": "hylyte.microstructure.interphase",
    "generate": "hylyte.microstructure.dispatch",
    "GENERATORS": "hylyte.microstructure.dispatch",
    "read_volume": "hylyte.microstructure.io",
    "read_tiff": "hylyte.microstructure.io",
    "write_tiff": "hylyte.microstructure.io",
    "read_vti": "hylyte.microstructure.io",
    "write_vti": "hylyte.microstructure.io",
}
__all__ = sorted(_LAZY)

__getattr__, __dir__ = lazy_module_attrs(__name__, _LAZY)
