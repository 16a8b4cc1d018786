"""The benchmark suite: tt_notebook against the obvious script and the limit.

Run with ``make bench`` (or ``python benchmarks/run.py``). Every case is
measured in the same run as its baseline, several times, and reported as the
median; ratios are what the targets are about. Writes ``build/bench.json``
and ``build/bench.md``. See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import math
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import requests

import tt_notebook as tt
from tt_notebook import api
from tt_notebook.config import Secret, Settings
from tt_notebook.frames import worklogs_from_json
from tt_notebook.session import build_session

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
API = "/timetracker/api/latest/public"
TOKEN = "demo-token"
WORKERS = 4
PAGE = 1000


# Helpers --------------------------------------------------------------------


@contextmanager
def served(kind: str, latency: float) -> Iterator[tuple[str, int]]:
    """Serve organisation ``kind`` from another process (its own GIL)."""
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "orgs.py"), kind, str(latency)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    match = re.match(r"URL (\S+) WORKLOGS (\d+)", line)
    if not match:
        proc.kill()
        raise SystemExit(f"benchmark server did not start: {line!r}")
    try:
        yield match[1], int(match[2])
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def median_time(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median wall time of ``repeat`` calls, and the last call's result."""
    times, result = [], None
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def session_for(url: str, zone: str = "UTC", cache: Path | None = None) -> Any:
    """A fresh client session with its own empty cache (unless given one)."""
    folder = cache or Path(tempfile.mkdtemp(prefix="tt_bench_"))
    return build_session(
        Settings(token=Secret(TOKEN), timezone=zone, base_url=url, cache_dir=folder)
    )


def obvious_script(url: str, start: str, end: str) -> pd.DataFrame:
    """What a user writes without us: a startAt loop and json_normalize."""
    http = requests.Session()
    http.headers.update(
        {"x-everit-api-key": TOKEN, "x-requested-by": "script", "x-timezone": "UTC"}
    )
    frames, start_at = [], 0
    while True:
        page = http.post(
            url + API + "/report/details",
            json={
                "startDate": start,
                "endDate": end,
                "startAt": start_at,
                "maxResults": PAGE,
            },
            timeout=60,
        ).json()
        frames.append(pd.json_normalize(page["values"]))
        start_at += page["maxResults"]
        if start_at >= page["total"]:
            return pd.concat(frames, ignore_index=True)


class MissCounter(logging.Handler):
    """Counts the details pages the client asked the service for."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.misses = 0

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if "/report/details" in text and "cache=miss" in text:
            self.misses += 1


# Cases ----------------------------------------------------------------------


def cold_fetch(kind: str, latency: float, repeat: int) -> dict[str, Any]:
    """Cold and warm fetch of a year against the obvious script and the limit."""
    with served(kind, latency) as (url, worklogs):
        start, end = "2025-01-01", "2025-12-31"
        script, df0 = median_time(lambda: obvious_script(url, start, end), repeat)

        def ours() -> pd.DataFrame:
            return tt.fetch_worklogs(
                start, end, session=session_for(url), progress=False
            )

        cold, df = median_time(ours, repeat)
        session = session_for(url)
        tt.fetch_worklogs(start, end, session=session, progress=False)
        warm, _ = median_time(
            lambda: tt.fetch_worklogs(start, end, session=session, progress=False),
            repeat,
        )
    if len(df) != len(df0) or len(df) != worklogs:
        raise SystemExit(f"row counts differ: {len(df)} {len(df0)} {worklogs}")
    pages = math.ceil(worklogs / PAGE)
    limit = math.ceil(pages / WORKERS) * latency
    return {
        "worklogs": worklogs,
        "script_s": script,
        "cold_s": cold,
        "warm_s": warm,
        "limit_s": limit,
        "speedup_vs_script": script / cold,
        "cold_vs_limit": cold / limit,
        "warm_vs_cold": warm / cold,
    }


def new_worklog_today(latency: float) -> dict[str, Any]:
    """After one new worklog today, a year's report asks only this month."""
    counter = MissCounter()
    logger = logging.getLogger("tt_notebook.api")
    logger.addHandler(counter)
    logger.setLevel(logging.DEBUG)
    try:
        with served("recent", latency) as (url, _):
            session = session_for(url)
            today = pd.Timestamp.now(tz="UTC").date()
            first = today - pd.Timedelta(days=364)
            tt.fetch_worklogs(first, today, session=session, progress=False)
            cold_pages = counter.misses
            issue = api.details_report(
                session, api.DetailsQuery.build(today.replace(day=1), today)
            )
            issue_id = (issue[0]["issue"]["id"]) if issue else 20001
            member = build_session(
                Settings(
                    token=Secret("demo-member-token"),
                    timezone="UTC",
                    base_url=url,
                    cache_dir=session.settings.cache_dir,
                )
            )
            api.create_worklog(member, issue_id=issue_id, work_date=today, duration=900)
            counter.misses = 0
            df = tt.fetch_worklogs(first, today, session=session, progress=False)
            this_month = today.replace(day=1)
            month_rows = int((df["date"] >= pd.Timestamp(this_month)).sum())
    finally:
        logger.removeHandler(counter)
    return {
        "cold_pages": cold_pages,
        "pages_after_write": counter.misses,
        "current_month_pages": math.ceil(month_rows / PAGE),
    }


def normalise(repeat: int) -> dict[str, Any]:
    """1,000,000 worklogs from JSON bytes already in memory into a frame."""
    with served("huge", 0.0) as (url, worklogs):
        http = requests.Session()
        http.headers.update(
            {"x-everit-api-key": TOKEN, "x-requested-by": "bench", "x-timezone": "UTC"}
        )
        pages = []
        for start_at in range(0, worklogs, PAGE):
            response = http.post(
                url + API + "/report/details",
                json={
                    "startDate": "2025-01-01",
                    "endDate": "2025-12-31",
                    "startAt": start_at,
                    "maxResults": PAGE,
                },
                timeout=60,
            )
            pages.append(response.content)
    rows = worklogs

    def parse_only() -> int:
        return sum(len(json.loads(p)["values"]) for p in pages)

    def ours() -> pd.DataFrame:
        return worklogs_from_json(pages, "Europe/Budapest")

    def normalize() -> pd.DataFrame:
        return pd.concat(
            [pd.json_normalize(json.loads(p)["values"]) for p in pages],
            ignore_index=True,
        )

    parse, _ = median_time(parse_only, repeat)
    mine, frame = median_time(ours, repeat)
    theirs, frame0 = median_time(normalize, max(1, repeat - 1))
    if len(frame) != rows or len(frame0) != rows:
        raise SystemExit(f"normalised {len(frame)} and {len(frame0)} of {rows} rows")
    ours_bytes = frame.memory_usage(deep=True).sum() / rows
    their_bytes = frame0.memory_usage(deep=True).sum() / rows
    return {
        "rows": rows,
        "parse_s": parse,
        "ours_s": mine,
        "json_normalize_s": theirs,
        "ours_vs_parse": mine / parse,
        "speedup_vs_json_normalize": theirs / mine,
        "bytes_per_row": ours_bytes,
        "json_normalize_bytes_per_row": their_bytes,
        "memory_vs_json_normalize": ours_bytes / their_bytes,
        "frame": frame,
    }


def accessor(frame: pd.DataFrame, repeat: int) -> dict[str, Any]:
    """``df.tt`` daily totals and a person-by-week pivot against plain pandas.

    The plain version is what a user writes by hand: a groupby on the local
    day, and one on account id and ISO week unstacked into a table.
    """

    def plain() -> Any:
        daily = frame.groupby("date")["hours"].sum()
        monday = frame["date"] - pd.to_timedelta(frame["date"].dt.dayofweek, "D")
        pivot = (
            frame.groupby(["author_id", monday], observed=True)["hours"]
            .sum()
            .unstack(fill_value=0.0)
        )
        return daily, pivot

    def ours() -> Any:
        return frame.tt.totals(freq="D"), frame.tt.pivot("author", "week")

    base, _ = median_time(plain, repeat)
    mine, _ = median_time(ours, repeat)
    return {"plain_s": base, "ours_s": mine, "ours_vs_plain": mine / base}


def import_time(repeat: int) -> dict[str, Any]:
    """``import tt_notebook`` against ``import pandas``, each in a new process."""

    def run(module: str) -> float:
        code = (
            f"import time; t = time.perf_counter(); import {module}; "
            "print(time.perf_counter() - t)"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        return float(out.stdout)

    pandas = statistics.median(run("pandas") for _ in range(repeat))
    ours = statistics.median(run("tt_notebook") for _ in range(repeat))
    return {"pandas_s": pandas, "tt_notebook_s": ours, "ratio": ours / pandas}


# Report ---------------------------------------------------------------------

TARGETS = [
    ("cold fetch, demo year", "demo", "speedup_vs_script", ">=", 4.0, "x vs script"),
    ("cold fetch, demo year", "demo", "cold_vs_limit", "<=", 1.5, "x the limit"),
    ("cold fetch, 200k", "big", "speedup_vs_script", ">=", 4.0, "x vs script"),
    ("cold fetch, 200k", "big", "cold_vs_limit", "<=", 1.5, "x the limit"),
    ("warm re-run, demo year", "demo", "warm_vs_cold", "<=", 0.05, "of cold"),
    ("warm re-run, 200k", "big", "warm_vs_cold", "<=", 0.05, "of cold"),
    ("normalise 1M", "normalise", "ours_vs_parse", "<=", 2.0, "x json.loads"),
    (
        "normalise 1M",
        "normalise",
        "speedup_vs_json_normalize",
        ">=",
        3.0,
        "x vs json_normalize",
    ),
    (
        "memory of the frame",
        "normalise",
        "memory_vs_json_normalize",
        "<=",
        0.40,
        "of json_normalize",
    ),
    ("df.tt on 1M", "accessor", "ours_vs_plain", "<=", 1.2, "x plain pandas"),
    ("import tt_notebook", "import", "ratio", "<=", 1.3, "x import pandas"),
]


def markdown(results: dict[str, Any]) -> str:
    """The results as a Markdown table of medians, ratios and targets."""
    lines = [
        "| case | measured | target | met |",
        "| --- | --- | --- | --- |",
    ]
    for name, key, field, op, target, unit in TARGETS:
        if key not in results:
            continue
        value = results[key][field]
        met = value >= target if op == ">=" else value <= target
        lines.append(
            f"| {name} | {value:.3g} {unit} | {op} {target:g} | "
            f"{'yes' if met else 'NO'} |"
        )
    today = results.get("today")
    if today:
        met = today["pages_after_write"] <= today["current_month_pages"]
        lines.append(
            f"| year after one new worklog today | {today['pages_after_write']} "
            f"pages (cold: {today['cold_pages']}) | only this month's "
            f"({today['current_month_pages']}) | {'yes' if met else 'NO'} |"
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.05, help="seconds")
    parser.add_argument("--repeat", type=int, default=3, help="runs per case")
    parser.add_argument("--out", type=Path, default=ROOT / "build")
    parser.add_argument(
        "--only",
        nargs="*",
        default=None,
        help="cases: demo big today normalise accessor import",
    )
    args = parser.parse_args()
    chosen = set(
        args.only or ["demo", "big", "today", "normalise", "accessor", "import"]
    )
    results: dict[str, Any] = {"latency_s": args.latency, "repeat": args.repeat}
    started = time.perf_counter()

    if "demo" in chosen:
        results["demo"] = cold_fetch("demo", args.latency, args.repeat)
        print("demo", json.dumps(results["demo"]), flush=True)
    if "big" in chosen:
        results["big"] = cold_fetch("big", args.latency, args.repeat)
        print("big", json.dumps(results["big"]), flush=True)
    if "today" in chosen:
        results["today"] = new_worklog_today(args.latency)
        print("today", json.dumps(results["today"]), flush=True)
    if "normalise" in chosen or "accessor" in chosen:
        norm = normalise(args.repeat)
        frame = norm.pop("frame")
        if "normalise" in chosen:
            results["normalise"] = norm
            print("normalise", json.dumps(norm), flush=True)
        if "accessor" in chosen:
            results["accessor"] = accessor(frame, args.repeat)
            print("accessor", json.dumps(results["accessor"]), flush=True)
        del frame
    if "import" in chosen:
        results["import"] = import_time(max(5, args.repeat))
        print("import", json.dumps(results["import"]), flush=True)

    results["total_s"] = time.perf_counter() - started
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.json").write_text(json.dumps(results, indent=2))
    table = markdown(results)
    (args.out / "bench.md").write_text(table)
    print(table)
    print(
        f"wrote {args.out / 'bench.json'} and {args.out / 'bench.md'} "
        f"in {results['total_s']:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
