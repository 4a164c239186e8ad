"""Regenerate the synthetic sample files of this folder (run from the repository root).

Every file is computed from a known circuit or law with a seeded generator; see README.md.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from hylyte.echem.circuits import parse_circuit

HERE = Path(__file__).parent
CIRCUIT = "R0-p(R1,CPE1)-CPE2"
PARAMS = [20.0, 1.0e4, 1.0e-9, 0.9, 1.0e-6, 0.85]


def spectrum(n: int = 41, noise: float = 0.002, seed: int = 1):
    rng = np.random.default_rng(seed)
    f = np.logspace(6, -1, n)
    Z = parse_circuit(CIRCUIT).impedance(f, PARAMS)
    Z = Z * (1 + noise * (rng.normal(size=n) + 1j * rng.normal(size=n)))
    return f, Z


def mpt() -> None:
    f, Z = spectrum()
    cols = ["freq/Hz", "Re(Z)/Ohm", "-Im(Z)/Ohm", "|Z|/Ohm", "Phase(Z)/deg", "time/s",
            "<Ewe>/V", "<I>/mA", "Temperature/°C"]
    rows = []
    for k, (fk, zk) in enumerate(zip(f, Z, strict=True)):
        rows.append([fk, zk.real, -zk.imag, abs(zk), np.degrees(np.angle(zk)), 10.0 + 2 * k,
                     3.1e-3, 1.0e-5, 25.0])
    header = [
        "EC-Lab ASCII FILE", "Nb header lines : 8", "", "Potentio Electrochemical Impedance "
        "Spectroscopy", "", "Run on channel : 1", "Electrode surface area : 0.785 cm²",
    ]
    lines = [*header, "\t".join(cols) + "\t"]
    lines += ["\t".join(f"{v:.7E}" for v in r) + "\t" for r in rows]
    (HERE / "biologic_peis.mpt").write_bytes("\r\n".join(lines).encode("latin-1") + b"\r\n")
    lines = ["\t".join(cols[:3])] + ["\t".join(f"{v:.7E}" for v in r[:3]) for r in rows]
    (HERE / "biologic_noheader.mpt").write_bytes("\n".join(lines).encode("latin-1") + b"\n")


def mpt_ca() -> None:
    # potentiostatic polarisation of Li|SE|Li (PHYSICS 9.3 numbers): dV 10 mV, Rb 100,
    # R0 200 -> Rss 250 ohm, t+ 0.25: I0 = dV/(Rb+R0), Iss = dV/(Rss + Rb/0.25)
    rng = np.random.default_rng(2)
    dV, I0, Iss = 0.01, 0.01 / 300.0, 0.01 / (250.0 + 400.0)
    t = np.concatenate([[0.0, 0.05], np.linspace(1.0, 36000.0, 400)])
    i = Iss + (I0 - Iss) * np.exp(-t / 3000.0)
    i[0] = 5 * I0  # charging spike
    i = i * (1 + 2e-4 * rng.normal(size=t.size))
    lines = ["EC-Lab ASCII FILE", "Nb header lines : 4", "Chronoamperometry",
             "time/s\tEwe/V\t<I>/mA"]
    lines += [f"{a:.6f}\t{dV:.6f}\t{b * 1e3:.9E}" for a, b in zip(t, i, strict=True)]
    (HERE / "biologic_ca.mpt").write_bytes("\r".join(lines).encode("latin-1") + b"\r")


def gamry() -> None:
    f, Z = spectrum(seed=3)
    head = ["EXPLAIN", "TAG\tEISPOT", "TITLE\tLABEL\tPotentiostatic EIS\tTest &Identifier",
            "DATE\tLABEL\t1/1/2024\tDate", "ZCURVE\tTABLE",
            "\tPt\tTime\tFreq\tZreal\tZimag\tZsig\tZmod\tZphz\tIdc\tVdc\tIERange",
            "\t#\ts\tHz\tohm\tohm\tV\tohm\t°\tA\tV\t#"]
    rows = [f"\t{k}\t{2 * k}\t{fk:.6E}\t{zk.real:.6E}\t{zk.imag:.6E}\t1\t{abs(zk):.6E}\t"
            f"{np.degrees(np.angle(zk)):.4f}\t1E-9\t0.003\t7" for k, (fk, zk) in
            enumerate(zip(f, Z, strict=True))]
    (HERE / "gamry_eis.DTA").write_text("\r\n".join(head + rows) + "\r\n", encoding="latin-1")


def gamry_ccd() -> None:
    # stepped-current symmetric cell, PHYSICS 9.5 numbers: 0.05 mA/cm^2 steps on 1 cm^2,
    # ASR 100 ohm cm^2, collapse to 2 ohm cm^2 in the 7th step
    head = ["EXPLAIN", "TAG\tCHRONOP", "CURVE\tTABLE", "\tPt\tT\tVf\tIm\tVu\tSig\tAch\tIERange"
            "\tOver", "\t#\ts\tV vs. Ref.\tA\tV\tV\tV\t#\tbits"]
    rows, k, t = [], 0, 0.0
    for step in range(1, 9):
        j = 0.05e-3 * step  # A on 1 cm^2
        asr = 2.0 if step >= 7 else 100.0
        for sgn in (1, -1):
            for _ in range(30):
                rows.append(f"\t{k}\t{t:.1f}\t{sgn * j * asr:.6E}\t{sgn * j:.6E}\t0\t0\t0\t7\t"
                            "...........")
                k += 1
                t += 60.0
    (HERE / "gamry_ccd.DTA").write_text("\r\n".join(head + rows) + "\r\n", encoding="latin-1")


def zview() -> None:
    f, Z = spectrum(seed=4)
    head = ["ZPlot2 ASCII", "Sweep Freq: Control Voltage", "Frequency Range (Hz): 1E6 - 0.1",
            "End Comments"]
    rows = [f"{fk:.6E},0.01,0,{2 * k:.1f},{zk.real:.6E},{zk.imag:.6E},0,0,5"
            for k, (fk, zk) in enumerate(zip(f, Z, strict=True))]
    (HERE / "zview.z").write_text("\n".join(head + rows) + "\n", encoding="latin-1")


def autolab() -> None:
    f, Z = spectrum(seed=5)
    head = "Frequency (Hz);Z' (Ω);-Z'' (Ω);Z (Ω);-Phase (°);Time (s)"
    rows = [";".join(f"{v:.6g}".replace(".", ",") for v in (fk, zk.real, -zk.imag, abs(zk),
                                                          -np.degrees(np.angle(zk)), 2 * k))
            for k, (fk, zk) in enumerate(zip(f, Z, strict=True))]
    (HERE / "autolab.txt").write_text("\n".join([head, *rows]) + "\n", encoding="utf-8")


def generic_csv() -> None:
    f, Z = spectrum(seed=6)
    lines = ["# synthetic spectrum, columns: frequency, Re Z, Im Z", "# cell: SS|SE|SS",
             "f_Hz,Zre_ohm,Zim_ohm"]
    lines += [f"{fk:.8g},{zk.real:.8g},{zk.imag:.8g}" for fk, zk in zip(f, Z, strict=True)]
    (HERE / "generic.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def lsv_csv() -> None:
    V = np.arange(3.0, 4.5001, 0.001)
    j = 0.2 + np.exp((V - 4.0) / 0.05)  # uA/cm^2 (PHYSICS 9.4 test curve)
    lines = ["voltage_V,current_A"] + [f"{v:.4f},{x * 1e-6:.10E}" for v, x in zip(V, j,
                                                                                  strict=True)]
    (HERE / "lsv.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def arrhenius_csv() -> None:
    T = np.arange(0.0, 101.0, 10.0)
    s = 1e-4 * np.exp(-0.35 / 8.617333262e-5 * (1 / (T + 273.15) - 1 / 298.15))
    lines = ["T_degC,sigma_S_per_cm"] + [f"{a:.2f},{b:.10E}" for a, b in zip(T, s, strict=True)]
    (HERE / "arrhenius.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    mpt()
    mpt_ca()
    gamry()
    gamry_ccd()
    zview()
    autolab()
    generic_csv()
    lsv_csv()
    arrhenius_csv()
