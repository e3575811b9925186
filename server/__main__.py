"""`python -m server …` is the `zmot` command."""

from server.cli import main

raise SystemExit(main())
