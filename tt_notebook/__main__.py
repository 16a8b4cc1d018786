"""``python -m tt_notebook`` runs the ``tt-notebook`` command."""

from .cli import main

raise SystemExit(main())
