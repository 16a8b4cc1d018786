"""The ``tt-notebook`` command."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Sequence

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``tt-notebook`` command line; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="tt-notebook",
        description="Tools for analysing Everit Timetracker worklogs.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    server = commands.add_parser(
        "demo-server",
        help="serve the built-in Timetracker emulator in the foreground",
    )
    server.add_argument("--host", default="127.0.0.1", help="loopback address")
    server.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    server.add_argument("--seed", type=int, default=2025, help="organisation seed")
    server.add_argument("-v", "--verbose", action="store_true", help="log requests")
    args = parser.parse_args(argv)

    if args.command == "demo-server":
        logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO)
        from .emulator import serve

        serve(host=args.host, port=args.port, seed=args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
