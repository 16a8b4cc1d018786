import datetime as dt
from pathlib import Path

import pytest

from tt_notebook.config import Secret, Settings, parse_date, validate_timezone
from tt_notebook.errors import ConfigurationError


def test_secret_never_shows_its_value() -> None:
    token = Secret("demo-token")
    shown = [repr(token), str(token), f"{token}", f"{token!r}", format(token, "")]
    assert shown == ["Secret('***')"] * 5
    assert token.reveal() == "demo-token"


def test_secret_refuses_to_be_pickled() -> None:
    import pickle

    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(Secret("demo-token"))


def test_settings_repr_hides_the_token(tmp_path: Path) -> None:
    settings = Settings(token=Secret("demo-token"), cache_dir=tmp_path)
    assert "demo-token" not in repr(settings)
    assert "token" not in repr(settings)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-03-30", dt.date(2025, 3, 30)),
        (dt.date(2024, 2, 29), dt.date(2024, 2, 29)),
    ],
)
def test_parse_date_accepts_days(value: str | dt.date, expected: dt.date) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["2025-02-30", "30/03/2025", "", 20250330, None])
def test_parse_date_rejects_what_is_not_a_day(value: object) -> None:
    with pytest.raises(ConfigurationError, match="YYYY-MM-DD"):
        parse_date(value)  # type: ignore[arg-type]


def test_parse_date_rejects_a_moment_and_suggests_the_day() -> None:
    with pytest.raises(ConfigurationError, match="'2025-03-30'"):
        parse_date(dt.datetime(2025, 3, 30, 12, 0))


def test_unknown_time_zone_is_refused_with_examples() -> None:
    with pytest.raises(ConfigurationError, match="Europe/Budapest"):
        validate_timezone("Mars/Olympus_Mons")
    assert validate_timezone("America/Sao_Paulo") == "America/Sao_Paulo"


def test_missing_token_says_how_to_create_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TIMETRACKER_API_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="My Preferences > REST API"):
        Settings.from_env()


def test_token_and_zone_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TIMETRACKER_API_KEY", "demo-token")
    monkeypatch.setenv("TIMETRACKER_TIMEZONE", "Asia/Kolkata")
    settings = Settings.from_env(cache_dir=tmp_path)
    assert settings.token == Secret("demo-token")
    assert settings.timezone == "Asia/Kolkata"
    assert settings.api_root == (
        "https://jttp-cloud.everit.biz/timetracker/api/latest/public"
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"base_url": "jttp-cloud.everit.biz"}, "not an http"),
        ({"base_url": "https://x.example/?token=1"}, "query"),
        ({"api_version": "v2"}, "neither 'latest' nor a number"),
        ({"timeout": 0}, "timeout must be a positive"),
    ],
)
def test_malformed_settings_are_refused(
    kwargs: dict[str, object], message: str, tmp_path: Path
) -> None:
    with pytest.raises(ConfigurationError, match=message):
        Settings(token=Secret("demo-token"), cache_dir=tmp_path, **kwargs)  # type: ignore[arg-type]


def test_cache_dir_may_be_a_string_or_start_with_a_tilde(tmp_path: Path) -> None:
    settings = Settings(token=Secret("demo-token"), cache_dir=str(tmp_path))
    assert settings.cache_dir == tmp_path
    home = Settings(token=Secret("demo-token"), cache_dir="~/tt-cache")  # type: ignore[arg-type]
    assert home.cache_dir == Path.home() / "tt-cache"


def test_a_bare_string_token_is_refused_with_the_way_to_pass_it(
    tmp_path: Path,
) -> None:
    with pytest.raises(ConfigurationError, match=r"Secret\('...'\)"):
        Settings(token="demo-token", cache_dir=tmp_path)  # type: ignore[arg-type]
