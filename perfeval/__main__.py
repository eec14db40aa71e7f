"""`python -m perfeval`: the command line (see perfeval.cli)."""
from perfeval.cli import main

raise SystemExit(main())
