"""The read retry policy: Retry-After in every form, clamping, the time budget."""

import time
from email.utils import formatdate

import pytest
from urllib3.exceptions import MaxRetryError
from urllib3.response import HTTPResponse

from tt_notebook import session as session_module
from tt_notebook.session import is_read_request, read_retry


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("3", 3.0),
        ("0.5", 0.5),
        (" 1.25 ", 1.25),
        ("0", 0.0),
        ("-4", 0.0),
        ("soon", 0.0),
        ("nan", 0.0),
        ("3600", 60.0),
    ],
)
def test_retry_after_seconds_are_parsed_and_clamped(
    header: str, expected: float
) -> None:
    assert read_retry().parse_retry_after(header) == expected


def test_retry_after_http_date_is_honoured() -> None:
    in_ten = formatdate(time.time() + 10, usegmt=True)
    assert 8.0 <= read_retry().parse_retry_after(in_ten) <= 10.0
    long_ago = formatdate(time.time() - 3600, usegmt=True)
    assert read_retry().parse_retry_after(long_ago) == 0.0


def test_the_policy_survives_urllib3_copying_it() -> None:
    retry = read_retry(budget=7.5).new(total=2)
    assert retry.budget == 7.5
    assert retry.parse_retry_after("0.5") == 0.5


def test_reads_retry_post_reports_and_the_gateway_statuses() -> None:
    retry = read_retry()
    assert sorted(retry.status_forcelist or ()) == [429, 502, 503, 504, 567]
    assert retry.allowed_methods is not None
    assert {"GET", "POST"} <= set(retry.allowed_methods)


@pytest.mark.parametrize(
    ("method", "url", "reads"),
    [
        ("GET", "http://x/timetracker/api/latest/public/tag", True),
        ("POST", "http://x/timetracker/api/latest/public/report/details", True),
        ("POST", "http://x/timetracker/api/22/public/report/fillchecker", True),
        ("POST", "http://x/timetracker/api/latest/public/worklog", False),
        ("POST", "http://x/timetracker/api/latest/public/tag", False),
        ("PATCH", "http://x/timetracker/api/latest/public/worklog", False),
        ("POST", "http://x/timetracker/api/latest/public/report/details/x", False),
    ],
)
def test_only_gets_and_report_posts_count_as_reads(
    method: str, url: str, reads: bool
) -> None:
    assert is_read_request(method, url) is reads


def test_a_retry_that_would_overrun_the_budget_is_not_made(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    response = HTTPResponse(status=429, headers={"Retry-After": "5"})
    retry = read_retry(budget=10.0)
    monkeypatch.setattr(session_module._call, "started", time.monotonic() - 3)
    again = retry.increment("POST", "/report/details", response=response)
    assert again.total == retry.total - 1  # type: ignore[operator]
    monkeypatch.setattr(session_module._call, "started", time.monotonic() - 6)
    with pytest.raises(MaxRetryError, match="budget of 10 s used up"):
        retry.increment("POST", "/report/details", response=response)
