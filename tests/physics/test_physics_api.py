"""Public API of hylyte.physics: lazy exports, citations resolvable, vectorised shapes."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
from numpy.testing import assert_allclose

import hylyte.physics as physics

BIB = Path(importlib.import_module("hylyte").__file__).parent / "materials" / "data" / \
    "references.bib"


def test_every_cited_key_is_in_the_bibliography():
    keys = set(re.findall(r"^@\w+\{([^,]+),", BIB.read_text(encoding="utf-8"), re.M))
    cited = set()
    for name in physics.__all__:
        obj = getattr(physics, name)
        cited.update(getattr(obj, "__references__", ()))
    assert cited, "no function declares references"
    assert cited <= keys, sorted(cited - keys)


def test_lazy_import_loads_nothing_heavy():
    code = ("import sys, hylyte.physics as p; p.bruggeman; "
            "print(any(m.startswith('scipy') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_grid_broadcasting_loading_size_temperature():
    phi = np.linspace(0.0, 0.5, 4)[:, None, None]
    r = np.logspace(-8, -6, 3)[None, :, None]
    T = np.linspace(280.0, 360.0, 5)[None, None, :]
    sp = 40.0 * np.exp(-1100.0 / (T - 180.0))
    res = physics.three_pathway(sp, 0.05, phi, radius=r, interphase_ratio=10.0, t_i=3e-9)
    assert np.shape(res.sigma_eff) == (4, 3, 5)
    total = res.f_polymer + res.f_interphase + res.f_ceramic
    assert np.max(np.abs(total - 1)) <= 1e-12
    # element-wise equal to scalar calls (second evaluation path)
    one = physics.three_pathway(float(sp[0, 0, 2]), 0.05, float(phi[2, 0, 0]),
                                radius=float(r[0, 1, 0]), interphase_ratio=10.0, t_i=3e-9)
    assert_allclose(res.sigma_eff[2, 1, 2], one.sigma_eff, rtol=1e-13)
    g = physics.gem(0.0, 1.0, phi * np.ones((1, 3, 5)), phi_c=0.16, t=2.0)
    assert np.shape(g) == (4, 3, 5)
