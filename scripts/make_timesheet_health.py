"""Write notebooks/03_timesheet_health.ipynb from the cells below (no outputs)."""

from nbtools import HOW_TO_CONNECT, code, connect, md, write

cells = [
    md(
        f"""# Timesheet health: missing days, overtime and utilization

This notebook answers the questions a team lead checks before a month is
closed: **who has days with nothing logged, who worked more than expected,
where timesheets overlap or days run long, and how much of each person's
expected time was logged.** It covers the four ISO weeks from 3 to 30 March
2025, then looks at one person's whole year.

{HOW_TO_CONNECT}"""
    ),
    connect("2025-03-03", "2025-03-30", pandas=False),
    code(
        """df = tt.fetch_worklogs(START, END, session=session, progress=False)
print(f"{len(df):,} worklogs, {df['hours'].sum():,.1f} hours")
nameless = set(df.loc[df["author"].isna(), "author_id"].astype(str))


def named(table):
    return table.rename(index=lambda a: "(deleted user)" if a in nameless else a)


def with_names(frame):
    # Rows of a deleted Jira user have no name: label them.
    return frame.assign(author=frame["author"].fillna("(deleted user)"))"""
    ),
    md(
        """## The fillchecker: what each person logged each day

Timetracker's fillchecker report lists every day of every member of some
Jira groups, with real work and non-work (time on non-working projects such
as leave) apart. Here is the last working week, in hours of real work; a
0.0 on a weekday is either a missing day or leave (`non_work_hours`)."""
    ),
    code(
        """TEAMS = ["developers", "consultants", "support"]
NON_WORKING = ["LEAVE"]  # project keys of absence
leave_ids = sorted(
    df.loc[df["project_key"].isin(NON_WORKING), "project_id"].astype(str).unique()
)
fill = tt.fetch_fillchecker(
    START, END, groups=TEAMS, non_working_projects=leave_ids, session=session
)
named(tt.fillchecker_table(fill)).loc[:, "2025-03-24":"2025-03-28"].round(1)"""
    ),
    md(
        """## A working calendar

What counts as a missing day depends on who is expected to work when. The
calendar says: eight hours on weekdays, leave counts as absence (it lowers
the expected hours instead of counting as work), and Jürgen Müller works
six-hour days."""
    ),
    code(
        """calendar = tt.WorkCalendar(
    hours_per_day=8,
    non_working_projects=NON_WORKING,
    people={"Jürgen Müller": {"hours_per_day": 6}},
)
with_names(df.tt.missing_days(calendar))[["author", "date", "expected_hours"]]"""
    ),
    md(
        """José Núñez and Beatriz Gonçalves work from São Paulo, where 3 and 4
March 2025 were Carnival. Give them their own public holidays and the list
is down to days that need a word with someone."""
    ),
    code(
        """carnival = ["2025-03-03", "2025-03-04"]
calendar = calendar.with_person("José Núñez", holidays=carnival).with_person(
    "Beatriz Gonçalves", holidays=carnival
)
missing = with_names(df.tt.missing_days(calendar))
missing.groupby("author").agg(days=("date", "size"), first=("date", "min"))"""
    ),
    md(
        """## Overtime, long days and overlaps

Weeks in which someone logged more than expected (work on a day off counts
wholly), the longest days, and worklogs that start before the same person's
previous one ended: usually a typo in a start time."""
    ),
    code(
        """overtime = with_names(df.tt.overtime(calendar, freq="W"))
overtime.nlargest(8, "overtime_hours")[
    ["author", "week", "expected_hours", "actual_hours", "overtime_hours"]
].round({"expected_hours": 1, "actual_hours": 1, "overtime_hours": 1})"""
    ),
    code(
        """long_days = with_names(df.tt.long_days(11))[["author", "date", "hours"]]
long_days.sort_values("hours", ascending=False, kind="stable").round({"hours": 2})"""
    ),
    code(
        """with_names(df.tt.overlaps())[
    ["author", "worklog_id", "start", "earlier_worklog_id", "overlap"]
]"""
    ),
    md(
        """## Logged against expected, week by week

One row per person, one column per week: each cell says hours logged over
hours expected and is red where fewer were logged, blue where more."""
    ),
    code(
        """ax = df.tt.plot.expected_vs_actual(calendar)
plt.show()""",
        png="expected_vs_actual",
    ),
    md(
        """## Utilization

Hours logged as a share of hours expected over the four weeks, against a
target of 95 %."""
    ),
    code(
        """utilization = named(df.tt.utilization(calendar)).sort_values()
utilization.round(3).to_frame().head(6)"""
    ),
    code(
        """ax = df.tt.plot.utilization(calendar, target=0.95)
plt.show()""",
        png="utilization",
    ),
    md(
        """## A year at a glance

Beatriz Gonçalves had four weekdays without a worklog in March, two of them
Carnival. Her whole 2025, one square per day (grey: nothing logged), shows
whether that was a pattern; the team's year below it shows the holidays and
quiet weeks everyone shares."""
    ),
    code(
        """\
year = tt.fetch_worklogs("2025-01-01", "2025-12-31", session=session, progress=False)
ax = year.tt.plot.calendar_heatmap(people="Beatriz Gonçalves")
plt.show()""",
        png="calendar_person",
    ),
    code(
        """ax = year.tt.plot.calendar_heatmap()
plt.show()""",
        png="calendar_team",
    ),
]

write("03_timesheet_health", cells)
