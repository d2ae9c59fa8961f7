"""env/sam-local.json: the --env-vars file of `sam local invoke` (see events/README.md)."""

from __future__ import annotations

import json

from localapi.database import LOCAL_TABLE_PREFIX
from tests.template.helpers import ROOT, globals_function, load

ENV_FILE = ROOT / "env" / "sam-local.json"


def _parameters() -> dict[str, str]:
    data = json.loads(ENV_FILE.read_text(encoding="utf-8"))
    assert set(data) == {"Parameters"}, "one block for every function"
    return data["Parameters"]


def test_points_every_function_at_the_local_database():
    params = _parameters()
    assert params["DYNAMODB_ENDPOINT"] == "http://host.docker.internal:8000"
    assert params["TABLE_NAME"] == LOCAL_TABLE_PREFIX  # what `python -m localapi serve` creates


def test_uses_a_dev_only_secret_and_no_ssm():
    params = _parameters()
    assert params["JWT_SECRET_PARAMETER"] == ""
    secret = params["JWT_SECRET"]
    assert "local" in secret and "dev" in secret
    assert len(secret.encode()) >= 32, "HS256 keys shorter than 32 bytes are rejected as insecure by PyJWT"


def test_values_are_strings_and_carry_no_aws_credentials():
    params = _parameters()
    assert all(isinstance(value, str) for value in params.values())
    assert not [key for key in params if key.startswith("AWS_")]


def test_overrides_the_variables_the_template_declares():
    # `sam local invoke` ignores env-vars entries that the template does not declare.
    declared = globals_function(load())["Environment"]["Variables"]
    assert set(_parameters()) <= set(declared)


def test_local_only_variables_are_empty_in_aws():
    declared = globals_function(load())["Environment"]["Variables"]
    assert declared["DYNAMODB_ENDPOINT"] == ""
    assert declared["JWT_SECRET"] == ""
