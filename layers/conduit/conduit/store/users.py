"""Users and their uniqueness markers (email, username)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from conduit.errors import AlreadyTaken, EmailTaken, ProfileNotFound, UsernameTaken, UserNotFound
from conduit.store import keys, ops, receipts
from conduit.store import transactions as tx
from conduit.store.client import Item
from conduit.store.conditions import EXISTS, all_of
from conduit.store.ids import iso_now, new_id


def create(username: str, email: str, password_hash: str) -> Item:
    now = iso_now()
    uid = new_id()
    user = {
        **keys.user(uid),
        "type": "user",
        "id": uid,
        "username": username,
        "email": email,
        "passwordHash": password_hash,
        "role": "user",
        "GSI2PK": keys.ALL_USERS_PARTITION,
        "GSI2SK": uid,
        "createdAt": now,
        "updatedAt": now,
    }
    actions = [
        tx.put_new(user),
        tx.put_new({**keys.email_marker(email), "userId": uid}),
        tx.put_new({**keys.username_marker(username), "userId": uid}),
    ]
    receipt = receipts.add(actions, keys.user(uid))
    try:
        ops.transact(actions)
    except ops.TransactionCancelled as cancelled:
        if cancelled.failed(receipt):  # an earlier attempt of this request registered: its markers failed here
            earlier = receipts.made_before()
            if earlier is None:
                raise UserNotFound() from None
            return earlier
        raise _taken(cancelled, email_index=1, username_index=2) from None
    return user


def get(uid: str, projection: tuple[str, ...] | None = None, consistent: bool = False) -> Item | None:
    return ops.get_item(keys.user(uid), projection, consistent=consistent)


def id_for_email(email: str) -> str | None:
    marker = ops.get_item(keys.email_marker(email))
    return marker["userId"] if marker else None


def id_for_username(username: str) -> str | None:
    marker = ops.get_item(keys.username_marker(username))
    return marker["userId"] if marker else None


def update(current: Item, changes: dict[str, Any], also: list[dict[str, Any]] | None = None) -> Item:
    """Apply changes to a user; username/email moves swap their markers in the same transaction.
    `also`: more actions of the same transaction (a password reset consumes its token with it).

    The user update is conditional on the username and email read before, so a concurrent change
    cannot leave a marker pointing at the wrong user; and, when it sets a new credentials version,
    on the version read before.
    """
    sets = {name: value for name, value in changes.items() if value is not None}
    removes = [name for name, value in changes.items() if value is None]
    sets["updatedAt"] = iso_now()
    actions = [_user_update(current, changes, sets, removes)]
    email_index = _move_marker(actions, current, changes, "email", keys.email_marker)
    username_index = _move_marker(actions, current, changes, "username", keys.username_marker)
    actions.extend(also or ())
    try:
        ops.transact(actions)
    except ops.TransactionCancelled as cancelled:
        if cancelled.failed(email_index) or cancelled.failed(username_index):
            raise _taken(cancelled, email_index, username_index) from None
        raise  # the user changed concurrently: surfaced as a retryable conflict by the caller
    updated = {**current, **sets}
    for name in removes:
        updated.pop(name, None)
    return updated


def _user_update(current: Item, changes: dict[str, Any], sets: dict[str, Any], removes: list[str]) -> tx.Action:
    """The user item's update, conditional on the username and email (and credentials version) read."""
    expression = "SET " + ", ".join(f"#{name} = :{name}" for name in sets)
    if removes:
        expression += " REMOVE " + ", ".join(f"#{name}" for name in removes)
    condition = all_of(EXISTS, "#username = :oldUsername", "#email = :oldEmail")
    guards: dict[str, Any] = {"oldUsername": current["username"], "oldEmail": current["email"]}
    if "credentialsVersion" in changes:  # a password change: one version step, never two at once
        if "credentialsVersion" in current:
            condition += " AND #credentialsVersion = :oldVersion"
            guards["oldVersion"] = current["credentialsVersion"]
        else:
            condition += " AND attribute_not_exists(#credentialsVersion)"
    action = tx.update(keys.user(current["id"]), expression, condition, **sets, **guards)
    action["Update"]["ExpressionAttributeNames"] = {f"#{name}": name for name in [*sets, *removes, "username", "email"]}
    return action


def _move_marker(
    actions: list[tx.Action], current: Item, changes: dict[str, Any], field: str, marker: Callable[[str], keys.Key]
) -> int:
    """Swap the uniqueness marker of `field` if it changes: its old one deleted (if still the user's),
    the new one put (if free). Returns the put's index in `actions`, or -1 when nothing moves."""
    new_value = changes.get(field)
    if new_value is None or marker(new_value) == marker(current[field]):
        return -1
    actions.append(tx.delete(marker(current[field]), "userId = :me", me=current["id"]))
    actions.append(tx.put_new({**marker(new_value), "userId": current["id"]}))
    return len(actions) - 1


def _taken(cancelled: ops.TransactionCancelled, email_index: int, username_index: int) -> AlreadyTaken:
    if cancelled.failed(username_index):
        error = UsernameTaken()
        if cancelled.failed(email_index):
            error.add("email", "has already been taken")
        return error
    if cancelled.failed(email_index):
        return EmailTaken()
    raise cancelled


AUTH_FIELDS = ("id", "role", "suspended", "credentialsVersion", "credentialsChangedBy", "credentialsChangedAt")


def auth_state(uid: str) -> Item | None:
    """What authorization needs of a user: role, suspension and which tokens their credentials
    still accept (conduit.security.credentials); one small GetItem."""
    return ops.get_item(keys.user(uid), AUTH_FIELDS)


def set_flags(uid: str, **flags: Any) -> Item:
    """Set administrative attributes (role, suspended) of an existing user."""
    expression = "SET " + ", ".join(f"#{name} = :{name}" for name in flags) + ", updatedAt = :now"
    names = {f"#{name}": name for name in flags}
    try:
        return ops.update_item(keys.user(uid), expression, EXISTS, names, **flags, now=iso_now())
    except ops.ConditionFailed:
        raise ProfileNotFound() from None


def page(offset: int, limit: int) -> list[Item]:
    """Users, newest first, from the ByKind index (keys only), then their items in one batch."""
    rows = ops.query(keys.ALL_USERS_PARTITION, index=keys.BY_KIND_INDEX, newest_first=True, limit=offset + limit)
    wanted = [keys.user(keys.suffix(row["PK"])) for row in rows[offset:]]
    found = ops.batch_get(wanted, ("id", "username", "email", "role", "suspended", "createdAt"))
    return [found[(key["PK"], key["SK"])] for key in wanted if (key["PK"], key["SK"]) in found]
