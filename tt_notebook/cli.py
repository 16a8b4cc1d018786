"""The ``tt-notebook`` command."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``tt-notebook`` command line; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="tt-notebook",
        description="Tools for analysing Everit Timetracker worklogs.",
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=__version__)
    commands = parser.add_subparsers(dest="command", required=True)
    server = commands.add_parser(
        "demo-server",
        help="serve the built-in Timetracker emulator in the foreground",
    )
    server.add_argument(
        "--host", default="127.0.0.1", type=_loopback, help="a loopback address"
    )
    server.add_argument("--port", type=_port, default=8765, help="0 picks a free port")
    server.add_argument("--seed", type=int, default=2025, help="organisation seed")
    server.add_argument("-v", "--verbose", action="store_true", help="log requests")
    faults = server.add_argument_group(
        "faults on purpose", "make the emulator slow or failing, reproducibly"
    )
    faults.add_argument(
        "--latency", type=float, default=0.0, help="seconds each request waits"
    )
    faults.add_argument(
        "--jitter", type=float, default=0.0, help="seconds added or taken at random"
    )
    faults.add_argument(
        "--fault-seed", type=int, default=0, help="seed of every random fault draw"
    )
    faults.add_argument(
        "--fault",
        action="append",
        default=[],
        type=_fault,
        metavar="SPEC",
        help=(
            "a fault as key=value pairs, repeatable, such as "
            "'status=429,path=/report/details,times=3,retry_after=0.5' "
            "or 'drop,path=/report/details,nth=2+5'"
        ),
    )
    _add_export(commands)
    args = parser.parse_args(argv)
    if args.command == "export":
        return _export(args)

    if args.command == "demo-server":
        logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO)
        from .emulator import FaultPlan, serve

        try:
            plan = FaultPlan(
                args.fault,
                latency=args.latency,
                jitter=args.jitter,
                seed=args.fault_seed,
            )
        except ValueError as exc:
            server.error(str(exc))
        try:
            serve(host=args.host, port=args.port, seed=args.seed, faults=plan)
        except OSError as exc:
            print(
                f"tt-notebook demo-server: cannot listen on {args.host}:{args.port}"
                f" ({exc.strerror or exc}); pick another --port, or 0 for a free one.",
                file=sys.stderr,
            )
            return 1
    return 0


def _loopback(text: str) -> str:
    """Accept only loopback addresses: the emulator is not for a network."""
    import ipaddress

    try:
        loopback = text == "localhost" or ipaddress.ip_address(text).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a loopback address: the emulator serves demo data "
            "and fake tokens to this machine only; use 127.0.0.1 or ::1."
        )
    return text


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port from 0 to 65535.")
    return port


def _fault(text: str) -> object:
    """Parse one ``--fault`` value (argparse shows a ValueError as an error)."""
    from .emulator import Fault

    try:
        return Fault.from_spec(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


#: File suffixes that name an export format.
EXPORT_FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".parquet": "parquet"}


def _add_export(commands: Any) -> None:
    export = commands.add_parser(
        "export",
        help="write the worklogs of a date range to CSV, Excel or Parquet",
        description=(
            "Fetch the worklogs of a date range and write them to a file. The "
            "token comes from TIMETRACKER_API_KEY (or use --demo)."
        ),
    )
    export.add_argument(
        "--from", dest="start", required=True, metavar="DAY", help="first day"
    )
    export.add_argument(
        "--to", dest="end", required=True, metavar="DAY", help="last day, included"
    )
    export.add_argument(
        "--tz",
        dest="timezone",
        metavar="ZONE",
        help="IANA zone of days and times (default: TIMETRACKER_TIMEZONE or "
        "this machine's zone)",
    )
    export.add_argument(
        "--format",
        choices=sorted(set(EXPORT_FORMATS.values())),
        help="file format (default: from the --out suffix)",
    )
    export.add_argument("--out", required=True, type=Path, help="file to write")
    export.add_argument(
        "--base-url", help="service root (default: TIMETRACKER_BASE_URL or Everit's)"
    )
    export.add_argument(
        "--demo", action="store_true", help="export the built-in demo organisation"
    )
    export.add_argument(
        "--user", action="append", dest="users", metavar="ACCOUNT_ID", help="repeatable"
    )
    export.add_argument(
        "--project",
        action="append",
        dest="projects",
        metavar="PROJECT_ID",
        help="numeric Jira project id, repeatable",
    )
    export.add_argument(
        "--no-progress", action="store_true", help="hide the progress bar"
    )


def _export(args: argparse.Namespace) -> int:
    """Fetch the range (pages in parallel, a progress bar), then write the file."""
    from tqdm.auto import tqdm

    from . import frames
    from .config import local_timezone_name
    from .connection import connect
    from .demo import demo
    from .errors import TTError

    out: Path = args.out
    kind = args.format or EXPORT_FORMATS.get(out.suffix.lower())
    if kind is None:
        print(
            "tt-notebook export: give --format csv, xlsx or parquet, or an --out "
            "file ending in .csv, .xlsx or .parquet.",
            file=sys.stderr,
        )
        return 2
    try:
        if args.demo:
            session = demo(timezone=args.timezone or local_timezone_name())
        else:
            session = connect(timezone=args.timezone, base_url=args.base_url)
        # Two steps under one bar; a long fetch adds its own bar of pages.
        with tqdm(
            total=2,
            desc="export",
            unit="step",
            disable=args.no_progress,
            file=sys.stderr,
        ) as bar:
            bar.set_postfix_str("fetching")
            frame = frames.fetch_worklogs(
                args.start,
                args.end,
                users=args.users,
                projects=args.projects,
                session=session,
                progress=not args.no_progress,
            )
            bar.update()
            bar.set_postfix_str(f"writing {kind}")
            if kind == "csv":
                frame.tt.to_csv(out)
            elif kind == "xlsx":
                frame.tt.to_excel(out)
            else:
                frame.tt.to_parquet(out)
            bar.update()
        session.close()
    except (TTError, ImportError, OSError) as exc:
        print(f"tt-notebook export: {exc}", file=sys.stderr)
        return 1
    print(
        f"Wrote {len(frame)} worklogs, {frame.attrs['start']} to "
        f"{frame.attrs['end']} in {session.timezone}, to {out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
