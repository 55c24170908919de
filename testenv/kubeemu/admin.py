"""The control API for tests, under /_emulator/ on the same server: not part of the Kubernetes
API, authenticated by its own admin token, JSON in and out. README.md documents every endpoint."""
from __future__ import annotations

import hmac
import json
import time

from . import resources as res

WORKLOAD_ALIASES = {"deployment": "deployments", "deployments": "deployments", "deploy": "deployments",
                    "statefulset": "statefulsets", "statefulsets": "statefulsets", "sts": "statefulsets"}


class AdminError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


class AdminMixin:
    def admin(self, method: str, parts: list[str], query: dict, body: bytes) -> None:
        header = self.headers.get("Authorization", "")
        token = header[7:].strip() if header[:7].lower() == "bearer " else ""
        if not token or not hmac.compare_digest(token.encode(), self.emulator.admin_token.encode()):
            return self.send_json(401, {"error": "the control API needs the admin token (TESTENV_KUBE_ADMIN_TOKEN)"})
        try:
            data = json.loads(body) if body else {}
        except ValueError as error:
            return self.send_json(400, {"error": f"the body is not JSON: {error}"})
        try:
            code, result = self.admin_route(method, parts, query, data)
        except AdminError as error:
            return self.send_json(error.code, {"error": str(error)})
        except (ValueError, TypeError) as error:
            return self.send_json(400, {"error": str(error)})
        self.send_json(code, result)

    def admin_route(self, method: str, parts: list[str], query: dict, data) -> tuple[int, object]:
        emulator = self.emulator
        head = parts[0] if parts else ""
        if head == "health" and method == "GET":
            return 200, {"ok": True, "revision": emulator.store.revision, "compacted": emulator.store.compacted,
                         "uptimeSeconds": round(time.time() - emulator.started, 3),
                         "controllerErrors": emulator.controller.errors[-5:]}
        if head == "settings":
            if method == "PUT":
                with emulator.store.lock:
                    emulator.settings.update(data)
                    emulator.store.auto_create_namespaces = emulator.settings.auto_create_namespaces
            elif method != "GET":
                raise AdminError(405, "GET or PUT")
            return 200, emulator.settings.to_json()
        if head == "reset" and method == "POST":
            return 200, self.admin_reset(data)
        if head == "objects" and method == "POST":
            items = data.get("items") if isinstance(data, dict) and "items" in data and "kind" not in data else [data]
            return 200, {"items": [self.admin_put_object(item) for item in items]}
        if head == "workloads" and len(parts) in (4, 5):
            return self.admin_workload(method, parts[1:], data)
        if head == "jobs" and len(parts) == 3:
            ns, name = parts[1], parts[2]
            if method == "PUT":
                return 200, emulator.controller.set_job(ns, name, data)
            if method == "DELETE":
                emulator.controller.jobs.pop((ns, name), None)
                return 200, {}
            if method == "GET":
                return 200, emulator.controller.jobs.get((ns, name), {})
        if head == "pods" and len(parts) == 4 and parts[3] == "logs" and method == "POST":
            return 200, self.admin_pod_logs(parts[1], parts[2], data)
        if head == "faults":
            return self.admin_faults(method, parts[1:], data)
        if head == "tokens":
            if method == "POST" and len(parts) == 1:
                if not data.get("token") or not data.get("user"):
                    raise AdminError(400, "token and user are required")
                emulator.authn.add_token(data["token"], data["user"], data.get("groups"), data.get("uid", ""))
                return 200, {"token": data["token"], "user": data["user"]}
            if method == "DELETE" and len(parts) == 2:
                return 200, {"removed": emulator.authn.remove_token(parts[1])}
        if head == "file-token-user" and method == "PUT":
            if not data.get("user"):
                raise AdminError(400, "user is required")
            emulator.authn.set_file_user(data["user"], data.get("groups"))
            return 200, emulator.authn.file_user.info()
        if head == "authz":
            if method == "GET" and len(parts) == 1:
                return 200, emulator.authz.snapshot()
            if method == "PUT" and len(parts) == 1:
                emulator.authz.configure(data.get("default", "allow"), data.get("rules", []))
                return 200, emulator.authz.snapshot()
            if method == "DELETE" and len(parts) == 1:
                emulator.authz.configure("allow", [])
                return 200, emulator.authz.snapshot()
            if method == "POST" and parts[1:] == ["rules"]:
                emulator.authz.add(data)
                return 200, emulator.authz.snapshot()
        if head == "requests":
            if method == "GET":
                since = int(query.get("since") or 0)
                filters = {k: query.get(k) for k in ("method", "path", "verb", "resource", "subresource",
                                                     "namespace", "name", "user", "watch")}
                items = emulator.requests.query(since, **filters)
                return 200, {"items": items, "last": emulator.requests.last_seq()}
            if method == "DELETE":
                emulator.requests.clear()
                return 200, {"last": emulator.requests.last_seq()}
        if head == "compact" and method == "POST":
            return 200, {"compactedRevision": emulator.store.compact()}
        if head == "seed" and parts[1:] == ["demo"] and method == "POST":
            from .seeds import seed_demo
            namespace = (data or {}).get("namespace", "pxbbq")
            return 200, {"items": [self.admin_put_object(obj) for obj in seed_demo(namespace)]}
        raise AdminError(404, f"no control endpoint {method} /_emulator/{'/'.join(parts)}")

    def admin_reset(self, data: dict) -> dict:
        emulator = self.emulator
        if data.get("all"):
            with emulator.store.lock:
                namespaces, _ = emulator.store.list(res.find("", "v1", "namespaces"), None)
                for ns in namespaces:
                    name = ns["metadata"]["name"]
                    if name not in ("default", "kube-system", "kube-public", "kube-node-lease"):
                        self.delete_namespace(name)
            emulator.faults.clear()
            emulator.authz.configure("allow", [])
            emulator.authn.reset(emulator.default_user)
            emulator.requests.clear()
            emulator.controller.workloads.clear()
            emulator.controller.jobs.clear()
            return {"reset": "all"}
        namespace = data.get("namespace")
        if not namespace:
            raise AdminError(400, 'give {"namespace": NAME} or {"all": true}')
        self.delete_namespace(namespace)
        return {"reset": namespace}

    def admin_put_object(self, obj: dict) -> dict:
        if not isinstance(obj, dict):
            raise AdminError(400, "an object must be a JSON object")
        resource = res.by_kind(obj.get("apiVersion", ""), obj.get("kind", ""))
        if resource is None or not resource.stored:
            raise AdminError(400, f"unknown kind {obj.get('apiVersion')}/{obj.get('kind')}")
        meta = obj.get("metadata") or {}
        if not meta.get("name"):
            raise AdminError(400, "metadata.name is required")
        ns = meta.get("namespace", "default") if resource.namespaced else ""
        from . import objects
        existing = self.emulator.store.find(resource, ns, meta["name"])
        obj = json.loads(json.dumps(obj))
        if existing is None:
            status = obj.get("status")
            objects.apply_defaults(resource.kind, obj)
            if status is not None:
                obj["status"] = status
            uid = meta.get("uid")
            if resource.kind == "Job":
                import uuid
                uid = uid or str(uuid.uuid4())
                obj["metadata"]["uid"] = uid
                objects.job_labels(obj)
            return self.emulator.store.create(resource, ns, obj, uid=uid)
        return self.emulator.store.put(resource, ns, obj)

    def admin_workload(self, method: str, parts: list[str], data: dict) -> tuple[int, object]:
        ns, kind, name = parts[0], parts[1], parts[2]
        resource = WORKLOAD_ALIASES.get(kind.lower())
        if resource is None:
            raise AdminError(400, f"kind must be deployment or statefulset, not {kind!r}")
        controller = self.emulator.controller
        if len(parts) == 4:
            if parts[3] == "ready" and method == "POST":
                try:
                    return 200, controller.ready_now(resource, ns, name)
                except KeyError:
                    raise AdminError(404, f'{resource} "{name}" not found in namespace {ns}') from None
            raise AdminError(404, f"no control endpoint {method} .../{parts[3]}")
        if method == "PUT":
            return 200, controller.set_workload(resource, ns, name, data)
        if method == "DELETE":
            controller.clear_workload(resource, ns, name)
            return 200, {}
        if method == "GET":
            return 200, controller.workload_settings(resource, ns, name)
        raise AdminError(405, "GET, PUT or DELETE")

    def admin_pod_logs(self, ns: str, name: str, data: dict) -> dict:
        from .controllers import PODS
        pod = self.emulator.store.find(PODS, ns, name)
        if pod is None:
            raise AdminError(404, f'pod "{name}" not found in namespace {ns}')
        containers = [c["name"] for c in pod["spec"].get("containers") or []]
        container = data.get("container") or (containers[0] if containers else "")
        if container not in containers:
            raise AdminError(400, f"pod {name} has no container {container!r}")
        for line in data.get("lines") or []:
            self.emulator.logs.append(ns, name, container, str(line))
        if data.get("finish"):
            self.emulator.logs.finish(ns, name, container)
        return {"container": container, "appended": len(data.get("lines") or [])}

    def admin_faults(self, method: str, parts: list[str], data) -> tuple[int, object]:
        faults = self.emulator.faults
        if not parts:
            if method == "GET":
                return 200, {"items": faults.list()}
            if method == "POST":
                return 200, faults.add(data)
            if method == "DELETE":
                faults.clear()
                return 200, {"items": []}
        elif len(parts) == 1 and method == "DELETE":
            return 200, {"removed": faults.remove(int(parts[0]))}
        raise AdminError(405, "GET, POST or DELETE /_emulator/faults[/ID]")
