"""The Binder set-up, checked the way Binder uses it, so it cannot rot unnoticed.

repo2docker installs ``binder/requirements.txt`` with pip from the
repository's root (its last line, ``.``, is this package), runs
``binder/postBuild``, and starts JupyterLab; the launch link opens the
quickstart. The test does the same in a fresh virtual environment, then
executes the quickstart there and compares its outputs with the stored ones.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).parents[2]
BINDER = ROOT / "binder"
QUICKSTART = Path("notebooks") / "01_quickstart.ipynb"
# What a Binder checkout needs of the repository to install and run.
COPIED = ("binder", "notebooks", "tt_notebook", "pyproject.toml", "README.md")

pytestmark = pytest.mark.binder


def pins() -> dict[str, str]:
    """Package name to pinned version, from binder/requirements.txt."""
    found = {}
    for line in (BINDER / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line == ".":
            continue
        requirement = Requirement(line)
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", f"{line} is not an exact pin"
        found[canonicalize_name(requirement.name)] = specifier.version
    return found


def test_requirements_pin_every_package_exactly_and_install_this_one() -> None:
    lines = (BINDER / "requirements.txt").read_text().splitlines()
    assert [line for line in lines if line.strip() == "."] == ["."]
    pinned = pins()
    assert pinned["ipywidgets"] == "8.1.9"
    assert pinned["jupyterlab-widgets"] == "3.0.17"
    assert pinned["widgetsnbextension"] == "4.0.16"
    assert pinned["jupyterlab"] == "4.6.6"
    assert pinned["ipykernel"] == "7.4.0"
    assert pinned["openpyxl"] == "3.1.5"
    assert (BINDER / "runtime.txt").read_text().strip() == "python-3.11"
    # Every package the human-written list asks for is pinned at its version.
    for line in (BINDER / "requirements.in").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            asked = Requirement(line)
            assert pinned[canonicalize_name(asked.name)] in asked.specifier


def run(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"{args[:3]} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def texts(nb: nbformat.NotebookNode) -> list[list[str]]:
    """Each code cell's printed and displayed text, images left out."""
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        shown = []
        for output in cell.outputs:
            if output.output_type == "stream":
                shown.append(output.text)
            for kind in ("text/plain", "text/html"):
                shown.append(output.get("data", {}).get(kind, ""))
        cells.append(shown)
    return cells


@pytest.mark.skipif(
    sys.version_info[:2] != (3, 11), reason="binder/runtime.txt pins Python 3.11"
)
def test_the_pinned_environment_installs_and_runs_the_quickstart(
    tmp_path: Path,
) -> None:
    # 1. A checkout of the files Binder would see, and a clean environment
    #    with its own Jupyter and matplotlib folders and no token.
    checkout = tmp_path / "repo"
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints")
            shutil.copytree(source, checkout / name, ignore=ignore)
        else:
            shutil.copy2(source, checkout / name)
    venv = tmp_path / "venv"
    python = venv / "bin" / "python"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TIMETRACKER_", "JUPYTER", "PYTHON", "VIRTUAL_ENV"))
        and key not in ("MPLBACKEND", "TT_NOTEBOOK_CACHE_DIR")
    }
    env.update(
        PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter" / "config"),
        JUPYTER_DATA_DIR=str(tmp_path / "jupyter" / "data"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "jupyter" / "runtime"),
        MPLCONFIGDIR=str(tmp_path / "matplotlib"),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )

    # 2. Install exactly what binder/ pins, as repo2docker does: from the
    #    repository's root. This environment's pip installs into the new one,
    #    which saves bootstrapping a pip of its own; --no-compile skips
    #    writing .pyc files, a third of the time and nothing the test checks.
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path, env)
    pip = [sys.executable, "-m", "pip", "--python", str(python)]
    run(
        [
            *pip,
            "install",
            "--no-input",
            "--no-compile",
            "-r",
            "binder/requirements.txt",
        ],
        checkout,
        env,
    )
    frozen = run([*pip, "freeze", "--exclude", "tt_notebook"], checkout, env)
    installed = {
        canonicalize_name(name): version
        for name, version in (
            line.split("==") for line in frozen.splitlines() if "==" in line
        )
    }
    assert installed == pins(), "pip installed something binder/ does not pin"
    run([*pip, "check"], checkout, env)

    # 3. postBuild points the server at the quickstart.
    run(["bash", "binder/postBuild"], checkout, env)
    config = json.loads(
        (tmp_path / "jupyter" / "config" / "jupyter_server_config.json").read_text()
    )
    default_url = config["ServerApp"]["default_url"]
    assert default_url == "/lab/tree/notebooks/01_quickstart.ipynb"
    assert (checkout / default_url.removeprefix("/lab/tree/")).is_file()

    # 4. The quickstart runs there and prints what the stored one printed.
    run(
        [
            str(venv / "bin" / "jupyter"),
            "nbconvert",
            "--to",
            "notebook",
            "--execute",
            "--ExecutePreprocessor.timeout=300",
            "--output-dir",
            str(tmp_path / "out"),
            str(QUICKSTART),
        ],
        checkout,
        env,
    )
    executed = nbformat.read(tmp_path / "out" / QUICKSTART.name, as_version=4)
    stored = nbformat.read(ROOT / QUICKSTART, as_version=4)
    assert texts(executed) == texts(stored)
    assert texts(executed)[1][0] == "1,636 worklogs, 2,860.1 hours\n"
