"""Ordinary but unexpected inputs get a ConfigurationError that says what to do."""

from __future__ import annotations

import copy
import datetime as dt
import os
import stat
import threading
import zoneinfo
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tt_notebook import api
from tt_notebook.config import Secret, Settings
from tt_notebook.connection import resolve_session
from tt_notebook.demo import PREFIX, _sweep_orphans
from tt_notebook.errors import ConfigurationError
from tt_notebook.session import SALT_FILE, _load_salt, build_session


@pytest.mark.parametrize(
    "pasted", ["demo-token\n", "  demo-token", "demo-token\r\n", "\tdemo-token "]
)
def test_whitespace_around_a_pasted_token_is_trimmed(
    pasted: str, tmp_path: Path
) -> None:
    settings = Settings(token=Secret(pasted), cache_dir=tmp_path)
    assert settings.token.reveal() == "demo-token"


@pytest.mark.parametrize("bad", ["demo token", "demo-\ntoken", "demo\x00token"])
def test_a_token_with_inner_spaces_or_controls_is_refused_without_showing_it(
    bad: str, tmp_path: Path
) -> None:
    with pytest.raises(ConfigurationError) as info:
        Settings(token=Secret(bad), cache_dir=tmp_path)
    assert "copy it again" in str(info.value)
    assert "token" in str(info.value)
    assert bad not in str(info.value)
    assert "demo" not in str(info.value)


def test_settings_copy_and_deepcopy_keep_the_secret(tmp_path: Path) -> None:
    settings = Settings(token=Secret("demo-token"), cache_dir=tmp_path)
    assert copy.deepcopy(settings).token.reveal() == "demo-token"
    assert copy.copy(settings) == settings


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"timeout": "x"}, "timeout must be a number of seconds"),
        ({"timeout": True}, "timeout must be a number of seconds"),
        ({"retry_budget": -1}, "retry_budget must be a positive"),
        (
            {"base_url": "https://jttp-cloud.everit.biz/timetracker/api/latest/public"},
            "includes the API path",
        ),
        ({"timezone": "Europe/Budapest "}, "Unknown time zone"),
    ],
)
def test_malformed_settings_say_what_to_give(
    kwargs: dict[str, object], message: str, tmp_path: Path
) -> None:
    with pytest.raises(ConfigurationError, match=message):
        Settings(token=Secret("demo-token"), cache_dir=tmp_path, **kwargs)  # type: ignore[arg-type]


def test_a_zoneinfo_object_and_a_numeric_version_are_accepted(tmp_path: Path) -> None:
    settings = Settings(
        token=Secret("demo-token"),
        timezone=zoneinfo.ZoneInfo("Europe/Budapest"),  # type: ignore[arg-type]
        api_version=22,  # type: ignore[arg-type]
        cache_dir=tmp_path,
    )
    assert settings.timezone == "Europe/Budapest"
    assert settings.api_root.endswith("/timetracker/api/22/public")


def test_cache_dir_that_is_a_file_is_a_configuration_error(tmp_path: Path) -> None:
    afile = tmp_path / "not-a-folder"
    afile.write_text("x")
    settings = Settings(token=Secret("demo-token"), cache_dir=afile)
    with pytest.raises(ConfigurationError, match="is not a folder"):
        build_session(settings)


def test_cache_folder_and_salt_are_private(tmp_path: Path) -> None:
    folder = tmp_path / "new-cache"
    build_session(Settings(token=Secret("demo-token"), cache_dir=folder)).close()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / SALT_FILE).stat().st_mode) == 0o600


def test_threads_creating_a_salt_at_once_all_get_the_same(tmp_path: Path) -> None:
    salts: list[bytes] = []
    start = threading.Barrier(12)

    def make() -> None:
        start.wait()
        salts.append(_load_salt(tmp_path))

    threads = [threading.Thread(target=make) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(salts) == 12
    assert len(set(salts)) == 1
    assert len(salts[0]) == 32


@pytest.mark.parametrize("content", ["", "short", "00" * 8, "zz" * 32])
def test_a_damaged_salt_is_replaced_by_a_whole_one(
    content: str, tmp_path: Path
) -> None:
    (tmp_path / SALT_FILE).write_text(content)
    os.chmod(tmp_path / SALT_FILE, 0o644)
    salt = _load_salt(tmp_path)
    assert len(salt) == 32
    assert (tmp_path / SALT_FILE).read_text() == salt.hex()
    assert _load_salt(tmp_path) == salt
    assert stat.S_IMODE((tmp_path / SALT_FILE).stat().st_mode) == 0o600


def test_filters_accept_arrays_and_numpy_booleans() -> None:
    query = api.DetailsQuery.build(
        "2025-01-01",
        "2025-01-31",
        users=np.array(["712020:a", "712020:b"]),
        projects=pd.Index(["10000"]),
        billable=np.True_,
    )
    assert query.users == ("712020:a", "712020:b")
    assert query.projects == ("10000",)
    assert query.billable is True


def test_a_display_name_where_an_account_id_belongs_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="not display names like 'Grace Kim'"):
        api.DetailsQuery.build("2025-01-01", "2025-01-31", users=["Grace Kim"])


def test_an_empty_filter_list_matches_nothing() -> None:
    assert api.DetailsQuery.build("2025-01-01", "2025-01-31", users=[]).matches_nothing
    assert api.DetailsQuery.build(
        "2025-01-01", "2025-01-31", projects=[]
    ).matches_nothing
    assert not api.DetailsQuery.build("2025-01-01", "2025-01-31").matches_nothing


def test_month_chunks_reach_the_last_representable_day() -> None:
    chunks = api.month_chunks(dt.date(9999, 11, 15), dt.date(9999, 12, 31))
    assert chunks == [
        (dt.date(9999, 11, 15), dt.date(9999, 11, 30)),
        (dt.date(9999, 12, 1), dt.date(9999, 12, 31)),
    ]
    assert len(api.month_chunks(dt.date(2024, 1, 31), dt.date(2025, 1, 1))) == 13


def test_a_token_string_passed_as_session_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="not a str"):
        resolve_session("demo-token")


def test_demo_folders_of_dead_processes_are_swept(tmp_path: Path) -> None:
    dead = tmp_path / f"{PREFIX}999999999_abc"
    mine = tmp_path / f"{PREFIX}{os.getpid()}_abc"
    other = tmp_path / "tt_notebook_demo_notes"
    for folder in (dead, mine, other):
        folder.mkdir()
    _sweep_orphans(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([mine.name, other.name])
