"""Faults on purpose: the plan's rules, and what the server does with them."""

from __future__ import annotations

import http.client
import json
import logging
import re
import signal
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date

import pytest
import requests

from tt_notebook.cli import main as cli_main
from tt_notebook.emulator import (
    DEMO_TOKEN,
    EmulatorServer,
    Fault,
    FaultPlan,
    FaultRecord,
    build_organisation,
)
from tt_notebook.emulator.faults import FaultState
from tt_notebook.emulator.server import _cut

pytestmark = pytest.mark.integration

API = "/timetracker/api/latest/public"
DAY = {"startAt": 0, "startDate": "2025-03-05", "endDate": "2025-03-05"}


@pytest.fixture
def server() -> Iterator[EmulatorServer]:
    """A week of the default organisation, new for each test: faults change it."""
    org = build_organisation(start=date(2025, 3, 3), end=date(2025, 3, 9))
    with EmulatorServer(org) as running:
        yield running


@pytest.fixture
def client() -> Iterator[requests.Session]:
    with requests.Session() as session:
        session.trust_env = False
        session.headers["x-everit-api-key"] = DEMO_TOKEN
        session.headers["x-requested-by"] = "tt-notebook-tests"
        yield session


def details(
    client: requests.Session, server: EmulatorServer, **body: object
) -> requests.Response:
    return client.post(f"{server.url}{API}/report/details", json={**DAY, **body})


def tags(client: requests.Session, server: EmulatorServer) -> requests.Response:
    return client.get(f"{server.url}{API}/tag")


# -- the rules ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "explode"}, "fault kind must be one of"),
        ({"kind": "status"}, "needs status one of"),
        ({"kind": "status", "status": 404}, "needs status one of"),
        ({"kind": "drop", "status": 500}, "status and retry_after are for status"),
        ({"kind": "truncate", "retry_after": "1"}, "are for status faults"),
        ({"kind": "drop", "nth": [1], "times": 2}, "at most one of"),
        ({"kind": "drop", "times": 1, "share": 0.5}, "at most one of"),
        ({"kind": "drop", "nth": [0]}, "request numbers from 1"),
        ({"kind": "drop", "nth": []}, "request numbers from 1"),
        ({"kind": "drop", "times": -1}, "count from 0"),
        ({"kind": "drop", "share": 1.5}, "between 0 and 1"),
        ({"kind": "drop", "method": "FETCH"}, "unknown HTTP method"),
        ({"kind": "drop", "path": "report/details"}, "must start with '/'"),
        (
            {"kind": "status", "status": 429, "retry_after": "1\r\nX-Evil: 1"},
            "one header line",
        ),
        ({"kind": "status", "status": 429, "retry_after": " "}, "non-empty"),
    ],
)
def test_a_bad_fault_is_refused_with_a_reason(
    kwargs: dict[str, object], message: str
) -> None:
    kind = kwargs.pop("kind")
    with pytest.raises(ValueError, match=message):
        Fault(kind, **kwargs)  # type: ignore[arg-type]


def test_fault_fields_are_normalised() -> None:
    fault = Fault("drop", method="post", nth=[5, 2, 5])
    assert fault.method == "POST"
    assert fault.nth == (2, 5)
    assert fault == Fault("drop", method="POST", nth=(2, 5))


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (
            "status=429,path=/report/details,times=3,retry_after=0.5",
            Fault(
                "status",
                path="/report/details",
                times=3,
                status=429,
                retry_after="0.5",
            ),
        ),
        ("drop,method=post,nth=2+5", Fault("drop", method="POST", nth=[2, 5])),
        ("kind=truncate, path=/tag", Fault("truncate", path="/tag")),
        ("status=567,share=0.25", Fault("status", status=567, share=0.25)),
        ("create_worklog,nth=2", Fault("create_worklog", nth=[2])),
        (
            "status=503,retry_after=Wed, 21 Oct 2026 07:28:00 GMT,times=1",
            Fault(
                "status",
                status=503,
                times=1,
                retry_after="Wed, 21 Oct 2026 07:28:00 GMT",
            ),
        ),
    ],
)
def test_fault_specs_parse_and_print_back(spec: str, expected: Fault) -> None:
    fault = Fault.from_spec(spec)
    assert fault == expected
    assert Fault.from_spec(fault.spec()) == fault


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("bogus", "expected key=value"),
        ("drop,colour=red", "unknown key 'colour'"),
        ("drop,nth=1,nth=2", "given twice"),
        ("status=abc", "bad fault"),
        ("drop,nth=one", "bad fault"),
        ("", "expected key=value"),
    ],
)
def test_a_bad_fault_spec_is_refused(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Fault.from_spec(spec)


def test_fault_plan_checks_its_numbers() -> None:
    with pytest.raises(ValueError, match="latency must be"):
        FaultPlan(latency=-0.1)
    with pytest.raises(ValueError, match="jitter must be"):
        FaultPlan(jitter=float("nan"))
    with pytest.raises(TypeError, match="must be Fault objects"):
        FaultPlan(["drop"])  # type: ignore[list-item]


def test_jittered_latency_is_the_same_for_a_seed() -> None:
    plan = FaultPlan(latency=0.05, jitter=0.01, seed=1)
    assert [round(plan.delay(n), 6) for n in (1, 2, 3)] == [
        0.051235,
        0.042794,
        0.048348,
    ]
    assert FaultPlan(latency=0.05).delay(7) == 0.05
    assert FaultPlan(latency=0.001, jitter=0.5, seed=3).delay(1) >= 0.0


def test_a_share_picks_the_same_requests_for_a_seed() -> None:
    fault = Fault("status", status=503, share=0.3)
    assert [m for m in range(1, 21) if fault.fires(7, 0, m)] == [5, 10, 15, 17]
    assert [m for m in range(1, 21) if fault.fires(8, 0, m)] != [5, 10, 15, 17]


def test_each_fault_counts_its_own_matches_and_the_first_spoiler_wins() -> None:
    state = FaultState(
        FaultPlan(
            [
                Fault("status", status=503, share=0.3, path="/tag"),
                Fault("drop", path="/tag", nth=[2, 3]),
                Fault("create_worklog", path="/report/details"),
            ],
            seed=7,
        )
    )
    decisions = [state.decide("GET", "/tag", "/tag") for _ in range(6)]
    assert [(d.request, d.response and d.response.kind) for d in decisions] == [
        (1, None),
        (2, "drop"),
        (3, "drop"),
        (4, None),
        (5, "status"),
        (6, None),
    ]
    report = state.decide("POST", "/report/details", "/report/details")
    assert report.request == 7
    assert report.response is None
    assert [(f.kind, index, match) for f, index, match in report.data] == [
        ("create_worklog", 2, 1)
    ]


def test_a_fault_matches_a_route_template_or_a_concrete_path() -> None:
    template = Fault("drop", path="/tag/{worklogTagId}")
    concrete = Fault("drop", path="/tag/3")
    assert template.matches("PUT", "/tag/3", "/tag/{worklogTagId}")
    assert concrete.matches("PUT", "/tag/3", "/tag/{worklogTagId}")
    assert not concrete.matches("PUT", "/tag/4", "/tag/{worklogTagId}")
    assert not Fault("drop", method="GET").matches("POST", "/tag", "/tag")


# -- status faults ------------------------------------------------------------


def test_429_with_retry_after_for_the_first_requests_then_the_real_answer(
    server: EmulatorServer, client: requests.Session
) -> None:
    server.set_faults(
        FaultPlan(
            [
                Fault(
                    "status",
                    path="/report/details",
                    times=2,
                    status=429,
                    retry_after="0.5",
                )
            ]
        )
    )
    first, second, third = (details(client, server) for _ in range(3))
    assert (first.status_code, second.status_code, third.status_code) == (429, 429, 200)
    assert first.headers["Retry-After"] == "0.5"
    assert first.json() == {"message": "Too many requests; retry later."}
    assert third.json()["total"] == 88
    assert server.fault_log == [
        FaultRecord("status", "POST", "/report/details", 1, 429),
        FaultRecord("status", "POST", "/report/details", 2, 429),
    ]


@pytest.mark.parametrize(
    ("status", "text"),
    [
        (500, "Internal server error."),
        (502, "Bad gateway."),
        (503, "Service unavailable; retry later."),
        (504, "Gateway timeout."),
        (567, "Worklog synchronization between Jira and Timetracker is not complete."),
    ],
)
def test_each_injected_status_has_a_json_message(
    server: EmulatorServer, client: requests.Session, status: int, text: str
) -> None:
    server.set_faults(FaultPlan([Fault("status", status=status, nth=[1])]))
    response = tags(client, server)
    assert response.status_code == status
    assert response.json() == {"message": text}
    assert "Retry-After" not in response.headers
    assert tags(client, server).status_code == 200


@pytest.mark.parametrize("value", ["2", "0.25", "Wed, 21 Oct 2026 07:28:00 GMT"])
def test_retry_after_is_sent_as_given(
    server: EmulatorServer, client: requests.Session, value: str
) -> None:
    server.set_faults(FaultPlan([Fault("status", status=503, retry_after=value)]))
    assert tags(client, server).headers["Retry-After"] == value


def test_a_status_fault_replaces_the_route_so_nothing_is_written(
    server: EmulatorServer, client: requests.Session
) -> None:
    before = len(server.org.worklogs)
    server.set_faults(FaultPlan([Fault("status", method="POST", status=500)]))
    response = client.post(
        f"{server.url}{API}/worklog",
        json={"issueId": 20001, "workDate": "2025-03-05", "durationInSeconds": 600},
        headers={"x-everit-on-behalf-account": server.org.people[0].account_id},
    )
    assert response.status_code == 500
    assert len(server.org.worklogs) == before


def test_faults_come_before_authentication(server: EmulatorServer) -> None:
    server.set_faults(FaultPlan([Fault("status", status=503, nth=[1])]))
    with requests.Session() as anonymous:
        anonymous.trust_env = False
        assert anonymous.get(f"{server.url}{API}/tag").status_code == 503
        assert anonymous.get(f"{server.url}{API}/tag").status_code == 401


def test_method_and_path_narrow_what_a_fault_matches(
    server: EmulatorServer, client: requests.Session
) -> None:
    server.set_faults(
        FaultPlan([Fault("status", method="GET", path="/worklog", status=502)])
    )
    assert tags(client, server).status_code == 200
    assert details(client, server).status_code == 200
    got = client.get(f"{server.url}{API}/worklog", params={"worklogId": 1})
    assert got.status_code == 502
    assert [(r.request, r.path) for r in server.fault_log] == [(3, "/worklog")]


def test_the_openapi_document_is_never_spoilt(
    server: EmulatorServer, client: requests.Session
) -> None:
    server.set_faults(FaultPlan([Fault("status", status=503)]))
    assert client.get(f"{server.url}/openapi.json").status_code == 200
    assert server.fault_log == []


# -- spoilt answers -----------------------------------------------------------


def raw_request(port: int, body: dict[str, object]) -> http.client.HTTPConnection:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request(
        "POST",
        f"{API}/report/details",
        body=json.dumps(body),
        headers={
            "x-everit-api-key": DEMO_TOKEN,
            "x-requested-by": "tests",
            "Content-Type": "application/json",
        },
    )
    return connection


def test_a_dropped_answer_has_the_real_head_and_half_a_body(
    server: EmulatorServer,
) -> None:
    server.set_faults(FaultPlan([Fault("drop", path="/report/details", nth=[1])]))
    connection = raw_request(server.port, {**DAY, "maxResults": 5})
    response = connection.getresponse()
    assert response.status == 200
    length = int(response.headers["Content-Length"])
    with pytest.raises(http.client.IncompleteRead) as info:
        response.read()
    assert len(info.value.partial) == length // 2
    connection.close()
    assert server.fault_log == [FaultRecord("drop", "POST", "/report/details", 1, 200)]


def test_requests_sees_a_dropped_answer_as_a_broken_connection(
    server: EmulatorServer, client: requests.Session
) -> None:
    server.set_faults(FaultPlan([Fault("drop", path="/tag", nth=[1])]))
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        tags(client, server)
    assert tags(client, server).status_code == 200


def test_a_dropped_error_answer_keeps_its_status(
    server: EmulatorServer, client: requests.Session
) -> None:
    server.set_faults(FaultPlan([Fault("drop", path="/report/details")]))
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        details(client, server, startAt=-1)
    assert server.fault_log == [FaultRecord("drop", "POST", "/report/details", 1, 400)]


def test_a_truncated_answer_is_complete_per_http_but_not_json(
    server: EmulatorServer,
) -> None:
    server.set_faults(FaultPlan([Fault("truncate", path="/report/details", nth=[1])]))
    connection = raw_request(server.port, {**DAY, "maxResults": 5})
    response = connection.getresponse()
    body = response.read()
    assert response.status == 200
    assert int(response.headers["Content-Length"]) == len(body) == 1092
    assert body.startswith(b'{"total":88,"startAt":0,"maxResults":5,')
    with pytest.raises(ValueError, match=r"Unterminated|Expecting"):
        json.loads(body)

    # The connection stays usable: the next answer is whole.
    connection.request("GET", f"{API}/tag", headers={"x-everit-api-key": DEMO_TOKEN})
    assert len(json.loads(connection.getresponse().read())["worklogTags"]) == 10
    connection.close()
    assert server.fault_log == [
        FaultRecord("truncate", "POST", "/report/details", 1, 200)
    ]


def test_truncation_of_an_error_still_answers_200(
    server: EmulatorServer,
) -> None:
    server.set_faults(FaultPlan([Fault("truncate")]))
    with requests.Session() as anonymous:
        anonymous.trust_env = False
        response = anonymous.get(f"{server.url}{API}/tag")
    assert response.status_code == 200
    # Half of the 57 bytes of {"message":"Missing or unknown x-...}.
    assert response.content == b'{"message":"Missing or unkno'


def test_a_truncated_body_ends_on_a_whole_utf8_character() -> None:
    # Half of these 4 bytes ends inside the two-byte "Á": the cut backs off.
    assert _cut("aÁb".encode()) == b"a"
    assert _cut(b"abcd") == b"ab"
    assert _cut(b"") == b""


# -- data that changes between pages -------------------------------------------


def test_a_worklog_created_between_two_pages_shifts_the_total(
    server: EmulatorServer, client: requests.Session
) -> None:
    server.set_faults(
        FaultPlan([Fault("create_worklog", path="/report/details", nth=[2])])
    )
    first = details(client, server, maxResults=50).json()
    second = details(client, server, startAt=50, maxResults=50).json()
    assert (first["total"], second["total"]) == (88, 89)
    assert server.fault_log == [
        FaultRecord("create_worklog", "POST", "/report/details", 2, 200, 390)
    ]
    copy = server.org.worklog(390)
    original = server.org.worklog(194)
    assert copy.start == original.start
    assert (copy.author_id, copy.issue_id, copy.duration_seconds) == (
        original.author_id,
        original.issue_id,
        original.duration_seconds,
    )


def test_a_worklog_deleted_between_two_pages_shifts_the_total(
    server: EmulatorServer, client: requests.Session
) -> None:
    server.set_faults(
        FaultPlan([Fault("delete_worklog", path="/report/details", nth=[2])])
    )
    first = details(client, server, maxResults=50).json()
    second = details(client, server, startAt=50, maxResults=50).json()
    assert (first["total"], second["total"]) == (88, 87)
    assert server.fault_log == [
        FaultRecord("delete_worklog", "POST", "/report/details", 2, 200, 194)
    ]
    with pytest.raises(KeyError):
        server.org.worklog(194)


def test_a_created_worklog_matches_the_filters_of_the_request(
    server: EmulatorServer, client: requests.Session
) -> None:
    person = server.org.people[3].account_id
    server.set_faults(FaultPlan([Fault("create_worklog", nth=[1])], seed=5))
    body = details(client, server, users=[person], filterBillable=True).json()
    created = server.fault_log[0].worklog_id
    assert created is not None
    assert server.org.worklog(created).author_id == person
    assert server.org.worklog(created).billable is True
    assert created in [v["worklog"]["id"] for v in body["values"]]


def test_a_created_worklog_in_an_empty_range_starts_at_its_first_midnight(
    server: EmulatorServer, client: requests.Session
) -> None:
    server.set_faults(FaultPlan([Fault("create_worklog")]))
    body = details(client, server, startDate="2025-06-01", endDate="2025-06-01").json()
    assert body["total"] == 1
    assert body["values"][0]["worklog"]["startTime"] == "2025-06-01T00:00:00.000Z"
    assert body["values"][0]["worklog"]["description"] == "Added while you were paging"


def test_data_faults_also_change_summary_and_fillchecker(
    server: EmulatorServer, client: requests.Session
) -> None:
    server.set_faults(FaultPlan([Fault("delete_worklog", times=2)]))
    client.post(f"{server.url}{API}/report/summary", json=DAY)
    client.post(
        f"{server.url}{API}/report/fillchecker",
        json={
            "dateFrom": "2025-03-05",
            "dateUntil": "2025-03-05",
            "groups": ["support"],
        },
    )
    assert [(r.kind, r.path) for r in server.fault_log] == [
        ("delete_worklog", "/report/summary"),
        ("delete_worklog", "/report/fillchecker"),
    ]


def test_data_faults_do_nothing_on_other_routes_or_refused_requests(
    server: EmulatorServer, client: requests.Session
) -> None:
    before = len(server.org.worklogs)
    server.set_faults(FaultPlan([Fault("delete_worklog")]))
    tags(client, server)
    details(client, server, startAt=-1)
    assert server.fault_log == []
    assert len(server.org.worklogs) == before


# -- latency, logs and the plan's life ----------------------------------------


def test_latency_delays_every_api_request(
    server: EmulatorServer, client: requests.Session
) -> None:
    server.set_faults(FaultPlan(latency=0.2))
    started = time.perf_counter()
    tags(client, server)
    assert time.perf_counter() - started >= 0.2
    assert server.fault_log == []


def test_the_same_plan_and_requests_give_the_same_faults(
    client: requests.Session,
) -> None:
    plan = FaultPlan(
        [Fault("status", status=503, share=0.4), Fault("truncate", share=0.3)],
        seed=11,
    )
    logs = []
    for _ in range(2):
        org = build_organisation(start=date(2025, 3, 3), end=date(2025, 3, 4))
        with EmulatorServer(org, faults=plan) as server:
            for _ in range(12):
                tags(client, server)
            logs.append([(r.kind, r.request) for r in server.fault_log])
    assert logs[0] == logs[1]
    assert logs[0] == [
        ("status", 1),
        ("status", 3),
        ("status", 6),
        ("truncate", 8),
        ("truncate", 9),
    ]


def test_set_faults_restarts_the_count_and_clear_log_empties_both_logs(
    server: EmulatorServer, client: requests.Session
) -> None:
    plan = FaultPlan([Fault("status", status=503, nth=[1])])
    server.set_faults(plan)
    assert server.faults is plan
    tags(client, server)
    server.set_faults(plan)
    assert tags(client, server).status_code == 503
    assert [r.request for r in server.fault_log] == [1, 1]
    server.clear_log()
    assert server.fault_log == []
    assert server.requests_log == []
    server.set_faults(None)
    assert server.faults == FaultPlan()
    assert tags(client, server).status_code == 200


def test_faults_are_logged_at_info_without_tokens(
    server: EmulatorServer, client: requests.Session, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="tt_notebook.emulator"):
        server.set_faults(FaultPlan([Fault("status", status=429, times=1)]))
        tags(client, server)
    assert "fault plan: status=429,times=1; latency 0.000 s" in caplog.text
    assert "injected fault status on GET /tag (request 1, status 429)" in caplog.text
    assert DEMO_TOKEN not in caplog.text


def test_a_client_that_resets_mid_request_is_logged_at_debug_only(
    server: EmulatorServer,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    with caplog.at_level(logging.DEBUG, logger="tt_notebook.emulator"):
        sock = socket.create_connection(("127.0.0.1", server.port))
        sock.sendall(b"POST /x HTTP/1.1\r\nContent-Length: 1000\r\n\r\n{")
        time.sleep(0.1)
        # Linger 0: close sends a reset instead of a polite end.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()
        deadline = time.monotonic() + 5
        while "connection ended early" not in caplog.text:
            assert time.monotonic() < deadline, caplog.text
            time.sleep(0.02)
    assert "connection ended early: ConnectionResetError" in caplog.text
    assert "Traceback" not in capfd.readouterr().err


# -- the command line -----------------------------------------------------------


def test_the_command_line_refuses_a_bad_fault(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as info:
        cli_main(["demo-server", "--fault", "status=404"])
    assert info.value.code == 2
    assert (
        "needs status one of (429, 500, 502, 503, 504, 567)" in capsys.readouterr().err
    )


def test_demo_server_flags_set_the_fault_plan() -> None:
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tt_notebook.cli",
            "demo-server",
            "--port=0",
            "--seed=7",
            "--latency=0.01",
            "--fault-seed=3",
            "--fault",
            "status=429,path=/tag,times=1,retry_after=0.5",
            "--fault",
            "truncate,path=/tag,nth=2",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
    )
    try:
        assert child.stdout is not None
        lines = [child.stdout.readline() for _ in range(10)]
        url = re.search(r"http://127\.0\.0\.1:[0-9]+", lines[0])
        assert url is not None
        assert lines[6:10] == [
            "Faults (seed 3): latency 0.01 s, jitter 0 s\n",
            "  --fault status=429,path=/tag,times=1,retry_after=0.5\n",
            "  --fault truncate,path=/tag,nth=2\n",
            "Press Ctrl-C to stop.\n",
        ]
        with requests.Session() as session:
            session.trust_env = False
            session.headers["x-everit-api-key"] = DEMO_TOKEN
            answers = [session.get(url[0] + API + "/tag") for _ in range(3)]
        assert [a.status_code for a in answers] == [429, 200, 200]
        assert answers[0].headers["Retry-After"] == "0.5"
        assert len(answers[1].content) < len(answers[2].content)
        child.send_signal(signal.SIGINT)
        assert child.wait(timeout=10) == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
