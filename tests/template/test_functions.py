"""Every function: runtime, architecture, layer, tracing, and least-privilege table access."""

from __future__ import annotations

from tests.template.helpers import (
    effective,
    effective_layers,
    globals_function,
    is_read_only,
    is_static,
    load,
    policy_refs,
    resources_of_type,
)

READ = "TableReadPolicy"
WRITE = "TableWritePolicy"
JWT = "JwtSecretReadPolicy"
LOGIN = "LoginAttemptsPolicy"


def test_globals_set_runtime_architecture_tracing_and_layer():
    fn = globals_function(load())
    assert fn["Runtime"] == "python3.13"
    assert fn["Architectures"] == ["arm64"]
    assert fn["Tracing"] == "Active"
    assert {"Ref": "ConduitLayer"} in fn["Layers"]


def test_every_function_runs_python313_on_arm64():
    tpl = load()
    for name in tpl.functions():
        assert effective(tpl, name, "Runtime") == "python3.13", name
        assert effective(tpl, name, "Architectures") == ["arm64"], name


def test_every_function_uses_the_shared_layer():
    tpl = load()
    layers = resources_of_type(tpl, "AWS::Serverless::LayerVersion")
    assert list(layers) == ["ConduitLayer"]
    for name in tpl.functions():
        assert {"Ref": "ConduitLayer"} in effective_layers(tpl, name), name


def test_every_function_has_active_tracing():
    tpl = load()
    for name in tpl.functions():
        assert effective(tpl, name, "Tracing") == "Active", name


def test_function_policies_only_reference_the_templates_managed_policies():
    """No inline statements, no SAM policy templates (DynamoDBCrudPolicy / DynamoDBReadPolicy grant Scan)."""
    tpl = load()
    managed = set(resources_of_type(tpl, "AWS::IAM::ManagedPolicy"))
    assert managed == {READ, WRITE, JWT, LOGIN}
    static = {route.function for route in tpl.routes() if is_static(route)}
    for name, props in tpl.functions().items():
        policies = props.get("Policies") or []
        assert bool(policies) != (name in static), f"{name}: {policies} (only the static docs need none)"
        assert len(policy_refs(tpl, name)) == len(policies), f"{name}: {policies}"
        assert set(policy_refs(tpl, name)) <= managed, name
        assert "Role" not in props, f"{name}: a custom Role bypasses the managed policies"


def test_read_only_functions_do_not_get_the_write_policy_and_writers_do():
    tpl = load()
    readers, writers, static = set(), set(), set()
    for route in tpl.routes():
        refs = policy_refs(tpl, route.function)
        if is_static(route):
            static.add(route.function)
            assert refs == [], f"{route.route_key} serves files: no table access"
            continue
        assert READ in refs, route.function
        if is_read_only(route):
            readers.add(route.function)
            assert WRITE not in refs, f"{route.route_key} is read-only but gets {WRITE}"
        else:
            writers.add(route.function)
            assert WRITE in refs, f"{route.route_key} writes but lacks {WRITE}"
    assert "UsersLoginFunction" in readers
    assert {"UsersRegisterFunction", "ArticleCreateFunction", "CommentDeleteFunction"} <= writers
    streams = {name for name, _ in tpl.stream_functions()}
    for name in streams:  # the feed consumer reads followers and writes feed entries: no secret
        assert sorted(policy_refs(tpl, name)) == [READ, WRITE], name
    assert len(readers) + len(writers) + len(static) + len(streams) == len(tpl.functions())


def test_only_functions_that_handle_tokens_may_read_the_jwt_secret():
    tpl = load()
    for route in tpl.routes():
        refs = policy_refs(tpl, route.function)
        if route.route_key == "GET /api/tags" or is_static(route):
            assert JWT not in refs, f"{route.route_key} neither issues nor verifies tokens"
        else:
            assert JWT in refs, f"{route.route_key} issues or verifies tokens"


def test_login_may_count_its_attempts_and_write_nothing_else():
    """Login reserves attempts on its counters before checking a password (conduit.services.users):
    UpdateItem on the QUOTA#login-* items only, and no other function needs that policy."""
    tpl = load()
    for name in tpl.functions():
        assert (LOGIN in policy_refs(tpl, name)) == (name == "UsersLoginFunction"), name
    (statement,) = resources_of_type(tpl, "AWS::IAM::ManagedPolicy")[LOGIN]["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Action"] == "dynamodb:UpdateItem"
    assert statement["Resource"] == {"Fn::GetAtt": "ConduitTable.Arn"}  # the table itself, no index
    assert statement["Condition"] == {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["QUOTA#login-*"]}}
