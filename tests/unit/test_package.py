"""The package's face: what importing it loads, and that every name resolves."""

import subprocess
import sys

import tt_notebook


def test_importing_the_package_loads_no_charts_forms_or_http_stack() -> None:
    code = (
        "import sys, tt_notebook, pandas as pd; "
        "print(sorted(m for m in ('matplotlib', 'ipywidgets', 'tqdm', 'requests', "
        "'requests_cache', 'urllib3') if m in sys.modules)); "
        "print(hasattr(pd.DataFrame, 'tt'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    assert out[:2] == ["[]", "True"]


def test_every_public_name_resolves() -> None:
    missing = [n for n in tt_notebook.__all__ if not hasattr(tt_notebook, n)]
    assert missing == []
    assert callable(tt_notebook.plot_burnup)
    assert callable(tt_notebook.dashboard)
    assert callable(tt_notebook.demo)  # the function, not its module
    assert tt_notebook.TimetrackerSession.__name__ == "TimetrackerSession"
