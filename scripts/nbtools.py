"""Helpers for the scripts that write the example notebooks (no outputs).

Each ``make_*.py`` script lists its cells as plain Python strings, so the
notebook's source is reviewable in a diff; ``run_notebooks.py --inplace``
then executes it and stores the outputs that nbval checks.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

#: The first code cell of every example: connect to the account or the demo.
CONNECT = """import os

import matplotlib.pyplot as plt
{pandas}
import tt_notebook as tt

TIMEZONE = "Europe/Budapest"  # report days run from midnight to midnight here
START, END = "{start}", "{end}"  # both days included

if os.environ.get("TIMETRACKER_API_KEY"):
    session = tt.connect(timezone=TIMEZONE)  # your account
else:
    session = tt.demo(timezone=TIMEZONE)  # the built-in emulator
print("Connected; time zone", session.timezone)"""

#: Said in every example's opening cell, after what the notebook answers.
HOW_TO_CONNECT = """\
It runs without an account: when no token is configured it starts the
built-in emulator, which serves a seeded demo organisation (the year 2025),
so every number below is the same on every machine.

**With your own Timetracker account**, set the environment variable
`TIMETRACKER_API_KEY` (a token from *Apps > Timetracker > My Preferences >
REST API*) before starting Jupyter, change `START` and `END` below to your
own days, and run all cells. The token is never written into the notebook
or the cache."""


def md(text: str) -> nbformat.NotebookNode:
    """A markdown cell."""
    return new_markdown_cell(text)


def code(text: str, png: str | None = None) -> nbformat.NotebookNode:
    """A code cell; ``png`` names the chart image ``make demo`` writes."""
    metadata = {"tags": [f"png:{png}"]} if png else {}
    return new_code_cell(text, metadata=metadata)


def connect(start: str, end: str, pandas: bool = True) -> nbformat.NotebookNode:
    """The connect cell for a range of days; ``pandas`` imports it as ``pd``."""
    imports = "import pandas as pd\n" if pandas else ""
    return code(CONNECT.format(start=start, end=end, pandas=imports))


def write(name: str, cells: list[nbformat.NotebookNode]) -> Path:
    """Write ``notebooks/NAME.ipynb`` with a Python 3 kernel and no outputs."""
    nb = new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {
                "display_name": "Python 3 (ipykernel)",
                "language": "python",
                "name": "python3",
            },
            "language_info": {"name": "python"},
        },
    )
    target = NOTEBOOKS / f"{name}.ipynb"
    nbformat.write(nb, target)
    print(f"wrote {target}")
    return target
