"""GraphQL mutations of the account lifecycle (issue 16): the same services and rules as REST."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit


def gql(client, query: str, token: str | None = None) -> dict:
    response = client.post("/graphql", json={"query": query}, token=token)
    assert response.status_code == 200, response.text
    return response.json()


def link_token(runtime, address: str, kind: str) -> str:
    runtime.drain_queues()
    (email,) = [e for e in runtime.aws.sent_emails() if e["to"] == [address] and e["template"].endswith(kind)]
    return parse_qs(urlsplit(email["data"]["link"]).query)["token"][0]


def test_reset_password_and_verify_email_by_graphql(client, runtime, make_user):
    user = make_user("gqlreset")
    verified = gql(client, f'mutation {{ verifyEmail(token: "{link_token(runtime, user["email"], "verify-email")}") }}')
    assert verified == {"data": {"verifyEmail": True}}
    asked = gql(client, f'mutation {{ requestPasswordReset(email: "{user["email"]}") }}')
    assert asked == {"data": {"requestPasswordReset": True}}
    token = link_token(runtime, user["email"], "password-reset")
    mutation = f'mutation {{ resetPassword(token: "{token}", password: "graphql-new-pw") {{ username token }} }}'
    reset = gql(client, mutation)
    assert reset["data"]["resetPassword"]["username"] == user["username"]
    assert client.get("/user", token=user["token"]).status_code == 401
    again = gql(client, f'mutation {{ resetPassword(token: "{token}", password: "graphql-other") {{ username }} }}')
    assert again["data"]["resetPassword"] is None and again["errors"]


def test_delete_account_by_graphql_needs_the_password(client, runtime, make_user):
    user = make_user("gqldelete")
    wrong = gql(client, 'mutation { deleteAccount(password: "not-it-at-all") }', token=user["token"])
    assert wrong["data"]["deleteAccount"] is None and wrong["errors"]
    assert client.get("/user", token=user["token"]).status_code == 200
    done = gql(client, 'mutation { deleteAccount(password: "password123") }', token=user["token"])
    assert done == {"data": {"deleteAccount": True}}
    assert client.get("/user", token=user["token"]).status_code == 401
    assert client.get(f"/profiles/{user['username']}").status_code == 404
