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


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.org", "::"])
def test_demo_server_refuses_to_listen_beyond_loopback(host: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tt_notebook", "demo-server", "--host", host],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "is not a loopback address" in done.stderr


def test_demo_server_says_when_its_port_is_taken() -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "tt_notebook", "demo-server", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr


def test_version_is_printed() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tt_notebook", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout.strip() == "0.1.0"
