"""Conductivity laws and the materials library with the reference behind every number.

Quick start::

    from hylyte.materials import get_material
    llzo = get_material("LLZTO")
    llzo.sigma(333.15)          # S/m at 60 degC
    llzo.references             # BibTeX keys behind its numbers

The laws (numpy only) load with the package; the library (pydantic, TOML, pint on first
parse) loads on first use.
"""

from __future__ import annotations

from hylyte._lazy import lazy_module_attrs
from hylyte.materials.laws import (
    LAWS,
    VTF,
    Arrhenius,
    ConductivityLaw,
    Constant,
    SemicrystallinePEO,
    Tabulated,
    law_from_dict,
    wlf_sigma,
    wlf_to_vtf,
)

_LAZY: dict[str, str] = {
    "Material": "hylyte.materials.schema",
    "Property": "hylyte.materials.schema",
    "Window": "hylyte.materials.schema",
    "ElectrodeProps": "hylyte.materials.schema",
    "from_law_table": "hylyte.materials.schema",
    "material_from_table": "hylyte.materials.schema",
    "Library": "hylyte.materials.library",
    "BibEntry": "hylyte.materials.library",
    "bibliography": "hylyte.materials.library",
    "get_material": "hylyte.materials.library",
    "load_library": "hylyte.materials.library",
}

__all__ = [
    "LAWS",
    "VTF",
    "Arrhenius",
    "BibEntry",
    "ConductivityLaw",
    "Constant",
    "ElectrodeProps",
    "Library",
    "Material",
    "Property",
    "SemicrystallinePEO",
    "Tabulated",
    "Window",
    "bibliography",
    "from_law_table",
    "get_material",
    "law_from_dict",
    "load_library",
    "material_from_table",
    "wlf_sigma",
    "wlf_to_vtf",
]

__getattr__, __dir__ = lazy_module_attrs(__name__, _LAZY, eager=__all__)
