"""Execute the example notebooks; write HTML and chart images, or store outputs.

Usage::

    python scripts/run_notebooks.py --out build          # make demo
    python scripts/run_notebooks.py --inplace            # refresh stored outputs

A code cell tagged ``png:NAME`` has its first image written to ``OUT/NAME.png``.
Saved widget state is always stripped: a password field's value would be in it.
"""

from __future__ import annotations

import argparse
import base64
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"


def strip_widget_state(nb: nbformat.NotebookNode) -> None:
    """Remove saved widget state and widget outputs' state from the notebook."""
    nb.metadata.pop("widgets", None)


def execute(path: Path, timeout: int) -> nbformat.NotebookNode:
    """Run every cell of ``path`` in a fresh kernel and return the notebook."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        store_widget_state=False,
    )
    client.execute()
    strip_widget_state(nb)
    return nb


def write_images(nb: nbformat.NotebookNode, out: Path) -> list[Path]:
    """Write the first PNG of each cell tagged ``png:NAME`` to ``out/NAME.png``."""
    written = []
    for cell in nb.cells:
        for tag in cell.get("metadata", {}).get("tags", []):
            if not tag.startswith("png:"):
                continue
            images = [
                o["data"]["image/png"]
                for o in cell.get("outputs", [])
                if "image/png" in o.get("data", {})
            ]
            if not images:
                raise SystemExit(f"cell tagged {tag} drew no image")
            target = out / f"{tag[4:]}.png"
            target.write_bytes(base64.b64decode(images[0]))
            written.append(target)
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, help="write HTML and PNGs here")
    parser.add_argument("--inplace", action="store_true", help="store outputs")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    args = parser.parse_args()
    if args.out is None and not args.inplace:
        parser.error("give --out DIR, --inplace, or both")
    # The demo runs on the built-in emulator, whatever token the shell holds.
    os.environ.pop("TIMETRACKER_API_KEY", None)
    paths = args.notebooks or sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
    for path in paths:
        started = time.perf_counter()
        nb = execute(path, args.timeout)
        written: list[Path] = []
        if args.inplace:
            nbformat.write(nb, path)
            written.append(path)
        if args.out:
            html, _ = HTMLExporter().from_notebook_node(nb)
            target = args.out / f"{path.stem}.html"
            target.write_text(html, encoding="utf-8")
            written += [target, *write_images(nb, args.out)]
        seconds = time.perf_counter() - started
        print(f"{path.name}: {seconds:.1f} s")
        for target in written:
            print(f"  wrote {target.resolve()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
