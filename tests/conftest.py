"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def data_dir() -> Path:
    """Folder of test data files shipped with the tests (each with a note on its origin)."""
    return Path(__file__).parent / "data"
