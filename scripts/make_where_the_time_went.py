"""Write notebooks/02_where_the_time_went.ipynb from the cells below (no outputs)."""

from nbtools import HOW_TO_CONNECT, code, connect, md, write

cells = [
    md(
        f"""# Where the time went: a quarter by project, team, issue and tag

This notebook answers the questions asked at the end of a quarter: **which
projects took the team's time, how each team and person split theirs, which
issues were the biggest, what kind of work it was (tags), and how March
compared with February.** It covers January to March 2025.

{HOW_TO_CONNECT}"""
    ),
    connect("2025-01-01", "2025-03-31"),
    code(
        """df = tt.fetch_worklogs(START, END, session=session, progress=False)
print(f"{len(df):,} worklogs, {df['hours'].sum():,.1f} hours")
# A deleted Jira user keeps their worklogs but loses the name: say so.
nameless = set(df.loc[df["author"].isna(), "author_id"].astype(str))


def named(table):
    return table.rename(index=lambda a: "(deleted user)" if a in nameless else a)"""
    ),
    md(
        """## Projects

Hours per project and each project's share of the quarter. `LEAVE` is
absence (vacation, sick leave, public holidays): logged like work, but not
work."""
    ),
    code(
        """hours = df.tt.totals(by="project").sort_values(ascending=False)
pd.DataFrame({"hours": hours, "share": hours / hours.sum()}).round(3)"""
    ),
    code(
        """ax = df.tt.plot.hours_by_week(by="project")
plt.show()""",
        png="weekly_hours_by_project",
    ),
    md(
        """## Teams

Teams are Jira groups. The worklogs do not say who is in which group; the
fillchecker report does, one request per group. Each row below is a team's
quarter, split by project, in hours and then as shares of the team's time."""
    ),
    code(
        """TEAMS = ["developers", "consultants", "support"]
team_of = {}
for team in TEAMS:
    members = tt.fetch_fillchecker(
        START, START, groups=[team], names=False, session=session
    )
    team_of.update(dict.fromkeys(members["author_id"], team))

teams = df.assign(team=df["author_id"].astype(str).map(team_of).fillna("(none)"))
by_team = teams.tt.pivot(index="team", columns="project")
by_team.round(1)"""
    ),
    code("""by_team.div(by_team.sum(axis=1), axis=0).round(2)"""),
    md("""## People

Each person's quarter by project, in hours."""),
    code("""named(df.tt.pivot(index="author", columns="project")).round(1)"""),
    md(
        """## The biggest issues

Leave would top the list (vacation is one issue with many worklogs), so the
ranking below is of the work only."""
    ),
    code(
        """work = df.loc[df["project_key"] != "LEAVE"]
work.tt.top_issues(10).round(1)"""
    ),
    code(
        """ax = work.tt.plot.top_issues(10)
plt.show()""",
        png="top_issues",
    ),
    md(
        """## Kinds of work: tags

A worklog with two tags counts under both, so the tag totals add up to more
than the quarter's hours; work without tags is `(untagged)`. The `admin` tag
was retired in spring, so it appears only early in the year."""
    ),
    code(
        """tags = df.tt.totals(by="tag").sort_values(ascending=False)
tags.round(1).to_frame("hours")"""
    ),
    code("""work.tt.pivot(index="tag", columns="project").round(1)"""),
    md(
        """## March against February

The same project totals for two months side by side; `change` is the
difference relative to February (March has three more days, and more of
them working days)."""
    ),
    code(
        """february = df.tt.between("2025-02-01", "2025-02-28")
march = df.tt.between("2025-03-01", "2025-03-31")
march.tt.compare(february, labels=("March", "February")).round(2)"""
    ),
    md(
        """## When the work happens

Hours by weekday and the hour each worklog started, on Budapest's clock. The
team works from Europe, the Americas and Asia, so the working day is long;
the Saturday and Sunday rows are on-call work."""
    ),
    code(
        """ax = df.tt.plot.weekday_hour_heatmap()
plt.show()""",
        png="weekday_hours",
    ),
]

write("02_where_the_time_went", cells)
