"""The Binder tier: the environment that ``binder/`` pins, built afresh.

Its one test creates a virtual environment in its temporary folder, installs
exactly ``binder/requirements.txt`` into it with pip (from PyPI, through
pip's own cache, so a second run downloads nothing), runs ``binder/postBuild``
and executes the quickstart there. Select it with ``-m binder``, or leave it
out with ``-m "not binder"``.
"""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "binder: builds the pinned Binder environment in a fresh venv (needs PyPI)",
    )
