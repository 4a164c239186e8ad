"""Measurement analysis: readers, EIS fitting, Kramers-Kronig, temperature fits (also of a
series of impedance fits), transference number, LSV window and critical current density.

Submodules load on first access (``hylyte.echem.eis``...); the most used functions are
re-exported lazily here.
"""

from __future__ import annotations

from hylyte._lazy import lazy_module_attrs

_EXPORTS = {
    "read": "readers", "EchemData": "readers", "from_arrays": "readers",
    "parse_circuit": "circuits",
    "fit_circuit": "eis", "fit_series": "eis", "EISFit": "eis", "analyse_blocking": "eis",
    "analyse_symmetric": "eis", "conductivity_from_resistance": "eis",
    "cpe_effective_capacitance": "eis",
    "lin_kk": "kk", "drt": "kk",
    "fit_arrhenius": "temperature_fit", "fit_vtf": "temperature_fit",
    "compare_models": "temperature_fit", "fit_two_regime": "temperature_fit",
    "to_law_dict": "temperature_fit", "save_fitted_law": "temperature_fit",
    "arrhenius_from_eis": "series",
    "bruce_vincent": "transference", "bruce_vincent_eis": "transference",
    "analyse_transference": "transference",
    "lsv_onset": "lsv", "stability_window": "lsv",
    "critical_current_density": "ccd",
}
_SUBMODULES = ("readers", "circuits", "eis", "kk", "temperature_fit", "transference", "lsv",
               "ccd", "plots", "calibrate", "series")

__all__ = sorted([*_EXPORTS, *_SUBMODULES])

__getattr__, __dir__ = lazy_module_attrs(__name__, _EXPORTS, _SUBMODULES)
