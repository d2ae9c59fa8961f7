"""store.users.update turns two User entities (as read, as wanted) into the one conditional transaction:
only what differs is written, marker moves ride along, and the conditions compare with what was read."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from conduit.entities.users import CredentialsState, User
from conduit.errors import ChangedConcurrently, EmailTaken, UsernameTaken
from conduit.store import ops, users

ADA = User("u1", "ada", "ada@example.com", "hash", bio="bio", image="me.png", created_at="t0", updated_at="t0")


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[list[dict[str, Any]]]:
    transactions: list[list[dict[str, Any]]] = []
    monkeypatch.setattr(ops, "transact", transactions.append)
    return transactions


def test_only_the_changed_attributes_are_written_under_the_read_username_and_email(sent) -> None:
    answer = users.update(ADA, replace(ADA, bio="new bio", image=None))
    [[update]] = sent
    action = update["Update"]
    assert action["Key"] == {"PK": {"S": "USER#u1"}, "SK": {"S": "PROFILE"}}
    assert action["UpdateExpression"] == "SET #bio = :bio, #updatedAt = :updatedAt REMOVE #image"
    assert action["ConditionExpression"] == "attribute_exists(PK) AND #username = :oldUsername AND #email = :oldEmail"
    assert action["ExpressionAttributeValues"][":oldUsername"] == {"S": "ada"}
    assert (answer.bio, answer.image, answer.email) == ("new bio", None, "ada@example.com")
    assert answer.updated_at != "t0"


def test_a_new_email_moves_its_marker_in_the_same_transaction(sent) -> None:
    users.update(ADA, replace(ADA, email="ada@new.example", email_verified=False))
    [[update, release, claim]] = sent
    assert "#email = :email" in update["Update"]["UpdateExpression"]
    assert release["Delete"]["Key"]["PK"] == {"S": "EMAIL#ada@example.com"}
    assert release["Delete"]["ConditionExpression"] == "userId = :me"
    assert claim["Put"]["Item"]["PK"] == {"S": "EMAIL#ada@new.example"}
    assert claim["Put"]["ConditionExpression"] == "attribute_not_exists(PK)"


def test_a_username_differing_in_case_only_keeps_its_marker(sent) -> None:
    users.update(ADA, replace(ADA, username="Ada"))
    [[update]] = sent
    assert "#username = :username" in update["Update"]["UpdateExpression"]


@pytest.mark.parametrize(
    ("before", "condition"),
    [
        (CredentialsState(), "attribute_not_exists(#credentialsVersion)"),
        (CredentialsState(2, "digest", 5), "#credentialsVersion = :oldVersion"),
    ],
)
def test_a_new_credentials_version_is_conditional_on_the_one_read(sent, before, condition) -> None:
    current = replace(ADA, credentials=before)
    users.update(current, replace(current, password_hash="new", credentials=CredentialsState(before.version + 1)))
    [[update]] = sent
    assert update["Update"]["ConditionExpression"].endswith(" AND " + condition)
    expression = update["Update"]["UpdateExpression"]
    assert "#credentialsVersion = :credentialsVersion" in expression
    if before.changed_by:  # a reset leaves no grace period: the last change's token is forgotten
        assert expression.endswith("REMOVE #credentialsChangedBy, #credentialsChangedAt")
        assert update["Update"]["ExpressionAttributeValues"][":oldVersion"] == {"N": "2"}


def test_a_cancelled_transaction_says_which_value_was_taken_or_that_the_user_changed(monkeypatch) -> None:
    def cancelled(*reasons: str) -> Any:
        def transact(actions: list[dict[str, Any]]) -> None:
            raise ops.TransactionCancelled(list(reasons))

        return transact

    both = replace(ADA, email="bob@example.com", username="bob")  # actions: user, email -/+, username -/+
    monkeypatch.setattr(ops, "transact", cancelled("None", "None", "ConditionalCheckFailed", "None", "None"))
    with pytest.raises(EmailTaken):
        users.update(ADA, both)
    monkeypatch.setattr(
        ops, "transact", cancelled("None", "None", "ConditionalCheckFailed", "None", "ConditionalCheckFailed")
    )
    with pytest.raises(UsernameTaken) as taken:
        users.update(ADA, both)
    assert taken.value.errors == {"username": ["has already been taken"], "email": ["has already been taken"]}
    monkeypatch.setattr(ops, "transact", cancelled("ConditionalCheckFailed"))
    with pytest.raises(ChangedConcurrently):
        users.update(ADA, replace(ADA, bio="x"))
