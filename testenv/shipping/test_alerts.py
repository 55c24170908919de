"""The alert rules that ship (kustomize/components/prometheus-alerts): `promtool check rules` on
the rules as an overlay renders them, and `promtool test rules` of each alert's expression
(alerts_test.yaml). promtool comes with Debian's `prometheus` package."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
COMPONENT = ROOT / "kustomize" / "components" / "prometheus-alerts"
KUBECTL = os.environ.get("KUBECTL") or str(ROOT / ".venv" / "bin" / "kubectl")


def promtool() -> str:
    found = shutil.which("promtool")
    assert found, "promtool is not installed: make test installs Debian's prometheus package (scripts/ensure-apt.sh prometheus)"
    return found


@pytest.fixture(scope="module")
def rules(tmp_path_factory) -> Path:
    """The spec of the PrometheusRule the overlay that opts in renders, as a plain rules file."""
    rendered = subprocess.run([KUBECTL, "kustomize", str(ROOT / "kustomize" / "overlays" / "pxbbq-stage")],
                              capture_output=True, text=True, check=True).stdout
    [rule] = [d for d in yaml.safe_load_all(rendered) if d and d["kind"] == "PrometheusRule"]
    assert rule["apiVersion"] == "monitoring.coreos.com/v1"
    folder = tmp_path_factory.mktemp("rules")
    path = folder / "taster-alerts.rules.yaml"
    path.write_text(yaml.safe_dump(rule["spec"]))
    shutil.copy(HERE / "alerts_test.yaml", folder / "alerts_test.yaml")
    return path


def test_promtool_checks_the_rules(rules):
    result = subprocess.run([promtool(), "check", "rules", str(rules)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS: 3 rules found" in result.stdout


def test_promtool_tests_every_alert(rules):
    result = subprocess.run([promtool(), "test", "rules", "alerts_test.yaml"], cwd=rules.parent,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    tested = {t["alertname"] for group in yaml.safe_load((HERE / "alerts_test.yaml").read_text())["tests"]
              for t in group["alert_rule_test"]}
    alerts = {r["alert"] for g in yaml.safe_load(rules.read_text())["groups"] for r in g["rules"]}
    assert tested == alerts, f"alerts without a promtool test: {alerts - tested}"
