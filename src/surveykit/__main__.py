"""`python -m surveykit …` is the `surveykit` command (what the Makefile calls)."""
from surveykit.app.cli import main

raise SystemExit(main())
