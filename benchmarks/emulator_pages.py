"""How fast the emulator serves 1,000-row details pages.

Starts the emulator (the seeded year 2025, 18,971 worklogs) in a process of
its own, as ``tt-notebook demo-server`` runs it, or in this process with
``--same-process``, as ``tt_notebook.demo()`` runs it. Then it asks for
1,000-row pages of the whole year over loopback, each worker on one
keep-alive connection, and prints pages per second with the median and 95th
percentile latency. A first pass over the year's 19 pages fills the
emulator's caches and is reported on its own line; the timed loop follows.
Bounded in count and time: it stops after ``--pages`` pages or
``--max-seconds``, whichever comes first, and never talks to anything but the
emulator it started on 127.0.0.1.

Usage::

    .venv/bin/python benchmarks/emulator_pages.py
    .venv/bin/python benchmarks/emulator_pages.py --workers 4 --pages 1000
    .venv/bin/python benchmarks/emulator_pages.py --same-process
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

API = "/timetracker/api/latest/public"
TOKEN = "demo-token"
PAGE = 1000
YEAR_PAGES = 19  # 18,971 worklogs in 2025


@contextmanager
def emulator(same_process: bool) -> Iterator[int]:
    """Start the emulator on a free loopback port; yield the port."""
    if same_process:
        from tt_notebook.emulator import EmulatorServer

        with EmulatorServer() as server:
            yield server.port
        return
    child = subprocess.Popen(
        [sys.executable, "-m", "tt_notebook.cli", "demo-server", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert child.stdout is not None
        for line in child.stdout:
            found = re.search(r"http://127\.0\.0\.1:([0-9]+)", line)
            if found:
                port = int(found[1])
                break
        else:
            raise SystemExit("the emulator did not start")
        # Wait for the banner's end, so the server is surely serving.
        for line in child.stdout:
            if line.startswith("Press Ctrl-C"):
                break
        yield port
    finally:
        child.send_signal(signal.SIGINT)
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def body(page: int) -> bytes:
    return json.dumps(
        {
            "startAt": (page % YEAR_PAGES) * PAGE,
            "maxResults": PAGE,
            "startDate": "2025-01-01",
            "endDate": "2025-12-31",
            "orderBy": "worklogStartTime",
        }
    ).encode()


def fetch(connection: http.client.HTTPConnection, page: int) -> tuple[float, int]:
    """Ask for one page; return its latency in seconds and its size."""
    headers = {
        "x-everit-api-key": TOKEN,
        "x-requested-by": "benchmark",
        "x-timezone": "Europe/Budapest",
        "Content-Type": "application/json",
    }
    started = time.perf_counter()
    connection.request(
        "POST", f"{API}/report/details", body=body(page), headers=headers
    )
    response = connection.getresponse()
    data = response.read()
    elapsed = time.perf_counter() - started
    if response.status != 200:
        raise SystemExit(f"page {page}: HTTP {response.status}: {data[:200]!r}")
    return elapsed, len(data)


def run(port: int, pages: int, workers: int, max_seconds: float) -> None:
    # 1. A first pass over the year, on one connection, caches cold.
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    started = time.perf_counter()
    first = [fetch(connection, page) for page in range(YEAR_PAGES)]
    cold = time.perf_counter() - started
    connection.request(
        "POST",
        f"{API}/report/details",
        body=body(0),
        headers={"x-everit-api-key": TOKEN, "x-requested-by": "benchmark"},
    )
    check = json.loads(connection.getresponse().read())
    assert len(check["values"]) == PAGE, "a full page must have 1,000 rows"
    connection.close()
    print(
        f"first pass: {YEAR_PAGES} pages in {cold:.2f} s "
        f"({YEAR_PAGES / cold:.0f} pages/s, caches cold), "
        f"{sum(size for _, size in first) / YEAR_PAGES / 1e3:.0f} kB per page"
    )

    # 2. The timed loop: each worker takes the next page number until done.
    latencies: list[float] = []
    sizes: list[int] = []
    lock = threading.Lock()
    counter = iter(range(pages))
    deadline = time.perf_counter() + max_seconds

    def work() -> None:
        own = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            while time.perf_counter() < deadline:
                with lock:
                    page = next(counter, None)
                if page is None:
                    return
                elapsed, size = fetch(own, page)
                with lock:
                    latencies.append(elapsed)
                    sizes.append(size)
        finally:
            own.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started

    # 3. The figures.
    latencies.sort()
    p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)]
    print(
        f"{len(latencies)} pages of {PAGE} rows with {workers} worker(s) "
        f"in {wall:.2f} s: {len(latencies) / wall:.0f} pages/s, "
        f"{len(latencies) * PAGE / wall:,.0f} rows/s, "
        f"{sum(sizes) / wall / 1e6:.0f} MB/s"
    )
    print(
        f"latency per page: median {1000 * statistics.median(latencies):.1f} ms, "
        f"p95 {1000 * p95:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=3000, help="pages to time")
    parser.add_argument("--workers", type=int, default=1, help="parallel connections")
    parser.add_argument(
        "--max-seconds", type=float, default=40.0, help="stop the timed loop then"
    )
    parser.add_argument(
        "--same-process",
        action="store_true",
        help="run the emulator in this process, as tt_notebook.demo() does",
    )
    args = parser.parse_args()
    where = "this process" if args.same_process else "its own process"
    print(f"emulator in {where}; 1,000-row pages of the year 2025 over loopback")
    with emulator(args.same_process) as port:
        run(port, args.pages, args.workers, args.max_seconds)


if __name__ == "__main__":
    main()
