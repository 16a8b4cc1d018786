"""The reports beyond paging: JQL and saved filters, summary and fillchecker.

All on the default organisation, read only; expected totals are written out
or computed from the organisation directly, never through the server.
"""

from __future__ import annotations

import collections
from collections.abc import Callable
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests

from tt_notebook.emulator import (
    DEMO_LEAD_TOKEN,
    DEMO_MEMBER_TOKEN,
    DEMO_TOKEN,
    Organisation,
)

ClientFactory = Callable[[str | None], requests.Session]
pytestmark = pytest.mark.integration

AKOS = "712020:602ac25b-f929-4a91-9f0a-ea68001d5229"
DANA = "712020:3a59c162-b54e-4daa-86d0-cb0c3078ff5a"
DELETED = "712020:75d5ce18-ebd9-4c02-a5c9-0f87a381d5df"
DAY = {"startAt": 0, "startDate": "2025-05-05", "endDate": "2025-05-05"}
WEEK = {"startAt": 0, "startDate": "2025-05-05", "endDate": "2025-05-11"}


def post(
    session: requests.Session,
    api_url: str,
    route: str,
    body: dict[str, object],
    zone: str | None = None,
) -> requests.Response:
    headers = {"x-timezone": zone} if zone else {}
    return session.post(f"{api_url}/report/{route}", json=body, headers=headers)


def ids(body: dict[str, object]) -> list[int]:
    values = body["values"]
    assert isinstance(values, list)
    return [v["worklog"]["id"] for v in values]


def project_keys(org: Organisation, worklog_ids: list[int]) -> set[str]:
    return {
        org.project(org.issue(org.worklog(i).issue_id).project_id).key
        for i in worklog_ids
    }


def jira_error(field: str, text: str) -> dict[str, object]:
    return {
        "additionalErrors": [{"errorType": "JiraError", "extra": {"message": text}}],
        "fieldErrors": [{"errorType": "Invalid", "paths": [[field]]}],
    }


# -- details: JQL -------------------------------------------------------------


def test_jql_project_equals_keeps_that_projects_worklogs(
    api: requests.Session, api_url: str, demo_org: Organisation
) -> None:
    body = post(
        api, api_url, "details", {**WEEK, "maxResults": 1000, "jql": "project = WEB"}
    ).json()
    assert body["total"] == 76
    assert project_keys(demo_org, ids(body)) == {"WEB"}


@pytest.mark.parametrize(
    "jql",
    [
        "project in (OPS, SUP)",
        "PROJECT IN ('ops', \"Customer support\")",
        "project in (10002, 10005)",
    ],
)
def test_jql_project_in_takes_keys_ids_and_names_in_any_case(
    api: requests.Session, api_url: str, demo_org: Organisation, jql: str
) -> None:
    body = post(
        api, api_url, "details", {**WEEK, "maxResults": 1000, "jql": jql}
    ).json()
    assert body["total"] == 97
    assert project_keys(demo_org, ids(body)) == {"OPS", "SUP"}


def test_jql_keys_joined_with_and(api: requests.Session, api_url: str) -> None:
    body = post(
        api,
        api_url,
        "details",
        {**DAY, "jql": "project = WEB AND key in (WEB-4, web-34) and issuekey = WEB-4"},
    ).json()
    assert ids(body) == [6770]
    assert body["values"][0]["issue"] == {
        "id": 20001,
        "key": "WEB-4",
        "summary": "Fix gift cards",
    }


def test_a_blank_jql_is_no_filter(api: requests.Session, api_url: str) -> None:
    body = post(api, api_url, "details", {**DAY, "jql": "   "}).json()
    assert body["total"] == 55


@pytest.mark.parametrize(
    ("jql", "text"),
    [
        (
            "assignee = x",
            "Field 'assignee' is not supported; use project or key "
            "with = or IN, joined by AND.",
        ),
        ("project = WEB OR project = MOB", "Only AND joins clauses here; found 'OR'"),
        ("project != WEB", "Operator '!=' is not supported on 'project'; use = or IN."),
        ("project = NOPE", "The value 'NOPE' does not exist for the field 'project'."),
        (
            "key = WEB-9999",
            "An issue with key 'WEB-9999' does not exist for field 'key'.",
        ),
        ("project in (WEB, MOB", "The list after IN on 'project' is not closed."),
        ("project in WEB", "IN on 'project' needs a list in parentheses."),
        ("project = WEB AND", "The query ends after AND; a clause must follow."),
        ("project = WEB ORDER BY key", "Only AND joins clauses here; found 'ORDER'"),
        ("project = 'WEB", 'Unexpected character "\'" in the query.'),
        ("project", "The clause on 'project' has no operator."),
    ],
)
def test_jql_outside_the_subset_is_a_400_that_says_why(
    api: requests.Session, api_url: str, jql: str, text: str
) -> None:
    response = post(api, api_url, "details", {**DAY, "jql": jql})
    assert response.status_code == 400
    body = response.json()
    assert body["fieldErrors"] == [{"errorType": "Invalid", "paths": [["jql"]]}]
    message = body["additionalErrors"][0]["extra"]["message"]
    assert message.startswith(f"Unsupported JQL: {text}")


def test_jql_must_be_a_string(api: requests.Session, api_url: str) -> None:
    response = post(api, api_url, "details", {**DAY, "jql": ["project = WEB"]})
    assert response.json() == {
        "additionalErrors": [],
        "fieldErrors": [{"errorType": "InvalidFormat", "paths": [["jql"]]}],
    }


# -- details: saved filters, expand, tag filter ----------------------------------


def test_saved_filters_select_the_union_of_their_issues(
    api: requests.Session, api_url: str, demo_org: Organisation
) -> None:
    body = post(
        api,
        api_url,
        "details",
        {**WEEK, "maxResults": 1000, "filters": ["10100", 10101]},
    ).json()
    assert body["total"] == 76 + 97
    assert project_keys(demo_org, ids(body)) == {"WEB", "OPS", "SUP"}


def test_saved_filters_and_jql_together_select_what_both_allow(
    api: requests.Session, api_url: str
) -> None:
    body = post(
        api,
        api_url,
        "details",
        {**WEEK, "filters": ["10101"], "jql": "project in (WEB, SUP)"},
    ).json()
    assert body["total"] == 58


def test_an_unknown_saved_filter_is_a_400(api: requests.Session, api_url: str) -> None:
    response = post(api, api_url, "details", {**DAY, "filters": ["999"]})
    assert response.status_code == 400
    assert response.json() == jira_error("filters", "The filter 999 does not exist.")


def test_known_expand_values_are_accepted(api: requests.Session, api_url: str) -> None:
    plain = post(api, api_url, "details", DAY).json()
    expanded = post(
        api, api_url, "details", {**DAY, "expand": ["PROJECT", "AUTHOR"]}
    ).json()
    assert expanded == plain


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"expand": ["BOGUS"]}, ("Invalid", "expand")),
        ({"expand": "AUTHOR"}, ("InvalidFormat", "expand")),
        ({"reportTagFilter": {"tagIds": [1]}}, ("Invalid", "reportTagFilter")),
        ({"filters": "10100"}, ("InvalidFormat", "filters")),
    ],
)
def test_details_refuses_bad_expand_and_tag_filter(
    api: requests.Session,
    api_url: str,
    change: dict[str, object],
    expected: tuple[str, str],
) -> None:
    response = post(api, api_url, "details", {**DAY, **change})
    assert response.status_code == 400
    assert response.json() == {
        "additionalErrors": [],
        "fieldErrors": [{"errorType": expected[0], "paths": [[expected[1]]]}],
    }


def test_a_null_tag_filter_is_no_filter(api: requests.Session, api_url: str) -> None:
    body = post(api, api_url, "details", {**DAY, "reportTagFilter": None}).json()
    assert body["total"] == 55


# -- summary ------------------------------------------------------------------


def totals(items: list[dict[str, object]], entity: str) -> list[tuple[object, int]]:
    result = []
    for item in items:
        value = item[entity]
        key = value.get("key", value.get("id")) if isinstance(value, dict) else value
        result.append((key, item["totalLogged"]))
    return result


def test_summary_by_project_and_billing(api: requests.Session, api_url: str) -> None:
    body = post(
        api, api_url, "summary", {**DAY, "groupBy": ["projectView", "billingView"]}
    ).json()
    assert list(body) == ["userView", "projectView", "billingView"]
    assert body["projectView"][0] == {
        "project": {"id": "10003", "key": "DATA", "name": "Data platform"},
        "billableLoggedSeconds": 103200,
        "nonBillableLoggedSeconds": 9000,
        "totalLogged": 112200,
    }
    assert totals(body["projectView"], "project") == [
        ("DATA", 112200),
        ("MOB", 84600),
        ("SUP", 77100),
        ("INT", 62280),
        ("WEB", 59400),
        ("LEAVE", 28800),
        ("OPS", 6900),
    ]
    assert body["billingView"] == [
        {
            "billable": True,
            "billableLoggedSeconds": 279300,
            "nonBillableLoggedSeconds": 0,
            "totalLogged": 279300,
        },
        {
            "billable": False,
            "billableLoggedSeconds": 0,
            "nonBillableLoggedSeconds": 151980,
            "totalLogged": 151980,
        },
    ]


def test_summary_users_add_up_to_the_details_total(
    api: requests.Session, api_url: str
) -> None:
    summary = post(api, api_url, "summary", WEEK).json()
    details = post(api, api_url, "details", WEEK).json()
    assert list(summary) == ["userView"]
    assert (
        sum(i["totalLogged"] for i in summary["userView"])
        == (details["totalWorkTimeInSeconds"])
    )
    for item in summary["userView"]:
        assert item["totalLogged"] == (
            item["billableLoggedSeconds"] + item["nonBillableLoggedSeconds"]
        )


def test_summary_users_sort_by_total_then_id_and_the_deleted_has_no_name(
    api: requests.Session, api_url: str
) -> None:
    users = post(api, api_url, "summary", DAY).json()["userView"]
    assert [(u["user"].get("name"), u["totalLogged"]) for u in users[:6]] == [
        ("Priya Raman", 42600),
        ("Łucja Wiśniewska", 39900),
        ("José Núñez", 30900),
        ("Eszter Nagy", 29700),
        ("Beatriz Gonçalves", 29700),
        (None, 28800),
    ]
    assert users[5]["user"] == {"id": DELETED}
    assert "avatar" not in users[0]["user"]


def test_summary_expand_author_adds_avatars(
    api: requests.Session, api_url: str
) -> None:
    users = post(api, api_url, "summary", {**DAY, "expand": ["AUTHOR"]}).json()[
        "userView"
    ]
    assert users[5]["user"] == {
        "id": DELETED,
        "avatar": "https://avatar.example/48/75d5ce18-ebd9-4c02-a5c9-0f87a381d5df.png",
    }
    assert all(u["user"]["avatar"].startswith("https://avatar.example/") for u in users)


def test_summary_tags_count_a_two_tag_worklog_twice_and_untagged_once(
    api: requests.Session, api_url: str, demo_org: Organisation
) -> None:
    body = post(api, api_url, "summary", {**DAY, "groupBy": "tagView"}).json()
    tags = body["tagView"]
    assert tags[0] == {
        "tag": None,
        "billableLoggedSeconds": 73500,
        "nonBillableLoggedSeconds": 73800,
        "totalLogged": 147300,
    }
    assert tags[1]["tag"] == {"id": 2, "name": "meeting"}
    assert [t["tag"]["id"] for t in tags[1:]] == [2, 1, 10, 5, 3, 9, 6, 7, 4]
    day = [
        w
        for w in demo_org.worklogs
        if w.start.date() == date(2025, 5, 5)  # UTC, as the request
    ]
    expected = sum(w.duration_seconds * max(1, len(w.tag_ids)) for w in day)
    assert sum(t["totalLogged"] for t in tags) == expected == 477_780


def test_summary_issues_carry_their_project_id(
    api: requests.Session, api_url: str
) -> None:
    issues = post(api, api_url, "summary", {**DAY, "groupBy": ["issueView"]}).json()[
        "issueView"
    ]
    assert issues[0] == {
        "issue": {
            "id": 20134,
            "key": "LEAVE-1",
            "summary": "Vacation",
            "projectId": "10006",
        },
        "billableLoggedSeconds": 0,
        "nonBillableLoggedSeconds": 28800,
        "totalLogged": 28800,
    }


def test_summary_follows_the_filters_and_the_token(
    make_api: ClientFactory, api_url: str
) -> None:
    member = post(make_api(DEMO_MEMBER_TOKEN), api_url, "summary", DAY).json()
    assert totals(member["userView"], "user") == [(AKOS, 17700)]
    admin = make_api(DEMO_TOKEN)
    billable = post(
        admin, api_url, "summary", {**DAY, "filterBillable": True, "users": [DANA]}
    ).json()
    assert totals(billable["userView"], "user") == [(DANA, 28500)]
    web = post(admin, api_url, "summary", {**DAY, "jql": "project = WEB"}).json()
    assert sum(i["totalLogged"] for i in web["userView"]) == 59400


def test_the_same_summary_with_two_tokens_differs(
    make_api: ClientFactory, api_url: str
) -> None:
    lead = post(make_api(DEMO_LEAD_TOKEN), api_url, "summary", DAY).json()
    admin = post(make_api(DEMO_TOKEN), api_url, "summary", DAY).json()
    assert len(lead["userView"]) == 10
    assert len(admin["userView"]) == 16
    assert DANA in {u["user"]["id"] for u in lead["userView"]}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"groupBy": "versionView"}, ("Invalid", "groupBy")),
        ({"groupBy": ["userView", "nope"]}, ("Invalid", "groupBy")),
        ({"groupBy": 3}, ("InvalidFormat", "groupBy")),
        ({"groupBy": [3]}, ("InvalidFormat", "groupBy")),
        ({"startAt": None}, ("Required", "startAt")),
        ({"maxResults": "9"}, ("InvalidFormat", "maxResults")),
        ({"expand": ["avatar"]}, ("Invalid", "expand")),
    ],
)
def test_summary_refuses_bad_fields(
    api: requests.Session,
    api_url: str,
    change: dict[str, object],
    expected: tuple[str, str],
) -> None:
    response = post(api, api_url, "summary", {**DAY, **change})
    assert response.status_code == 400
    assert response.json() == {
        "additionalErrors": [],
        "fieldErrors": [{"errorType": expected[0], "paths": [[expected[1]]]}],
    }


def test_summary_has_no_paging(api: requests.Session, api_url: str) -> None:
    everything = post(api, api_url, "summary", DAY).json()
    later = post(api, api_url, "summary", {**DAY, "startAt": 5, "maxResults": 1}).json()
    assert later == everything


# -- fillchecker -------------------------------------------------------------------


def fill(
    session: requests.Session,
    api_url: str,
    zone: str | None = None,
    **body: object,
) -> requests.Response:
    return post(session, api_url, "fillchecker", body, zone)


def test_fillchecker_gives_every_day_with_zeros(
    api: requests.Session, api_url: str
) -> None:
    response = fill(
        api,
        api_url,
        "Europe/Budapest",
        dateFrom="2025-05-02",
        dateUntil="2025-05-05",
        users=[AKOS],
    )
    assert response.status_code == 200
    assert response.json() == {
        "userReports": [
            {
                "accountId": AKOS,
                "daySummaries": [
                    {
                        "date": "2025-05-02",
                        "realWorkInSeconds": 28320,
                        "nonWorkInSeconds": 0,
                    },
                    {
                        "date": "2025-05-03",
                        "realWorkInSeconds": 0,
                        "nonWorkInSeconds": 0,
                    },
                    {
                        "date": "2025-05-04",
                        "realWorkInSeconds": 0,
                        "nonWorkInSeconds": 0,
                    },
                    {
                        "date": "2025-05-05",
                        "realWorkInSeconds": 17700,
                        "nonWorkInSeconds": 0,
                    },
                ],
            }
        ]
    }


def test_fillchecker_counts_non_working_projects_as_non_work(
    api: requests.Session, api_url: str
) -> None:
    body = {"dateFrom": "2025-05-05", "dateUntil": "2025-05-06", "users": [DELETED]}
    plain = fill(api, api_url, **body).json()["userReports"][0]["daySummaries"]
    leave = fill(api, api_url, **body, nonWorkingProjectIds=[10006]).json()
    assert [(d["realWorkInSeconds"], d["nonWorkInSeconds"]) for d in plain] == [
        (28800, 0),
        (28800, 0),
    ]
    assert [
        (d["realWorkInSeconds"], d["nonWorkInSeconds"])
        for d in leave["userReports"][0]["daySummaries"]
    ] == [(0, 28800), (0, 28800)]


def test_fillchecker_projects_filter_what_counts(
    api: requests.Session, api_url: str
) -> None:
    body = fill(
        api,
        api_url,
        dateFrom="2025-05-05",
        dateUntil="2025-05-05",
        users=[DELETED, AKOS],
        projects=[10005],
    ).json()
    assert [
        (r["accountId"], r["daySummaries"][0]["realWorkInSeconds"])
        for r in body["userReports"]
    ] == [(AKOS, 17700), (DELETED, 0)]


def test_fillchecker_days_follow_the_time_zone(
    api: requests.Session, api_url: str, demo_org: Organisation
) -> None:
    zone = "America/Sao_Paulo"
    body = fill(
        api,
        api_url,
        zone,
        dateFrom="2025-03-01",
        dateUntil="2025-03-14",
        groups=["support"],
    ).json()
    tz = ZoneInfo(zone)
    expected: collections.Counter[tuple[str, str]] = collections.Counter()
    for w in demo_org.worklogs:
        day = w.start.astimezone(tz).date()
        if date(2025, 3, 1) <= day <= date(2025, 3, 14):
            expected[(w.author_id, day.isoformat())] += w.duration_seconds
    support = [p.account_id for p in demo_org.members("support")]
    assert [r["accountId"] for r in body["userReports"]] == support
    for report in body["userReports"]:
        assert len(report["daySummaries"]) == 14
        for day_summary in report["daySummaries"]:
            key = (report["accountId"], day_summary["date"])
            assert day_summary["realWorkInSeconds"] == expected[key]


def test_fillchecker_is_empty_without_users_and_groups(
    api: requests.Session, api_url: str
) -> None:
    for extra in ({}, {"users": [], "groups": []}, {"projects": [10000]}):
        body = fill(
            api, api_url, dateFrom="2025-05-05", dateUntil="2025-05-05", **extra
        )
        assert body.json() == {"userReports": []}


def test_fillchecker_shows_only_the_people_a_token_sees(
    make_api: ClientFactory, api_url: str
) -> None:
    lead = make_api(DEMO_LEAD_TOKEN)
    support = fill(
        lead, api_url, dateFrom="2025-05-05", dateUntil="2025-05-05", groups=["support"]
    ).json()
    assert support == {"userReports": []}
    own = fill(
        lead,
        api_url,
        dateFrom="2025-05-05",
        dateUntil="2025-05-05",
        groups=["team-leads", "support"],
    ).json()
    assert own == {
        "userReports": [
            {
                "accountId": DANA,
                "daySummaries": [
                    {
                        "date": "2025-05-05",
                        "realWorkInSeconds": 28500,
                        "nonWorkInSeconds": 0,
                    }
                ],
            }
        ]
    }


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({}, [("Required", "dateFrom"), ("Required", "dateUntil")]),
        (
            {"dateFrom": "2025-05-05", "dateUntil": "2025-05-04"},
            [("Invalid", "dateUntil")],
        ),
        (
            {"dateFrom": "2025-01-01", "dateUntil": "2027-01-02"},
            [("Exceed", "dateUntil")],
        ),
        (
            {
                "dateFrom": "2025-05-05",
                "dateUntil": "2025-05-05",
                "projects": ["10000"],
            },
            [("InvalidFormat", "projects")],
        ),
        (
            {
                "dateFrom": "2025-05-05",
                "dateUntil": "2025-05-05",
                "nonWorkingProjectIds": [True],
            },
            [("InvalidFormat", "nonWorkingProjectIds")],
        ),
        (
            {"dateFrom": "5 May", "dateUntil": "2025-05-05", "users": "x"},
            [("InvalidFormat", "dateFrom"), ("InvalidFormat", "users")],
        ),
    ],
)
def test_fillchecker_refuses_bad_fields(
    api: requests.Session,
    api_url: str,
    body: dict[str, object],
    expected: list[tuple[str, str]],
) -> None:
    response = post(api, api_url, "fillchecker", body)
    assert response.status_code == 400
    assert response.json() == {
        "additionalErrors": [],
        "fieldErrors": [{"errorType": e, "paths": [[f]]} for e, f in expected],
    }


def test_fillchecker_takes_two_years_at_most(
    api: requests.Session, api_url: str
) -> None:
    last = date(2025, 1, 1) + timedelta(days=730)
    response = fill(
        api, api_url, dateFrom="2025-01-01", dateUntil=last.isoformat(), users=[AKOS]
    )
    assert response.status_code == 200
    assert len(response.json()["userReports"][0]["daySummaries"]) == 731
