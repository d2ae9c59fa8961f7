"""The GitHub Actions pipeline: it tests exactly what .ci/run tests, and deploys with OIDC only."""

from __future__ import annotations

import re
import shlex
import tomllib
from typing import Any

import yaml

from tests.template.helpers import ROOT, load

WORKFLOW = ROOT / ".github" / "workflows" / "pipeline.yml"
ROLE = "${{ secrets.AWS_DEPLOY_ROLE_ARN }}"
STAGES = {"deploy-dev": "dev", "deploy-prod": "prod"}


def _workflow() -> dict[str, Any]:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def _triggers() -> dict[str, Any]:
    workflow = _workflow()
    return workflow["on"] if "on" in workflow else workflow[True]  # YAML 1.1 reads a bare `on` as true


def _job(name: str) -> dict[str, Any]:
    return _workflow()["jobs"][name]


def _runs(job: dict[str, Any]) -> list[str]:
    """The shell commands of a job's `run` steps, one per line, continuation lines joined."""
    commands = []
    for step in job["steps"]:
        text = re.sub(r"\\\n\s*", " ", step.get("run", ""))
        commands += [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    return commands


def _uses(job: dict[str, Any], action: str) -> list[dict[str, Any]]:
    return [step.get("with", {}) for step in job["steps"] if step.get("uses", "").split("@")[0] == action]


def _ci_run_commands() -> list[str]:
    """.ci/run's commands, less the shell preamble (shebang, set, cd to the repository root)."""
    commands = []
    for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or line.startswith("set ") or line.startswith("cd "):
            continue
        commands.append(line)
    return commands


def _samconfig() -> dict[str, Any]:
    return tomllib.loads((ROOT / "samconfig.toml").read_text(encoding="utf-8"))


def test_workflow_parses_and_has_the_three_jobs():
    workflow = _workflow()
    assert set(workflow["jobs"]) == {"test", "deploy-dev", "deploy-prod"}
    assert workflow["permissions"] == {"contents": "read"}, "least privilege by default; deploy jobs add id-token"
    triggers = _triggers()
    assert triggers["push"]["branches"] == ["main"]
    assert triggers["push"]["tags"] == ["v*"]
    assert "pull_request" in triggers


def test_test_job_runs_exactly_what_ci_run_runs():
    ci = _ci_run_commands()
    assert ci == ["make test"], f".ci/run changed: mirror it in {WORKFLOW.name} ({ci})"
    job = _job("test")
    assert job["runs-on"] == "ubuntu-latest"
    unconditional = {**job, "steps": [step for step in job["steps"] if "if" not in step]}
    assert _runs(unconditional) == ci, "the test job runs .ci/run's commands and nothing else"


def test_make_test_runs_every_check_in_its_phase():
    """scripts/test-all: lint first; then the template checks and the twin build; then three lanes side by
    side, each a pytest run, the shortest followed by both RealWorld suite runs; every test file runs once."""
    lines = (ROOT / "scripts" / "test-all").read_text(encoding="utf-8").splitlines()

    def first(*needles: str) -> int:
        return next(i for i, line in enumerate(lines) if all(needle in line for needle in needles))

    def step(name: str) -> str:  # the command of a lane step (run_step's case, up to its ;;)
        start = first(f"    {name})")
        end = next(i for i in range(start, len(lines)) if lines[i].rstrip().endswith(";;"))
        return " ".join(line.strip() for line in lines[start : end + 1])

    def array(name: str) -> list[str]:
        return lines[first(f"{name}=(")].split("(", 1)[1].rstrip(")").split()

    cfn_lint = first("step", "cfn-lint template.yaml")
    checks, twin = first("job", "scripts/template-checks"), first("job", "scripts/build-twin")
    wait_jobs = lines.index("wait_jobs")
    lane_lines = [i for i, line in enumerate(lines) if line.startswith("lane ")]
    assert cfn_lint < checks < wait_jobs and twin < wait_jobs
    assert wait_jobs < min(lane_lines) and max(lane_lines) < lines.index("wait_lanes")
    assert [lines[i].split()[1:] for i in lane_lines] == [
        ["pytest-api"],
        ["pytest-reliability"],
        ["pytest-rest", "suites-twin", "suites-dynamodb-local"],
    ]
    assert "DYNAMODB_ENDPOINT" in step("suites-dynamodb-local") and "scripts/conformance" in step(
        "suites-dynamodb-local"
    )
    assert "CONFORMANCE_TWIN=1" in step("suites-twin") and "DYNAMODB_ENDPOINT" not in step("suites-twin")

    # The database packages on DynamoDB Local (two runs), everything else once on moto.
    database, fuzz_in_api = array("DATABASE_PACKAGES"), array("FUZZ_IN_API_RUN")
    assert database == ["tests/api", "tests/graphql", "tests/fuzz", "tests/reliability"]
    api, reliability, rest = step("pytest-api"), step("pytest-reliability"), step("pytest-rest")
    assert 'DYNAMODB_ENDPOINT="$endpoint"' in api and 'DYNAMODB_ENDPOINT="$endpoint"' in reliability
    assert 'pytest tests/api tests/graphql "${FUZZ_IN_API_RUN[@]}"' in api
    assert 'pytest tests/reliability tests/fuzz "${FUZZ_IN_API_RUN[@]/#/--ignore=}"' in reliability
    assert "DYNAMODB_ENDPOINT" not in rest and 'pytest tests "${DATABASE_PACKAGES[@]/#/--ignore=}"' in rest
    packages = {f"tests/{path.parent.name}" for path in (ROOT / "tests").glob("*/__init__.py")}
    assert set(database) < packages and len(set(database)) == len(database)
    fuzz_files = {f"tests/fuzz/{path.name}" for path in (ROOT / "tests" / "fuzz").glob("test_*.py")}
    assert set(fuzz_in_api) < fuzz_files, "the API run's fuzz files exist (the reliability run takes the others)"


def test_make_check_and_make_test_run_the_complexity_gate_over_the_whole_layer():
    gate = (ROOT / "scripts" / "complexity").read_text(encoding="utf-8")
    assert "xenon --max-absolute B --max-modules B --max-average A" in gate
    assert ' "$@" layers/' in gate, "no exclusion of its own: the gate covers every module of layers/"
    for script in ("check", "test-all"):
        lines = (ROOT / "scripts" / script).read_text(encoding="utf-8").splitlines()
        gates = [i for i, line in enumerate(lines) if "scripts/complexity" in line and not line.startswith("#")]
        assert len(gates) == 1, script
        assert gates[0] < next(i for i, line in enumerate(lines) if "pytest" in line and not line.startswith("#"))
    pins = (ROOT / "requirements-dev.txt").read_text(encoding="utf-8").split()
    assert {"radon==6.0.1", "xenon==0.9.3"} <= set(pins)


def test_make_check_and_make_test_run_the_strict_type_gate_over_the_layer_and_the_functions():
    import tomllib

    mypy = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert mypy["strict"] is True
    assert set(mypy["files"]) == {"layers/conduit/conduit", "functions", "tests/unit/fakes"}
    assert ".venv/bin/mypy" in (ROOT / "scripts" / "typecheck").read_text(encoding="utf-8")
    for script in ("check", "test-all"):
        lines = (ROOT / "scripts" / script).read_text(encoding="utf-8").splitlines()
        gates = [line for line in lines if "scripts/typecheck" in line and not line.startswith("#")]
        assert len(gates) == 1, script
    [step] = [
        line
        for line in (ROOT / "scripts" / "test-all").read_text(encoding="utf-8").splitlines()
        if "typecheck" in line and not line.startswith("#")
    ]
    assert step.startswith("step "), "a step of its own: its duration is in make test's report"
    pins = (ROOT / "requirements-dev.txt").read_text(encoding="utf-8").split()
    assert "mypy==2.4.1" in pins


def test_test_job_has_the_toolchains_make_test_needs():
    job = _job("test")
    [python] = _uses(job, "actions/setup-python")
    versions = python["python-version"].split()
    assert {"3.11", "3.13"} <= set(versions), "3.11 for .venv, 3.13 for sam build's arm64 python3.13 layer"
    assert versions[-1] == "3.11", "the last version listed is the default python3"
    [node] = _uses(job, "actions/setup-node")
    assert str(node["node-version"]) == "20"
    [java] = _uses(job, "actions/setup-java")
    assert java["distribution"] == "temurin"
    assert str(java["java-version"]) == "17"


def test_every_job_checks_out_this_repository_alone_at_the_workspace_root():
    text = WORKFLOW.read_text(encoding="utf-8")
    for gone in ("REALWORLD_SUITES_REPO", "REALWORLD_SUITES_REF", "REALWORLD_SUITES_TOKEN", "REALWORLD_DIR", "shared/"):
        assert gone not in text, f"the suites need no other repository or variable ({gone})"
    for name, job in _workflow()["jobs"].items():
        assert _uses(job, "actions/checkout") == [{}], name
        assert "defaults" not in job, f"{name}: commands run at the repository root"
        assert not any("working-directory" in step for step in job["steps"]), name


def test_workflow_file_references_exist_in_the_repository():
    text = WORKFLOW.read_text(encoding="utf-8")
    patterns = [p for args in re.findall(r"hashFiles\(([^)]*)\)", text) for p in re.findall(r"'([^']+)'", args)]
    [python] = _uses(_job("test"), "actions/setup-python")
    patterns += python["cache-dependency-path"].split()
    assert "conformance/package-lock.json" in patterns
    for pattern in patterns:
        assert list(ROOT.glob(pattern)), f"{pattern} matches no file"


def test_conformance_tools_and_suite_files_are_cached_on_their_lock_and_manifest():
    key = "hashFiles('conformance/package-lock.json', 'conformance/suites.json')"
    for name, before in (("test", "make test"), ("deploy-dev", 'bash conformance/run-v2.sh "$API_URL"')):
        steps = _job(name)["steps"]
        [cache] = [i for i, step in enumerate(steps) if step.get("with", {}).get("path") == ".cache"]
        assert steps[cache]["uses"].split("@")[0] == "actions/cache", name
        assert key in steps[cache]["with"]["key"], name
        [run] = [i for i, step in enumerate(steps) if step.get("run") == before]
        assert cache < run, f"{name}: the cache is restored before {before}"
    assert ".cache/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_no_long_lived_aws_keys_anywhere():
    text = WORKFLOW.read_text(encoding="utf-8").lower()
    for key in ("aws-access-key-id", "aws-secret-access-key", "aws_access_key_id", "aws_secret_access_key"):
        assert key not in text


def test_deploy_jobs_use_github_oidc_and_the_role_secret():
    for name in STAGES:
        job = _job(name)
        assert job["needs"] == "test", name
        assert job["permissions"] == {"id-token": "write", "contents": "read"}, name
        [credentials] = _uses(job, "aws-actions/configure-aws-credentials")
        assert credentials["role-to-assume"] == ROLE, name
        assert _uses(job, "aws-actions/setup-sam"), name


def test_dev_deploys_only_pushes_to_main_and_prod_only_version_tags():
    dev, prod = _job("deploy-dev")["if"], _job("deploy-prod")["if"]
    assert "github.ref == 'refs/heads/main'" in dev
    assert "tags" not in dev
    assert "startsWith(github.ref, 'refs/tags/v')" in prod
    assert "heads" not in prod
    for condition in (dev, prod):
        assert "github.event_name == 'push'" in condition
    assert _job("deploy-prod")["environment"] == "production"


def test_deploy_jobs_build_deploy_their_samconfig_env_and_smoke_test_the_api_url():
    samconfig = _samconfig()
    outputs = load().raw["Outputs"]
    assert "ApiUrl" in outputs
    for name, stage in STAGES.items():
        job = _job(name)
        runs = _runs(job)
        assert "sam build" in runs, name
        [deploy] = [shlex.split(c) for c in runs if c.startswith("sam deploy")]
        assert deploy[deploy.index("--config-env") + 1] == stage, name
        assert {"--no-fail-on-empty-changeset", "--no-confirm-changeset"} <= set(deploy), name
        assert runs.index("sam build") < runs.index(shlex.join(deploy)), name
        assert job["env"]["STACK_NAME"] == samconfig[stage]["global"]["parameters"]["stack_name"], name
        described = [c for c in runs if "aws cloudformation describe-stacks" in c]
        assert described, name
        assert "OutputKey=='ApiUrl'" in described[0], name
        smoke = [c for c in runs if c.startswith("bash scripts/smoke")]
        assert smoke, name
    assert 'bash conformance/run-v2.sh "$API_URL"' in _runs(_job("deploy-dev")), "dev runs the RealWorld suite"
    assert not any("run-v2.sh" in c for c in _runs(_job("deploy-prod"))), "no test data in production"
    assert any(c.endswith("--read-only") for c in _runs(_job("deploy-prod")))


def test_pipeline_sam_cli_is_the_version_template_checks_pins():
    pinned = re.search(r"^aws-sam-cli==(\S+)$", (ROOT / "tools" / "requirements-sam.txt").read_text(), re.M)
    assert pinned
    for name in STAGES:
        [sam] = _uses(_job(name), "aws-actions/setup-sam")
        assert str(sam["version"]) == pinned.group(1), name
