"""A Docker-free stand-in for `sam local start-api` / `sam local invoke`.

It reads routes, handlers, CORS and tables from template.yaml, starts an embedded DynamoDB
(moto) unless DYNAMODB_ENDPOINT is set, and calls the real handlers with HTTP API v2 events.
"""
