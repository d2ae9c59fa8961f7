"""Property-based fuzzing of every operation of docs/openapi.json (but the ones support.EXCLUDED names)
against the in-process local API, as anonymous, a plain user, an admin and with generated tokens.

For each operation schemathesis sends its examples, the coverage phase's boundary and negative cases
(wrong types, missing required fields, out-of-range numbers, odd strings, unsupported methods and
content types) and the fuzzing phase's random valid and invalid requests; each response must pass
support.CHECKS: no 5xx, a documented status, the documented schema, content type and headers, and
the RealWorld error body on every 4xx.
"""

from __future__ import annotations

from typing import Any

import requests

from tests.fuzz.support import CHECKS, OPERATION_SETTINGS, Identities, apply_identity, identity_for, load_schema

schema = load_schema()
_session = requests.Session()


@schema.parametrize()
@OPERATION_SETTINGS
def test_operation(case: Any, base_url: str, identities: Identities) -> None:
    apply_identity(case, identity_for(case), identities)
    response = case.call(base_url=base_url, session=_session, timeout=30)
    case.validate_response(response, checks=CHECKS)
