"""Two-solve transference number of a microstructure (PHYSICS 4.2, 8.9).

The ohmic solve uses every phase's conductivity; the steady-state solve (anions blocked,
Li+ only) uses ``rho_plus sigma`` in binary-salt phases and ``sigma`` in single-ion phases,
with the same geometry and interfaces. ``t+ = I_ss / I_Omega`` at the same applied voltage.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from hylyte.errors import InputError
from hylyte.microstructure.volume import VoxelVolume
from hylyte.solve.homogenize import Homogenized, Solver


@dataclass(frozen=True)
class Transference:
    """Result of :func:`transference_number`.

    Attributes
    ----------
    t_plus : float
        Composite transference number ``sigma_ss / sigma_Omega`` [-].
    sigma_ohmic : float
        Effective conductivity of the ohmic solve [S/m].
    sigma_steady : float
        Effective conductivity of the steady-state (Li+ only) solve [S/m].
    ohmic, steady : Homogenized
        The two solves.
    """

    t_plus: float
    sigma_ohmic: float
    sigma_steady: float
    ohmic: Homogenized
    steady: Homogenized

    def to_dict(self) -> dict:
        """Plain dict with unit-suffixed keys."""
        return {"t_plus": self.t_plus, "sigma_ohmic_S_per_m": self.sigma_ohmic,
                "sigma_steady_S_per_m": self.sigma_steady,
                "ohmic": self.ohmic.to_dict(), "steady": self.steady.to_dict()}


def transference_number(volume: VoxelVolume, sigma_total: Mapping, rho_plus: Mapping, *,
                        axis="x", bc: str = "dirichlet", dirichlet_at: str = "face",
                        backend: str = "auto", rtol: float = 1e-8, max_iter: int = 1000,
                        precision: str = "double") -> Transference:
    """Composite Li+ transference number from an ohmic and a steady-state solve.

    Parameters
    ----------
    volume : VoxelVolume
    sigma_total : mapping
        Phase -> total (ohmic) conductivity [S/m].
    rho_plus : mapping
        Phase -> steady-state current fraction ``rho_+`` [-] of binary-salt phases; phases
        not listed are single-ion conductors (``rho_+ = 1``).
    axis, bc, dirichlet_at, backend, rtol, max_iter, precision
        As in :func:`hylyte.solve.homogenize`; both solves use the same settings.

    Returns
    -------
    Transference
        ``t_plus = nan`` with both conductivities 0 when nothing percolates.
    """
    steady: dict = {}
    for key, s in dict(sigma_total).items():
        rp = rho_plus.get(key, 1.0) if isinstance(rho_plus, Mapping) else 1.0
        if not (0.0 <= float(rp) <= 1.0):
            raise InputError(f"rho_plus of {key!r} must be in [0, 1], got {rp!r}")
        steady[key] = tuple(float(rp) * np.broadcast_to(np.asarray(s, float), (3,)))
    for key in rho_plus:
        if key not in sigma_total:
            raise InputError(f"rho_plus given for {key!r}, which has no conductivity in "
                             "sigma_total")
    solver = Solver(volume, axis=axis, bc=bc, dirichlet_at=dirichlet_at, backend=backend,
                    rtol=rtol, max_iter=max_iter, precision=precision)
    ohm = solver.solve(sigma_total, tortuosity=False)
    ss = solver.solve(steady, tortuosity=False)
    t = ss.sigma_eff / ohm.sigma_eff if ohm.sigma_eff > 0 else float("nan")
    return Transference(float(t), ohm.sigma_eff, ss.sigma_eff, ohm, ss)
