"""What users apply, checked as CI sees it (`make test-shipping`, part of `make test`).

Every kustomization renders with kubectl; the output is valid Kubernetes (`kubernetes-validate
--strict`); hadolint and checkov pass on the Dockerfile and checkov on the rendered overlays, each
skip justified where it is made; and the rendered hooks keep what a hook needs on the first
`kubectl apply`: a deadline above TASTER_DEADLINE, the Role restricted to the workloads taster
scales, settings and credentials where the Jobs look for them.

The Role's rules against the API calls the code makes are checked by the Swift test
RBACDriftTests, next to the code that declares them.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
TOOLS = Path(sys.executable).parent  # the lint venv: hadolint, checkov, kubernetes-validate
KUBECTL = os.environ.get("KUBECTL") or str(ROOT / ".venv" / "bin" / "kubectl")

OVERLAYS = sorted(p for p in (ROOT / "kustomize" / "overlays").iterdir() if (p / "kustomization.yaml").exists())


def is_kustomization(folder: Path) -> bool:
    """A folder `kubectl kustomize` builds (a Component, such as an app's app/, is only included)."""
    document = yaml.safe_load((folder / "kustomization.yaml").read_text())
    return document.get("kind", "Kustomization") == "Kustomization"


# Kustomizations applied by hand next to an overlay (credentials/, argocd/).
EXTRAS = sorted(p.parent for p in (ROOT / "kustomize" / "overlays").glob("*/*/kustomization.yaml") if is_kustomization(p.parent))
ALL = [ROOT / "hooks", ROOT / "kustomize" / "base", ROOT / "kustomize" / "ci", ROOT / "kustomize" / "argocd", *OVERLAYS, *EXTRAS]
HOOK_JOBS = {"PreSync": "pre-taste", "PostSync": "post-taste", "SyncFail": "restore"}


def name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def run(*command: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


@pytest.fixture(scope="session")
def rendered(tmp_path_factory) -> dict[str, Path]:
    """Every kustomization rendered to a file. credentials/ is rendered in a copy of hooks/ and
    kustomize/ with the committed .env.example as its env file: the real one is ignored by git and
    absent in CI (and credentials/ reaches the base and the app's component by relative paths)."""
    out = tmp_path_factory.mktemp("rendered")
    copy = out / "sources"
    for tree in ("hooks", "kustomize"):
        shutil.copytree(ROOT / tree, copy / tree, ignore=shutil.ignore_patterns("taster.env"))
    files = {}
    for folder in ALL:
        source = folder
        if (folder / ".env.example").exists():
            source = copy / name(folder)
            shutil.copy(folder / ".env.example", source / "taster.env")
        result = run(KUBECTL, "kustomize", str(source))
        assert result.returncode == 0, f"kubectl kustomize {name(folder)} failed:\n{result.stderr}"
        target = out / (name(folder).replace("/", "_") + ".yaml")
        target.write_text(result.stdout)
        files[name(folder)] = target
    return files


def documents(path: Path) -> list[dict]:
    return [d for d in yaml.safe_load_all(path.read_text()) if d]


def overlay_objects(rendered, overlay: Path) -> dict[tuple[str, str], dict]:
    return {(d["kind"], d["metadata"]["name"]): d for d in documents(rendered[name(overlay)])}


def jobs(objects: dict[tuple[str, str], dict]) -> list[dict]:
    return [d for (kind, _), d in objects.items() if kind == "Job"]


def references(job: dict) -> dict[str, str]:
    """What a hook Job names: its ServiceAccount, settings ConfigMap, credentials Secret, checks ConfigMap."""
    pod = job["spec"]["template"]["spec"]
    [container] = pod["containers"]
    sources = {next(iter(s)): s[next(iter(s))]["name"] for s in container["envFrom"]}
    [checks] = [v["configMap"]["name"] for v in pod["volumes"] if "configMap" in v]
    return {"ServiceAccount": pod["serviceAccountName"], "settings": sources["configMapRef"],
            "Secret": sources["secretRef"], "checks": checks}


def settings_of(objects: dict[tuple[str, str], dict]) -> dict[str, str]:
    """The data of the settings ConfigMap the hooks read (its name carries the app's prefix)."""
    [name] = {references(job)["settings"] for job in jobs(objects)}
    return objects[("ConfigMap", name)]["data"]


def seconds(duration: str) -> float:
    """A duration as taster reads it: 90s, 2m, 1h30m, 500ms."""
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|s|m|h)", duration)
    assert parts and "".join(n + u for n, u in parts) == duration, f"not a duration: {duration!r}"
    return sum(float(n) * units[u] for n, u in parts)


def test_every_kustomization_renders(rendered):
    assert OVERLAYS, "no overlay under kustomize/overlays"
    for folder in ALL:
        assert documents(rendered[name(folder)]), f"{name(folder)} renders nothing"


@pytest.mark.parametrize("folder", ALL, ids=name)
def test_rendered_output_is_valid_kubernetes(rendered, folder):
    result = run(str(TOOLS / "kubernetes-validate"), "--strict", "--quiet", str(rendered[name(folder)]))
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_passes_on_the_dockerfile():
    result = run(str(TOOLS / "hadolint"), "Dockerfile")
    assert result.returncode == 0, result.stdout + result.stderr


def checkov(*arguments: str) -> subprocess.CompletedProcess:
    return run(str(TOOLS / "checkov"), "--skip-download", "--quiet", "--compact", *arguments)


def test_checkov_passes_on_the_dockerfile():
    result = checkov("--framework", "dockerfile", "-f", "Dockerfile")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("folder", [ROOT / "kustomize" / "ci", *OVERLAYS, *EXTRAS], ids=name)
def test_checkov_passes_on_the_rendered_overlay(rendered, folder):
    result = checkov("--framework", "kubernetes", "-f", str(rendered[name(folder)]))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("overlay", OVERLAYS, ids=name)
def test_each_hook_job_is_what_argo_cd_needs(rendered, overlay):
    objects = overlay_objects(rendered, overlay)
    jobs = {d["metadata"]["annotations"]["argocd.argoproj.io/hook"]: d
            for (kind, _), d in objects.items() if kind == "Job"}
    assert set(jobs) == set(HOOK_JOBS), f"hook Jobs: {sorted(jobs)}"
    settings = settings_of(objects)
    deadline = seconds(settings.get("TASTER_DEADLINE", "15m"))
    for hook, job in jobs.items():
        where = f"{name(overlay)}: Job {job['metadata']['name']}"
        annotations = job["metadata"]["annotations"]
        assert annotations["argocd.argoproj.io/hook-delete-policy"] == "BeforeHookCreation,HookSucceeded", where
        spec = job["spec"]
        assert "ttlSecondsAfterFinished" not in spec, where
        assert spec["backoffLimit"] == 0, where
        # Above taster's own deadline (it stops, restores and reports first), but not far above.
        assert deadline < spec["activeDeadlineSeconds"] <= deadline + 300, \
            f"{where}: activeDeadlineSeconds {spec['activeDeadlineSeconds']} vs TASTER_DEADLINE {deadline:.0f}s"
        pod = spec["template"]["spec"]
        assert pod["restartPolicy"] == "Never", where
        assert pod["serviceAccountName"] in {n for k, n in objects if k == "ServiceAccount"}, where
        [container] = pod["containers"]
        assert container["args"] == [HOOK_JOBS[hook]], where
        assert container["terminationMessagePolicy"] == "FallbackToLogsOnError", where
        assert ":" in container["image"] or "@" in container["image"], f"{where}: image without a tag"
        context = container["securityContext"]
        assert context["readOnlyRootFilesystem"] is True and context["allowPrivilegeEscalation"] is False, where
        assert context["capabilities"]["drop"] == ["ALL"] and context["runAsNonRoot"] is True, where
        assert isinstance(context["runAsUser"], int) and context["runAsUser"] > 0, where
        assert context["seccompProfile"]["type"] == "RuntimeDefault", where
        for kind in ("requests", "limits"):
            assert {"cpu", "memory"} <= set(container["resources"][kind]), f"{where}: {kind}"
        # Settings and credentials through envFrom, named as this build names them (with the app's
        # name prefix), the checks file where TASTER_CHECKS points.
        named = references(job)
        assert ("ServiceAccount", named["ServiceAccount"]) in objects, where
        assert ("ConfigMap", named["settings"]) in objects, where
        assert named["Secret"].endswith("taster-credentials"), where
        env = {e["name"]: e for e in container.get("env", [])}
        assert env["POD_NAME"]["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.name", where
        assert env["POD_NAMESPACE"]["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.namespace", where
        volumes = {v["name"]: v for v in pod["volumes"]}
        mounts = {m["mountPath"]: m for m in container["volumeMounts"]}
        checks_path = Path(settings["TASTER_CHECKS"])
        mount = mounts[str(checks_path.parent)]
        config_map = volumes[mount["name"]]["configMap"]["name"]
        assert checks_path.name in objects[("ConfigMap", config_map)]["data"], \
            f"{where}: {checks_path} is not a key of ConfigMap {config_map}"


@pytest.mark.parametrize("overlay", OVERLAYS, ids=name)
def test_what_the_jobs_need_exists_before_them(rendered, overlay):
    """On the first sync Argo CD runs PreSync hooks before it applies anything else: what the
    Jobs use must itself be a PreSync hook of an earlier wave."""
    for (kind, object_name), document in overlay_objects(rendered, overlay).items():
        # The alert rules (components/prometheus-alerts) are no Job's need and must not be a hook:
        # a hook is deleted and made again on every sync, which would resolve and re-fire alerts.
        if kind in ("Job", "PrometheusRule"):
            continue
        annotations = document["metadata"].get("annotations", {})
        where = f"{name(overlay)}: {kind} {object_name}"
        assert annotations.get("argocd.argoproj.io/hook") == "PreSync", where
        assert int(annotations.get("argocd.argoproj.io/sync-wave", "0")) < 0, where
        assert annotations.get("argocd.argoproj.io/hook-delete-policy") == "BeforeHookCreation", where


def workload_names(settings: dict[str, str]) -> list[str]:
    """The names in TASTER_WORKLOADS (statefulset/mongo=1,deployment/web=2 -> mongo, web)."""
    return [entry.split("=")[0].strip().split("/")[1] for entry in settings["TASTER_WORKLOADS"].split(",")]


@pytest.mark.parametrize("overlay", OVERLAYS, ids=name)
def test_role_is_restricted_to_the_workloads_taster_scales(rendered, overlay):
    """Every apps rule names exactly the workloads of TASTER_WORKLOADS: one components/workload-N
    per entry (a missing one leaves a name out, one too many fails the build)."""
    objects = overlay_objects(rendered, overlay)
    workloads = workload_names(settings_of(objects))
    [role] = [d for (kind, _), d in objects.items() if kind == "Role"]
    apps_rules = [rule for rule in role["rules"] if rule.get("apiGroups") == ["apps"]]
    assert apps_rules, f"{name(overlay)}: the Role has no workload rules"
    for rule in apps_rules:
        assert sorted(rule.get("resourceNames", [])) == sorted(workloads), \
            f"{name(overlay)}: {rule['resources']} name {rule.get('resourceNames')}, TASTER_WORKLOADS {workloads}"


@pytest.mark.parametrize("overlay", OVERLAYS, ids=name)
def test_network_policy_selects_the_hook_pods(rendered, overlay):
    objects = overlay_objects(rendered, overlay)
    [policy] = [d for (kind, _), d in objects.items() if kind == "NetworkPolicy"]
    selector = policy["spec"]["podSelector"]["matchLabels"]
    for (kind, job), document in objects.items():
        if kind == "Job":
            labels = document["spec"]["template"]["metadata"]["labels"]
            assert selector.items() <= labels.items(), f"{name(overlay)}: NetworkPolicy misses Job {job}"


@pytest.mark.parametrize("overlay", OVERLAYS, ids=name)
def test_credentials_render_the_secret_the_jobs_read(rendered, overlay):
    folder = overlay / "credentials"
    [secret] = documents(rendered[name(folder)])
    objects = overlay_objects(rendered, overlay)
    [secret_name] = {references(job)["Secret"] for job in jobs(objects)}
    assert secret["kind"] == "Secret" and secret["metadata"]["name"] == secret_name
    namespace = {d["metadata"].get("namespace") for d in objects.values()}
    assert namespace == {secret["metadata"]["namespace"]}
    # Only placeholders are committed; the real file is ignored by git.
    example = (folder / ".env.example").read_text()
    assert "CHANGE-ME" in example
    ignored = run("git", "check-ignore", "-q", name(folder / "taster.env"))
    assert ignored.returncode == 0, f"{name(folder / 'taster.env')} is not ignored by git"


@pytest.mark.parametrize("overlay", OVERLAYS, ids=name)
def test_no_credentials_in_the_settings(rendered, overlay):
    settings = settings_of(overlay_objects(rendered, overlay))
    secret_variables = {"MONGODB_URI", "MONGO_USER", "MONGO_PASS", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                        "AWS_SESSION_TOKEN", "S3_ACCESSKEY", "S3_SECRETKEY"}
    assert not secret_variables & set(settings), f"{name(overlay)}: credentials belong in taster-credentials"


# -- Adopting taster for an app: names given once, Argo CD's files ------------------------------

SCHEMAS = yaml.safe_load((Path(__file__).parent / "argocd-schemas.yaml").read_text())
# Names that may only be written in an app's app/ folder: everything else derives them.
APP_FILES = {"app/kustomization.yaml", "app/settings.env"}
# Examples a person copies and edits, not read by any build step that could derive them.
EXAMPLES = {"credentials/.env.example", "app/checks.yaml"}


def argocd_errors(document: dict) -> list[str]:
    """What the API server would refuse in an Application or ApplicationSet (argocd-schemas.yaml)."""
    import jsonschema
    schema = {**SCHEMAS, "$ref": f"#/$defs/{document.get('kind')}"}
    validator = jsonschema.Draft202012Validator(schema)
    return [f"{'.'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in validator.iter_errors(document)]


def app_identity(overlay: Path) -> dict:
    """The names an app gives once, read from its app/ folder."""
    component = yaml.safe_load((overlay / "app" / "kustomization.yaml").read_text())
    settings = dict(line.split("=", 1) for line in (overlay / "app" / "settings.env").read_text().splitlines()
                    if line and not line.startswith("#"))
    return {"namespace": component["namespace"], "prefix": component.get("namePrefix", ""),
            "application": settings["TASTER_ARGOCD_APP"], "argocd": settings["TASTER_ARGOCD_NAMESPACE"],
            "workloads": workload_names(settings)}


def test_argocd_schemas_refuse_what_the_api_server_refuses():
    """The trimmed schemas are strict enough to catch a misplaced field and a missing one."""
    good = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": {"name": "a"},
            "spec": {"project": "p", "destination": {"namespace": "n"},
                     "sources": [{"repoURL": "https://example.com/r.git", "path": "x"}]}}
    assert argocd_errors(good) == []
    misplaced = {**good, "spec": {**good["spec"], "syncOptions": ["RespectIgnoreDifferences=true"]}}
    assert any("syncOptions" in e for e in argocd_errors(misplaced))
    no_kind = {**good, "spec": {**good["spec"], "ignoreDifferences": [{"name": "mongo"}]}}
    assert any("kind" in e for e in argocd_errors(no_kind))


@pytest.mark.parametrize("folder", [ROOT / "kustomize" / "argocd", *(o / "argocd" for o in OVERLAYS)], ids=name)
def test_argocd_objects_are_valid(rendered, folder):
    found = [d for d in documents(rendered[name(folder)]) if d["apiVersion"].startswith("argoproj.io/")]
    assert found, f"{name(folder)} renders no Argo CD object"
    for document in found:
        assert argocd_errors(document) == [], f"{name(folder)}: {document['kind']} {document['metadata']['name']}"


@pytest.mark.parametrize("overlay", OVERLAYS, ids=name)
def test_application_is_derived_from_the_app(rendered, overlay):
    """argocd/ renders the app's Application and the Role that reads it, every name from app/."""
    app = app_identity(overlay)
    objects = {(d["kind"], d["metadata"]["name"]): d for d in documents(rendered[name(overlay / "argocd")])}
    assert set(objects) == {("Application", app["application"]), ("Role", f"taster-read-{app['application']}"),
                            ("RoleBinding", f"taster-read-{app['application']}")}, sorted(objects)
    application = objects[("Application", app["application"])]
    assert {d["metadata"]["namespace"] for d in objects.values()} == {app["argocd"]}
    spec = application["spec"]
    assert spec["destination"]["namespace"] == app["namespace"]
    assert "RespectIgnoreDifferences=true" in spec["syncPolicy"]["syncOptions"]
    ignored = {(i["group"], i["kind"], i["name"]) for i in spec["ignoreDifferences"] if i["jsonPointers"] == ["/spec/replicas"]}
    for workload in app["workloads"]:
        assert {("apps", "StatefulSet", workload), ("apps", "Deployment", workload)} <= ignored, workload
    assert len(spec["ignoreDifferences"]) == 2 * len(app["workloads"])
    # The second source is this very overlay.
    assert spec["sources"][-1]["path"] == name(overlay)
    role = objects[("Role", f"taster-read-{app['application']}")]
    assert role["rules"][0]["resourceNames"] == [app["application"]]
    binding = objects[("RoleBinding", f"taster-read-{app['application']}")]
    assert binding["roleRef"]["name"] == role["metadata"]["name"]
    [service_account] = [n for k, n in overlay_objects(rendered, overlay) if k == "ServiceAccount"]
    assert binding["subjects"] == [{"kind": "ServiceAccount", "name": service_account, "namespace": app["namespace"]}]
    assert service_account == app["prefix"] + "taster"


def namespace_fields(node, namespace: str) -> int:
    """How many `namespace:` fields of a YAML tree hold `namespace`."""
    if isinstance(node, dict):
        return sum((key == "namespace" and value == namespace) + namespace_fields(value, namespace)
                   for key, value in node.items())
    if isinstance(node, list):
        return sum(namespace_fields(item, namespace) for item in node)
    return 0


@pytest.mark.parametrize("overlay", OVERLAYS, ids=name)
def test_app_names_are_given_once(overlay):
    """The namespace, the name prefix, the workloads and the Application's name are written in app/
    only, each once: the overlay, credentials/ and argocd/ take them from there. (The namespace is
    counted where it is a namespace: an Argo CD project or a database may share its name.)"""
    app = app_identity(overlay)
    words = [app["application"], *app["workloads"]] + ([app["prefix"]] if app["prefix"] else [])
    files = {str(p.relative_to(overlay)): p.read_text() for p in sorted(overlay.rglob("*"))
             if p.is_file() and str(p.relative_to(overlay)) not in EXAMPLES}
    comments = re.compile(r"^\s*#.*$|\s+#.*$", re.MULTILINE)
    for word in words:
        pattern = rf"(?<![A-Za-z0-9-]){re.escape(word)}(?![A-Za-z0-9-])"
        written = {f: n for f, text in files.items() if (n := len(re.findall(pattern, comments.sub("", text))))}
        assert sum(written.values()) == 1 and set(written) <= APP_FILES, f"{name(overlay)}: {word!r} is written in {written}"
    written = {}
    for f, text in files.items():
        if f.endswith(".yaml"):
            n = sum(namespace_fields(d, app["namespace"]) for d in yaml.safe_load_all(text))
        else:
            n = len(re.findall(rf"^TASTER_NAMESPACE={re.escape(app['namespace'])}$", text, re.MULTILINE))
        if n:
            written[f] = n
    assert written == {"app/kustomization.yaml": 1}, f"{name(overlay)}: namespace {app['namespace']!r} is written in {written}"


def test_apps_sharing_a_namespace_do_not_collide(rendered):
    """Two apps' tasters in one namespace (shop-orders and shop-catalog, with name prefixes): no
    object of one is an object of the other, and each app's Jobs use only their own."""
    owners: dict[tuple[str, str, str], str] = {}
    namespaces: dict[str, list[str]] = {}
    for overlay in OVERLAYS:
        objects = overlay_objects(rendered, overlay)
        for document in objects.values():
            key = (document["kind"], document["metadata"]["namespace"], document["metadata"]["name"])
            assert key not in owners, f"{key} is made by {owners.get(key)} and {name(overlay)}"
            owners[key] = name(overlay)
        namespaces.setdefault(next(iter(objects.values()))["metadata"]["namespace"], []).append(name(overlay))
        for job in jobs(objects):
            named = references(job)
            assert ("ServiceAccount", named["ServiceAccount"]) in objects
            assert ("ConfigMap", named["settings"]) in objects and ("ConfigMap", named["checks"]) in objects
    assert any(len(apps) > 1 for apps in namespaces.values()), f"no namespace holds two apps: {namespaces}"
    # In Argo CD's namespace too: each app's Application and Role are its own.
    argocd: dict[tuple[str, str, str], str] = {}
    for overlay in OVERLAYS:
        for document in documents(rendered[name(overlay / "argocd")]):
            key = (document["kind"], document["metadata"]["namespace"], document["metadata"]["name"])
            assert key not in argocd, f"{key} is made by {argocd.get(key)} and {name(overlay)}/argocd"
            argocd[key] = name(overlay)


def test_applicationset_makes_one_application_per_app(rendered):
    """The ApplicationSet's git directory generator, played here over this repository: each
    kustomize/overlays/<app>/argocd becomes a valid Application that syncs a folder that renders."""
    [appset] = documents(rendered["kustomize/argocd"])
    spec = appset["spec"]
    assert spec["goTemplate"] is True
    [generator] = spec["generators"]
    [directory] = generator["git"]["directories"]
    matches = sorted(p for p in ROOT.glob(directory["path"]) if p.is_dir())
    assert matches == sorted(o / "argocd" for o in OVERLAYS)
    template = yaml.safe_dump(spec["template"])
    made = set()
    for folder in matches:
        path = name(folder)
        text = (template.replace("{{.path.path}}", path)
                .replace("{{index .path.segments 2}}", path.split("/")[2]))
        assert "{{" not in text, f"a template parameter the test does not play: {text}"
        application = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application", **yaml.safe_load(text)}
        assert argocd_errors(application) == [], path
        assert application["spec"]["source"]["path"] in rendered
        made.add(application["metadata"]["name"])
    assert len(made) == len(matches), f"Application names collide: {sorted(made)}"


def test_readme_shows_the_application_argocd_renders(rendered):
    """README "Deploying" shows pxbbq's Application as argocd/ renders it, not as it once was."""
    readme = (ROOT / "README.md").read_text()
    after = readme.split("For pxbbq it renders:", 1)[1]
    shown = yaml.safe_load(after.split("```yaml\n", 1)[1].split("```", 1)[0])
    [application] = [d for d in documents(rendered["kustomize/overlays/pxbbq-stage/argocd"]) if d["kind"] == "Application"]
    assert shown == application
