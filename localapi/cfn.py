"""CloudFormation intrinsic functions resolved for the local stack, as CloudFormation would resolve them
for a deployment with the parameters' defaults: Ref, Fn::GetAtt, Fn::Sub, Fn::If (with the template's
Conditions), Fn::Join, Fn::Select, Fn::Equals/Not/And/Or. Used for function environments and IAM policies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

REGION = "us-east-1"
ACCOUNT = "000000000000"
PSEUDO = {
    "AWS::Region": REGION,
    "AWS::AccountId": ACCOUNT,
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::StackName": "conduit-local",
    "AWS::StackId": f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/conduit-local/local",
}
NO_VALUE = object()  # AWS::NoValue: the property or list element is dropped
_SUB = re.compile(r"\$\{([^}!]+)\}")


class Unresolvable(ValueError):
    """A reference the local stack has no value for (e.g. an attribute of a resource that is not emulated)."""


def table_arn(name: str) -> str:
    return f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{name}"


@dataclass
class Stack:
    """The template's parameters (defaults unless overridden) and the physical names of emulated resources."""

    raw: dict[str, Any]
    table_names: dict[str, str]  # logical id -> local table name
    parameters: dict[str, str] = field(default_factory=dict)
    resource_refs: dict[str, str] = field(default_factory=dict)  # logical id -> local Ref value (queue URLs)

    def __post_init__(self) -> None:
        defaults = {
            name: str(spec["Default"]) for name, spec in (self.raw.get("Parameters") or {}).items() if "Default" in spec
        }
        self.parameters = {**defaults, **self.parameters}

    def resolve(self, value: Any) -> Any:
        if isinstance(value, list):
            resolved = [self.resolve(v) for v in value]
            return [v for v in resolved if v is not NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, arg),) = value.items()
            if key == "Ref":
                return self.ref(arg)
            if key.startswith("Fn::") or key == "Condition":
                return self._function(key, arg)
        resolved = {k: self.resolve(v) for k, v in value.items()}
        return {k: v for k, v in resolved.items() if v is not NO_VALUE}

    def ref(self, name: str) -> Any:
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in PSEUDO:
            return PSEUDO[name]
        if name in self.parameters:
            return self.parameters[name]
        if name in self.table_names:
            return self.table_names[name]
        if name in self.resource_refs:
            return self.resource_refs[name]
        if name in (self.raw.get("Resources") or {}):
            return name  # other resources: their logical id stands for the physical id
        raise Unresolvable(f"Ref {name}")

    def get_att(self, resource: str, attribute: str) -> str:
        if resource in self.table_names:
            if attribute == "Arn":
                return table_arn(self.table_names[resource])
            if attribute == "StreamArn":
                return f"{table_arn(self.table_names[resource])}/stream/*"
        kind = ((self.raw.get("Resources") or {}).get(resource) or {}).get("Type")
        if kind == "AWS::SQS::Queue":  # local queues are named by their logical id (localapi/queues.py)
            found = {"Arn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:{resource}", "QueueName": resource}
            found["QueueUrl"] = self.resource_refs.get(resource, resource)
            if attribute in found:
                return found[attribute]
        if kind == "AWS::S3::Bucket" and attribute == "Arn":
            return f"arn:aws:s3:::{self.ref(resource)}"
        raise Unresolvable(f"Fn::GetAtt {resource}.{attribute}")

    def condition(self, name: str) -> bool:
        return bool(self.resolve((self.raw.get("Conditions") or {})[name]))

    def _function(self, key: str, arg: Any) -> Any:
        if key == "Fn::GetAtt":
            resource, attribute = arg if isinstance(arg, list) else str(arg).split(".", 1)
            return self.get_att(resource, attribute)
        if key == "Fn::Sub":
            template, variables = (arg[0], arg[1]) if isinstance(arg, list) else (arg, {})
            return self._sub(template, {k: self.resolve(v) for k, v in variables.items()})
        if key == "Fn::If":
            name, when_true, when_false = arg
            return self.resolve(when_true if self.condition(name) else when_false)
        if key == "Condition":
            return self.condition(arg)
        if key == "Fn::Equals":
            left, right = (self.resolve(v) for v in arg)
            return str(left) == str(right)
        if key == "Fn::Not":
            return not self.resolve(arg[0])
        if key == "Fn::And":
            return all(self.resolve(v) for v in arg)
        if key == "Fn::Or":
            return any(self.resolve(v) for v in arg)
        if key == "Fn::Join":
            separator, parts = arg
            return separator.join(str(p) for p in self.resolve(parts))
        if key == "Fn::Select":
            index, items = arg
            return self.resolve(items)[int(self.resolve(index))]
        raise Unresolvable(key)

    def _sub(self, template: str, variables: dict[str, Any]) -> str:
        def replace(match: re.Match[str]) -> str:
            name = match.group(1).strip()
            if name in variables:
                return str(variables[name])
            if "." in name and not name.startswith("AWS::"):
                resource, attribute = name.split(".", 1)
                return self.get_att(resource, attribute)
            return str(self.ref(name))

        return _SUB.sub(replace, template)
