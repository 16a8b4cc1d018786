"""nbval checks the example notebooks here against their stored outputs.

Before comparing, it replaces the patterns of ``nbval_sanitize.cfg`` beside
this file (memory addresses, the emulator's port and the like) unless the
command line names another file with ``--nbval-sanitize-with``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SANITIZE = Path(__file__).with_name("nbval_sanitize.cfg")


def pytest_configure(config: pytest.Config) -> None:
    option = config.option
    if getattr(option, "nbval_sanitize_with", "") is None:
        option.nbval_sanitize_with = str(SANITIZE)
