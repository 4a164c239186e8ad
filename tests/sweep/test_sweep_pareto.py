import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hylyte.errors import InputError
from hylyte.sweep.pareto import pareto_front, pareto_mask, pareto_table


def brute_force(values, senses):
    v = np.array(values, dtype=float)
    for j, s in enumerate(senses):
        if s == "max":
            v[:, j] = -v[:, j]
    n = len(v)
    out = np.ones(n, dtype=bool)
    for i in range(n):
        if not np.all(np.isfinite(v[i])):
            out[i] = False
            continue
        for k in range(n):
            if k != i and np.all(np.isfinite(v[k])) and np.all(v[k] <= v[i]) and np.any(
                    v[k] < v[i]):
                out[i] = False
                break
    return out


# small integer grids make ties and duplicates common
points = st.integers(1, 3).flatmap(lambda m: st.tuples(
    st.lists(st.lists(st.integers(0, 6).map(float), min_size=m, max_size=m), min_size=1,
             max_size=40),
    st.lists(st.sampled_from(["min", "max"]), min_size=m, max_size=m)))


@settings(max_examples=200, deadline=None)
@given(points)
def test_front_matches_brute_force(case):
    values, senses = case
    assert np.array_equal(pareto_mask(values, senses), brute_force(values, senses))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6)), min_size=1,
                max_size=60))
def test_front_2d_continuous_values(values):
    for senses in (["min", "max"], ["max", "max"]):
        assert np.array_equal(pareto_mask(values, senses), brute_force(values, senses))


def test_nan_never_on_front_and_order():
    v = [[1.0, 5.0], [np.nan, 0.0], [2.0, 3.0], [3.0, 1.0], [4.0, 4.0]]
    assert pareto_mask(v, ["min", "min"]).tolist() == [True, False, True, True, False]
    assert pareto_front(v, ["min", "min"]).tolist() == [0, 2, 3]
    with pytest.raises(InputError, match="senses"):
        pareto_mask(v, ["min"])
    with pytest.raises(InputError, match="senses"):
        pareto_mask(v, ["min", "up"])


def test_pareto_table_ignores_errors():
    t = pa.table({"status": ["ok", "ok", "error", "ok"], "sigma": [1.0, 2.0, 9.0, 0.5],
                  "asr": [1.0, 3.0, None, 2.0]})
    front, mask = pareto_table(t, ["sigma:max", "asr:min"])
    assert front.column("sigma").to_pylist() == [2.0, 1.0]  # best sigma first
    assert mask.tolist() == [True, True, False]
    with pytest.raises(InputError, match="no column"):
        pareto_table(t, ["nope:max"])
