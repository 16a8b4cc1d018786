"""The README's ``pycon`` examples run, in order, and print what they show.

They are read from README.md and run as one doctest (later examples use the
names earlier ones made), in a temporary folder, since the export examples
write files.
"""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

README = Path(__file__).resolve().parents[2] / "README.md"


def pycon_blocks(text: str) -> list[str]:
    return re.findall(r"^```pycon\n(.*?)^```", text, flags=re.S | re.M)


def test_the_readme_has_an_example_for_every_accessor_method() -> None:
    from tt_notebook.accessor import TimetrackerAccessor

    code = "\n".join(pycon_blocks(README.read_text(encoding="utf-8")))
    public = [
        name
        for name in vars(TimetrackerAccessor)
        if not name.startswith("_") and callable(getattr(TimetrackerAccessor, name))
    ]
    assert sorted(public) == [
        "between",
        "billable_share",
        "compare",
        "expected_vs_actual",
        "long_days",
        "missing_days",
        "overlaps",
        "overtime",
        "pivot",
        "span",
        "tags",
        "to_csv",
        "to_excel",
        "to_parquet",
        "top_issues",
        "totals",
        "tz_convert",
        "utilization",
    ]
    missing = [name for name in public if f".tt.{name}(" not in code]
    assert missing == []
    for reader in (
        "fetch_summary",
        "fetch_fillchecker",
        "fillchecker_table",
        "fetch_tags",
    ):
        assert f"tt.{reader}(" in code


def test_the_readme_examples_print_what_they_show(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    text = README.read_text(encoding="utf-8")
    blocks = pycon_blocks(text)
    assert len(blocks) >= 10
    test = doctest.DocTestParser().get_doctest(
        "\n".join(blocks), {}, "README.md", str(README), 0
    )
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    results = runner.run(test, out=lambda message: print(message, end=""))
    assert results.failed == 0
    assert results.attempted > 30
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [
        "worklogs.csv",
        "worklogs.parquet",
        "worklogs.xlsx",
    ]
