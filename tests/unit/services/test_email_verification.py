"""services.email_verification against the in-memory stores: links for the address they were sent to,
used once, resends limited per user, and the publishing gate of REQUIRE_VERIFIED_EMAIL."""

from __future__ import annotations

from dataclasses import replace

import pytest

from conduit import mail
from conduit.errors import ChangedConcurrently, EmailUnverified, InvalidInput, RateLimited, Unavailable
from conduit.services import email_verification
from tests.unit.fakes.people import People


def sent_token(world: People, uid: str) -> str:
    email_verification.resend(uid)
    email = world.outbox[-1]
    assert email.kind == mail.VERIFY_EMAIL
    return email.token


def test_following_the_link_verifies_the_email_once(world: People) -> None:
    ada = world.user("ada")
    token = sent_token(world, ada.id)
    assert world.outbox[-1].to == "ada@example.com" and world.outbox[-1].data["username"] == "ada"
    email_verification.confirm(token)
    assert world.users.users[ada.id].email_verified
    with pytest.raises(InvalidInput) as refused:
        email_verification.confirm(token)
    assert refused.value.errors == {"token": ["is invalid or expired"]}


def test_a_link_for_an_address_the_user_changed_since_verifies_nothing(world: People) -> None:
    ada = world.user("ada")
    token = sent_token(world, ada.id)
    world.users.apply_update(ada, replace(ada, email="ada@new.example"))
    with pytest.raises(InvalidInput):
        email_verification.confirm(token)
    assert not world.users.users[ada.id].email_verified


def test_an_expired_or_unknown_link_is_refused(world: People) -> None:
    ada = world.user("ada")
    token = sent_token(world, ada.id)
    world.verifications.now += 7 * 24 * 3600 + 1  # past EMAIL_VERIFICATION_TTL_SECONDS's default
    with pytest.raises(InvalidInput):
        email_verification.confirm(token)
    with pytest.raises(InvalidInput):
        email_verification.confirm("never-sent")


def test_a_link_used_by_a_concurrent_confirm_is_refused_and_a_changed_user_is_a_conflict(world: People) -> None:
    ada = world.user("ada")
    token = sent_token(world, ada.id)
    world.verifications.concurrently = lambda: world.users.apply_update(ada, replace(ada, username="ada2"))
    with pytest.raises(ChangedConcurrently):
        email_verification.confirm(token)
    world.verifications.concurrently = lambda: world.verifications.pending.clear()
    with pytest.raises(InvalidInput):
        email_verification.confirm(token)
    assert not world.users.users[ada.id].email_verified


def test_resends_are_limited_per_user_per_hour(world: People) -> None:
    ada = world.user("ada")
    for _ in range(email_verification.VERIFICATIONS_PER_USER_PER_HOUR):
        email_verification.resend(ada.id)
    with pytest.raises(RateLimited) as limited:
        email_verification.resend(ada.id)
    assert 1 <= limited.value.retry_after_seconds <= 3600
    assert len(world.outbox) == email_verification.VERIFICATIONS_PER_USER_PER_HOUR
    world.quotas.now += 3600
    email_verification.resend(ada.id)
    assert len(world.outbox) == email_verification.VERIFICATIONS_PER_USER_PER_HOUR + 1


def test_a_verified_user_gets_no_email_and_a_gone_user_an_error(world: People) -> None:
    ada = world.user("ada", email_verified=True)
    email_verification.resend(ada.id)
    assert world.outbox == []
    with pytest.raises(InvalidInput):
        email_verification.resend("u404")


def test_a_failed_send_does_not_fail_the_request_that_triggered_it(world: People, monkeypatch) -> None:
    ada = world.user("ada")

    def unavailable(*args: object) -> None:
        raise Unavailable()

    monkeypatch.setattr(mail, "enqueue", unavailable)
    email_verification.send_best_effort(ada)  # no exception
    with pytest.raises(Unavailable):
        email_verification.send(ada)


def test_publishing_needs_a_verified_email_only_where_the_stage_requires_it(world: People, set_env) -> None:
    ada, bob = world.user("ada"), world.user("bob", email_verified=True)
    email_verification.require_verified(ada.id)  # off by default
    set_env(REQUIRE_VERIFIED_EMAIL="true")
    with pytest.raises(EmailUnverified):
        email_verification.require_verified(ada.id)
    email_verification.require_verified(bob.id)
    with pytest.raises(EmailUnverified):
        email_verification.require_verified("u404")
