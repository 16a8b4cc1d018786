from __future__ import annotations

import json
import subprocess
import sys
import urllib.request

import pytest

pytestmark = pytest.mark.integration


def test_demo_server_prints_its_url_and_token_and_serves() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tt_notebook.cli", "demo-server", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines: list[str] = []
        while not any("demo-token" in line for line in lines):
            line = proc.stdout.readline()
            assert line, "demo-server exited early: " + "".join(lines)
            lines.append(line)
        text = "".join(lines)
        url = next(w for w in text.split() if w.startswith("http://127.0.0.1:"))
        request = urllib.request.Request(
            url.rstrip("/") + "/timetracker/api/latest/public/tag",
            headers={"x-everit-api-key": "demo-token"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            tags = json.load(response)["worklogTags"]
        assert len(tags) >= 6
    finally:
        proc.terminate()
        proc.wait(timeout=10)
