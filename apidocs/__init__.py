"""Dev-time tooling: the OpenAPI document generated from the code (`python -m apidocs`). Not deployed."""
