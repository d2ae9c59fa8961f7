"""The RealWorld conformance suites: pinned suite files (suites.py) and their pinned runners (run-*.sh)."""
