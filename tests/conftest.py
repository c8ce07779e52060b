"""Shared test setup: a Hypothesis profile with a deadline, and the project root."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "default",
    deadline=2000,
    max_examples=200,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("ci", parent=settings.get_profile("default"), max_examples=400)
settings.load_profile("ci" if os.environ.get("CI") else "default")

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture(autouse=True, scope="session")
def _cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The engines of the tests (and the commands they start) keep their validating passes
    in a folder of the session, never in the user's cache folder."""
    before = os.environ.get("IKU_CACHE_DIR")
    os.environ["IKU_CACHE_DIR"] = str(tmp_path_factory.mktemp("iku-cache"))
    yield
    if before is None:
        del os.environ["IKU_CACHE_DIR"]
    else:
        os.environ["IKU_CACHE_DIR"] = before


@pytest.fixture(autouse=True, scope="session")
def _day_of_evaluation() -> Iterator[None]:
    """The tests (and the commands they start) evaluate as on 1 January 2100, after every
    period they evaluate, so that no number of theirs is provisional and none of their
    expected texts depends on the day they run; a test of provisional numbers gives its
    own day (``Engine(…, today=…)``, ``--today``, ``IKU_TODAY``)."""
    before = os.environ.get("IKU_TODAY")
    os.environ["IKU_TODAY"] = "2100-01-01"
    yield
    if before is None:
        del os.environ["IKU_TODAY"]
    else:
        os.environ["IKU_TODAY"] = before


# The real servers (PostgreSQL, a local Spark), one per test session: see servers.py.
from servers import postgres, spark  # noqa: E402, F401
