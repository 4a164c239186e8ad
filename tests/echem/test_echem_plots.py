"""Plot helpers take an Axes and return it, drawing the expected artists."""

from __future__ import annotations

import numpy as np
import pytest

from hylyte.echem import plots
from hylyte.echem.circuits import parse_circuit
from hylyte.echem.eis import fit_circuit
from hylyte.echem.kk import lin_kk
from hylyte.echem.temperature_fit import fit_arrhenius

mpl = pytest.importorskip("matplotlib")


def _axes(n=1):
    from matplotlib.figure import Figure

    fig = Figure()
    return fig.subplots(1, n)


def test_nyquist_bode_kk_arrhenius():
    f = np.logspace(5, -1, 30)
    Z = parse_circuit("R0-p(R1,C1)").impedance(f, [10.0, 100.0, 1e-6])
    fit = fit_circuit((f, Z), "R0-p(R1,C1)", n_starts=1)
    ax = _axes()
    assert plots.nyquist(ax, (f, Z), fit) is ax
    assert ax.get_aspect() == 1.0
    assert len(ax.lines) == 2
    a1, a2 = _axes(2)
    assert plots.bode(a1, a2, (f, Z), fit) is a1
    assert len(a2.lines) == 2
    ax = _axes()
    assert plots.kk_residuals(ax, lin_kk((f, Z))) is ax
    T = np.linspace(280, 360, 6)
    ax = _axes()
    s = 1e-2 * np.exp(-0.3 / 8.617333262e-5 * (1 / T - 1 / 298.15))
    s = s * np.exp(0.01 * np.random.default_rng(0).normal(size=6))
    assert plots.arrhenius(ax, T, s, fit_arrhenius(T, s)) is ax
