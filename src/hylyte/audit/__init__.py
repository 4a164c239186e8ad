"""Audit reported results against physics.

>>> from hylyte.audit import audit_design_file, format_table      # doctest: +SKIP
>>> print(format_table(audit_design_file("examples/audit/peo_llzto_claim.toml")))

Records come from the ``[reported]`` table of a design file or from a record table (CSV)
(:mod:`hylyte.audit.records`); verdicts and their rules live in :mod:`hylyte.audit.verdicts`;
the bands and bounds are computed in :mod:`hylyte.audit.audit`.
"""

from hylyte._lazy import lazy_module_attrs

_EXPORTS = {
    "Record": "hylyte.audit.records",
    "read_records": "hylyte.audit.records",
    "load_design_with_reported": "hylyte.audit.records",
    "Verdict": "hylyte.audit.verdicts",
    "VERDICTS": "hylyte.audit.verdicts",
    "summary": "hylyte.audit.verdicts",
    "audit_record": "hylyte.audit.audit",
    "audit_records": "hylyte.audit.audit",
    "audit_design_file": "hylyte.audit.audit",
    "audit_table": "hylyte.audit.audit",
    "composite_band": "hylyte.audit.audit",
    "MechanismCeilings": "hylyte.audit.audit",
    "material_sigma_range": "hylyte.audit.audit",
    "format_table": "hylyte.audit.audit",
    "html_section": "hylyte.audit.audit",
    "render_html": "hylyte.audit.audit",
    "write_outputs": "hylyte.audit.audit",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_module_attrs(__name__, _EXPORTS)
