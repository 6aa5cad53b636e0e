"""Shared fixtures. Keep this small: helpers that only one test module needs live in that module."""
from __future__ import annotations

import pytest

from thidua_batch.config.campaign import Campaign, load_campaign


@pytest.fixture(scope="session")
def campaign() -> Campaign:
    """The default campaign (plan 199, 2020). Frozen dataclasses: safe to share across tests."""
    return load_campaign()
