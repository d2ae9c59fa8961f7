"""Every function: runtime, architecture, layer, tracing, and least-privilege table access.

The table access test: `REQUIRED` says, per function, which DynamoDB actions its code makes and on
what (the table, or an index it queries), built from the code paths below; each function's
policies in template.yaml, resolved, must allow exactly that: no less (AWS would answer
AccessDeniedException), no more (least privilege). The same table is docs/security.md#table-access.
IAM checks a TransactWriteItems per action it contains (Put -> PutItem, Update -> UpdateItem,
Delete -> DeleteItem, ConditionCheck -> ConditionCheckItem), so transactions appear as those.
"""

from __future__ import annotations

from conduit.authz import rule_for
from tests.template.helpers import (
    TABLE,
    effective,
    effective_layers,
    globals_function,
    is_static,
    load,
    policy_refs,
    policy_statements,
    queue_functions,
    resources_of_type,
    table_grants,
)

JWT = "JwtSecretReadPolicy"
G, B, Q, P, U, D, C = (
    f"dynamodb:{name}"
    for name in ("GetItem", "BatchGetItem", "Query", "PutItem", "UpdateItem", "DeleteItem", "ConditionCheckItem")
)
BY_OWNER, BY_KIND, TAGS_BY_COUNT = "index/ByOwner", "index/ByKind", "index/TagsByCount"


def on_table(*actions: str) -> set[tuple[str, str]]:
    return {(action, TABLE) for action in actions}


def queries(*where: str) -> set[tuple[str, str]]:
    return {(Q, place) for place in where}


# Around every story, from the route's rule in conduit.authz (conduit.http.endpoint, conduit.graphql.context):
GUARD = on_table(G)  # a token is read: security.guard.current_role -> store.users.auth_state (GetItem)
WRITE_QUOTA = on_table(U)  # rule.write: security.guard.check -> store.quotas.reserve (one UpdateItem ADD)
# rule.idempotent: conduit.idempotency, Powertools' record (put, get, update, delete); under a key the
# create's transaction also puts its receipt (P), and a re-send that finds it reads the receipt and the
# item it names (G) (store.receipts)
IDEMPOTENCY = on_table(P, G, U, D)
RELATIONS = on_table(B)  # services.relations.load: authors, follow and favorite edges (and the article), one batch
SLUG = on_table(G)  # store.articles.find_by_slug: the slug marker
USERNAME = on_table(G)  # store.users.id_for_username: the username marker

# The story of each route: what its service and store functions call.
STORIES: dict[str, set[tuple[str, str]]] = {
    # store.users.create: T(Put user, Put email marker, Put username marker)
    "POST /api/users": on_table(P),
    # quotas.reserve per source IP and email before the password check, quotas.release after a right
    # one (U), users.id_for_email + users.get (G)
    "POST /api/users/login": on_table(G, U),
    # quotas.reserve per source IP and email (U); users.id_for_email + users.get (G); resets.add (P)
    "POST /api/users/password-reset": on_table(G, U, P),
    # resets.find + users.get (G); users.update: T(Update user, Delete the reset token) (U, D)
    "POST /api/users/password-reset/confirm": on_table(G, U, D),
    # verifications.find + users.get (G); users.update: T(Update user, Delete the verification token) (U, D)
    "POST /api/users/verify-email": on_table(G, U, D),
    # quotas.reserve per user (U); users.get (G); verifications.add (P)
    "POST /api/user/verify-email": on_table(U, G, P),
    # quotas.reserve/release per user (U); users.get (G); deletions.start: T(Put job, Update user, Delete both
    # markers) (P, U, D); when already deleting, the job (G)
    "DELETE /api/user": on_table(G, P, U, D),
    "POST /api/user/export": on_table(P),  # exports.create
    "GET /api/user/export/{id}": on_table(G),  # exports.get
    "GET /api/user": on_table(G),  # users.get
    # users.get; users.update: T(Update user, Delete old marker, Put new marker)
    "PUT /api/user": on_table(G, U, D, P),
    "GET /api/profiles/{username}": USERNAME | RELATIONS,
    # follows.follow: T(Put edge, ConditionCheck followee, Update followingCount)
    "POST /api/profiles/{username}/follow": USERNAME | on_table(P, C, U) | RELATIONS,
    # follows.unfollow: T(Delete edge, Update followingCount)
    "DELETE /api/profiles/{username}/follow": USERNAME | on_table(D, U) | RELATIONS,
    # tag: Query TAG#; author/favorited: the username marker, then ByOwner; none: ByKind; the page and counter (B)
    "GET /api/articles": USERNAME | queries(TABLE, BY_OWNER, BY_KIND) | RELATIONS,
    # follows.followees (Query USER#), each author's ByOwner page, their counters (B); fan-out: Query FEED#
    "GET /api/articles/feed": queries(TABLE, BY_OWNER) | RELATIONS,
    # articles.create: T(Put article, Put slug marker, Update counters, Put tag items, Update tag counter
    # shards); store.counters.refresh_tag_heads: Query the tags' shards, Update (or Delete) their heads
    "POST /api/articles": on_table(P, U, D) | queries(TABLE) | RELATIONS,
    "GET /api/articles/{slug}": SLUG | RELATIONS,
    # the article (G); articles.update: T(Update article, Delete/Put slug marker and tag items, Update tag
    # counters); zero tag counters deleted (D); on a failed condition, the article again (G); the changed
    # tags' heads refreshed from their shards (Query)
    "PUT /api/articles/{slug}": SLUG | on_table(G, U, D, P) | queries(TABLE) | RELATIONS,
    # the article (G); mark it deleting (U); children by Query; comments deleted (D), favorites by T(Delete,
    # Update, Update); T(Delete article, marker, tag items; Update counters); zero tag counters deleted (D)
    "DELETE /api/articles/{slug}": SLUG | on_table(G, U, D) | queries(TABLE),
    # favorites.favorite: T(Put edge, Update pending marker, Update user count); the fold if quiet: Query the
    # markers, T(Update article count, Delete markers) (or, on a closed article, the undo: T(Delete, Delete, Update))
    "POST /api/articles/{slug}/favorite": SLUG | on_table(P, U, D) | queries(TABLE) | RELATIONS,
    # favorites.unfavorite: T(Delete edge, Update pending marker, Update user count); the fold as above
    "DELETE /api/articles/{slug}/favorite": SLUG | on_table(D, U) | queries(TABLE) | RELATIONS,
    "GET /api/articles/{slug}/comments": SLUG | queries(TABLE) | RELATIONS,  # comments.list_for: Query COMMENT#
    # comments.add: Update commentSeq; T(ConditionCheck article open, Put comment)
    "POST /api/articles/{slug}/comments": SLUG | on_table(U, C, P) | RELATIONS,
    # comments.delete: T(Delete comment on its author); on a failed condition, the comment (G)
    "DELETE /api/articles/{slug}/comments/{id}": SLUG | on_table(D, G),
    "GET /api/tags": queries(TAGS_BY_COUNT),  # tags.popular
    "GET /api/admin/users": queries(BY_KIND) | on_table(B),  # users.accounts: ByKind, then the users (B)
    "PUT /api/admin/users/{username}/role": USERNAME | on_table(U),  # users.set_flags
    "POST /api/admin/users/{username}/suspend": USERNAME | on_table(U),
    "DELETE /api/admin/users/{username}/suspend": USERNAME | on_table(U),
    "DELETE /api/admin/users/{username}": USERNAME | on_table(G, P, U, D),  # users.get; deletions.start as above
    "GET /api/admin/deletions/{id}": on_table(G),  # deletions.get
}


def route_access(route: str) -> set[tuple[str, str]]:
    rule = rule_for(route)
    needed = set(STORIES[route])
    if rule.auth != "none":
        needed |= GUARD
    if rule.write:
        needed |= WRITE_QUOTA
    if rule.idempotent:
        needed |= IDEMPOTENCY
    return needed


def _union(routes: list[str]) -> set[tuple[str, str]]:
    return set().union(*(route_access(route) for route in routes))


def required() -> dict[str, set[tuple[str, str]]]:
    """Function -> the (action, resource) pairs its code makes."""
    needed = {route.function: route_access(route.route_key) for route in load().routes() if route.route_key in STORIES}
    # POST /api/graphql runs every root field (each applies its REST route's rule and calls its service);
    # GET /api/graphql runs queries only (Strawberry refuses mutations over GET): the REST reads.
    needed["GraphqlFunction"] = _union(list(STORIES))
    needed["GraphqlGetFunction"] = _union([route for route in STORIES if route.startswith("GET ")])
    # store.feed on stream records: followers / authored ids (Query ByOwner), existing entries (B), the follow
    # edge (G), T(Put or Delete entries, Update feedCount)
    needed["FeedFanoutFunction"] = queries(BY_OWNER) | on_table(B, G, P, D, U)
    # store.favorites.fold on stream records: Query the markers; T(Update article count, Delete markers); the
    # undo of a closed article's: T(Delete edge, Delete marker, Update user count), Delete marker
    needed["FavoritesFoldFunction"] = queries(TABLE) | on_table(U, D)
    needed["EmailSenderFunction"] = set()  # conduit.mail.send: SES only, no table access
    # services.account_purge.run_batch: the job (G, U; finish T(Update job, Delete user)); phases (store.owned) read
    # their partitions (Q table: FOLLOWS#, FEED#; Q ByOwner: AUTHOR#, COMMENTER#, FAVBY#, FOLLOWERS#), remove
    # through the store: articles.delete (G, U, D, Q), comments.delete (D, G), favorites.unfavorite and
    # follows.unfollow (D, U); in fan-out mode store.feed (Q ByOwner, B, D, U)
    needed["AccountPurgeFunction"] = on_table(G, B, U, D) | queries(TABLE, BY_OWNER)
    # services.exports.build: the job (G, U); the user (G); ByOwner AUTHOR#, COMMENTER#, FAVBY#, FOLLOWERS#
    # and Q USER#<uid> FOLLOWS#; the items they name (B)
    needed["ExportBuilderFunction"] = on_table(G, B, U) | queries(TABLE, BY_OWNER)
    return needed


# Routes that neither issue nor verify tokens (the reset request only queues an email).
NO_TOKENS = {"GET /api/tags", "POST /api/users/password-reset", "POST /api/users/verify-email"}


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
    assert list(layers) == ["ConduitLayer", "GraphqlLayer"]
    for name in tpl.functions():
        assert effective_layers(tpl, name)[0] == {"Ref": "ConduitLayer"}, name


def test_only_the_graphql_functions_get_the_graphql_layer():
    tpl = load()
    with_graphql = {name for name in tpl.functions() if {"Ref": "GraphqlLayer"} in effective_layers(tpl, name)}
    assert with_graphql == {"GraphqlFunction", "GraphqlGetFunction"}
    for name in with_graphql:
        assert effective_layers(tpl, name) == [{"Ref": "ConduitLayer"}, {"Ref": "GraphqlLayer"}]


def test_every_function_has_active_tracing():
    tpl = load()
    for name in tpl.functions():
        assert effective(tpl, name, "Tracing") == "Active", name


def test_every_function_is_granted_exactly_the_table_access_its_code_makes():
    """No less (AWS would answer AccessDeniedException: a failed login's counters once gave 500s), no more."""
    tpl = load()
    needed = required()
    static = {route.function for route in tpl.routes() if is_static(route)}
    assert set(needed) | static == set(tpl.functions())
    for name in tpl.functions():
        granted = table_grants(tpl, name)
        wanted = needed.get(name, set())
        assert not wanted - granted, f"{name} lacks {sorted(wanted - granted)}"
        assert not granted - wanted, f"{name} is granted more than its code uses: {sorted(granted - wanted)}"


def test_the_login_function_may_count_failed_logins():
    granted = table_grants(load(), "UsersLoginFunction")
    assert (U, TABLE) in granted, "quotas.reserve before the password check is an UpdateItem"
    assert not {(P, TABLE), (D, TABLE), (C, TABLE)} & granted


def test_read_routes_write_nothing():
    tpl = load()
    for route in tpl.routes():
        if route.method == "GET":
            actions = {action for action, _ in table_grants(tpl, route.function)}
            assert not actions & {P, U, D, C}, f"{route.route_key} is a read but may write: {sorted(actions)}"


def test_function_policies_are_the_jwt_policy_and_inline_table_statements():
    """No SAM policy templates (DynamoDBCrudPolicy / DynamoDBReadPolicy grant Scan), no custom roles."""
    tpl = load()
    managed = set(resources_of_type(tpl, "AWS::IAM::ManagedPolicy"))
    assert managed == {JWT}
    static = {route.function for route in tpl.routes() if is_static(route)}
    for name, props in tpl.functions().items():
        policies = props.get("Policies") or []
        assert bool(policies) != (name in static), f"{name}: {policies} (only the static docs need none)"
        for policy in policies:
            assert set(policy) in ({"Ref"}, {"Version", "Statement"}), f"{name}: {policy}"
        assert set(policy_refs(tpl, name)) <= managed, name
        assert "Role" not in props, f"{name}: a custom Role bypasses the template's policies"


def test_only_functions_that_handle_tokens_may_read_the_jwt_secret():
    tpl = load()
    for route in tpl.routes():
        refs = policy_refs(tpl, route.function)
        if route.route_key in NO_TOKENS or is_static(route):
            assert JWT not in refs, f"{route.route_key} neither issues nor verifies tokens"
        else:
            assert JWT in refs, f"{route.route_key} issues or verifies tokens"
    for name, _ in tpl.stream_functions():
        assert JWT not in policy_refs(tpl, name), f"{name} handles no tokens"


def _statements_on(tpl, function: str, service: str) -> list[dict]:
    found = []
    for statement in policy_statements(tpl, function):
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        if any(action.startswith(f"{service}:") for action in actions):
            found.append(statement)
    return found


# Functions whose code queues emails (conduit.mail.enqueue): reset links, verification links at registration,
# on email changes and on request, and GraphQL's register/updateUser.
EMAIL_QUEUERS = {
    "PasswordResetFunction",
    "UsersRegisterFunction",
    "UserUpdateFunction",
    "VerifyEmailResendFunction",
    "GraphqlFunction",
}
# Functions that queue account deletion batches (services.accounts): the starts, and each batch its next.
DELETION_QUEUERS = {"UserDeleteFunction", "AdminUserDeleteFunction", "AccountPurgeFunction", "GraphqlFunction"}


def test_only_the_functions_that_queue_emails_may_and_only_the_sender_may_send_them():
    """Least privilege beyond the table: one queue, one action; SES only from the sender identity's templates."""
    tpl = load()
    for name in tpl.functions():
        sqs = _statements_on(tpl, name, "sqs")
        ses = _statements_on(tpl, name, "ses")
        wanted = [("sqs:SendMessage", {"Fn::GetAtt": "EmailQueue.Arn"})] if name in EMAIL_QUEUERS else []
        if name in DELETION_QUEUERS:
            wanted.append(("sqs:SendMessage", {"Fn::GetAtt": "AccountDeletionQueue.Arn"}))
        if name == "UserExportStartFunction":
            wanted.append(("sqs:SendMessage", {"Fn::GetAtt": "ExportQueue.Arn"}))
        assert [(s["Action"], s["Resource"]) for s in sqs] == wanted, name
        if name == "EmailSenderFunction":
            (statement,) = ses
            assert statement["Action"] == "ses:SendTemplatedEmail"
            assert [r["Fn::Sub"].rsplit(":", 1)[1] for r in statement["Resource"]] == [
                "identity/${SenderEmail}",
                "template/${PasswordResetEmailTemplate}",
                "template/${VerifyEmailTemplate}",
            ]
        else:
            assert not ses, name
    assert set(queue_functions(tpl)) == {"EmailSenderFunction", "AccountPurgeFunction", "ExportBuilderFunction"}


def test_exports_are_private_encrypted_expiring_and_reached_only_by_their_functions():
    tpl = load()
    (bucket,) = resources_of_type(tpl, "AWS::S3::Bucket").values()
    props = bucket["Properties"]
    assert props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
    assert set(props["PublicAccessBlockConfiguration"].values()) == {True}
    assert props["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    (rule,) = props["LifecycleConfiguration"]["Rules"]
    assert rule["Status"] == "Enabled" and 0 < rule["ExpirationInDays"] <= 30
    (policy,) = resources_of_type(tpl, "AWS::S3::BucketPolicy").values()
    (tls,) = policy["Properties"]["PolicyDocument"]["Statement"]
    assert tls["Effect"] == "Deny" and tls["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    objects = {"Fn::Sub": "${ExportBucket.Arn}/exports/*"}
    for name in tpl.functions():
        s3 = [(s["Action"], s["Resource"]) for s in _statements_on(tpl, name, "s3")]
        wanted = {
            "ExportBuilderFunction": [("s3:PutObject", objects)],
            "UserExportGetFunction": [("s3:GetObject", objects)],  # the pre-signed URLs it signs
        }.get(name, [])
        assert s3 == wanted, name
