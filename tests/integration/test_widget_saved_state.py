"""A notebook saved with its widget state holds no trace of the token.

nbclient (like ``jupyter nbconvert --execute``) stores every widget's state in
the saved ``.ipynb``; a password field's value would be in it. These tests
execute ``notebooks/05_dashboard.ipynb`` with an extra cell that types a known
fake token into the login form, as a person would, and search the saved
file's bytes. The token reaches the kernel through an environment variable,
so the cell's own source does not contain it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell

pytestmark = pytest.mark.integration

NOTEBOOK = Path(__file__).parents[2] / "notebooks" / "05_dashboard.ipynb"
TOKEN = "fake-typed-token-5d1c9e"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"

ACCEPT_THE_TOKEN = """\
import os
from tt_notebook.demo import demo_server

typed = os.environ["TT_TEST_TYPED_TOKEN"]
demo_server().add_token(typed, None, "admin")
"""

TYPE_AND_CONNECT = """\
login.token.value = typed + "-typo"  # a typo first: refused
login.button.click()
login.token.value = typed
login.timezone.value = "Asia/Kolkata"
login.button.click()
board.set_range("last week")
board.fetch_button.click()
print(login.session is not None, board.frame is not None)
"""

TYPE_ONLY = """\
login.token.value = typed  # typed, but Connect never pressed
print(len(login.token.value))
"""


def execute_and_save(
    extra: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[bytes, nbformat.NotebookNode]:
    """Run the dashboard with ``extra`` after its form cells; save with state."""
    monkeypatch.setenv("TT_TEST_TYPED_TOKEN", TOKEN)
    monkeypatch.delenv("TIMETRACKER_API_KEY", raising=False)
    monkeypatch.setenv("TT_NOTEBOOK_CACHE_DIR", str(tmp_path / "cache"))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    board_cell = next(
        i for i, c in enumerate(nb.cells) if "dashboard(login" in c.source
    )
    nb.cells.insert(board_cell + 1, new_code_cell(ACCEPT_THE_TOKEN + extra))
    client = NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        store_widget_state=True,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()
    target = tmp_path / "executed.ipynb"
    nbformat.write(nb, target)
    return target.read_bytes(), nbformat.read(target, as_version=4)


def models(nb: nbformat.NotebookNode, name: str) -> list[dict[str, Any]]:
    state = nb.metadata["widgets"][WIDGET_STATE]["state"]
    return [m["state"] for m in state.values() if m["model_name"] == name]


def test_a_token_typed_and_submitted_leaves_no_trace_in_the_saved_notebook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data, nb = execute_and_save(TYPE_AND_CONNECT, tmp_path, monkeypatch)

    assert TOKEN.encode() not in data
    # The search means something: state was saved, the token was accepted,
    # and the fetch drew its chart into the saved state.
    assert [m["value"] for m in models(nb, "PasswordModel")] == [""]
    printed = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    assert "True True" in printed
    statuses = " ".join(m["value"] for m in models(nb, "HTMLModel"))
    assert "Connected to 127.0.0.1" in statuses
    assert "time zone Asia/Kolkata" in statuses
    outputs = [o for m in models(nb, "OutputModel") for o in m.get("outputs", [])]
    assert any("image/png" in o.get("data", {}) for o in outputs)


def test_a_token_typed_but_never_submitted_would_be_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The control: the search does find a token that is still in the field.
    # This is the one way to leak it, and the README says so.
    data, nb = execute_and_save(TYPE_ONLY, tmp_path, monkeypatch)
    assert TOKEN.encode() in data
    assert [m["value"] for m in models(nb, "PasswordModel")] == [TOKEN]
