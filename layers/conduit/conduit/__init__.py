"""Shared layer of the Conduit API: HTTP edge, auth, validation, domain logic and DynamoDB access."""
