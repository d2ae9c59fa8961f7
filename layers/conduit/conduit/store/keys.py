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

from dataclasses import dataclass

Key = dict[str, str]


def pair(key: Key) -> tuple[str, str]:
    """A key as ops.batch_get keys its answer: (PK, SK)."""
    return key["PK"], key["SK"]


PARTITION_KEY_MAX_BYTES = 2048
SORT_KEY_MAX_BYTES = 1024

BY_OWNER_INDEX = "ByOwner"
BY_KIND_INDEX = "ByKind"
TAGS_BY_COUNT_INDEX = "TagsByCount"
ALL_ARTICLES_PARTITION = "ARTICLES"
ALL_USERS_PARTITION = "USERS"
TAGS_PARTITION = "TAGS"


@dataclass(frozen=True, slots=True)
class Entity:
    """An entity with a partition of its own, <prefix><id>: its item at sort key `sort`, its children
    (edges, comments, markers) beside it."""

    prefix: str
    sort: str

    def partition(self, ident: str) -> str:
        return f"{self.prefix}{ident}"

    def key(self, ident: str) -> Key:
        return {"PK": self.partition(ident), "SK": self.sort}

    def id_of(self, key: Key) -> str | None:
        """The id of the entity whose item has this key; None for any other item (its children too)."""
        return suffix(key["PK"]) if key["PK"].startswith(self.prefix) and key["SK"] == self.sort else None


USERS = Entity("USER#", "PROFILE")  # the user's item and their follow edges
USER_PREFIX, USER_SORT = USERS.prefix, USERS.sort
user_partition = USERS.partition
user = USERS.key


def email_marker(email: str) -> Key:
    return {"PK": f"EMAIL#{email.lower()}", "SK": "EMAIL"}


def username_marker(username: str) -> Key:
    return {"PK": f"UNAME#{username.lower()}", "SK": "UNAME"}


FOLLOWS_PREFIX = "FOLLOWS#"


def follow(follower: str, followee: str) -> Key:
    return {"PK": user_partition(follower), "SK": f"{FOLLOWS_PREFIX}{followee}"}


def follow_of(key: Key) -> tuple[str, str] | None:
    """(follower, followee) of a follow edge's key; None for any other item."""
    if key["PK"].startswith(USER_PREFIX) and key["SK"].startswith(FOLLOWS_PREFIX):
        return suffix(key["PK"]), suffix(key["SK"])
    return None


ARTICLES = Entity("ARTICLE#", "ARTICLE")  # the article's item and its comments, favorite edges, pending favorites
ARTICLE_PREFIX, ARTICLE_SORT = ARTICLES.prefix, ARTICLES.sort
article_partition = ARTICLES.partition
article = ARTICLES.key
article_id_of = ARTICLES.id_of


def slug_marker(slug: str) -> Key:
    return {"PK": f"SLUG#{slug}", "SK": "SLUG"}


COMMENT_PREFIX = "COMMENT#"


def comment(aid: str, comment_id: int) -> Key:
    return {"PK": article_partition(aid), "SK": f"{COMMENT_PREFIX}{comment_id:012d}"}


FAVORITE_PREFIX = "FAVBY#"


def favorite(aid: str, uid: str) -> Key:
    return {"PK": article_partition(aid), "SK": f"{FAVORITE_PREFIX}{uid}"}


PENDING_FAVORITE_PREFIX = "FAVPENDING#"


def pending_favorite(aid: str, uid: str) -> Key:
    """`delta`: the user's favorites of the article not yet folded into its favoritesCount (-1, 0, +1)."""
    return {"PK": article_partition(aid), "SK": f"{PENDING_FAVORITE_PREFIX}{uid}"}


def pending_favorite_article_of(key: Key) -> str | None:
    """The article of a pending favorite marker's key; None for any other item."""
    if key["PK"].startswith(ARTICLE_PREFIX) and key["SK"].startswith(PENDING_FAVORITE_PREFIX):
        return suffix(key["PK"])
    return None


TAG_PREFIX = "TAG#"


def tag_partition(tag: str) -> str:
    """The tag's items: its articles (tagged), its counters and its head (TAG#<tag>)."""
    return f"{TAG_PREFIX}{tag}"


def tag_of(partition: str) -> str:
    """The tag whose partition this is: tag_of('TAG#python') == 'python'."""
    return partition.removeprefix(TAG_PREFIX)


def tagged(tag: str, aid: str) -> Key:
    return {"PK": tag_partition(tag), "SK": f"{ARTICLE_PREFIX}{aid}"}


def tag_counter(tag: str) -> Key:
    return {"PK": tag_partition(tag), "SK": TAG_COUNTER_PREFIX}


def article_counter() -> Key:
    return {"PK": "COUNTER", "SK": "ARTICLES"}


COUNTER_PARTITION = "COUNTER"
ARTICLE_COUNTER_PREFIX = "ARTICLES"  # the legacy item and its shards ARTICLES#<nnn>
TAG_COUNTER_PREFIX = "META"  # the legacy item and its shards META#<nnn>


def article_counter_shard(shard: int) -> Key:
    return {"PK": COUNTER_PARTITION, "SK": f"{ARTICLE_COUNTER_PREFIX}#{shard:03d}"}


TAG_COUNTER_SHARD_PREFIX = f"{TAG_COUNTER_PREFIX}#"  # the shards only, not the legacy item


def tag_counter_shard(tag: str, shard: int) -> Key:
    return {"PK": tag_partition(tag), "SK": f"{TAG_COUNTER_SHARD_PREFIX}{shard:03d}"}


def tag_head(tag: str) -> Key:
    """The tag's entry in the tag list (TagsByCount), moved outside the articles' transactions."""
    return {"PK": tag_partition(tag), "SK": "HEAD"}


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


def comment_of_owner_sort(value: str) -> tuple[str, int]:
    """(article id, comment id) of a ByOwner COMMENTER# row's sort key (comment_owner_sort)."""
    aid, comment_id = value.rsplit("#", 1)
    return aid, int(comment_id)


def feed_partition(follower: str) -> str:
    """The follower's feed entries (FEED_MODE=fan-out): FEED#<follower>."""
    return f"FEED#{follower}"


def feed_entry(follower: str, aid: str) -> Key:
    return {"PK": feed_partition(follower), "SK": aid}


def deletion_job(uid: str) -> Key:
    return {"PK": f"DELETION#{uid}", "SK": "JOB"}


def export_job(uid: str, export_id: str) -> Key:
    return {"PK": f"EXPORT#{uid}", "SK": export_id}


def followers_partition(uid: str) -> str:
    return f"FOLLOWERS#{uid}"


def quota(kind: str, subject: str, window: int) -> Key:
    return {"PK": f"QUOTA#{kind}#{subject}", "SK": str(window)}


def idempotency_partition(route: str) -> str:
    """Where Powertools keeps a route's idempotency records (conduit.idempotency)."""
    return f"IDEMPOTENCY#{route}"


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
