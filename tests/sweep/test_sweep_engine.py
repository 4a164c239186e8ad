import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from numpy.testing import assert_allclose
from sweep_models import BatchComposite, base_design, composite_rows, mg, slow_rows

from hylyte.errors import InputError, MissingDependencyError
from hylyte.sweep.executor import (
    EXECUTORS,
    DaskExecutor,
    available_executors,
    get_executor,
    run_sweep,
)
from hylyte.sweep.plan import plan_from_dict
from hylyte.sweep.store import ResultStore

HERE = Path(__file__).parent
VALUE_COLUMNS = ["design_hash", "row_index", "status", "T_K", "conductivity_S_per_cm",
                 "asr_ohm_cm2", "electrolyte_mass_g_per_m2", "fillers_0_fraction_vol_pct",
                 "thickness_um", "fillers_0_material"]


def _spec(materials=("LLZTO", "LATP")):
    return {"base": base_design(),
            "axes": {"fillers.0.fraction": "linspace(0 vol%, 40 vol%, 5)",
                     "thickness": ["10 um", "20 um", "40 um"],
                     "fillers.0.material": list(materials)}}


def _sorted_rows(store):
    t = store.table().select(VALUE_COLUMNS)
    return sorted(tuple(r.values()) for r in t.to_pylist())


def test_serial_rows_match_closed_form(tmp_path):
    plan = plan_from_dict(_spec())
    s = run_sweep(plan, tmp_path, eval_fn=composite_rows, executor="serial")
    assert (s.n_points, s.n_evaluated, s.n_failed) == (30, 30, 0)
    rows = ResultStore(tmp_path).query(
        "SELECT * FROM results WHERE fillers_0_material = 'LLZTO' AND T_K = 298.15 "
        "AND fillers_0_fraction_vol_pct = 20 AND thickness_um = 10").to_pylist()
    assert len(rows) == 1
    # independent check at 25 degC: MG of the reference conductivities, L / sigma
    sigma = mg(1e-4, 5e-2, 0.2)
    assert_allclose(rows[0]["conductivity_S_per_cm"], sigma / 100, rtol=1e-12)
    assert_allclose(rows[0]["asr_ohm_cm2"], 10e-6 / sigma * 1e4, rtol=1e-12)


def test_failing_design_is_recorded_and_rest_complete(tmp_path):
    plan = plan_from_dict(_spec(("LLZTO", "BROKEN")))
    s = run_sweep(plan, tmp_path, eval_fn=composite_rows, executor="processes", workers=2,
                  chunk_size=4)
    assert (s.n_evaluated, s.n_failed) == (30, 15)
    store = ResultStore(tmp_path)
    err = store.query("SELECT * FROM results WHERE status = 'error'").to_pylist()
    assert len(err) == 15
    assert {r["error_type"] for r in err} == {"KeyError"}
    assert all("BROKEN" in r["error_message"] for r in err)
    ok = store.query("SELECT count(*) AS n FROM results WHERE status = 'ok'").to_pylist()
    assert ok[0]["n"] == 15 * 5
    # a re-run skips everything; retry_errors evaluates only the failures again
    again = run_sweep(plan, tmp_path, eval_fn=composite_rows, executor="serial")
    assert (again.n_skipped, again.n_evaluated) == (30, 0)
    retry = run_sweep(plan, tmp_path, eval_fn=composite_rows, executor="serial",
                      retry_errors=True)
    assert retry.n_evaluated == 15
    assert store.table().num_rows == 15 * 5 + 15


def test_processes_and_batch_path_match_serial(tmp_path):
    plan = plan_from_dict(_spec())
    run_sweep(plan, tmp_path / "s", eval_fn=composite_rows, executor="serial")
    run_sweep(plan, tmp_path / "p", eval_fn=composite_rows, executor="processes", workers=2,
              chunk_size=3, flush_designs=6)
    assert len(ResultStore(tmp_path / "p").parts()) >= 2
    assert _sorted_rows(ResultStore(tmp_path / "s")) == _sorted_rows(ResultStore(tmp_path / "p"))
    run_sweep(plan, tmp_path / "b", eval_fn=BatchComposite(), executor="serial", chunk_size=7)
    a = _sorted_rows(ResultStore(tmp_path / "s"))
    b = _sorted_rows(ResultStore(tmp_path / "b"))
    assert [r[:3] for r in a] == [r[:3] for r in b]
    assert_allclose([r[3:8] for r in a], [r[3:8] for r in b], rtol=1e-12)


def test_mixing_evaluators_in_one_folder_is_refused(tmp_path):
    plan = plan_from_dict(_spec())
    run_sweep(plan, tmp_path, eval_fn=composite_rows, executor="serial")
    with pytest.raises(InputError, match="evaluator"):
        run_sweep(plan, tmp_path, eval_fn=slow_rows, executor="serial")


_CHILD = """
import json, sys
sys.path.insert(0, {here!r})
from sweep_models import slow_rows
from hylyte.sweep.plan import plan_from_dict
from hylyte.sweep.executor import run_sweep
run_sweep(plan_from_dict(json.loads({spec!r})), {out!r}, eval_fn=slow_rows,
          executor="serial", chunk_size=2, flush_designs=2)
"""


def test_sigkill_then_resume_gives_exactly_the_uninterrupted_rows(tmp_path):
    spec = _spec(("LLZTO", "LATP", "SiO2"))  # 45 designs, 20 ms each
    out = tmp_path / "killed"
    code = _CHILD.format(here=str(HERE), spec=json.dumps(spec), out=str(out))
    proc = subprocess.Popen([sys.executable, "-c", code])
    try:
        deadline = time.monotonic() + 60
        while len(ResultStore(out).parts()) < 4:
            assert proc.poll() is None, "the sweep finished before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    store = ResultStore(out)
    n_before = len(store.done_keys())
    assert 8 <= n_before < 45
    s = run_sweep(plan_from_dict(spec), out, eval_fn=slow_rows, executor="serial")
    assert s.n_skipped == n_before
    assert s.n_evaluated == 45 - n_before
    ref = tmp_path / "ref"
    run_sweep(plan_from_dict(spec), ref, eval_fn=slow_rows, executor="serial")
    assert _sorted_rows(ResultStore(out)) == _sorted_rows(ResultStore(ref))
    # nothing duplicated on disk either: the parts hold each design once
    import pyarrow.parquet as pq

    raw = sum(pq.read_table(p).num_rows for p in ResultStore(out).parts())
    assert raw == 45 * 5
    assert not [p for p in out.iterdir() if p.name.startswith(".part-")]


def test_executor_registry():
    assert set(EXECUTORS) == {"serial", "processes", "dask"}
    assert "serial" in available_executors()
    assert get_executor("auto", workers=1).name == "serial"
    assert get_executor("auto").name == "processes"
    with pytest.raises(InputError, match="executor"):
        get_executor("threads")


def test_dask_missing_raises_naming_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # makes "import distributed" fail
    assert not DaskExecutor.available()
    assert "dask" not in available_executors()
    with pytest.raises(MissingDependencyError, match=r"hylyte\[dist\]"):
        get_executor("dask")


@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                       dashboard_address=":0")
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def test_dask_gives_the_same_rows_as_serial(tmp_path, dask_client):
    plan = plan_from_dict(_spec(("LLZTO", "BROKEN")))
    run_sweep(plan, tmp_path / "s", eval_fn=composite_rows, executor="serial")
    ex = get_executor("dask", client=dask_client)
    s = run_sweep(plan, tmp_path / "d", eval_fn=composite_rows, executor=ex, chunk_size=4)
    assert s.executor == "dask"
    assert s.n_failed == 15
    assert _sorted_rows(ResultStore(tmp_path / "s")) == _sorted_rows(ResultStore(tmp_path / "d"))


def test_store_dedupes_by_key_and_prefers_success(tmp_path):
    store = ResultStore(tmp_path)
    ok = lambda k, v: {"design_hash": k, "row_index": 0, "status": "ok",  # noqa: E731
                       "error_type": None, "error_message": None, "x": v}
    err = {"design_hash": "b", "row_index": 0, "status": "error", "error_type": "ValueError",
           "error_message": "boom", "x": None}
    store.write_part([ok("a", 1.0), err])
    store.write_part([ok("a", 2.0), ok("b", 3.0)])  # 'a' again (e.g. a concurrent run)
    store.write_part([{**err, "design_hash": "c"}])
    assert [p.name for p in store.parts()] == ["part-000001.parquet", "part-000002.parquet",
                                               "part-000003.parquet"]
    rows = sorted((r["design_hash"], r["status"], r["x"]) for r in store.table().to_pylist())
    assert rows == [("a", "ok", 1.0), ("b", "ok", 3.0), ("c", "error", None)]
    assert store.done_keys(include_errors=False) == {"a", "b"}
    assert store.done_keys() == {"a", "b", "c"}


def _crash_on_latp(design):
    if design["fillers"][0]["material"] == "LATP":
        os._exit(1)  # a worker dying (e.g. killed for memory) is not the design's error
    return composite_rows(design)


def test_dead_workers_leave_designs_for_a_resumed_run(tmp_path):
    plan = plan_from_dict(_spec())
    s = run_sweep(plan, tmp_path, eval_fn=_crash_on_latp, executor="processes", workers=2,
                  chunk_size=5)
    store = ResultStore(tmp_path)
    assert s.n_unfinished > 0
    assert s.n_unfinished + s.n_evaluated == 30
    assert store.query("SELECT count(*) AS n FROM results WHERE status = 'error'"
                       ).to_pylist()[0]["n"] == 0
    with pytest.raises(InputError, match="module-level"):
        run_sweep(plan, tmp_path / "x", eval_fn=lambda d: composite_rows(d),
                  executor="processes")
