"""`python -m surveykit …` is the `surveykit` command (what the Makefile calls)."""
from .cli import main

raise SystemExit(main())
