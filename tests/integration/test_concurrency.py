"""Many threads and two other processes on one cache file."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import SessionFactory
from tt_notebook import api
from tt_notebook.emulator import EmulatorServer

pytestmark = pytest.mark.integration

ROUNDS = 5
WEEKS = [(dt.date(2025, 5, 5) + dt.timedelta(weeks=i)).isoformat() for i in range(8)]

CHILD = textwrap.dedent(
    """
    import datetime as dt, json, sys
    from pathlib import Path
    from tt_notebook import api
    from tt_notebook.config import Secret, Settings
    from tt_notebook.session import build_session

    url, cache, rounds = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    weeks = json.loads(sys.argv[4])
    settings = Settings(token=Secret("demo-token"), timezone="Europe/Warsaw",
                        base_url=url, cache_dir=cache)
    counts = {}
    with build_session(settings) as session:
        for n in range(rounds):
            for week in weeks:
                end = dt.date.fromisoformat(week) + dt.timedelta(days=6)
                query = api.DetailsQuery.build(week, end)
                rows = api.details_report(
                    session, query, progress=False, refresh=n % 2 == 1
                )
                counts.setdefault(week, set()).add(len(rows))
    print(json.dumps({k: sorted(v) for k, v in counts.items()}))
    """
)


def test_eight_threads_and_two_processes_share_one_cache_file(
    emulator: EmulatorServer, make_session: SessionFactory, tmp_path: Path
) -> None:
    cache = tmp_path / "shared"
    session = make_session("Europe/Warsaw", cache_dir=cache)
    expected = {
        week: len(
            api.details_report(
                session,
                api.DetailsQuery.build(
                    week, dt.date.fromisoformat(week) + dt.timedelta(days=6)
                ),
                progress=False,
            )
        )
        for week in WEEKS
    }

    # 1. Two other processes hammer the same file, half their rounds
    #    bypassing the cache so that they write too.
    children = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                CHILD,
                emulator.url,
                str(cache),
                str(ROUNDS),
                json.dumps(WEEKS),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]

    # 2. Meanwhile eight threads share one session in this process.
    def work(n: int) -> dict[str, int]:
        seen = {}
        for week in WEEKS:
            end = dt.date.fromisoformat(week) + dt.timedelta(days=6)
            rows = api.details_report(
                session,
                api.DetailsQuery.build(week, end),
                progress=False,
                refresh=n % 3 == 0,
                workers=2,
            )
            seen[week] = len(rows)
        return seen

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(work, range(8 * ROUNDS)))
    assert all(r == expected for r in results)

    # 3. The children saw the same counts every round, without errors.
    for child in children:
        out, err = child.communicate(timeout=300)
        assert child.returncode == 0, err
        assert json.loads(out) == {w: [n] for w, n in expected.items()}

    # 4. Every stored entry still reads back as a whole JSON answer.
    stored = list(session.http.cache.responses.values())
    assert len(stored) >= len(WEEKS)
    for response in stored:
        assert isinstance(response.json(), dict)
