"""Users and their uniqueness markers (email, username); the one module that knows a user item's layout.

The services get entities (conduit.entities.users, through conduit.ports.users); `get` and `set_flags`
answer raw items for the account lifecycle (services.accounts, exports), benchmarks and tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from conduit.authz import Role
from conduit.entities.users import AuthState, Contact, CredentialsState, User, UserAccount
from conduit.errors import AlreadyTaken, ChangedConcurrently, EmailTaken, ProfileNotFound, UsernameTaken, UserNotFound
from conduit.security import credentials
from conduit.store import keys, ops, receipts
from conduit.store import transactions as tx
from conduit.store.client import Item
from conduit.store.conditions import EXISTS, all_of
from conduit.store.ids import iso_now, new_id


def create(username: str, email: str, password_hash: str) -> User:
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
            return _entity(earlier)
        raise _taken(cancelled, email_index=1, username_index=2) from None
    return _entity(user)


def find(uid: str, consistent: bool = False) -> User | None:
    item = get(uid, consistent=consistent)
    return _entity(item) if item else None


def get(uid: str, projection: tuple[str, ...] | None = None, consistent: bool = False) -> Item | None:
    return ops.get_item(keys.user(uid), projection, consistent=consistent)


def id_for_email(email: str) -> str | None:
    marker = ops.get_item(keys.email_marker(email))
    return marker["userId"] if marker else None


def id_for_username(username: str) -> str | None:
    marker = ops.get_item(keys.username_marker(username))
    return marker["userId"] if marker else None


def update(current: User, updated: User, also: list[tx.Action] | None = None) -> User:
    """Write what differs from `current` in `updated`; username/email moves swap their markers in the same
    transaction. `also`: more actions of the same transaction (a password reset consumes its token with it).

    The user update is conditional on the username and email read before, so a concurrent change
    cannot leave a marker pointing at the wrong user; and, when it sets a new credentials version,
    on the version read before. ChangedConcurrently when those conditions (or `also`'s) fail.
    """
    changes = _differences(current, updated)
    sets = {name: value for name, value in changes.items() if value is not None}
    removes = [name for name, value in changes.items() if value is None]
    sets["updatedAt"] = iso_now()
    actions = [_user_update(current, changes, sets, removes)]
    email_index = _move_marker(actions, current.id, current.email, changes, "email", keys.email_marker)
    username_index = _move_marker(actions, current.id, current.username, changes, "username", keys.username_marker)
    actions.extend(also or ())
    try:
        ops.transact(actions)
    except ops.TransactionCancelled as cancelled:
        if cancelled.failed(email_index) or cancelled.failed(username_index):
            raise _taken(cancelled, email_index, username_index) from None
        raise ChangedConcurrently() from None  # the user (or what `also` consumes) changed: nothing was written
    return replace(updated, updated_at=sets["updatedAt"])


def _differences(current: User, updated: User) -> dict[str, Any]:
    """The attributes whose value differs, with their new value (None: to be removed)."""
    before, after = _attributes(current), _attributes(updated)
    return {name: value for name, value in after.items() if before[name] != value}


def _attributes(user: User) -> dict[str, Any]:
    """The attributes `update` may change, as the user item stores them (None: absent)."""
    return {
        "username": user.username,
        "email": user.email,
        "passwordHash": user.password_hash,
        "bio": user.bio,
        "image": user.image,
        "emailVerified": user.email_verified,
        credentials.VERSION: user.credentials.version,
        credentials.CHANGED_BY: user.credentials.changed_by,
        credentials.CHANGED_AT: user.credentials.changed_at,
    }


def _user_update(current: User, changes: dict[str, Any], sets: dict[str, Any], removes: list[str]) -> tx.Action:
    """The user item's update, conditional on the username and email (and credentials version) read."""
    expression = "SET " + ", ".join(f"#{name} = :{name}" for name in sets)
    if removes:
        expression += " REMOVE " + ", ".join(f"#{name}" for name in removes)
    condition = all_of(EXISTS, "#username = :oldUsername", "#email = :oldEmail")
    guards: dict[str, Any] = {"oldUsername": current.username, "oldEmail": current.email}
    if credentials.VERSION in changes:  # a password change: one version step, never two at once
        if current.credentials.version:  # version 0 is never stored: the attribute is absent until a change
            condition += " AND #credentialsVersion = :oldVersion"
            guards["oldVersion"] = current.credentials.version
        else:
            condition += " AND attribute_not_exists(#credentialsVersion)"
    action = tx.update(keys.user(current.id), expression, condition, **sets, **guards)
    action["Update"]["ExpressionAttributeNames"] = {f"#{name}": name for name in [*sets, *removes, "username", "email"]}
    return action


def _move_marker(
    actions: list[tx.Action], uid: str, old: str, changes: dict[str, Any], field: str, marker: Callable[[str], keys.Key]
) -> int:
    """Swap the uniqueness marker of `field` if it changes from `old`: its old one deleted (if still the
    user's), the new one put (if free). Returns the put's index in `actions`, or -1 when nothing moves."""
    new_value = changes.get(field)
    if new_value is None or marker(new_value) == marker(old):
        return -1
    actions.append(tx.delete(marker(old), "userId = :me", me=uid))
    actions.append(tx.put_new({**marker(new_value), "userId": uid}))
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


AUTH_FIELDS = ("id", "role", "suspended", *credentials.FIELDS)
CONTACT_FIELDS = ("id", "username", "email", "emailVerified", "suspended", *credentials.FIELDS)
ACCOUNT_FIELDS = ("id", "username", "email", "role", "suspended", "createdAt")


def auth_state(uid: str) -> AuthState | None:
    """What authorization needs of a user: role, suspension and which tokens their credentials
    still accept (conduit.security.credentials); one small GetItem."""
    item = ops.get_item(keys.user(uid), AUTH_FIELDS)
    if item is None:
        return None
    return AuthState(item["id"], _role(item), bool(item.get("suspended")), _credentials(item))


def contact(uid: str) -> Contact | None:
    """Whom to email a link, and whether to (a reset or verification email); one small GetItem."""
    item = ops.get_item(keys.user(uid), CONTACT_FIELDS)
    if item is None:
        return None
    verified, suspended = bool(item.get("emailVerified")), bool(item.get("suspended"))
    return Contact(item["id"], item["username"], item["email"], verified, suspended, _credentials(item))


def email_verified(uid: str) -> bool:
    return bool((ops.get_item(keys.user(uid), ("emailVerified",)) or {}).get("emailVerified"))


def set_flags(uid: str, **flags: Any) -> Item:
    """Set administrative attributes (role, suspended) of an existing user."""
    expression = "SET " + ", ".join(f"#{name} = :{name}" for name in flags) + ", updatedAt = :now"
    names = {f"#{name}": name for name in flags}
    try:
        return ops.update_item(keys.user(uid), expression, EXISTS, names, **flags, now=iso_now())
    except ops.ConditionFailed:
        raise ProfileNotFound() from None


def set_role(uid: str, role: Role) -> UserAccount:
    return _account(set_flags(uid, role=role.value))


def set_suspended(uid: str, suspended: bool) -> UserAccount:
    return _account(set_flags(uid, suspended=suspended))


def accounts(offset: int, limit: int) -> list[UserAccount]:
    """Users, newest first, from the ByKind index (keys only), then their items in one batch."""
    rows = ops.query(keys.ALL_USERS_PARTITION, index=keys.BY_KIND_INDEX, newest_first=True, limit=offset + limit)
    wanted = [keys.user(keys.suffix(row["PK"])) for row in rows[offset:]]
    found = ops.batch_get(wanted, ACCOUNT_FIELDS)
    return [_account(found[(key["PK"], key["SK"])]) for key in wanted if (key["PK"], key["SK"]) in found]


def _entity(item: Item) -> User:
    return User(
        id=item["id"],
        username=item["username"],
        email=item["email"],
        password_hash=item["passwordHash"],
        role=_role(item),
        bio=item.get("bio"),
        image=item.get("image"),
        email_verified=bool(item.get("emailVerified")),
        suspended=bool(item.get("suspended")),
        credentials=_credentials(item),
        created_at=item.get("createdAt", ""),
        updated_at=item.get("updatedAt", ""),
    )


def _account(item: Item) -> UserAccount:
    return UserAccount(
        item["id"], item["username"], item["email"], _role(item), bool(item.get("suspended")), item["createdAt"]
    )


def _role(item: Item) -> Role:
    return Role(item.get("role") or Role.USER)


def _credentials(item: Item) -> CredentialsState:
    changed_at = item.get(credentials.CHANGED_AT)
    return CredentialsState(
        credentials.version(item),
        item.get(credentials.CHANGED_BY) or None,
        int(changed_at) if changed_at is not None else None,
    )
