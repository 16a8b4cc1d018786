"""The small JQL subset the emulated reports understand.

Internal to the emulator. Grammar, case-insensitive in keywords, field names
and values::

    query  := clause ("AND" clause)*
    clause := field "=" value | field "IN" "(" value ("," value)* ")"
    field  := "project" | "key" | "issuekey" | "issue"
    value  := a bare word such as WEB or WEB-17, or a "quoted" or 'quoted' text

A project is named by key, numeric id or name; an issue by key or numeric
id. An empty query matches every issue. Anything else (``OR``, ``NOT``,
``!=``, ``ORDER BY``, other fields, unknown projects or issues) raises
:class:`JqlError` with a message that says what was not understood.

Examples
--------
>>> from tt_notebook.emulator import Issue, Organisation, Project
>>> org = Organisation([], [Project("10000", "WEB", "Web shop", False)],
...                    [Issue(20001, "WEB-1", "Checkout", "10000")], [])
>>> sorted(issues_matching('project = web AND key in ("WEB-1")', org))
[20001]
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .data import Organisation

__all__: list[str] = []

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
      | (?P<word>[A-Za-z0-9_.\-]+)
      | (?P<symbol>!=|[=(),])
      | (?P<other>\S)
    )""",
    re.VERBOSE,
)
_PROJECT_FIELDS = frozenset({"project"})
_ISSUE_FIELDS = frozenset({"key", "issuekey", "issue"})


class JqlError(ValueError):
    """A JQL query the emulator cannot run; the message says why."""


def issues_matching(text: str, org: Organisation) -> frozenset[int] | None:
    """Return the ids of the issues a query selects; ``None`` for no query.

    Raises
    ------
    JqlError
        If the query is outside the subset or names something unknown.
    """
    tokens = list(_tokens(text))
    if not tokens:
        return None
    selected: frozenset[int] | None = None
    position = 0
    while True:
        issues, position = _clause(tokens, position, org)
        selected = issues if selected is None else selected & issues
        if position == len(tokens):
            return selected
        kind, value = tokens[position]
        if kind != "word" or value.upper() != "AND":
            raise JqlError(
                f"Only AND joins clauses here; found {value!r} after a clause."
            )
        position += 1
        if position == len(tokens):
            raise JqlError("The query ends after AND; a clause must follow.")


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            return  # only blanks are left
        position = match.end()
        kind = match.lastgroup
        assert kind is not None
        value = match[kind]
        if kind == "other":
            raise JqlError(f"Unexpected character {value!r} in the query.")
        if kind == "string":
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        yield kind, value


def _clause(
    tokens: list[tuple[str, str]], position: int, org: Organisation
) -> tuple[frozenset[int], int]:
    # 1. The field.
    kind, name = tokens[position]
    field = name.lower()
    if kind != "word" or field not in _PROJECT_FIELDS | _ISSUE_FIELDS:
        raise JqlError(
            f"Field {name!r} is not supported; use project or key "
            "with = or IN, joined by AND."
        )
    position += 1

    # 2. The operator, then one value or a parenthesised list.
    if position == len(tokens):
        raise JqlError(f"The clause on {name!r} has no operator.")
    kind, operator = tokens[position]
    position += 1
    values: list[str] = []
    if operator == "=":
        values.append(_value(tokens, position, name))
        position += 1
    elif kind == "word" and operator.upper() == "IN":
        if position == len(tokens) or tokens[position][1] != "(":
            raise JqlError(f"IN on {name!r} needs a list in parentheses.")
        position += 1
        while True:
            values.append(_value(tokens, position, name))
            position += 1
            if position == len(tokens):
                raise JqlError(f"The list after IN on {name!r} is not closed.")
            separator = tokens[position][1]
            position += 1
            if separator == ")":
                break
            if separator != ",":
                raise JqlError(f"Expected ',' or ')' in the list, not {separator!r}.")
    else:
        raise JqlError(
            f"Operator {operator!r} is not supported on {name!r}; use = or IN."
        )

    # 3. What the values name.
    if field in _PROJECT_FIELDS:
        return _project_issues(values, org), position
    return _issues(values, org), position


def _value(tokens: list[tuple[str, str]], position: int, field: str) -> str:
    if position == len(tokens):
        raise JqlError(f"The clause on {field!r} has no value.")
    kind, value = tokens[position]
    if kind not in ("word", "string"):
        raise JqlError(f"Expected a value for {field!r}, not {value!r}.")
    return value


def _project_issues(values: list[str], org: Organisation) -> frozenset[int]:
    chosen: set[str] = set()
    for value in values:
        wanted = value.casefold()
        project = next(
            (
                p
                for p in org.projects
                if wanted in (p.key.casefold(), p.id, p.name.casefold())
            ),
            None,
        )
        if project is None:
            raise JqlError(
                f"The value {value!r} does not exist for the field 'project'."
            )
        chosen.add(project.id)
    return frozenset(i.id for i in org.issues if i.project_id in chosen)


def _issues(values: list[str], org: Organisation) -> frozenset[int]:
    chosen: set[int] = set()
    for value in values:
        wanted = value.casefold()
        issue = next(
            (i for i in org.issues if wanted in (i.key.casefold(), str(i.id))),
            None,
        )
        if issue is None:
            raise JqlError(
                f"An issue with key {value!r} does not exist for field 'key'."
            )
        chosen.add(issue.id)
    return frozenset(chosen)
