"""A small evaluated composite and stack, shared by the report tests."""

from __future__ import annotations

from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "designs"


@pytest.fixture(scope="module")
def results():
    from hylyte.design import evaluate, load_design

    return [evaluate(load_design(EXAMPLES / n), rng=0)
            for n in ("peo_llzto_nanoparticles.toml", "peo_llzto_sandwich.toml")]
