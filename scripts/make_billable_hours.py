"""Write notebooks/04_billable_hours.ipynb from the cells below (no outputs)."""

from nbtools import HOW_TO_CONNECT, code, connect, md, write

cells = [
    md(
        f"""# Billable hours: shares, an invoice table and an Excel file

This notebook answers the questions asked before invoices go out: **how much
of the work was billable, per project and per person, how that share moved
over the quarter, how many billable hours each person worked on each project
in each week of March, and whether a fixed-budget project is still within
its budget.** The invoice table is written to an Excel workbook, a sheet per
project.

{HOW_TO_CONNECT}"""
    ),
    connect("2025-03-01", "2025-03-31"),
    code(
        """\
quarter = tt.fetch_worklogs("2025-01-01", END, session=session, progress=False)
df = quarter.tt.between(START, END)  # March
print(f"March: {len(df):,} worklogs, {df['hours'].sum():,.1f} hours")
nameless = set(df.loc[df["author"].isna(), "author_id"].astype(str))


def named(table):
    return table.rename(index=lambda a: "(deleted user)" if a in nameless else a)"""
    ),
    md(
        """## Billable share

Per project, then per person (lowest share first). Leave is never billable
and internal work hardly ever; a missing flag counts as non-billable. The
people's shares and the chart below leave out leave: it is not work, and
would lower the share of whoever took a vacation."""
    ),
    code(
        """projects = df.tt.billable_share(by="project")
projects.sort_values("billable_hours", ascending=False).round(2)"""
    ),
    code(
        """work = df.loc[df["project_key"] != "LEAVE"]
people = named(work.tt.billable_share(by="author"))
people = people.sort_values("billable_share", kind="stable")
people[["billable_hours", "total_hours", "billable_share"]].round(2)"""
    ),
    md(
        """## The share over the quarter

Week by week, for all work (black) and per project, against a target of
75 %."""
    ),
    code(
        """quarter_work = quarter.loc[quarter["project_key"] != "LEAVE"]
ax = quarter_work.tt.plot.billable_share(by="project", target=0.75)
plt.show()""",
        png="billable_share",
    ),
    md(
        """## The invoice table

Billable hours of March per project, person and ISO week (`2025-W09` and
`2025-W14` are partly outside March: only March's days count), with a total
per row. Here is the Web shop's part."""
    ),
    code(
        """billable = df.loc[df["billable"].fillna(False)]
invoice = billable.tt.pivot(index=["project", "author"], columns="week")
invoice.columns = [f"{week:%G-W%V}" for week in invoice.columns]
invoice["total"] = invoice.sum(axis=1)
invoice = invoice.rename(
    index=lambda a: "(deleted user)" if a in nameless else a, level="author"
)
invoice.loc["WEB"].round(2)"""
    ),
    code(
        """summary = invoice.groupby(level="project").sum()
summary.loc["all projects"] = summary.sum()
summary.round(2)"""
    ),
    md(
        """## The Excel workbook

One sheet per project, people down the side and weeks across, and a
summary sheet. It is written to `build/` beside the notebooks folder."""
    ),
    code(
        """from pathlib import Path

target = Path("..") / "build" / "invoice_2025-03.xlsx"
target.parent.mkdir(exist_ok=True)
with pd.ExcelWriter(target, engine="openpyxl") as workbook:
    summary.round(2).to_excel(workbook, sheet_name="summary")
    for project, table in invoice.groupby(level="project"):
        table.droplevel("project").round(2).to_excel(workbook, sheet_name=project)
print("Wrote", target.name, "with the sheets", pd.ExcelFile(target).sheet_names)"""
    ),
    code("""pd.read_excel(target, sheet_name="MOB", index_col="author").head()"""),
    md(
        """## A project against its budget

The Mobile app is sold at a fixed budget of 1,600 hours for the year's
first four months. The burn-up shows the hours logged on it day by day and,
at the pace of the last four weeks, when the budget runs out: in the demo
data, before April is over."""
    ),
    code(
        """ax = quarter.tt.plot.burnup("MOB", budget=1600)
plt.show()""",
        png="burnup_mob",
    ),
]

write("04_billable_hours", cells)
