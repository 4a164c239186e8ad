"""Conductivity laws sigma(T): Arrhenius (two forms), VTF, WLF, semicrystalline PEO, tables.

Every law is a frozen dataclass holding SI parameters (temperatures in K, conductivities in
S/m, activation energies per particle in eV) and offers

* ``law.sigma(T)`` -> conductivity [S/m], vectorised over ``T`` [K];
* ``law.apparent_activation_energy(T)`` -> ``-k_B d ln(sigma) / d(1/T)`` [eV];
* ``law.T_range`` -> ``(T_lo, T_hi)`` [K] where the parameters were established, or ``None``;
  evaluating outside it emits :class:`hylyte.errors.ValidityWarning`;
* ``law.to_dict()`` and :func:`law_from_dict` (a closed ``law`` -> class table).

Temperatures at or below 0 K (and non-finite ones) raise :class:`hylyte.errors.InputError`
naming the value. Only numpy is imported here.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import numpy as np

from hylyte._provenance import cites
from hylyte._typing import ArrayLike, FloatArray
from hylyte.errors import ExtrapolationWarning, InputError, ValidityWarning
from hylyte.units import K_B_EV

T_REF_DEFAULT = 298.15  # 25 degC [K]

ArrheniusForm = Literal["sigma", "sigmaT"]


def _temperature(T: ArrayLike, *, field: str = "T") -> FloatArray:
    """``T`` as a float array [K]; raise InputError for T <= 0 K or non-finite values."""
    try:
        arr = np.asarray(T, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise InputError(f"{field}: expected temperatures in K, got {T!r}") from err
    bad = ~np.isfinite(arr) | (arr <= 0.0)
    if np.any(bad):
        first = float(arr[bad].flat[0])
        raise InputError(
            f"{field}: temperature {first!r} K is not allowed; temperatures must be finite "
            "and above 0 K"
        )
    return arr


def _positive(value: float, name: str, *, allow_zero: bool = False) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError) as err:
        raise InputError(f"{name}: expected a number, got {value!r}") from err
    ok = math.isfinite(v) and (v >= 0.0 if allow_zero else v > 0.0)
    if not ok:
        allowed = ">= 0" if allow_zero else "> 0"
        raise InputError(f"{name}: got {value!r}; allowed: a finite number {allowed}")
    return v


def _finite(value: float, name: str) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError) as err:
        raise InputError(f"{name}: expected a number, got {value!r}") from err
    if not math.isfinite(v):
        raise InputError(f"{name}: got {value!r}; allowed: a finite number")
    return v


def _check_T_range(T_range: Sequence[float] | None, name: str) -> tuple[float, float] | None:
    if T_range is None:
        return None
    try:
        lo, hi = (float(x) for x in T_range)
    except (TypeError, ValueError) as err:
        raise InputError(f"{name}.T_range: expected (T_lo, T_hi) in K, got {T_range!r}") from err
    if not (math.isfinite(lo) and math.isfinite(hi) and 0.0 < lo < hi):
        raise InputError(f"{name}.T_range: got {T_range!r}; allowed: 0 < T_lo < T_hi [K]")
    return (lo, hi)


class ConductivityLaw:
    """Base class of the conductivity laws (do not instantiate).

    Subclasses implement ``_ln_sigma(T)`` and ``_eapp(T)`` on validated temperature arrays.
    """

    kind: ClassVar[str] = ""
    T_range: tuple[float, float] | None

    def _ln_sigma(self, T: FloatArray) -> FloatArray:  # pragma: no cover - abstract
        raise NotImplementedError

    def _eapp(self, T: FloatArray) -> FloatArray:  # pragma: no cover - abstract
        raise NotImplementedError

    def _validate_T(self, T: ArrayLike) -> FloatArray:
        arr = _temperature(T)
        if self.T_range is not None:
            lo, hi = self.T_range
            if np.any((arr < lo) | (arr > hi)):
                warnings.warn(
                    f"{self.kind} law evaluated at T outside its validity range "
                    f"[{lo:.2f}, {hi:.2f}] K",
                    ValidityWarning,
                    stacklevel=3,
                )
        return arr

    def sigma(self, T: ArrayLike) -> FloatArray:
        """Conductivity at temperature ``T``.

        Parameters
        ----------
        T : float or array_like
            Temperature [K], > 0.

        Returns
        -------
        ndarray
            Conductivity [S/m], same shape as ``T`` (0-d for a scalar).
        """
        arr = self._validate_T(T)
        return np.exp(self._ln_sigma(arr))

    def ln_sigma(self, T: ArrayLike) -> FloatArray:
        """Natural log of the conductivity in S/m at ``T`` [K] (finite also for huge ranges)."""
        return self._ln_sigma(self._validate_T(T))

    def apparent_activation_energy(self, T: ArrayLike) -> FloatArray:
        """Apparent Arrhenius energy ``E_app = -k_B d ln(sigma)/d(1/T)``.

        Parameters
        ----------
        T : float or array_like
            Temperature [K], > 0.

        Returns
        -------
        ndarray
            Apparent activation energy [eV], same shape as ``T``.
        """
        arr = self._validate_T(T)
        return np.asarray(self._eapp(arr), dtype=np.float64)

    def to_dict(self) -> dict[str, Any]:  # pragma: no cover - abstract
        """Plain-data form (SI floats), inverse of :func:`law_from_dict`."""
        raise NotImplementedError

    @property
    def references(self) -> tuple[str, ...]:
        """BibTeX keys of the functional form (the parameters carry their own)."""
        return tuple(getattr(type(self), "__references__", ()))


@dataclass(frozen=True, slots=True)
class Arrhenius(ConductivityLaw):
    """Arrhenius law anchored at a reference temperature (PHYSICS 1.1).

    Parameters
    ----------
    sigma_ref : float
        Conductivity at ``T_ref`` [S/m], > 0.
    Ea : float
        Activation energy per particle [eV], finite (may be 0).
    T_ref : float, default 298.15
        Anchor temperature [K].
    form : {"sigma", "sigmaT"}
        ``"sigma"`` (form B, default): ``sigma = sigma_ref exp[-(Ea/k_B)(1/T - 1/T_ref)]``.
        ``"sigmaT"`` (form A): ``sigma T = sigma_ref T_ref exp[-(Ea/k_B)(1/T - 1/T_ref)]``.
    T_range : (float, float), optional
        Validity range [K]; evaluation outside warns.

    Notes
    -----
    The apparent energy is ``Ea`` for form B and ``Ea - k_B T`` for form A.

    Examples
    --------
    >>> law = Arrhenius(sigma_ref=0.01, Ea=0.35)
    >>> round(float(law.sigma(333.15) / law.sigma(298.15)), 6)
    4.183555
    """

    kind: ClassVar[str] = "arrhenius"
    sigma_ref: float
    Ea: float
    T_ref: float = T_REF_DEFAULT
    form: ArrheniusForm = "sigma"
    T_range: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "sigma_ref", _positive(self.sigma_ref, "arrhenius.sigma_ref"))
        object.__setattr__(self, "Ea", _finite(self.Ea, "arrhenius.Ea"))
        object.__setattr__(self, "T_ref", _positive(self.T_ref, "arrhenius.T_ref"))
        if self.form not in ("sigma", "sigmaT"):
            raise InputError(
                f"arrhenius.form: got {self.form!r}; allowed: 'sigma' (plain, form B) or "
                "'sigmaT' (sigma*T, form A)"
            )
        object.__setattr__(self, "T_range", _check_T_range(self.T_range, "arrhenius"))

    @classmethod
    def from_prefactor(
        cls,
        A: float,
        Ea: float,
        *,
        form: ArrheniusForm = "sigma",
        T_ref: float = T_REF_DEFAULT,
        T_range: tuple[float, float] | None = None,
    ) -> Arrhenius:
        """Build from the prefactor of ``sigma = A exp(-Ea/k_B T)`` or ``sigma T = A exp(...)``.

        Parameters
        ----------
        A : float
            Prefactor [S/m] (form ``"sigma"``) or [S K/m] (form ``"sigmaT"``), > 0.
        Ea : float
            Activation energy [eV].
        form : {"sigma", "sigmaT"}
            Which form ``A`` belongs to.
        T_ref : float
            Anchor temperature of the returned law [K].
        T_range : (float, float), optional
            Validity range [K].

        Returns
        -------
        Arrhenius
        """
        A = _positive(A, "arrhenius.A")
        Ea = _finite(Ea, "arrhenius.Ea")
        T_ref = _positive(T_ref, "arrhenius.T_ref")
        sigma_ref = A * math.exp(-Ea / (K_B_EV * T_ref))
        if form == "sigmaT":
            sigma_ref /= T_ref
        return cls(sigma_ref=sigma_ref, Ea=Ea, T_ref=T_ref, form=form, T_range=T_range)

    @property
    def prefactor(self) -> float:
        """Prefactor A [S/m] (form ``"sigma"``) or A_T [S K/m] (form ``"sigmaT"``)."""
        a = self.sigma_ref * math.exp(self.Ea / (K_B_EV * self.T_ref))
        return a * self.T_ref if self.form == "sigmaT" else a

    def _ln_sigma(self, T: FloatArray) -> FloatArray:
        out = math.log(self.sigma_ref) - (self.Ea / K_B_EV) * (1.0 / T - 1.0 / self.T_ref)
        if self.form == "sigmaT":
            out = out + np.log(self.T_ref / T)
        return out

    def _eapp(self, T: FloatArray) -> FloatArray:
        if self.form == "sigmaT":
            return self.Ea - K_B_EV * T
        return np.full_like(T, self.Ea)

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form: ``{"law": "arrhenius", "sigma_ref": [S/m], "Ea": [eV], ...}``."""
        return {
            "law": self.kind,
            "sigma_ref": self.sigma_ref,
            "Ea": self.Ea,
            "T_ref": self.T_ref,
            "form": self.form,
            "T_range": list(self.T_range) if self.T_range else None,
        }


@cites("Fulcher1925", "TammannHesse1926")
@dataclass(frozen=True, slots=True)
class VTF(ConductivityLaw):
    """Vogel-Tammann-Fulcher law (PHYSICS 1.2).

    ``sigma = A exp[-B/(T - T0)]`` or, with ``prefactor=True``,
    ``sigma = A T^(-1/2) exp[-B/(T - T0)]``.

    Parameters
    ----------
    A : float
        Prefactor [S/m], or [S K^(1/2)/m] with ``prefactor=True``; > 0.
    B : float
        Pseudo-activation temperature [K], > 0 (``E_VTF = k_B B``).
    T0 : float
        Ideal glass (Vogel) temperature [K], >= 0.
    prefactor : bool, default False
        Include the free-volume ``T^(-1/2)`` factor.
    T_range : (float, float), optional
        Validity range [K].

    Raises
    ------
    InputError
        When evaluated at ``T <= T0`` (the law is undefined there; it never returns 0).

    References
    ----------
    .. [1] G. S. Fulcher, J. Am. Ceram. Soc. 8, 339 (1925), doi:10.1111/j.1151-2916.1925.tb16731.x
    .. [2] G. Tammann, W. Hesse, Z. Anorg. Allg. Chem. 156, 245 (1926),
       doi:10.1002/zaac.19261560121

    Examples
    --------
    >>> law = VTF(A=40.0, B=1100.0, T0=180.0)
    >>> f"{float(law.sigma(333.15)):.6e}"
    '3.039062e-02'
    """

    kind: ClassVar[str] = "vtf"
    A: float
    B: float
    T0: float
    prefactor: bool = False
    T_range: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "A", _positive(self.A, "vtf.A"))
        object.__setattr__(self, "B", _positive(self.B, "vtf.B"))
        object.__setattr__(self, "T0", _positive(self.T0, "vtf.T0", allow_zero=True))
        if not isinstance(self.prefactor, bool | np.bool_):
            raise InputError(f"vtf.prefactor: got {self.prefactor!r}; allowed: true or false")
        object.__setattr__(self, "prefactor", bool(self.prefactor))
        object.__setattr__(self, "T_range", _check_T_range(self.T_range, "vtf"))
        if self.T_range is not None and self.T_range[0] <= self.T0:
            raise InputError(
                f"vtf.T_range: lower end {self.T_range[0]!r} K must be above T0 = {self.T0!r} K"
            )

    def _check_domain(self, T: FloatArray) -> None:
        if np.any(T <= self.T0):
            first = float(T[T <= self.T0].flat[0])
            raise InputError(
                f"T: the VTF law is undefined at T = {first!r} K; allowed: T > T0 = {self.T0!r} K"
            )

    def _ln_sigma(self, T: FloatArray) -> FloatArray:
        self._check_domain(T)
        out = math.log(self.A) - self.B / (T - self.T0)
        if self.prefactor:
            out = out - 0.5 * np.log(T)
        return out

    def _eapp(self, T: FloatArray) -> FloatArray:
        self._check_domain(T)
        e = K_B_EV * self.B * T**2 / (T - self.T0) ** 2
        if self.prefactor:
            e = e - K_B_EV * T / 2.0
        return e

    @property
    def E_vtf(self) -> float:
        """Pseudo-activation energy ``k_B B`` [eV]."""
        return K_B_EV * self.B

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form: ``{"law": "vtf", "A", "B" [K], "T0" [K], "prefactor"}``."""
        return {
            "law": self.kind,
            "A": self.A,
            "B": self.B,
            "T0": self.T0,
            "prefactor": self.prefactor,
            "T_range": list(self.T_range) if self.T_range else None,
        }


@cites("WLF1955")
def wlf_sigma(
    T: ArrayLike, *, C1: float, C2: float, T_r: float, sigma_r: float, alpha: float = 1.0
) -> FloatArray:
    """Conductivity from the WLF shift factor (PHYSICS 1.3).

    ``log10 a_T = -C1 (T - T_r)/(C2 + T - T_r)`` and ``sigma = sigma_r a_T^(-alpha)``.

    Parameters
    ----------
    T : float or array_like
        Temperature [K], with ``T > T_r - C2``.
    C1 : float
        First WLF constant [-].
    C2 : float
        Second WLF constant [K].
    T_r : float
        Reference temperature of the shift factor [K].
    sigma_r : float
        Conductivity at ``T_r`` [S/m].
    alpha : float, default 1
        Coupling exponent [-]; 1 means fully coupled to segmental relaxation.

    Returns
    -------
    ndarray
        Conductivity [S/m].

    References
    ----------
    .. [1] M. L. Williams, R. F. Landel, J. D. Ferry, J. Am. Chem. Soc. 77, 3701 (1955),
       doi:10.1021/ja01619a008
    """
    arr = _temperature(T)
    if np.any(arr <= T_r - C2):
        raise InputError(f"T: WLF is undefined at or below T_r - C2 = {T_r - C2!r} K")
    log10_aT = -C1 * (arr - T_r) / (C2 + arr - T_r)
    return sigma_r * 10.0 ** (-alpha * log10_aT)


@cites("WLF1955")
def wlf_to_vtf(C1: float, C2: float, T_r: float, *, sigma_r: float = 1.0) -> VTF:
    """The VTF law (no prefactor) equivalent to WLF with ``alpha = 1`` (PHYSICS 1.3).

    Parameters
    ----------
    C1 : float
        First WLF constant [-], > 0.
    C2 : float
        Second WLF constant [K], > 0.
    T_r : float
        WLF reference temperature [K] (often T_g).
    sigma_r : float, default 1
        Conductivity at ``T_r`` [S/m].

    Returns
    -------
    VTF
        ``T0 = T_r - C2``, ``B = ln(10) C1 C2``, ``A = sigma_r 10^C1``.

    Examples
    --------
    >>> v = wlf_to_vtf(17.44, 51.6, 220.0)
    >>> round(v.T0, 6), round(v.B, 3)
    (168.4, 2072.106)
    """
    C1 = _positive(C1, "wlf.C1")
    C2 = _positive(C2, "wlf.C2")
    T_r = _positive(T_r, "wlf.T_r")
    sigma_r = _positive(sigma_r, "wlf.sigma_r")
    if T_r - C2 < 0.0:
        raise InputError(f"wlf: T_r - C2 = {T_r - C2!r} K is below 0 K; check C2 and T_r")
    return VTF(A=sigma_r * 10.0**C1, B=math.log(10.0) * C1 * C2, T0=T_r - C2)


@dataclass(frozen=True, slots=True)
class SemicrystallinePEO(ConductivityLaw):
    """Two-branch interpolation in log space across the melting of PEO (PHYSICS 1.4 (b)).

    ``ln sigma = [1 - s(T)] ln sigma_sc(T) + s(T) ln sigma_am(T)`` with
    ``s = 1/(1 + exp[-(T - T_m)/delta_m])``.

    Parameters
    ----------
    low : Arrhenius
        Semicrystalline low-temperature branch ``sigma_sc``.
    high : VTF
        Amorphous (melt) high-temperature branch ``sigma_am``.
    T_m : float
        Melting temperature [K].
    delta_m : float
        Transition width [K], > 0 (typically 2-5 K).
    T_range : (float, float), optional
        Validity range [K].

    Notes
    -----
    ``sigma(T_m) = sqrt(sigma_sc sigma_am)`` exactly. The law is evaluated only above the VTF
    branch's ``T0`` (the amorphous branch is undefined below it) and raises there.
    The apparent energy is
    ``(1-s) E_sc + s E_am + k_B T^2 s(1-s)/delta_m [ln sigma_am - ln sigma_sc]``.
    Heating and cooling scans differ (supercooled melt); parameters refer to heating.
    """

    kind: ClassVar[str] = "semicrystalline_peo"
    low: Arrhenius
    high: VTF
    T_m: float
    delta_m: float
    T_range: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.low, Arrhenius):
            raise InputError(
                f"semicrystalline_peo.low: expected an Arrhenius law, got {self.low!r}"
            )
        if not isinstance(self.high, VTF):
            raise InputError(f"semicrystalline_peo.high: expected a VTF law, got {self.high!r}")
        object.__setattr__(self, "T_m", _positive(self.T_m, "semicrystalline_peo.T_m"))
        object.__setattr__(
            self, "delta_m", _positive(self.delta_m, "semicrystalline_peo.delta_m")
        )
        if self.T_m <= self.high.T0:
            raise InputError(
                f"semicrystalline_peo.T_m: got {self.T_m!r} K; allowed: above the VTF "
                f"T0 = {self.high.T0!r} K"
            )
        object.__setattr__(
            self, "T_range", _check_T_range(self.T_range, "semicrystalline_peo")
        )

    def melt_fraction(self, T: ArrayLike) -> FloatArray:
        """Blend weight ``s(T)`` of the amorphous branch [-] at ``T`` [K]."""
        arr = _temperature(T)
        return 0.5 * (1.0 + np.tanh((arr - self.T_m) / (2.0 * self.delta_m)))

    def _ln_sigma(self, T: FloatArray) -> FloatArray:
        s = 0.5 * (1.0 + np.tanh((T - self.T_m) / (2.0 * self.delta_m)))
        return (1.0 - s) * self.low._ln_sigma(T) + s * self.high._ln_sigma(T)

    def _eapp(self, T: FloatArray) -> FloatArray:
        s = 0.5 * (1.0 + np.tanh((T - self.T_m) / (2.0 * self.delta_m)))
        gap = self.high._ln_sigma(T) - self.low._ln_sigma(T)
        return (
            (1.0 - s) * self.low._eapp(T)
            + s * self.high._eapp(T)
            + K_B_EV * T**2 * s * (1.0 - s) / self.delta_m * gap
        )

    @property
    def references(self) -> tuple[str, ...]:
        """Keys of the functional forms used (VTF branch)."""
        return self.high.references

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form with nested ``low`` and ``high`` laws."""
        return {
            "law": self.kind,
            "low": self.low.to_dict(),
            "high": self.high.to_dict(),
            "T_m": self.T_m,
            "delta_m": self.delta_m,
            "T_range": list(self.T_range) if self.T_range else None,
        }


class _Frozen:
    """Immutability for the hand-written law classes (their ``sigma`` is a method)."""

    __slots__ = ()

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.to_dict() == other.to_dict()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(repr(self.to_dict()))  # type: ignore[attr-defined]


class Tabulated(_Frozen, ConductivityLaw):
    """Measured points, interpolated linearly in ``ln sigma`` versus ``1/T``.

    Parameters
    ----------
    T : array_like
        Temperatures [K], at least 2, distinct, > 0 (any order).
    sigma : array_like
        Conductivities [S/m], > 0, same length as ``T``.
    extrapolate : bool, default False
        Outside ``[min T, max T]``: ``False`` raises :class:`hylyte.errors.InputError`;
        ``True`` extends the end segments and emits :class:`hylyte.errors.ExtrapolationWarning`.

    Attributes
    ----------
    T_points, sigma_points : tuple of float
        The data sorted by temperature [K], [S/m].
    """

    kind: ClassVar[str] = "tabulated"
    __slots__ = ("T_points", "extrapolate", "sigma_points")

    def __init__(self, T: ArrayLike, sigma: ArrayLike, *, extrapolate: bool = False) -> None:
        Tarr = _temperature(T, field="tabulated.T").ravel()
        try:
            s = np.asarray(sigma, dtype=np.float64).ravel()
        except (TypeError, ValueError) as err:
            raise InputError(f"tabulated.sigma: expected numbers, got {sigma!r}") from err
        if Tarr.size < 2 or Tarr.size != s.size:
            raise InputError(
                f"tabulated: need at least 2 points and as many sigma as T values; got "
                f"{Tarr.size} T and {s.size} sigma"
            )
        if np.any(~np.isfinite(s) | (s <= 0.0)):
            raise InputError(f"tabulated.sigma: got {s.tolist()!r}; allowed: finite values > 0")
        order = np.argsort(Tarr)
        Tarr, s = Tarr[order], s[order]
        if np.any(np.diff(Tarr) <= 0.0):
            raise InputError(f"tabulated.T: got {Tarr.tolist()!r}; temperatures must be distinct")
        object.__setattr__(self, "T_points", tuple(Tarr.tolist()))
        object.__setattr__(self, "sigma_points", tuple(s.tolist()))
        object.__setattr__(self, "extrapolate", bool(extrapolate))

    def __repr__(self) -> str:
        return (f"Tabulated(T={list(self.T_points)!r}, sigma={list(self.sigma_points)!r}, "
                f"extrapolate={self.extrapolate!r})")

    @property
    def T_range(self) -> tuple[float, float]:  # type: ignore[override]
        """Range of the data [K]."""
        return (self.T_points[0], self.T_points[-1])

    def _validate_T(self, T: ArrayLike) -> FloatArray:
        arr = _temperature(T)
        lo, hi = self.T_range
        outside = (arr < lo) | (arr > hi)
        if np.any(outside):
            first = float(arr[outside].flat[0])
            if not self.extrapolate:
                raise InputError(
                    f"T: {first!r} K is outside the tabulated data [{lo!r}, {hi!r}] K; pass "
                    "extrapolate=True to extend the end segments (with an ExtrapolationWarning)"
                )
            warnings.warn(
                f"tabulated conductivity extrapolated to T = {first!r} K outside "
                f"[{lo!r}, {hi!r}] K",
                ExtrapolationWarning,
                stacklevel=3,
            )
        return arr

    def _segments(self, T: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        x = 1.0 / np.asarray(self.T_points)[::-1]  # increasing 1/T
        y = np.log(np.asarray(self.sigma_points))[::-1]
        xq = 1.0 / T
        idx = np.clip(np.searchsorted(x, xq) - 1, 0, x.size - 2)
        slope = (y[idx + 1] - y[idx]) / (x[idx + 1] - x[idx])
        return y[idx] + slope * (xq - x[idx]), slope, xq

    def _ln_sigma(self, T: FloatArray) -> FloatArray:
        return self._segments(T)[0]

    def _eapp(self, T: FloatArray) -> FloatArray:
        return -K_B_EV * self._segments(T)[1]

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form: ``{"law": "tabulated", "T": [K], "sigma": [S/m], "extrapolate"}``."""
        return {
            "law": self.kind,
            "T": list(self.T_points),
            "sigma": list(self.sigma_points),
            "extrapolate": self.extrapolate,
        }


class Constant(_Frozen, ConductivityLaw):
    """Temperature-independent conductivity (0 for passive fillers and insulators).

    Parameters
    ----------
    sigma : float
        Conductivity [S/m], >= 0.
    T_range : (float, float), optional
        Validity range [K].

    Examples
    --------
    >>> Constant(0.0).sigma([300.0, 350.0]).tolist()
    [0.0, 0.0]
    """

    kind: ClassVar[str] = "constant"
    __slots__ = ("T_range", "value")

    def __init__(self, sigma: float, *, T_range: tuple[float, float] | None = None) -> None:
        object.__setattr__(self, "value", _positive(sigma, "constant.sigma", allow_zero=True))
        object.__setattr__(self, "T_range", _check_T_range(T_range, "constant"))

    def __repr__(self) -> str:
        return f"Constant(sigma={self.value!r})"

    def sigma(self, T: ArrayLike) -> FloatArray:
        """Conductivity [S/m] (``value`` everywhere), same shape as ``T`` [K]."""
        arr = self._validate_T(T)
        return np.full_like(arr, self.value)

    def _ln_sigma(self, T: FloatArray) -> FloatArray:
        return np.full_like(T, math.log(self.value) if self.value > 0 else -np.inf)

    def _eapp(self, T: FloatArray) -> FloatArray:
        return np.zeros_like(T)

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form: ``{"law": "constant", "sigma": [S/m]}``."""
        return {"law": self.kind, "sigma": self.value,
                "T_range": list(self.T_range) if self.T_range else None}


#: Closed table of law kinds.
LAWS: dict[str, type[ConductivityLaw]] = {
    "arrhenius": Arrhenius,
    "vtf": VTF,
    "semicrystalline_peo": SemicrystallinePEO,
    "tabulated": Tabulated,
    "constant": Constant,
}


def law_from_dict(d: Mapping[str, Any]) -> ConductivityLaw:
    """Rebuild a law from :meth:`ConductivityLaw.to_dict` output (SI floats).

    Parameters
    ----------
    d : mapping
        Must contain ``"law"``, one of :data:`LAWS`, and that law's parameters in SI.

    Returns
    -------
    ConductivityLaw

    Raises
    ------
    InputError
        Unknown ``law`` kind, missing or unexpected parameters.
    """
    if not isinstance(d, Mapping):
        raise InputError(f"law: expected a table with a 'law' key, got {d!r}")
    kind = d.get("law")
    if kind not in LAWS:
        raise InputError(f"law: got {kind!r}; allowed: {sorted(LAWS)}")
    params = {k: v for k, v in d.items() if k != "law"}
    T_range = params.pop("T_range", None)
    try:
        if kind == "arrhenius":
            return Arrhenius(T_range=T_range, **params)
        if kind == "vtf":
            return VTF(T_range=T_range, **params)
        if kind == "semicrystalline_peo":
            low = law_from_dict({"law": "arrhenius", **dict(params.pop("low"))})
            high = law_from_dict({"law": "vtf", **dict(params.pop("high"))})
            return SemicrystallinePEO(low=low, high=high, T_range=T_range, **params)  # type: ignore[arg-type]
        if kind == "tabulated":
            return Tabulated(params.pop("T"), params.pop("sigma"), **params)
        return Constant(params.pop("sigma"), T_range=T_range, **params)
    except (TypeError, KeyError) as err:
        raise InputError(f"law {kind!r}: bad or missing parameters in {dict(d)!r} ({err})") from err


__all__ = [
    "LAWS",
    "T_REF_DEFAULT",
    "VTF",
    "Arrhenius",
    "ArrheniusForm",
    "ConductivityLaw",
    "Constant",
    "SemicrystallinePEO",
    "Tabulated",
    "law_from_dict",
    "wlf_sigma",
    "wlf_to_vtf",
]
