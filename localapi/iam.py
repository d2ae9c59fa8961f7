"""Each function's execution role, from template.yaml, enforced on the AWS calls its code makes.

The role is what SAM would create: the function's `Policies` (managed policies of the template, SAM policy
templates expanded by aws-sam-translator's own PolicyTemplatesProcessor, inline statements), with every
intrinsic resolved to the local stack (localapi/cfn.py). Policies are evaluated by moto's IAM evaluator
(`moto.iam.access_control.IAMPolicy`: explicit Deny wins, otherwise an Allow is needed). What we write
ourselves is only the mapping from a DynamoDB request to the IAM actions and resources AWS authorizes it
on (the Service Authorization Reference): one action per operation on the table (or `table/index/NAME` for
Query/Scan on an index); BatchGetItem/BatchWriteItem on every table named; TransactWriteItems as the
PutItem/UpdateItem/DeleteItem/ConditionCheckItem of each element, TransactGetItems as GetItem.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from localapi.cfn import ACCOUNT, Stack, Unresolvable, table_arn

_TRANSACT_WRITE = {
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
}
_INDEX_OPERATIONS = {"Query", "Scan"}


def access_key(function: str) -> str:
    """The access key id a function's environment gets (Lambda gives each role's session its own)."""
    return "ASIALOCAL" + hashlib.sha256(function.encode()).hexdigest()[:11].upper()


def dynamodb_actions(operation: str, body: dict[str, Any]) -> list[tuple[str, str]]:
    """(IAM action, resource ARN) pairs a DynamoDB request is authorized on."""
    if operation == "TransactWriteItems":
        pairs = []
        for element in body.get("TransactItems") or []:
            ((kind, request),) = element.items()
            pairs.append((f"dynamodb:{_TRANSACT_WRITE[kind]}", table_arn(request["TableName"])))
        return pairs
    if operation == "TransactGetItems":
        return [("dynamodb:GetItem", table_arn(e["Get"]["TableName"])) for e in body.get("TransactItems") or []]
    if operation in ("BatchGetItem", "BatchWriteItem"):
        return [(f"dynamodb:{operation}", table_arn(name)) for name in body.get("RequestItems") or {}]
    table = body.get("TableName")
    if not table:
        return [(f"dynamodb:{operation}", "*")]
    resource = table_arn(table)
    if operation in _INDEX_OPERATIONS and body.get("IndexName"):
        resource = f"{resource}/index/{body['IndexName']}"
    return [(f"dynamodb:{operation}", resource)]


@dataclass(frozen=True)
class Role:
    function: str
    documents: tuple[dict[str, Any], ...]

    @property
    def arn(self) -> str:
        return f"arn:aws:sts::{ACCOUNT}:assumed-role/{self.function}Role/{self.function}"

    @cached_property
    def _policies(self) -> list[Any]:
        from moto.iam.access_control import IAMPolicy

        return [IAMPolicy(json.dumps(document)) for document in self.documents]

    def denied(self, pairs: list[tuple[str, str]]) -> tuple[str, str] | None:
        """The first (action, resource) this role may not perform, or None when all are allowed."""
        from moto.iam.access_control import PermissionResult

        for action, resource in pairs:
            results = [policy.is_action_permitted(action, resource) for policy in self._policies]
            if PermissionResult.DENIED in results or PermissionResult.PERMITTED not in results:
                return action, resource
        return None


def roles(stack: Stack) -> dict[str, Role]:
    """Every function's role, by logical id."""
    found = {}
    for name, resource in (stack.raw.get("Resources") or {}).items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        props = resource.get("Properties") or {}
        if "Role" in props:
            raise Unresolvable(f"{name}: an explicit Role is not emulated; use Policies")
        policies = props.get("Policies") or []
        if not isinstance(policies, list):
            policies = [policies]
        found[name] = Role(name, tuple(_document(stack, policy) for policy in policies))
    return found


def _document(stack: Stack, policy: Any) -> dict[str, Any]:
    if isinstance(policy, dict) and set(policy) == {"Ref"}:
        resource = (stack.raw.get("Resources") or {}).get(policy["Ref"]) or {}
        if resource.get("Type") != "AWS::IAM::ManagedPolicy":
            raise Unresolvable(f"policy Ref {policy['Ref']} is not an AWS::IAM::ManagedPolicy of the template")
        return stack.resolve(resource["Properties"]["PolicyDocument"])
    if isinstance(policy, dict) and "Statement" in policy:
        return stack.resolve(policy)
    if isinstance(policy, dict) and len(policy) == 1:
        return _policy_template(stack, *next(iter(policy.items())))
    raise Unresolvable(f"policy {policy!r}: AWS managed policies by name are not emulated")


def _policy_template(stack: Stack, name: str, parameters: dict[str, Any]) -> dict[str, Any]:
    from samtranslator.policy_template_processor.processor import PolicyTemplatesProcessor

    processor = PolicyTemplatesProcessor(PolicyTemplatesProcessor.get_default_policy_templates_json())
    converted = processor.convert(name, {key: stack.resolve(value) for key, value in (parameters or {}).items()})
    return stack.resolve(converted)


def access_denied_body(role: Role, action: str, resource: str) -> dict[str, str]:
    """DynamoDB's answer (HTTP 400) to a call the role may not make, as botocore parses it."""
    return {
        "__type": "com.amazon.coral.service#AccessDeniedException",
        "Message": f"User: {role.arn} is not authorized to perform: {action} on resource: {resource} "
        f"because no identity-based policy allows the {action} action",
    }
