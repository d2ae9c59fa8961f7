"""DynamoDB attribute values: what the layer writes reads back the same, as boto3 would encode it."""

from __future__ import annotations

import pytest
from boto3.dynamodb.types import TypeSerializer

from conduit.store.marshal import deserialize, serialize

SAMPLES = [
    "text",
    "",
    0,
    -7,
    2**53 + 1,
    True,
    False,
    None,
    b"\x00\x01",
    ["a", 1, None, {"k": [True]}],
    {"nested": {"list": ["x", "y"], "n": 3}},
    {"a", "b"},
]


@pytest.mark.parametrize("value", SAMPLES, ids=repr)
def test_round_trip(value):
    assert deserialize(serialize(value)) == value


@pytest.mark.parametrize("value", [v for v in SAMPLES if not isinstance(v, bytes | set)], ids=repr)
def test_same_wire_format_as_boto3(value):
    reference = TypeSerializer().serialize(value)
    assert serialize(value) == reference


def test_numbers_come_back_as_int_and_floats_stay_usable():
    assert deserialize({"N": "42"}) == 42 and isinstance(deserialize({"N": "42"}), int)
    assert deserialize({"N": "1.5"}) == 1.5
    assert deserialize({"NS": ["1", "2"]}) == {1, 2}


def test_unsupported_values_are_refused():
    with pytest.raises(TypeError):
        serialize(1.5)
    with pytest.raises(TypeError):
        serialize(object())
    with pytest.raises(TypeError):
        deserialize({"XX": "?"})
