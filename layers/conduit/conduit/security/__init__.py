"""Authentication primitives: JWT tokens and password hashes."""
