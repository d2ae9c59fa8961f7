"""Registration, login, the current user and changes to it; authentication failures."""

from __future__ import annotations

import time

from tests.api.helpers import assert_error, assert_error_field, expired_token, signed_token, user_id
from tests.conftest import unique

MISSING = {"token": ["is missing"]}
INVALID = {"token": ["is invalid"]}
BAD_CREDENTIALS = {"credentials": ["invalid"]}


def new_user(prefix: str = "reg") -> dict[str, str]:
    name = unique(prefix)
    return {"username": name, "email": f"{name}@example.com", "password": "password123"}


def login(client, email: str, password: str):
    return client.post("/users/login", json={"user": {"email": email, "password": password}})


# --- register -----------------------------------------------------------------------------------


def test_register_returns_201_with_user_and_null_bio_image(client):
    user = new_user()
    response = client.post("/users", json={"user": user})
    assert response.status_code == 201, response.text
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    body = response.json()
    assert set(body) == {"user"}
    assert set(body["user"]) == {"email", "token", "username", "bio", "image", "emailVerified"}
    assert body["user"]["emailVerified"] is False
    assert body["user"]["username"] == user["username"]
    assert body["user"]["email"] == user["email"]
    assert body["user"]["bio"] is None
    assert body["user"]["image"] is None
    assert body["user"]["token"].count(".") == 2
    assert "password" not in response.text


def test_registered_token_works_for_get_user(client):
    user = new_user()
    token = client.post("/users", json={"user": user}).json()["user"]["token"]
    me = client.get("/user", token=token)
    assert me.status_code == 200
    assert me.json()["user"]["username"] == user["username"]
    assert me.json()["user"]["token"] == token


def test_register_duplicate_username_is_409(client, make_user):
    existing = make_user("dupname")
    other = new_user()
    response = client.post("/users", json={"user": {**other, "username": existing["username"]}})
    assert_error(response, 409, {"username": ["has already been taken"]})
    # nothing of the second registration was stored: its email is still free
    assert client.post("/users", json={"user": other}).status_code == 201


def test_register_duplicate_username_differs_only_in_case_is_409(client, make_user):
    existing = make_user("casename")
    other = new_user()
    response = client.post("/users", json={"user": {**other, "username": existing["username"].upper()}})
    assert_error(response, 409, {"username": ["has already been taken"]})


def test_register_duplicate_email_is_409(client, make_user):
    existing = make_user("dupmail")
    other = new_user()
    response = client.post("/users", json={"user": {**other, "email": existing["email"]}})
    assert_error(response, 409, {"email": ["has already been taken"]})
    response = client.post("/users", json={"user": {**other, "email": existing["email"].upper()}})
    assert_error(response, 409, {"email": ["has already been taken"]})
    # the username of the failed registration was not reserved
    assert client.post("/users", json={"user": other}).status_code == 201


def test_register_missing_fields_are_422_each_blank(client):
    response = client.post("/users", json={"user": {}})
    assert_error(
        response,
        422,
        {"username": ["can't be blank"], "email": ["can't be blank"], "password": ["can't be blank"]},
    )


def test_register_blank_and_invalid_fields_are_422(client):
    user = new_user()
    assert_error(client.post("/users", json={"user": {**user, "username": ""}}), 422, {"username": ["can't be blank"]})
    assert_error(
        client.post("/users", json={"user": {**user, "username": "   "}}), 422, {"username": ["can't be blank"]}
    )
    assert_error(client.post("/users", json={"user": {**user, "email": ""}}), 422, {"email": ["can't be blank"]})
    assert_error(
        client.post("/users", json={"user": {**user, "password": None}}), 422, {"password": ["can't be blank"]}
    )
    assert_error_field(client.post("/users", json={"user": {**user, "email": "not-an-email"}}), 422, "email")
    assert_error_field(client.post("/users", json={"user": {**user, "password": "short"}}), 422, "password")
    assert_error_field(client.post("/users", json={"user": {**user, "username": "has space"}}), 422, "username")
    # none of these created the user
    assert client.post("/users", json={"user": user}).status_code == 201


def test_register_without_user_wrapper_is_422(client):
    response = client.post("/users", json=new_user())
    assert_error(response, 422, {"user": ["can't be blank"]})


# --- login ----------------------------------------------------------------------------------------


def test_login_returns_user_with_working_token(client, make_user):
    user = make_user("login")
    response = login(client, user["email"], user["password"])
    assert response.status_code == 200, response.text
    body = response.json()["user"]
    assert body["username"] == user["username"]
    assert body["email"] == user["email"]
    assert body["bio"] is None and body["image"] is None
    assert client.get("/user", token=body["token"]).json()["user"]["username"] == user["username"]


def test_login_email_is_case_insensitive(client, make_user):
    user = make_user("logincase")
    assert login(client, user["email"].upper(), user["password"]).status_code == 200


def test_login_wrong_password_is_401(client, make_user):
    user = make_user("wrongpw")
    assert_error(login(client, user["email"], "wrong-password"), 401, BAD_CREDENTIALS)


def test_login_unknown_email_is_401_with_the_same_body(client, make_user):
    user = make_user("knownmail")
    wrong_password = login(client, user["email"], "wrong-password")
    unknown = login(client, f"{unique('nobody')}@example.com", "password123")
    assert_error(unknown, 401, BAD_CREDENTIALS)
    assert unknown.json() == wrong_password.json()


def test_login_missing_fields_are_422(client):
    assert_error(
        client.post("/users/login", json={"user": {}}),
        422,
        {"email": ["can't be blank"], "password": ["can't be blank"]},
    )
    assert_error(
        client.post("/users/login", json={"user": {"email": "a@example.com", "password": ""}}),
        422,
        {"password": ["can't be blank"]},
    )


# --- GET /user --------------------------------------------------------------------------------------


def test_get_user_returns_current_user(client, make_user):
    user = make_user("me")
    response = client.get("/user", token=user["token"])
    assert response.status_code == 200
    assert response.json() == {
        "user": {
            "email": user["email"],
            "token": user["token"],
            "username": user["username"],
            "bio": None,
            "image": None,
            "emailVerified": False,
        }
    }


def test_get_user_without_token_is_401(client):
    assert_error(client.get("/user"), 401, MISSING)


def test_get_user_with_other_scheme_or_empty_token_is_401_missing(client, make_user):
    user = make_user("scheme")
    assert_error(client.get("/user", headers={"Authorization": f"Basic {user['token']}"}), 401, MISSING)
    assert_error(client.get("/user", headers={"Authorization": "Token "}), 401, MISSING)
    assert_error(client.get("/user", headers={"Authorization": user["token"]}), 401, MISSING)


def test_bearer_scheme_is_accepted(client, make_user):
    user = make_user("bearer")
    response = client.get("/user", headers={"Authorization": f"Bearer {user['token']}"})
    assert response.status_code == 200
    assert response.json()["user"]["username"] == user["username"]
    lower = client.get("/user", headers={"Authorization": f"token {user['token']}"})
    assert lower.status_code == 200


def test_garbage_token_is_401_invalid(client):
    assert_error(client.get("/user", token="not-a-jwt"), 401, INVALID)
    assert_error(client.get("/user", token="a.b.c"), 401, INVALID)


def test_tampered_token_is_401_invalid(client, make_user):
    victim = make_user("victim")
    attacker = make_user("attacker")
    header, _, signature = attacker["token"].split(".")
    _, payload, _ = victim["token"].split(".")
    assert_error(client.get("/user", token=f"{header}.{payload}.{signature}"), 401, INVALID)
    # a flipped signature character
    token = attacker["token"]
    flipped = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    assert_error(client.get("/user", token=flipped), 401, INVALID)


def test_token_signed_with_another_secret_is_401(client, make_user):
    user = make_user("othersecret")
    now = int(time.time())
    forged = signed_token({"sub": user_id(user["token"]), "iat": now, "exp": now + 600}, secret="x" * 48)
    assert_error(client.get("/user", token=forged), 401, INVALID)


def test_unsigned_token_is_401(client, make_user):
    user = make_user("algnone")
    import jwt

    now = int(time.time())
    unsigned = jwt.encode({"sub": user_id(user["token"]), "iat": now, "exp": now + 600}, None, algorithm="none")
    assert_error(client.get("/user", token=unsigned), 401, INVALID)


def test_expired_token_is_401(client, make_user):
    user = make_user("expired")
    assert_error(client.get("/user", token=expired_token(user_id(user["token"]))), 401, INVALID)
    # the same claims, not expired, are accepted: the 401 above is about `exp` only
    now = int(time.time())
    fresh = signed_token({"sub": user_id(user["token"]), "iat": now, "exp": now + 600})
    assert client.get("/user", token=fresh).status_code == 200


def test_token_without_exp_is_401(client, make_user):
    user = make_user("noexp")
    token = signed_token({"sub": user_id(user["token"]), "iat": int(time.time())})
    assert_error(client.get("/user", token=token), 401, INVALID)


def test_token_of_unknown_user_is_401(client):
    now = int(time.time())
    ghost = signed_token({"sub": "0000000000000000deadbeef", "iat": now, "exp": now + 600})
    assert_error(client.get("/user", token=ghost), 401, INVALID)


def test_invalid_token_is_rejected_on_optional_auth_endpoints(client):
    assert_error(client.get("/articles", token="not-a-jwt"), 401, INVALID)


# --- PUT /user --------------------------------------------------------------------------------------


def test_update_bio_and_image(client, make_user):
    user = make_user("bio")
    changes = {"bio": "I write things", "image": "https://example.com/me.png"}
    response = client.put("/user", token=user["token"], json={"user": changes})
    assert response.status_code == 200, response.text
    body = response.json()["user"]
    assert body["bio"] == "I write things"
    assert body["image"] == "https://example.com/me.png"
    assert body["username"] == user["username"] and body["email"] == user["email"]
    assert body["token"] == user["token"]
    again = client.get("/user", token=user["token"]).json()["user"]
    assert again["bio"] == "I write things" and again["image"] == "https://example.com/me.png"
    profile = client.get(f"/profiles/{user['username']}").json()["profile"]
    assert profile["bio"] == "I write things" and profile["image"] == "https://example.com/me.png"


def test_update_empty_bio_and_image_become_null(client, make_user):
    user = make_user("nullbio")
    client.put("/user", token=user["token"], json={"user": {"bio": "x", "image": "https://example.com/a.png"}})
    response = client.put("/user", token=user["token"], json={"user": {"bio": "", "image": ""}})
    assert response.status_code == 200
    assert response.json()["user"]["bio"] is None
    assert response.json()["user"]["image"] is None
    assert client.get("/user", token=user["token"]).json()["user"]["bio"] is None
    client.put("/user", token=user["token"], json={"user": {"bio": "y"}})
    explicit_null = client.put("/user", token=user["token"], json={"user": {"bio": None}})
    assert explicit_null.status_code == 200
    assert explicit_null.json()["user"]["bio"] is None


def test_update_leaves_unmentioned_fields(client, make_user):
    user = make_user("keep")
    client.put("/user", token=user["token"], json={"user": {"bio": "kept"}})
    client.put("/user", token=user["token"], json={"user": {"image": "https://example.com/x.png"}})
    body = client.get("/user", token=user["token"]).json()["user"]
    assert body["bio"] == "kept"
    assert body["image"] == "https://example.com/x.png"


def test_update_username_moves_the_profile(client, make_user):
    user = make_user("rename")
    new_name = unique("renamed")
    response = client.put("/user", token=user["token"], json={"user": {"username": new_name}})
    assert response.status_code == 200, response.text
    assert response.json()["user"]["username"] == new_name
    assert client.get("/user", token=user["token"]).json()["user"]["username"] == new_name
    assert client.get(f"/profiles/{new_name}").status_code == 200
    assert_error(client.get(f"/profiles/{user['username']}"), 404, {"profile": ["not found"]})
    # someone else can now take the old username
    taker = new_user()
    taken = client.post("/users", json={"user": {**taker, "username": user["username"]}})
    assert taken.status_code == 201, taken.text
    assert client.get(f"/profiles/{user['username']}").json()["profile"]["username"] == user["username"]
    # while the new name stays the renamed user's
    assert_error(
        client.post("/users", json={"user": {**new_user(), "username": new_name}}),
        409,
        {"username": ["has already been taken"]},
    )


def test_update_email_moves_the_login(client, make_user):
    user = make_user("remail")
    new_email = f"{unique('newmail')}@example.com"
    response = client.put("/user", token=user["token"], json={"user": {"email": new_email}})
    assert response.status_code == 200, response.text
    assert response.json()["user"]["email"] == new_email
    assert login(client, new_email, user["password"]).status_code == 200
    assert_error(login(client, user["email"], user["password"]), 401, BAD_CREDENTIALS)
    # the old email is free again
    assert client.post("/users", json={"user": {**new_user(), "email": user["email"]}}).status_code == 201


def test_update_username_and_email_to_own_values_is_fine(client, make_user):
    user = make_user("same")
    response = client.put(
        "/user", token=user["token"], json={"user": {"username": user["username"], "email": user["email"]}}
    )
    assert response.status_code == 200, response.text
    assert login(client, user["email"], user["password"]).status_code == 200
    assert client.get(f"/profiles/{user['username']}").status_code == 200


def test_update_to_taken_username_is_409_and_changes_nothing(client, make_user):
    first, second = make_user("takenA"), make_user("takenB")
    response = client.put(
        "/user", token=second["token"], json={"user": {"username": first["username"], "bio": "should not stick"}}
    )
    assert_error(response, 409, {"username": ["has already been taken"]})
    me = client.get("/user", token=second["token"]).json()["user"]
    assert me["username"] == second["username"]
    assert me["bio"] is None
    assert client.get(f"/profiles/{first['username']}").json()["profile"]["username"] == first["username"]
    assert client.get(f"/profiles/{second['username']}").status_code == 200


def test_update_to_taken_email_is_409_and_changes_nothing(client, make_user):
    first, second = make_user("takenC"), make_user("takenD")
    response = client.put("/user", token=second["token"], json={"user": {"email": first["email"].upper()}})
    assert_error(response, 409, {"email": ["has already been taken"]})
    assert login(client, second["email"], second["password"]).status_code == 200
    logged = login(client, first["email"], first["password"])
    assert logged.json()["user"]["username"] == first["username"]


def test_update_password_then_login_with_new_password(client, make_user):
    user = make_user("pw")
    response = client.put("/user", token=user["token"], json={"user": {"password": "a-new-password"}})
    assert response.status_code == 200, response.text
    assert "password" not in response.json()["user"]
    assert login(client, user["email"], "a-new-password").status_code == 200
    assert_error(login(client, user["email"], user["password"]), 401, BAD_CREDENTIALS)


def test_update_invalid_values_are_422_and_change_nothing(client, make_user):
    user = make_user("badupd")
    for changes, field in (
        ({"username": ""}, "username"),
        ({"username": None}, "username"),
        ({"email": ""}, "email"),
        ({"email": None}, "email"),
        ({"email": "nope"}, "email"),
        ({"password": ""}, "password"),
        ({"password": None}, "password"),
        ({"password": "short"}, "password"),
        ({"image": "javascript:alert(1)"}, "image"),
    ):
        response = client.put("/user", token=user["token"], json={"user": changes})
        assert_error_field(response, 422, field)
    assert_error(
        client.put("/user", token=user["token"], json={"user": {"username": ""}}), 422, {"username": ["can't be blank"]}
    )
    me = client.get("/user", token=user["token"]).json()["user"]
    assert me["username"] == user["username"] and me["email"] == user["email"] and me["image"] is None
    assert login(client, user["email"], user["password"]).status_code == 200


def test_update_password_limits(client, make_user):
    user = make_user("pwlen")
    assert client.put("/user", token=user["token"], json={"user": {"password": "x" * 8}}).status_code == 200
    assert client.put("/user", token=user["token"], json={"user": {"password": "y" * 64}}).status_code == 200
    assert login(client, user["email"], "y" * 64).status_code == 200


def test_update_user_requires_token(client):
    assert_error(client.put("/user", json={"user": {"bio": "x"}}), 401, MISSING)
    assert_error(client.put("/user", token="garbage", json={"user": {"bio": "x"}}), 401, INVALID)
