import subprocess
import sys

import matplotlib
import numpy as np
import pytest

import hylyte.sweep as sweep
from hylyte.sweep.plots import plot_map, plot_pareto, plot_sensitivity
from hylyte.sweep.sensitivity import SensitivityResult

matplotlib.use("Agg")


def test_public_names_resolve_and_import_is_light():
    for name in sweep.__all__:
        assert getattr(sweep, name) is not None
    code = ("import sys, hylyte.sweep; heavy = [m for m in ('pyarrow', 'duckdb', 'dask', "
            "'distributed', 'sklearn', 'SALib', 'matplotlib') if m in sys.modules]; "
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == ""
    with pytest.raises(AttributeError):
        _ = sweep.nothing_here


def test_plots_take_and_return_axes():
    import matplotlib.pyplot as plt

    fig, axs = plt.subplots(1, 3)
    x = np.array([1.0, 2.0, 3.0, 4.0])
    y = np.array([4.0, 1.0, 2.0, 3.0])
    assert plot_pareto(x, y, [True, True, False, False], xlabel="asr_ohm_cm2",
                       ylabel="conductivity_S_per_cm", ax=axs[0]) is axs[0]
    assert axs[0].get_xlabel() == "asr [Ω cm²]"
    res = SensitivityResult("sobol", "f", ["a", "b"], {"S1": np.array([0.2, 0.8]),
                            "S1_conf": np.array([0.01, 0.01]), "ST": np.array([0.2, 0.8]),
                            "ST_conf": np.array([0.01, 0.01])}, 10)
    assert plot_sensitivity(res, ax=axs[1]) is axs[1]
    gx, gy = np.meshgrid([5.0, 10.0, 20.0], [1.0, 2.0])
    ax = plot_map(gx.ravel(), gy.ravel(), (gx * gy).ravel(), xlabel="fillers_0_fraction_vol_pct",
                  ylabel="thickness_um", zlabel="conductivity_S_per_cm", ax=axs[2])
    assert ax is axs[2]
    mesh = ax.collections[0].get_array().reshape(2, 3)
    np.testing.assert_allclose(mesh, np.log10(gx * gy), rtol=1e-12)
    plt.close(fig)
