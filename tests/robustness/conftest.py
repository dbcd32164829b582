"""Fixtures for robustness tests: real article text (servers come from tests/helpers.py)."""

from __future__ import annotations

import pytest

from tests.helpers import real_text


@pytest.fixture(scope="session")
def article_text() -> str:
    """About 50,000 characters of real text: an analysis takes seconds, so it is still running when we look."""
    return real_text(50_000)
