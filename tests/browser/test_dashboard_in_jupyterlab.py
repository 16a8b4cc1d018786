"""The dashboard notebook as a person uses it: JupyterLab in headless Chromium.

JupyterLab runs on a free loopback port with every Jupyter folder in this
test's temporary directory, no token, and settings overrides that turn off
the news feed (its toast would cover the page) and the kernel-choice dialog.
Chromium is Debian's (``/usr/bin/chromium``), driven by Playwright; `make
test` installs it when missing. Screenshots go to the test's temporary folder
and are copied to ``build/screenshots/``.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

ROOT = Path(__file__).parents[2]
NOTEBOOK = ROOT / "notebooks" / "05_dashboard.ipynb"
CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "build" / "screenshots"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false"},
    "@jupyterlab/notebook-extension:tracker": {"autoStartDefaultKernel": True},
}
WAIT_MS = 60_000

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's chromium is not installed at /usr/bin/chromium; "
        "`make test` installs it (apt-get install chromium, as root).",
    ),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def wait_until_serving(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"JupyterLab exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url + "/api/status", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.25)
    pytest.fail(f"JupyterLab did not answer within 60 s:\n{log.read_text()[-3000:]}")


class Api:
    """The Jupyter server's REST API, with the XSRF cookie a browser would send."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies)
        )
        self.opener.open(url + "/lab", timeout=10).close()  # sets _xsrf

    def call(self, path: str, method: str = "GET", body: object = None) -> object:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        xsrf = next((c.value for c in self.cookies if c.name == "_xsrf"), None)
        if xsrf:
            request.add_header("X-XSRFToken", xsrf)
        with self.opener.open(request, timeout=10) as answer:
            return json.load(answer)


def wait_for_connected_kernel(url: str, notebook: str) -> None:
    """Wait until the page's kernel for ``notebook`` is connected and idle.

    Run All sent while JupyterLab is still setting up (or replacing) the
    kernel connection can be lost; the server's view is the reliable one.
    """
    api = Api(url)
    deadline = time.monotonic() + WAIT_MS / 1000
    while time.monotonic() < deadline:
        sessions = api.call("/api/sessions")
        assert isinstance(sessions, list)
        kernels = [s["kernel"] for s in sessions if s.get("path") == notebook]
        if len(kernels) == 1:
            kernel = kernels[0]
            if kernel["execution_state"] == "idle" and kernel["connections"] >= 1:
                return
        time.sleep(0.25)
    pytest.fail(f"no connected, idle kernel for {notebook} within {WAIT_MS} ms")


@pytest.fixture
def jupyter_lab(tmp_path: Path) -> Iterator[str]:
    """JupyterLab serving a copy of the dashboard notebook; yields its URL."""
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(NOTEBOOK, work / NOTEBOOK.name)
    settings = tmp_path / "lab-app" / "settings"
    settings.mkdir(parents=True)
    (settings / "overrides.json").write_text(json.dumps(OVERRIDES))
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"TIMETRACKER_API_KEY", "TIMETRACKER_BASE_URL", "MPLBACKEND"}
    }
    for name in (
        "JUPYTER_CONFIG_DIR",
        "JUPYTER_DATA_DIR",
        "JUPYTER_RUNTIME_DIR",
        "JUPYTERLAB_SETTINGS_DIR",
        "JUPYTERLAB_WORKSPACES_DIR",
        "IPYTHONDIR",
        "TT_NOTEBOOK_CACHE_DIR",
    ):
        env[name] = str(tmp_path / name.lower())
    port = free_port()
    log = tmp_path / "jupyterlab.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyterlab",
                "--no-browser",
                "--allow-root",
                "--ServerApp.ip=127.0.0.1",
                f"--ServerApp.port={port}",
                "--ServerApp.port_retries=0",
                "--IdentityProvider.token=",
                f"--ServerApp.root_dir={work}",
                f"--LabApp.app_settings_dir={settings}",
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(url, server, log)
        yield url
    finally:
        # SIGTERM lets the server shut its kernels down; the group kill is for
        # a server that hangs, and reaches only what this test started.
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


@dataclass
class Tab:
    """A Chromium tab and what its console printed (shown when a test fails)."""

    page: Page
    console: list[str] = field(default_factory=list)


@pytest.fixture
def tab(jupyter_lab: str) -> Iterator[Tab]:
    """A tab in Debian's Chromium, tall enough to show the whole dashboard."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS
        )
        opened = Tab(browser.new_page(viewport={"width": 1400, "height": 2400}))
        opened.page.set_default_timeout(WAIT_MS)
        opened.page.on(
            "console", lambda m: opened.console.append(f"{m.type}: {m.text[:300]}")
        )
        # Should JupyterLab ask which kernel to use, answer as a person would.
        opened.page.add_locator_handler(
            opened.page.locator(".jp-Dialog", has_text="Select Kernel"),
            lambda dialog: dialog.get_by_role("button", name="Select").click(),
        )
        try:
            yield opened
        finally:
            browser.close()


class Screenshots:
    """Saves screenshots in the test's folder and copies them to build/."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.saved: list[Path] = []

    def take(self, target: Page | Locator, name: str) -> None:
        path = self.folder / f"{name}.png"
        target.screenshot(path=path)
        shutil.copy(path, SHOTS / path.name)
        self.saved.append(SHOTS / path.name)


def run_all_cells(page: Page) -> None:
    """Run > Run All Cells, once the kernel is ready enough to enable it."""
    deadline = time.monotonic() + WAIT_MS / 1000
    while True:
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        item = page.locator(".lm-Menu-item", has_text="Run All Cells").first
        item.wait_for()
        if "lm-mod-disabled" not in (item.get_attribute("class") or ""):
            item.click()
            return
        # Disabled until the notebook's kernel session is connected.
        page.keyboard.press("Escape")
        if time.monotonic() > deadline:
            pytest.fail("Run All Cells stayed disabled: the kernel never connected")
        time.sleep(0.5)


def output_holding(page: Page, selector: str) -> Locator:
    """The notebook output area that contains ``selector``."""
    return page.locator(".jp-OutputArea-output").filter(has=page.locator(selector))


def test_connect_fetch_and_see_the_chart_in_jupyterlab(
    jupyter_lab: str, tab: Tab, tmp_path: Path
) -> None:
    page = tab.page
    shots = Screenshots(tmp_path / "screenshots")
    started = time.monotonic()
    try:
        # 1. Open the notebook on a fresh workspace and run every cell.
        page.goto(f"{jupyter_lab}/lab/tree/{NOTEBOOK.name}?reset")
        page.locator(".jp-Notebook").wait_for()
        wait_for_connected_kernel(jupyter_lab, NOTEBOOK.name)
        password = page.locator(".jupyter-widgets input[type=password]")
        login = output_holding(page, "input[type=password]")
        board = output_holding(page, "input[type=date]")
        run_all_cells(page)
        try:
            board.wait_for(timeout=20_000)
        except PlaywrightTimeoutError:
            # A kernel connection replaced mid-queue can drop the cells after
            # the first; running them again is what a person would do.
            print("the dashboard did not appear: Run All Cells once more")
            run_all_cells(page)
            board.wait_for(timeout=20_000)
        shots.take(page, "01_after_run_all")

        # 2. Type the demo token, pick a zone, Connect, read the status.
        password.fill("demo-token")
        zone = login.locator(
            ".widget-text", has=page.locator("label", has_text="Time zone")
        )
        zone.locator("input").fill("Asia/Kolkata")
        login.locator("button.jupyter-button", has_text="Connect").click()
        status = login.get_by_text("Connected to 127.0.0.1")
        expect(status).to_be_visible()
        expect(status).to_contain_text("time zone Asia/Kolkata")
        expect(password).to_have_value("")
        people = board.locator(".widget-select-multiple select").first
        expect(people.locator("option")).not_to_have_count(0)
        shots.take(login, "02_connected")

        # 3. Pick two weeks of March 2025 and Fetch: the chart appears.
        days = board.locator(".widget-datepicker input[type=date]")
        days.nth(0).fill("2025-03-03")
        days.nth(1).fill("2025-03-16")
        board.locator("button.jupyter-button", has_text="Fetch").click()
        chart = board.locator(".widget-output img")
        expect(chart).to_be_visible()
        expect(
            board.get_by_text("2025-03-03 to 2025-03-16 (Asia/Kolkata)")
        ).to_be_visible()
        assert chart.evaluate("img => img.naturalWidth") > 500
        expect(board.locator(".widget-output table")).to_be_visible()
        shots.take(board, "03_fetched")

        # 4. Group by person: the chart is redrawn in place.
        before = chart.get_attribute("src")
        board.locator("button.jupyter-button", has_text="Person").click()
        expect(chart).not_to_have_attribute("src", before or "")
        expect(
            board.locator(".widget-output table th", has_text="person")
        ).to_be_visible()
        shots.take(board, "04_by_person")
    except BaseException:
        shots.take(page, "failure")
        print("browser console:", *tab.console[-40:], sep="\n  ")
        raise
    finally:
        print(f"browser flow: {time.monotonic() - started:.1f} s; screenshots:")
        for path in shots.saved:
            print(f"  {path}")
