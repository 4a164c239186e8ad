"""EIS fitting speed: fits per second, a 7-temperature series, and impedance.py on the same data.

Run: ``python benchmarks/bench_eis.py``. Prints one line per measurement; times are wall
clock on whatever machine runs it (say so when you quote them).
"""

from __future__ import annotations

import time

import numpy as np

from hylyte.echem.circuits import parse_circuit
from hylyte.echem.eis import fit_circuit, fit_series

KB = 8.617333262e-5
CIRCUIT = "R0-p(R1,CPE1)-p(R2,CPE2)"  # 7 parameters
F = np.logspace(6, -1, 40)


def spectrum(T: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    Rb = 1e4 * np.exp(0.4 / KB * (1 / T - 1 / 298.15))
    Rgb = 1e5 * np.exp(0.6 / KB * (1 / T - 1 / 298.15))
    p = [20.0, Rb, 1e-10 ** 0.93 * Rb ** -0.07, 0.93, Rgb, 1e-8 ** 0.85 * Rgb ** -0.15, 0.85]
    Z = parse_circuit(CIRCUIT).impedance(F, p)
    Z = Z + 0.005 * np.abs(Z) * (rng.normal(size=F.size) + 1j * rng.normal(size=F.size))
    return F, Z


def cost(p: np.ndarray, f: np.ndarray, Z: np.ndarray) -> float:
    d = (parse_circuit(CIRCUIT).impedance(f, p) - Z) / np.abs(Z)
    return 0.5 * float(np.sum(d.real ** 2 + d.imag ** 2))


def main() -> None:
    rng = np.random.default_rng(0)
    f, Z = spectrum(298.15, rng)
    n = 20
    t0 = time.perf_counter()
    for _ in range(n):
        fit = fit_circuit((f, Z), CIRCUIT, n_starts=1)
    dt = (time.perf_counter() - t0) / n
    print(f"n_starts=1 (the spectrum guess plus 3 structured arc-split starts for the two "
          f"arcs), 40 points, 7 parameters: {1 / dt:.1f} fits/s ({dt * 1e3:.1f} ms)")
    t0 = time.perf_counter()
    fit8 = fit_circuit((f, Z), CIRCUIT, n_starts=8)
    print(f"8-start multistart: {time.perf_counter() - t0:.3f} s, cost {fit8.cost:.6g}")

    series = [spectrum(T, rng) for T in np.linspace(273.15, 373.15, 7)]
    t0 = time.perf_counter()
    fits = fit_series(series, CIRCUIT, n_starts=8, n_starts_neighbour=2)
    print(f"7-temperature series (8 starts + neighbour seeding): "
          f"{time.perf_counter() - t0:.2f} s, total cost {sum(x.cost for x in fits):.6g}")

    try:
        from impedance.models.circuits.fitting import circuit_fit
    except ImportError:
        print("impedance.py not installed: comparison skipped")
        return
    guess = [10.0, 1e4, 1e-9, 0.9, 1e5, 1e-8, 0.9]
    t0 = time.perf_counter()
    for _ in range(n):
        p_imp, _ = circuit_fit(f, Z, CIRCUIT, guess, weight_by_modulus=True)
    dt_imp = (time.perf_counter() - t0) / n
    print(f"impedance.py circuit_fit (modulus weighting, generic guess): {1 / dt_imp:.1f} fits/s,"
          f" cost {cost(np.asarray(p_imp), f, Z):.6g}; hylyte single start cost "
          f"{fit.cost:.6g}")
    t0 = time.perf_counter()
    for _ in range(n):
        p_imp2, _ = circuit_fit(f, Z, CIRCUIT, list(fit8.params), weight_by_modulus=True)
    dt_imp2 = (time.perf_counter() - t0) / n
    print(f"impedance.py started from hylyte's solution: {1 / dt_imp2:.1f} fits/s, cost "
          f"{cost(np.asarray(p_imp2), f, Z):.6g} (hylyte 8-start cost {fit8.cost:.6g})")


if __name__ == "__main__":
    main()
