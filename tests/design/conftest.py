"""Fixtures of the design tests: the example folder and a writer for small design files."""

from __future__ import annotations

from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "designs"


@pytest.fixture
def examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture
def write_design(tmp_path):
    """Write TOML text to a file in tmp_path and return its path."""

    def write(text: str, name: str = "design.toml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


COMPOSITE = """
[design]
name = "test composite"
kind = "composite"

[matrix]
material = "PEO-LiTFSI"

[[fillers]]
material = "LLZTO"
fraction = "{fraction}"
shape = "sphere"
size = "400 nm"

[evaluate]
temperatures = [{temps}]
"""


@pytest.fixture
def composite_text():
    def make(fraction: str = "15 vol%", temps: str = '"25 degC", "60 degC"') -> str:
        return COMPOSITE.format(fraction=fraction, temps=temps)

    return make
