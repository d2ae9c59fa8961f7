"""Key builders: the single place that knows how entities are laid out in the table.

| entity              | PK                 | SK                  | index keys                                   |
|---------------------|--------------------|---------------------|----------------------------------------------|
| user                | USER#<uid>         | PROFILE             | ByKind: USERS / <uid>                        |
| email marker        | EMAIL#<lower>      | EMAIL               |                                              |
| username marker     | UNAME#<lower>      | UNAME               |                                              |
| follow edge         | USER#<follower>    | FOLLOWS#<followee>  | ByOwner: FOLLOWERS#<followee> / <follower>   |
| article             | ARTICLE#<aid>      | ARTICLE             | ByOwner: AUTHOR#<uid>/<aid>; ByKind: ARTICLES/<aid> |
| slug marker         | SLUG#<slug>        | SLUG                |                                              |
| comment             | ARTICLE#<aid>      | COMMENT#<id:012>    | ByOwner: COMMENTER#<uid> / <aid>#<id:012>    |
| favorite edge       | ARTICLE#<aid>      | FAVBY#<uid>         | ByOwner: FAVBY#<uid> / <aid>                 |
| pending favorite    | ARTICLE#<aid>      | FAVPENDING#<uid>    | (store/favorites.py: folded into the article)|
| feed entry          | FEED#<follower>    | <aid>               | (FEED_MODE=fan-out; written by store/feed.py)|
| tag of an article   | TAG#<tag>          | ARTICLE#<aid>       |                                              |
| tag counter (legacy)| TAG#<tag>          | META                | TagsByCount: TAGS / tagCount                 |
| tag counter shard   | TAG#<tag>          | META#<nnn>          | (summed by one Query; store/shards.py)       |
| tag head            | TAG#<tag>          | HEAD                | TagsByCount: TAGS[#<n>] / tagCount           |
| article counter     | COUNTER            | ARTICLES[#<nnn>]    | (shards summed by one Query; store/shards.py)|
| rate-limit counter  | QUOTA#<kind>#<who> | <window start>      | (expires by TTL on expiresAt)                |
| idempotency record  | IDEMPOTENCY#<route>| <key hash>          | (Powertools idempotency; TTL on expiresAt)   |
| create receipt      | RECEIPT#<hash>     | RECEIPT             | (store/receipts.py; TTL on expiresAt)        |
| password reset      | RESET#<token hash> | RESET               | (store/resets.py; TTL on expiresAt)          |
| email verification  | VERIFY#<token hash>| VERIFY              | (store/verifications.py; TTL on expiresAt)   |
| account deletion job| DELETION#<uid>     | JOB                 | (store/deletions.py; TTL once done)          |
| data export         | EXPORT#<uid>       | <export id>         | (store/exports.py; TTL on expiresAt)         |

Ids are time-ordered (see ids.py), so sorting on an id is sorting on creation time.

DynamoDB refuses any request naming a partition key value over 2,048 bytes or a sort key value over
1,024 bytes (UTF-8, prefix included; the same for index keys), reads included. Such a key names
nothing stored, so the reads in ops.py answer "not there" for it without asking (`storable`); what
clients can write into keys is bounded far below the limits by validation (tests/unit/test_keys.py).
"""

from __future__ import annotations

Key = dict[str, str]

PARTITION_KEY_MAX_BYTES = 2048
SORT_KEY_MAX_BYTES = 1024

BY_OWNER_INDEX = "ByOwner"
BY_KIND_INDEX = "ByKind"
TAGS_BY_COUNT_INDEX = "TagsByCount"
ALL_ARTICLES_PARTITION = "ARTICLES"
ALL_USERS_PARTITION = "USERS"
TAGS_PARTITION = "TAGS"


def user(uid: str) -> Key:
    return {"PK": f"USER#{uid}", "SK": "PROFILE"}


def email_marker(email: str) -> Key:
    return {"PK": f"EMAIL#{email.lower()}", "SK": "EMAIL"}


def username_marker(username: str) -> Key:
    return {"PK": f"UNAME#{username.lower()}", "SK": "UNAME"}


def follow(follower: str, followee: str) -> Key:
    return {"PK": f"USER#{follower}", "SK": f"FOLLOWS#{followee}"}


FOLLOWS_PREFIX = "FOLLOWS#"


def article(aid: str) -> Key:
    return {"PK": f"ARTICLE#{aid}", "SK": "ARTICLE"}


def slug_marker(slug: str) -> Key:
    return {"PK": f"SLUG#{slug}", "SK": "SLUG"}


def comment(aid: str, comment_id: int) -> Key:
    return {"PK": f"ARTICLE#{aid}", "SK": f"COMMENT#{comment_id:012d}"}


COMMENT_PREFIX = "COMMENT#"


def favorite(aid: str, uid: str) -> Key:
    return {"PK": f"ARTICLE#{aid}", "SK": f"FAVBY#{uid}"}


FAVORITE_PREFIX = "FAVBY#"


def pending_favorite(aid: str, uid: str) -> Key:
    """`delta`: the user's favorites of the article not yet folded into its favoritesCount (-1, 0, +1)."""
    return {"PK": f"ARTICLE#{aid}", "SK": f"{PENDING_FAVORITE_PREFIX}{uid}"}


PENDING_FAVORITE_PREFIX = "FAVPENDING#"


def tagged(tag: str, aid: str) -> Key:
    return {"PK": f"TAG#{tag}", "SK": f"ARTICLE#{aid}"}


def tag_counter(tag: str) -> Key:
    return {"PK": f"TAG#{tag}", "SK": "META"}


ARTICLE_PREFIX = "ARTICLE#"


def article_counter() -> Key:
    return {"PK": "COUNTER", "SK": "ARTICLES"}


COUNTER_PARTITION = "COUNTER"
ARTICLE_COUNTER_PREFIX = "ARTICLES"  # the legacy item and its shards ARTICLES#<nnn>
TAG_COUNTER_PREFIX = "META"  # the legacy item and its shards META#<nnn>


def article_counter_shard(shard: int) -> Key:
    return {"PK": COUNTER_PARTITION, "SK": f"{ARTICLE_COUNTER_PREFIX}#{shard:03d}"}


def tag_counter_shard(tag: str, shard: int) -> Key:
    return {"PK": f"TAG#{tag}", "SK": f"{TAG_COUNTER_PREFIX}#{shard:03d}"}


def tag_head(tag: str) -> Key:
    """The tag's entry in the tag list (TagsByCount), moved outside the articles' transactions."""
    return {"PK": f"TAG#{tag}", "SK": "HEAD"}


def tags_partition(number: int) -> str:
    """TagsByCount partition `number`: TAGS (also every legacy tag counter's), TAGS#1, TAGS#2, ..."""
    return TAGS_PARTITION if number == 0 else f"{TAGS_PARTITION}#{number}"


def authored_partition(uid: str) -> str:
    return f"AUTHOR#{uid}"


def favorited_partition(uid: str) -> str:
    return f"FAVBY#{uid}"


def commented_partition(uid: str) -> str:
    """ByOwner partition of the comments a user wrote (found when their account is deleted)."""
    return f"COMMENTER#{uid}"


def comment_owner_sort(aid: str, comment_id: int) -> str:
    return f"{aid}#{comment_id:012d}"


def deletion_job(uid: str) -> Key:
    return {"PK": f"DELETION#{uid}", "SK": "JOB"}


def export_job(uid: str, export_id: str) -> Key:
    return {"PK": f"EXPORT#{uid}", "SK": export_id}


def followers_partition(uid: str) -> str:
    return f"FOLLOWERS#{uid}"


def quota(kind: str, subject: str, window: int) -> Key:
    return {"PK": f"QUOTA#{kind}#{subject}", "SK": str(window)}


def receipt(scope_hash: str) -> Key:
    """The receipt of a create under an Idempotency-Key; `scope_hash`: SHA-256 hex of route, caller
    and key (a key alone may be 255 characters): the partition key is 72 bytes whatever they are."""
    return {"PK": f"RECEIPT#{scope_hash}", "SK": "RECEIPT"}


def password_reset(token_hash: str) -> Key:
    """A pending password reset; `token_hash`: SHA-256 hex of the emailed token (never the token)."""
    return {"PK": f"RESET#{token_hash}", "SK": "RESET"}


def email_verification(token_hash: str) -> Key:
    """A pending email verification; `token_hash`: SHA-256 hex of the emailed token (never the token)."""
    return {"PK": f"VERIFY#{token_hash}", "SK": "VERIFY"}


def suffix(value: str) -> str:
    """The id after the last '#': suffix('ARTICLE#abc') == 'abc'."""
    return value.rsplit("#", 1)[-1]


def partition_storable(value: str) -> bool:
    """Whether `value` can be a partition key value (of the table or an index)."""
    return _utf8_size(value) <= PARTITION_KEY_MAX_BYTES


def sort_storable(value: str) -> bool:
    """Whether `value` can be a sort key value (of the table or an index)."""
    return _utf8_size(value) <= SORT_KEY_MAX_BYTES


def storable(key: Key) -> bool:
    """Whether an item can have this key; one that cannot is never stored, so looking it up finds nothing."""
    return partition_storable(key["PK"]) and sort_storable(key["SK"])


def _utf8_size(value: str) -> int:
    return len(value.encode("utf-8", "surrogatepass"))  # a lone surrogate (from JSON) counts its 3 bytes
