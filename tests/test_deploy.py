"""The container image and manifests (Dockerfile, deploy/) say only what marketnews can do.

No container runtime runs in CI, so this reads them as a reviewer would: every command they start is one the
CLI parses, every MARKETNEWS_* variable is a setting, every CronJob is a job of the example settings file at
its own schedule, the final image runs as a numbered non-root user with no compiler installed, and
docs/deployment.md names each file.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.cli.parser import build_parser
from generator.settings import Settings
from tests.conftest import ROOT

DEPLOY = ROOT / "deploy"
SETTINGS_FIELDS = set(Settings.model_fields)


def manifests() -> list[dict[str, Any]]:
    return [doc for path in sorted((DEPLOY / "k8s").glob("*.yaml")) for doc in yaml.safe_load_all(path.read_text())
            if doc]


def containers() -> list[dict[str, Any]]:
    out = []
    for doc in manifests():
        spec = doc.get("spec", {})
        pod = spec.get("jobTemplate", {}).get("spec", spec).get("template", {}).get("spec", {})
        out += pod.get("containers", [])
    return out


def compose() -> dict[str, Any]:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def assert_a_command(args: list[str]) -> None:
    try:
        build_parser().parse_args(args)
    except SystemExit as err:  # argparse's way of refusing
        pytest.fail(f"not a marketnews command: {args} ({err})")


def assert_settings(names: list[str]) -> None:
    for name in names:
        if name in ("MARKETNEWS_CONFIG",):  # the settings file itself
            continue
        assert name.startswith("MARKETNEWS_") and name.removeprefix("MARKETNEWS_").lower() in SETTINGS_FIELDS, name


def test_the_image_has_two_stages_and_runs_as_a_numbered_user_without_compilers() -> None:
    text = (ROOT / "Dockerfile").read_text()
    stages = re.findall(r"^FROM (\S+)", text, flags=re.M)
    assert len(stages) == 2 and all(re.fullmatch(r"python:3\.1[1-9]-slim( AS build)?", s) for s in stages), stages
    final = text.split("\nFROM ", 2)[2]
    assert re.search(r"^USER [1-9]\d+$", final, flags=re.M), "the final stage must switch to a numeric non-root uid"
    assert not re.search(r"gcc|g\+\+|build-essential|apt-get install", final)
    assert "--no-index" in final  # only the wheels built in the first stage
    assert_settings(re.findall(r"\b(MARKETNEWS_[A-Z_]+)=", final))
    entry = re.search(r'^ENTRYPOINT \["marketnews"\]$', final, flags=re.M)
    cmd = re.search(r"^CMD (\[.*\])$", final, flags=re.M)
    assert entry and cmd
    assert_a_command(yaml.safe_load(cmd.group(1)))


def test_every_file_the_image_builds_from_is_in_its_context() -> None:
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")}
    for src in re.findall(r"^COPY (?!--from)(.+) \S+$", (ROOT / "Dockerfile").read_text(), flags=re.M):
        for name in src.split():
            assert (ROOT / name).exists() and name not in ignored, name


def test_compose_starts_real_commands_with_real_settings() -> None:
    services = compose()["services"]
    assert set(services) == {"db", "review", "scheduler"}
    for name in ("review", "scheduler"):
        assert_a_command(services[name]["command"])
    anchor = compose()["x-marketnews"]
    assert_settings(list(anchor["environment"]))
    assert anchor["environment"]["MARKETNEWS_DESK_DB"].startswith("postgresql://")


def test_the_example_settings_file_is_valid() -> None:
    Settings(**tomllib.loads((DEPLOY / "marketnews.example.toml").read_text()))


def test_kubernetes_runs_the_review_page_twice_and_a_cronjob_per_job() -> None:
    docs = manifests()
    kinds = [d["kind"] for d in docs]
    assert {"Deployment", "Service", "Secret", "CronJob", "PersistentVolumeClaim"} <= set(kinds)
    deployment = next(d for d in docs if d["kind"] == "Deployment")
    assert deployment["spec"]["replicas"] == 2
    jobs = tomllib.loads((DEPLOY / "marketnews.example.toml").read_text())["jobs"]
    cronjobs = {d["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["args"][1]: d
                for d in docs if d["kind"] == "CronJob"}
    assert set(cronjobs) == set(jobs)  # one CronJob per job, no more
    for name, job in jobs.items():
        spec = cronjobs[name]["spec"]
        assert spec["schedule"] == job["cron"] and spec.get("timeZone", "UTC") == job.get("timezone", "UTC"), name
        assert spec["concurrencyPolicy"] == "Forbid"
    secret = next(d for d in docs if d["kind"] == "Secret")
    assert_settings(list(secret["stringData"]))
    for container in containers():
        assert_a_command(container["args"])
        assert_settings([e["name"] for e in container.get("env", [])])
        assert container["envFrom"] == [{"secretRef": {"name": secret["metadata"]["name"]}}]


def test_deployment_docs_name_every_file() -> None:
    text = (ROOT / "docs" / "deployment.md").read_text()
    for path in [ROOT / "Dockerfile", *sorted(p for p in DEPLOY.rglob("*") if p.is_file())]:
        rel = path.relative_to(ROOT).as_posix()
        if rel.endswith("README.md"):
            continue
        assert rel in text or Path(rel).name in text, rel
