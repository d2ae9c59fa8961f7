"""`python -m apidocs` writes docs/openapi.json (and the copy GET /api/openapi.json serves); `--check` only checks."""

from apidocs.generate import main

raise SystemExit(main())
