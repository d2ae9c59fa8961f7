"""The handlers of template.yaml, in this process, on an in-process moto (mock_aws): DynamoDB, SQS, SES, S3.

The environment is the template's (Globals and every function's variables, parameters at their
defaults) with these changes: the JWT secret comes from the environment (SSM is not exercised);
argon2 runs at the Settings defaults (ARGON2_* are removed); every *_CACHE_SECONDS setting of
conduit/settings.py is 0 (the caller's role, the tag list): every request pays for its reads - a
cache miss, deterministic, and what a container pays for a user or list it has not seen for a few
seconds; every *_PER_MINUTE and *_PER_HOUR quota is out of reach (their counters are still written
and read - the bench only must not hit 429).

The same mock_aws holds what the template declares for the asynchronous pieces (issue 16): every
AWS::SQS::Queue, the SES templates and verified sender, the export bucket - created by localapi's
LocalAws on boto3's default endpoints - and the functions' environment gets their local names (queue
URLs, template and bucket names). A scenario reads a queued message with `take_messages` and hands it
to the queue's consumer as `sqs_event` builds it.

Tables are created from the template's table Properties (keys and indexes; the stream and TTL are
left out: moto would keep a record of every write in memory, and neither changes request costs).
Everything the handlers print (Powertools' JSON log lines and metrics) goes to /dev/null at the file
descriptor, so logging still costs what it costs.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any

from bench import motofast
from bench.instrument import Recorder
from localapi import template as template_module
from localapi.cfn import Stack
from localapi.events import build_event
from localapi.inline import InlineRuntime
from localapi.queues import LocalAws, lambda_record

CREATE_KEYS = ("AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes")
ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
    "JWT_SECRET": "bench-secret-bench-secret-bench-secret-bench-secret",
}
REMOVED = ("DYNAMODB_ENDPOINT", "JWT_SECRET_PARAMETER", "ARGON2_TIME_COST", "ARGON2_MEMORY_KIB", "TABLE_NAME")


class Harness:
    def __init__(self) -> None:
        self.template = template_module.load()
        from moto import mock_aws

        self._mock = mock_aws()
        self._mock.start()
        motofast.install()
        self.aws = LocalAws(self.template, Stack(self.template.raw, {}))
        self.aws.endpoint = None  # boto3's own endpoints: the mock answers
        self.aws.create()  # the template's queues, SES templates and sender, bucket
        os.environ.update(self._template_environment())
        for name in REMOVED:
            os.environ.pop(name, None)
        os.environ.update(ENVIRONMENT)
        os.environ.update(self.overrides)
        sys.stdout.flush()
        self._stdout = os.dup(1)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
        for layer in self.template.layer_dirs():
            if str(layer) not in sys.path:
                sys.path.insert(0, str(layer))
        import boto3
        from botocore.config import Config

        self.admin = boto3.client("dynamodb", region_name="us-east-1", config=Config(parameter_validation=False))
        self.runtime = InlineRuntime(self.template)
        self.routes = {route.function: route for route in self.template.routes()}
        (self.table_props,) = self.template.tables().values()
        self.indexes = {
            index["IndexName"]: tuple(key["AttributeName"] for key in index["KeySchema"])
            for index in self.table_props.get("GlobalSecondaryIndexes", [])
        }
        self.recorder: Recorder | None = None

    def stop(self) -> None:
        self._mock.stop()
        sys.stdout.flush()
        os.dup2(self._stdout, 1)
        os.close(self._stdout)

    @property
    def overrides(self) -> dict[str, str]:
        """Every *_CACHE_SECONDS setting to 0 and every *_PER_MINUTE/_PER_HOUR quota out of reach (settings.py)."""
        from conduit import settings

        source = Path(settings.__file__).read_text(encoding="utf-8")
        names = set(re.findall(r'"([A-Z0-9_]+_(?:CACHE_SECONDS|PER_MINUTE|PER_HOUR))"', source))
        return {name: "0" if name.endswith("_CACHE_SECONDS") else "1000000000" for name in sorted(names)}

    def _template_environment(self) -> dict[str, str]:
        """Every function's variables (they share this process), parameters at their defaults."""
        refs = {name: str(spec.get("Default", "")) for name, spec in self.template.raw.get("Parameters", {}).items()}
        refs.update({logical: "bench" for logical in self.template.tables()})
        refs.update(self.aws.refs)  # queue URLs, bucket and SES template names on the mock
        environment: dict[str, str] = {}
        for function in self.template.functions():
            environment.update(self.template.environment(function, refs))
        return environment

    def db_backed(self, function: str) -> bool:
        """Whether the function's policies reach the table (what the template grants it)."""
        table_ids = set(self.template.tables())
        for policy in self.template.functions()[function].get("Policies") or []:
            name = policy.get("Ref") if isinstance(policy, dict) else None
            resource = self.template.resources.get(name, {}) if name else policy  # a managed or an inline policy
            if any(table_id in json.dumps(resource) for table_id in table_ids):
                return True
        return False

    # tables --------------------------------------------------------------------------------------

    def create_table(self, name: str) -> None:
        request = {key: self.table_props[key] for key in CREATE_KEYS if key in self.table_props}
        self.admin.create_table(TableName=name, BillingMode="PAY_PER_REQUEST", **request)

    def delete_table(self, name: str) -> None:
        self.admin.delete_table(TableName=name)

    def use_table(self, name: str) -> None:
        from conduit.settings import get_settings

        os.environ["TABLE_NAME"] = name
        get_settings.cache_clear()

    def attach_recorder(self) -> Recorder:
        """Hooks on the layer's own client (conduit.store.client.dynamodb(), created here once)."""
        if self.recorder is None:
            from conduit.store.client import dynamodb

            self.recorder = Recorder(dynamodb(), self.indexes)
        return self.recorder

    # requests ------------------------------------------------------------------------------------

    def event(
        self,
        function: str,
        path: str | None = None,
        query: str = "",
        body: Any = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        route = self.routes[function]
        raw_path = path or route.path
        match = route.pattern.match(raw_path)
        if match is None:
            raise ValueError(f"{raw_path} does not match {route.path}")
        pairs = [("host", "bench.local"), ("user-agent", "bench"), *(headers or {}).items()]
        payload = b""
        if body is not None:
            pairs.append(("content-type", "application/json"))
            payload = json.dumps(body).encode()
        if token:
            pairs.append(("authorization", f"Token {token}"))
        return build_event(
            route,
            method=route.method,
            raw_path=raw_path,
            raw_query=query,
            headers=pairs,
            body=payload,
            source_ip="127.0.0.1",
            path_params=match.groupdict(),
        )

    def raw_invoke(self, function: str, event: dict[str, Any]) -> dict[str, Any]:
        """The handler's answer. An event may carry `_bench_env` (variables for this request only,
        e.g. FEED_MODE); a stream consumer's answer becomes 200 (no failed record) or 500."""
        env = event.get("_bench_env")
        if not env:
            return _as_http(self.runtime.invoke(function, event))
        from conduit.settings import get_settings

        event = {k: v for k, v in event.items() if k != "_bench_env"}
        saved = {name: os.environ.get(name) for name in env}
        os.environ.update(env)
        get_settings.cache_clear()
        try:
            return _as_http(self.runtime.invoke(function, event))
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
            get_settings.cache_clear()

    # queues --------------------------------------------------------------------------------------

    def take_messages(self, queue: str) -> list[dict[str, Any]]:
        """Receive and delete every visible message of a template queue (its logical id)."""
        sqs, url = self.aws.client("sqs"), self.aws.queue_urls[queue]
        taken: list[dict[str, Any]] = []
        while True:
            batch = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"])
            messages = batch.get("Messages", [])
            if not messages:
                return taken
            for message in messages:
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
            taken += messages

    def sqs_event(self, queue: str, messages: list[dict[str, Any]]) -> dict[str, Any]:
        """Received messages as Lambda's SQS event source mapping delivers them (localapi/queues.py)."""
        return {"Records": [lambda_record(message, self.aws.queue_urls[queue]) for message in messages]}

    def invoke(self, function: str, event: dict[str, Any]) -> tuple[int, Any]:
        response = self.raw_invoke(function, event)
        body = response.get("body") or ""
        try:
            return response["statusCode"], json.loads(body) if body else None
        except ValueError:
            return response["statusCode"], body


def _as_http(response: dict[str, Any]) -> dict[str, Any]:
    if "statusCode" in response or "batchItemFailures" not in response:
        return response
    return {"statusCode": 500 if response["batchItemFailures"] else 200, "body": json.dumps(response)}
