"""Write notebooks/01_quickstart.ipynb from the cells below (no outputs).

Kept as a script so the notebook's source is reviewable as plain Python;
``python scripts/run_notebooks.py --inplace`` then stores its outputs.
"""

from nbformat.v4 import new_code_cell, new_markdown_cell
from nbtools import write

cells = [
    new_markdown_cell(
        """# Quickstart: a month of worklogs in a DataFrame

This notebook answers the first questions a team lead asks of a month of
Timetracker worklogs: **how many hours were logged, by whom, on which
projects, and on which days.**

It runs without an account: when no token is configured it starts the
built-in emulator, which serves a seeded demo organisation (the year 2025).

**With your own Timetracker account**, set the environment variables
`TIMETRACKER_API_KEY` (a token from *Timetracker > My Preferences > REST API*)
and optionally `TIMETRACKER_TIMEZONE` before starting Jupyter, or use
`tt.login_form()` in a cell. The token is never written into the notebook or
the cache."""
    ),
    new_code_cell(
        """import os

import matplotlib.pyplot as plt

import tt_notebook as tt

TIMEZONE = "Europe/Budapest"  # report days run from midnight to midnight here
START, END = "2025-03-01", "2025-03-31"  # both days included

if os.environ.get("TIMETRACKER_API_KEY"):
    session = tt.connect(timezone=TIMEZONE)  # your account
else:
    session = tt.demo(timezone=TIMEZONE)  # the built-in emulator
print("Connected; time zone", session.timezone)"""
    ),
    new_markdown_cell(
        """## Fetch the month

`fetch_worklogs` pages through the details report (several pages at once),
checks that every worklog arrived, and returns one row per worklog with
explicit dtypes. A second run is answered from the local cache."""
    ),
    new_code_cell(
        """df = tt.fetch_worklogs(START, END, session=session)
print(f"{len(df):,} worklogs, {df['hours'].sum():,.1f} hours")
df[["start", "author", "project_key", "issue_key", "hours", "billable"]].head()"""
    ),
    new_code_cell("""df.dtypes.to_frame("dtype")"""),
    new_markdown_cell(
        """## Hours per person and per project

A worklog of a deleted Jira user has no author name (`<NA>`); here it is
labelled so that its hours stay in the totals."""
    ),
    new_code_cell(
        """person = df["author"].astype("string").fillna("(deleted user)")
per_person = df.groupby(person)["hours"].sum().sort_values(ascending=False)
per_person.round(1).to_frame("hours")"""
    ),
    new_code_cell(
        """per_project = (
    df.groupby("project_name", observed=True)
    .agg(hours=("hours", "sum"), worklogs=("worklog_id", "size"))
    .sort_values("hours", ascending=False)
)
per_project.round(1)"""
    ),
    new_markdown_cell(
        """## Hours per day

Stacked by project, one bar per day of the month in the session's time zone;
weekends are shaded."""
    ),
    new_code_cell(
        """ax = tt.plot_hours_by_day(df, by="project")
plt.show()""",
        metadata={"tags": ["png:hours_by_day"]},
    ),
    new_markdown_cell(
        """## Next

- `df.tt` answers the usual questions in one line each:
  `df.tt.totals(by="project", freq="W")`, `df.tt.billable_share(by="author")`,
  `df.tt.top_issues(10)`.
- `df.tt.plot` draws them: `df.tt.plot.hours_by_week()`,
  `df.tt.plot.top_issues()`, `df.tt.plot.weekday_hour_heatmap()`.
- The other notebooks: `02_where_the_time_went` (projects, teams, issues,
  tags), `03_timesheet_health` (missing days, overtime, utilization),
  `04_billable_hours` (billable share, an invoice table in Excel) and
  `05_dashboard` (the same by clicking)."""
    ),
]

write("01_quickstart", cells)
