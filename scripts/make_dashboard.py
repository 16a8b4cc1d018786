"""Write notebooks/05_dashboard.ipynb from the cells below (no outputs).

Kept as a script so the notebook's source is reviewable as plain Python;
``python scripts/run_notebooks.py --inplace`` then stores its outputs. The
browser test (tests/browser/) clicks through this notebook in JupyterLab, and
tests/integration/test_widget_saved_state.py executes it with widget state
saved and searches the file for the token.
"""

from nbformat.v4 import new_code_cell, new_markdown_cell
from nbtools import write

cells = [
    new_markdown_cell(
        """# Dashboard: worklogs by clicking

Three steps, no code to edit:

1. **Connect.** Paste your API token (from *Apps > Timetracker > My
   Preferences > REST API*), pick the time zone your report days should run
   in, and press **Connect**. The status line says what the token can see, or
   what went wrong.
2. **Pick the days** (or a quick choice), and optionally people, projects and
   billable work. An empty list means everyone, or every project.
3. **Fetch.** A table and a chart appear; the chart and grouping pickers
   redraw them without asking the service again.

Without `TIMETRACKER_API_KEY` the form starts with **Use demo data** on:
Connect then starts the built-in emulator, whose organisation covers 2025
(leave the token empty for the administrator's view, or type another of its
demo tokens), and the quick date choices count from a day in June 2025.

The token never lands in this notebook: the password field is emptied as soon
as Connect is pressed, and a token from `TIMETRACKER_API_KEY` is used without
being copied into the field. Never type a token into a code cell."""
    ),
    new_code_cell(
        """import datetime as dt
import os

from tt_notebook.widgets import dashboard, login_form

DEMO = not os.environ.get("TIMETRACKER_API_KEY")
# The demo organisation covers 2025: count "this week" and friends from there.
TODAY = dt.date(2025, 6, 18) if DEMO else None

login = login_form(timezone="Europe/Budapest", demo=DEMO)
login"""
    ),
    new_markdown_cell(
        """## Report

The people and projects lists fill in once connected (from the summary
report of the last year). Fetch shows a progress bar for long ranges."""
    ),
    new_code_cell(
        """board = dashboard(login, today=TODAY)
board"""
    ),
    new_markdown_cell(
        """## The fetched frame, in code

After **Fetch**, `board.frame` is the worklog DataFrame (one row per worklog;
the columns are in the README). Run the next cell again after fetching."""
    ),
    new_code_cell(
        """df = board.frame
if df is None:
    print("Nothing fetched yet: connect, pick the days, press Fetch, run me again.")
else:
    by_project = df.groupby("project_key", observed=True)["hours"].sum()
    print(by_project.sort_values(ascending=False).round(1))"""
    ),
    new_markdown_cell(
        """## The same without clicking

Every button has a method twin that a cell can call: `login.connect()`,
`board.set_range("last month")`, `board.fetch()`. For code that should raise
on errors rather than show them, use the functions themselves:
`tt.connect(token=..., timezone=...)` (or `tt.demo(...)`) and
`tt.fetch_worklogs(start, end, users=..., projects=..., billable=...)`."""
    ),
]

write("05_dashboard", cells)
