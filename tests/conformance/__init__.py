"""Tests of the conformance tooling itself (no API, no npm)."""
