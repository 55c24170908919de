"""The API verbs on resources: get, list (with selectors, pagination and Table output),
create, update, patch, delete (with propagation), the scale and status subresources, and the
access reviews. Watches and pod logs are in streams.py."""
from __future__ import annotations

import base64
import json
import uuid

from . import objects, patch as patchlib, resources as res
from .auth import Attributes
from .selectors import SelectorError, fields_match, labels_match, parse_fields, parse_labels
from .store import AlreadyExists, Conflict, NotFound
from .tables import TABLE_MEDIA, table, wants_table

SCALABLE = {"deployments", "replicasets", "statefulsets"}


def invalid_details(resource: res.Resource, name: str, errors: list[tuple[str, str, str]]) -> tuple[str, dict]:
    rendered = [f"{field}: {kind}" + (f": {detail}" if detail else "") for field, kind, detail in errors]
    text = rendered[0] if len(rendered) == 1 else "[" + ", ".join(rendered) + "]"
    def cause(kind: str) -> str:
        for prefix, reason in (("Required", "FieldValueRequired"), ("Invalid", "FieldValueInvalid"),
                               ("Forbidden", "FieldValueForbidden"), ("Unsupported", "FieldValueNotSupported")):
            if kind.startswith(prefix):
                return reason
        return "FieldValueInvalid"
    causes = [{"reason": cause(kind), "message": kind + (f": {detail}" if detail else ""), "field": field}
              for field, kind, detail in errors]
    return (f'{resource.qualified_kind} "{name}" is invalid: {text}',
            {"name": name, "group": resource.group, "kind": resource.kind, "causes": causes})


class ApiMixin:
    # -- errors --------------------------------------------------------------------------------

    def not_found(self, resource: res.Resource, name: str) -> None:
        self.send_status(404, "NotFound", f'{resource.qualified} "{name}" not found',
                         {"name": name, "group": resource.group, "kind": resource.name})

    def conflict(self, resource: res.Resource, name: str) -> None:
        self.send_status(409, "Conflict", f'Operation cannot be fulfilled on {resource.qualified} "{name}": the object '
                                          f'has been modified; please apply your changes to the latest version and try again',
                         {"name": name, "group": resource.group, "kind": resource.name})

    def bad_request(self, message: str) -> None:
        self.send_status(400, "BadRequest", message)

    def invalid(self, resource: res.Resource, name: str, errors) -> None:
        message, details = invalid_details(resource, name, errors)
        self.send_status(422, "Invalid", message, details)

    def method_not_allowed(self) -> None:
        self.send_status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource")

    def parse_body(self, body: bytes):
        if (self.headers.get("Content-Type") or "").startswith("application/vnd.kubernetes.protobuf"):
            return None, ("kubeemu reads protobuf only for access reviews; send this object as JSON "
                          "(kubectl create -f/apply -f do; kubectl create deployment/job and kubectl run send protobuf)")
        try:
            return json.loads(body or b"{}"), None
        except ValueError as error:
            return None, f"the body of the request was in an unknown format - accepted media types include: " \
                         f"application/json, application/yaml, application/vnd.kubernetes.protobuf ({error})"

    # -- dispatch ------------------------------------------------------------------------------

    def handle_resource(self, method, resource: res.Resource, info, query: dict, body: bytes) -> None:
        ns, name, sub = info.namespace, info.name, info.subresource
        verb = info.verb
        if verb not in resource.verbs and not sub:
            return self.method_not_allowed()
        if not resource.stored:
            if method == "POST" and not name:
                return self.review(resource, body)
            return self.method_not_allowed()
        if verb == "watch":
            return self.watch(resource, ns if resource.namespaced else "", name, query)
        if sub == "log":
            return self.pod_log(ns, name, query) if method in ("GET", "HEAD") else self.method_not_allowed()
        if sub == "scale":
            return self.scale(method, resource, ns, name, query, body)
        if verb == "list":
            return self.list_objects(resource, ns if resource.namespaced else None, query)
        if verb == "get":
            return self.get_object(resource, ns, name, sub, query)
        if verb == "create":
            return self.create_object(resource, ns, body, query)
        if verb == "update":
            return self.update_object(resource, ns, name, sub, body, query)
        if verb == "patch":
            return self.patch_object(resource, ns, name, sub, body, query)
        if verb == "delete":
            return self.delete_object(resource, ns, name, body, query)
        if verb == "deletecollection":
            return self.delete_collection(resource, ns, body, query)
        return self.method_not_allowed()

    def respond_object(self, code: int, resource: res.Resource, obj: dict, headers: dict | None = None) -> None:
        if wants_table(self.headers.get("Accept", "")):
            return self.send_json(code, table(resource.name, [obj], obj["metadata"].get("resourceVersion")),
                                  headers, content_type=TABLE_MEDIA)
        self.send_json(code, obj, headers)

    # -- get and list --------------------------------------------------------------------------

    def get_object(self, resource, ns, name, sub, query) -> None:
        try:
            obj = self.emulator.store.get(resource, ns, name)
        except NotFound:
            return self.not_found(resource, name)
        if sub == "status" or not sub:
            return self.respond_object(200, resource, obj)
        return self.method_not_allowed()

    def list_options_errors(self, query: dict) -> list[tuple[str, str, str]]:
        errors = []
        match = query.get("resourceVersionMatch", "")
        if match:
            if not query.get("resourceVersion"):
                errors.append(("resourceVersionMatch", "Forbidden", "resourceVersionMatch is forbidden unless resourceVersion is provided"))
            if query.get("continue"):
                errors.append(("resourceVersionMatch", "Forbidden", "resourceVersionMatch is forbidden when continue is provided"))
            if match not in ("Exact", "NotOlderThan"):
                errors.append(("resourceVersionMatch", f'Unsupported value: "{match}"',
                               'supported values: "Exact", "NotOlderThan", ""'))
            if match == "Exact" and query.get("resourceVersion") == "0":
                errors.append(("resourceVersionMatch", "Forbidden", 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'))
        if "sendInitialEvents" in query:
            errors.append(("sendInitialEvents", "Forbidden", "sendInitialEvents is forbidden for list"))
        return errors

    def list_invalid(self, errors) -> None:
        rendered = [f"{field}: {kind}" + (f": {detail}" if detail else "") for field, kind, detail in errors]
        text = rendered[0] if len(rendered) == 1 else "[" + ", ".join(rendered) + "]"
        self.send_status(422, "Invalid", f'ListOptions.meta.k8s.io "" is invalid: {text}',
                         {"group": "meta.k8s.io", "kind": "ListOptions",
                          "causes": [{"reason": "FieldValueForbidden", "message": f"{kind}: {detail}", "field": field}
                                     for field, kind, detail in errors]})

    def selected(self, resource, ns, query) -> tuple[list[dict], int] | None:
        """Objects matching the request's selectors and the revision, or None after answering 400."""
        try:
            labels = parse_labels(query.get("labelSelector", ""))
            fields = parse_fields(query.get("fieldSelector", ""), resource.name)
        except SelectorError as error:
            self.bad_request(str(error))
            return None
        items, revision = self.emulator.store.list(resource, ns)
        items = [o for o in items if labels_match(o.get("metadata", {}).get("labels"), labels) and fields_match(o, fields)]
        return items, revision

    def list_objects(self, resource, ns, query) -> None:
        errors = self.list_options_errors(query)
        if errors:
            return self.list_invalid(errors)
        rv = query.get("resourceVersion", "")
        if rv and rv != "0":
            try:
                wanted = int(rv)
            except ValueError:
                return self.bad_request(f'resourceVersion: Invalid value: "{rv}": must be a positive integer')
            if query.get("resourceVersionMatch") == "Exact" and wanted < self.emulator.store.compacted:
                return self.send_status(410, "Expired", f"too old resource version: {wanted} ({self.emulator.store.revision})")
        found = self.selected(resource, ns, query)
        if found is None:
            return
        items, revision = found
        meta: dict = {"resourceVersion": str(revision)}
        start = 0
        if query.get("continue"):
            try:
                token = json.loads(base64.urlsafe_b64decode(query["continue"] + "=="))
                start = next((i for i, o in enumerate(items)
                              if [o["metadata"].get("namespace", ""), o["metadata"]["name"]] > token["after"]), len(items))
                meta["resourceVersion"] = token["rv"]
            except (ValueError, KeyError, TypeError):
                return self.send_status(410, "Expired", "The provided continue parameter is too old to display a "
                                                        "consistent list result. You can start a new list without the "
                                                        "continue parameter.")
        items = items[start:]
        limit = int(query.get("limit") or 0)
        if limit > 0 and len(items) > limit:
            last = items[limit - 1]["metadata"]
            token = {"rv": meta["resourceVersion"], "after": [last.get("namespace", ""), last["name"]]}
            meta["continue"] = base64.urlsafe_b64encode(json.dumps(token).encode()).decode().rstrip("=")
            meta["remainingItemCount"] = len(items) - limit
            items = items[:limit]
        if wants_table(self.headers.get("Accept", "")):
            document = table(resource.name, items, meta["resourceVersion"], query.get("includeObject", "Metadata"))
            document["metadata"].update({k: v for k, v in meta.items() if k != "resourceVersion"})
            return self.send_json(200, document, content_type=TABLE_MEDIA)
        for item in items:  # the real API leaves kind and apiVersion off a typed list's items
            item.pop("kind", None)
            item.pop("apiVersion", None)
        self.send_json(200, {"kind": resource.list_kind, "apiVersion": resource.group_version, "metadata": meta,
                             "items": items})

    # -- create --------------------------------------------------------------------------------

    def check_kind(self, resource, obj) -> str | None:
        if not isinstance(obj, dict):
            return "the body of the request was in an unknown format"
        kind, api_version = obj.get("kind"), obj.get("apiVersion")
        if kind is not None and kind != resource.kind:
            return f"the API version in the data ({api_version}) does not match the expected API version " \
                   f"({resource.group_version})" if api_version and api_version != resource.group_version else \
                   f"{kind} in version \"{resource.version}\" cannot be handled as a {resource.kind}: no kind " \
                   f"\"{kind}\" is registered for version \"{resource.group_version}\""
        if api_version is not None and api_version != resource.group_version:
            return f"the API version in the data ({api_version}) does not match the expected API version " \
                   f"({resource.group_version})"
        return None

    def strict_fields_rejected(self, resource, obj: dict, query: dict) -> bool:
        """fieldValidation=Strict: unknown fields are a 400 (Warn: a Warning header; Ignore: nothing)."""
        from .openapi import unknown_fields
        mode = query.get("fieldValidation", "")
        unknown = unknown_fields(resource.kind, obj) if mode in ("Strict", "Warn") else []
        if unknown and mode == "Strict":
            self.bad_request(f'{resource.kind} in version "{resource.version}" cannot be handled as a {resource.kind}: '
                             f'strict decoding error: {", ".join(unknown)}')
            return True
        self.warnings = [f'299 - "{u}"' for u in unknown]
        return False

    def create_object(self, resource, ns, body, query) -> None:
        obj, error = self.parse_body(body)
        if error:
            return self.bad_request(error)
        problem = self.check_kind(resource, obj)
        if problem:
            return self.bad_request(problem)
        if self.strict_fields_rejected(resource, obj, query):
            return
        meta = obj.setdefault("metadata", {})
        if resource.namespaced and meta.get("namespace") and meta["namespace"] != ns:
            return self.bad_request("the namespace of the provided object does not match the namespace sent on the request")
        name = meta.get("name") or ""
        if not name and not meta.get("generateName"):
            return self.invalid(resource, "", [("metadata.name", "Required value", "name or generateName is required")])
        store = self.emulator.store
        if resource.namespaced and not self.emulator.settings.auto_create_namespaces \
                and store.find(res.find("", "v1", "namespaces"), "", ns) is None:
            return self.send_status(404, "NotFound", f'namespaces "{ns}" not found',
                                    {"name": ns, "kind": "namespaces"})
        if resource.name == "namespaces":
            meta.setdefault("labels", {})["kubernetes.io/metadata.name"] = name
        if resource.name != "namespaces":
            objects.apply_defaults(resource.kind, obj)
        else:
            obj.setdefault("spec", {"finalizers": ["kubernetes"]})
            obj["status"] = {"phase": "Active"}
        errors = objects.validate(resource.kind, obj)
        if errors:
            return self.invalid(resource, name, errors)
        uid = str(uuid.uuid4())
        if resource.kind == "Job":
            meta["uid"] = uid
            objects.job_labels(obj)
        if resource.kind in ("Deployment", "StatefulSet", "Job", "ReplicaSet"):
            obj["status"] = {} if resource.kind != "StatefulSet" else {"replicas": 0, "availableReplicas": 0}
        if query.get("dryRun") == "All":
            now = objects.rfc3339()
            meta.update({"uid": uid, "creationTimestamp": now})
            if resource.namespaced:
                meta["namespace"] = ns
            obj["kind"], obj["apiVersion"] = resource.kind, resource.group_version
            return self.respond_object(201, resource, obj)
        try:
            created = store.create(resource, ns, obj, uid=uid)
        except AlreadyExists:
            return self.send_status(409, "AlreadyExists", f'{resource.qualified} "{name}" already exists',
                                    {"name": name, "group": resource.group, "kind": resource.name})
        self.respond_object(201, resource, created)

    # -- update and patch ----------------------------------------------------------------------

    def store_update(self, resource, ns, name, obj, sub, expected_rv, query) -> None:
        """Validation, dry run and the store's update; answers the request."""
        store = self.emulator.store
        if sub != "status" and resource.kind in ("Deployment", "StatefulSet", "ReplicaSet", "Job", "Pod"):
            errors = objects.validate(resource.kind, obj)
            if errors:
                return self.invalid(resource, name, errors)
        if query.get("dryRun") == "All":
            return self.respond_object(200, resource, obj)
        try:
            updated = store.update(resource, ns, obj, expected_rv=expected_rv, subresource=sub or None)
        except NotFound:
            return self.not_found(resource, name)
        except Conflict:
            return self.conflict(resource, name)
        self.respond_object(200, resource, updated)

    def check_identity(self, resource, obj, ns, name) -> str | None:
        meta = obj.get("metadata") or {}
        if meta.get("name") and meta["name"] != name:
            return f"the name of the object ({meta['name']}) does not match the name on the URL ({name})"
        if resource.namespaced and meta.get("namespace") and meta["namespace"] != ns:
            return "the namespace of the provided object does not match the namespace sent on the request"
        return None

    def update_object(self, resource, ns, name, sub, body, query) -> None:
        if sub not in ("", "status"):
            return self.method_not_allowed()
        obj, error = self.parse_body(body)
        if error:
            return self.bad_request(error)
        problem = self.check_kind(resource, obj) or self.check_identity(resource, obj, ns, name)
        if problem:
            return self.bad_request(problem)
        if self.strict_fields_rejected(resource, obj, query):
            return
        obj.setdefault("metadata", {})["name"] = name
        expected = obj["metadata"].get("resourceVersion") or None
        if self.emulator.store.find(resource, ns, name) is None:
            return self.not_found(resource, name)
        self.store_update(resource, ns, name, obj, sub, expected, query)

    def patch_type_error(self, resource) -> None:
        accepted = [patchlib.JSON_PATCH, patchlib.MERGE]
        if resource.group != "argoproj.io":
            accepted.append(patchlib.STRATEGIC)
        self.send_status(415, "UnsupportedMediaType",
                         f"the body of the request was in an unknown format - accepted media types include: "
                         f"{', '.join(accepted)}")

    def patched(self, resource, current: dict, body: bytes):
        """(patched object, None) or (None, True) after answering an error."""
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        if content_type not in (patchlib.MERGE, patchlib.STRATEGIC, patchlib.JSON_PATCH) or \
                (content_type == patchlib.STRATEGIC and resource.group == "argoproj.io"):
            self.patch_type_error(resource)
            return None, True
        try:
            patch = json.loads(body or b"null")
        except ValueError as error:
            self.bad_request(f"error decoding patch: {error}")
            return None, True
        try:
            return patchlib.apply(content_type, current, patch), None
        except (patchlib.PatchError, TypeError, ValueError) as error:
            if content_type == patchlib.JSON_PATCH:
                self.send_status(422, "Invalid", f"the server rejected our request due to an error in our request: {error}")
            else:
                self.bad_request(f"error decoding patch: {error}")
            return None, True

    def patch_object(self, resource, ns, name, sub, body, query) -> None:
        if sub not in ("", "status"):
            return self.method_not_allowed()
        current = self.emulator.store.find(resource, ns, name)
        if current is None:
            return self.not_found(resource, name)
        obj, failed = self.patched(resource, current, body)
        if failed:
            return
        if not isinstance(obj, dict):
            return self.bad_request("the patch did not produce an object")
        problem = self.check_identity(resource, obj, ns, name)
        if problem:
            return self.bad_request(problem)
        rv = (obj.get("metadata") or {}).get("resourceVersion")
        expected = rv if rv and rv != current["metadata"]["resourceVersion"] else None
        obj.setdefault("metadata", {})["name"] = name
        self.store_update(resource, ns, name, obj, sub, expected, query)

    # -- scale subresource ---------------------------------------------------------------------

    def scale(self, method, resource, ns, name, query, body) -> None:
        store = self.emulator.store
        current = store.find(resource, ns, name)
        if current is None:
            return self.not_found(resource, name)
        scale = objects.scale_of(current)
        if method in ("GET", "HEAD"):
            return self.send_json(200, scale)
        if method == "PATCH":
            new, failed = self.patched(res.find("autoscaling", "v1", "horizontalpodautoscalers"), scale, body)
            if failed:
                return
        elif method == "PUT":
            new, error = self.parse_body(body)
            if error:
                return self.bad_request(error)
            if new.get("kind") not in (None, "Scale") or new.get("apiVersion") not in (None, "autoscaling/v1"):
                return self.bad_request(f"the API version in the data ({new.get('apiVersion')}) does not match "
                                        f"the expected API version (autoscaling/v1)")
        else:
            return self.method_not_allowed()
        if not isinstance(new, dict):
            return self.bad_request("the body of the request was in an unknown format")
        meta = new.get("metadata") or {}
        if meta.get("name") and meta["name"] != name:
            return self.bad_request(f"the name of the object ({meta['name']}) does not match the name on the URL ({name})")
        replicas = (new.get("spec") or {}).get("replicas", 0)
        scale_resource = res.Resource("autoscaling", "v1", "scale", "scale", "Scale")
        if not isinstance(replicas, int) or isinstance(replicas, bool):
            return self.bad_request(f"json: cannot unmarshal {type(replicas).__name__} into Go struct field "
                                    f"ScaleSpec.spec.replicas of type int32")
        if replicas < 0:
            return self.invalid(scale_resource, name, [("spec.replicas", f"Invalid value: {replicas}",
                                                        "must be greater than or equal to 0")])
        expected = meta.get("resourceVersion") or None
        if method == "PATCH" and expected == current["metadata"]["resourceVersion"]:
            expected = None
        current["spec"]["replicas"] = replicas
        if query.get("dryRun") == "All":
            return self.send_json(200, objects.scale_of(current))
        try:
            updated = store.update(resource, ns, current, expected_rv=expected)
        except NotFound:
            return self.not_found(resource, name)
        except Conflict:
            return self.conflict(resource, name)
        self.send_json(200, objects.scale_of(updated))

    # -- delete --------------------------------------------------------------------------------

    def delete_options(self, body: bytes, query: dict) -> dict:
        options = {}
        if body:
            try:
                options = json.loads(body) or {}
            except ValueError:
                options = {}
        for key in ("propagationPolicy", "gracePeriodSeconds", "dryRun", "orphanDependents"):
            if key in query:
                options[key] = query[key]
        return options

    def delete_object(self, resource, ns, name, body, query) -> None:
        store = self.emulator.store
        options = self.delete_options(body, query)
        current = store.find(resource, ns, name)
        if current is None:
            return self.not_found(resource, name)
        preconditions = options.get("preconditions") or {}
        if preconditions.get("uid") and preconditions["uid"] != current["metadata"]["uid"]:
            return self.send_status(409, "Conflict", f'Operation cannot be fulfilled on {resource.qualified} "{name}": '
                                    f'Precondition failed: UID in precondition: {preconditions["uid"]}, UID in object '
                                    f'meta: {current["metadata"]["uid"]}',
                                    {"name": name, "group": resource.group, "kind": resource.name})
        if preconditions.get("resourceVersion") and preconditions["resourceVersion"] != current["metadata"]["resourceVersion"]:
            return self.conflict(resource, name)
        policy = options.get("propagationPolicy")
        orphan = options.get("orphanDependents")
        if policy is None and orphan is not None:
            policy = "Orphan" if str(orphan).lower() == "true" else "Background"
        headers = {}
        if policy is None:
            policy = "Orphan" if resource.orphan_by_default else "Background"
            if resource.orphan_by_default:
                headers["Warning"] = ('299 - "child pods are preserved by default when jobs are deleted; set '
                                      'propagationPolicy=Background to remove them or set propagationPolicy=Orphan to '
                                      'suppress this warning"')
        if policy not in ("Background", "Foreground", "Orphan"):
            return self.invalid(res.Resource("meta.k8s.io", "v1", "deleteoptions", "", "DeleteOptions"), "",
                                [("propagationPolicy", f'Unsupported value: "{policy}"',
                                  'supported values: "Foreground", "Background", "Orphan", "nil"')])
        if options.get("dryRun") in ("All", ["All"]):
            return self.respond_object(200, resource, current, headers)
        controller = self.emulator.controller
        uid = current["metadata"]["uid"]
        if resource.name == "namespaces":
            self.delete_namespace(name)
            current["metadata"]["deletionTimestamp"] = objects.rfc3339()
            current["status"] = {"phase": "Terminating"}
            return self.respond_object(200, resource, current, headers)
        if policy == "Foreground":
            controller.deletion[uid] = "Foreground"
            marked = store.mark_deleting(resource, ns, name, "foregroundDeletion")
            return self.respond_object(200, resource, marked, headers)
        controller.deletion[uid] = policy
        try:
            deleted = store.delete(resource, ns, name)
        except NotFound:
            return self.not_found(resource, name)
        if resource.name == "pods":
            self.emulator.logs.forget(ns, name)
        self.respond_object(200, resource, deleted, headers)

    def delete_namespace(self, ns: str) -> None:
        store = self.emulator.store
        with store.lock:
            for resource in res.RESOURCES:
                if not resource.namespaced or not resource.stored:
                    continue
                items, _ = store.list(resource, ns)
                for item in items:
                    self.emulator.controller.deletion[item["metadata"]["uid"]] = "Background"
                    try:
                        store.delete(resource, ns, item["metadata"]["name"])
                    except NotFound:
                        pass
            try:
                store.delete(res.find("", "v1", "namespaces"), "", ns)
            except NotFound:
                pass
        self.emulator.controller.forget_namespace(ns)

    def delete_collection(self, resource, ns, body, query) -> None:
        found = self.selected(resource, ns if resource.namespaced else None, query)
        if found is None:
            return
        items, _ = found
        options = self.delete_options(body, query)
        policy = options.get("propagationPolicy") or ("Orphan" if resource.orphan_by_default else "Background")
        deleted = []
        for item in items:
            self.emulator.controller.deletion[item["metadata"]["uid"]] = policy
            try:
                deleted.append(self.emulator.store.delete(resource, ns, item["metadata"]["name"]))
            except NotFound:
                pass
        self.send_json(200, {"kind": resource.list_kind, "apiVersion": resource.group_version,
                             "metadata": {"resourceVersion": str(self.emulator.store.revision)}, "items": deleted})

    # -- access reviews ------------------------------------------------------------------------

    def review(self, resource, body: bytes) -> None:
        from . import protobuf
        if (self.headers.get("Content-Type") or "").startswith(protobuf.MEDIA):
            try:
                api_version, kind, raw = protobuf.unwrap(body)
                obj = {"apiVersion": api_version, "kind": kind}
                if kind == "SelfSubjectAccessReview":
                    obj.update(protobuf.access_review(raw))
            except protobuf.ProtobufError as error:
                return self.bad_request(f"the body of the request could not be decoded: {error}")
        else:
            obj, error = self.parse_body(body)
            if error:
                return self.bad_request(error)
        problem = self.check_kind(resource, obj)
        if problem:
            return self.bad_request(problem)
        if resource.kind == "SelfSubjectReview":
            return self.send_json(201, {"kind": "SelfSubjectReview", "apiVersion": "authentication.k8s.io/v1",
                                        "metadata": {"creationTimestamp": objects.rfc3339()},
                                        "status": {"userInfo": self.user.info()}})
        spec = obj.get("spec") or {}
        attributes = spec.get("resourceAttributes")
        non_resource = spec.get("nonResourceAttributes")
        if attributes:
            attrs = Attributes(user=self.user, verb=attributes.get("verb", ""), group=attributes.get("group", ""),
                               resource=attributes.get("resource", ""), subresource=attributes.get("subresource", ""),
                               namespace=attributes.get("namespace", ""), name=attributes.get("name", ""))
        elif non_resource:
            attrs = Attributes(user=self.user, verb=non_resource.get("verb", ""), path=non_resource.get("path", ""),
                               resource_request=False)
        else:
            return self.invalid(resource, "", [("spec.resourceAttributes", "Invalid value: \"null\"",
                                                "exactly one of nonResourceAttributes or resourceAttributes must be specified")])
        allowed, reason = self.emulator.authz.decide(attrs)
        status = {"allowed": allowed}
        if reason:
            status["reason"] = reason
        elif allowed:
            status["reason"] = "kubeemu: allowed by the emulator's permission model"
        self.send_json(201, {"kind": "SelfSubjectAccessReview", "apiVersion": "authorization.k8s.io/v1",
                             "metadata": {"creationTimestamp": None}, "spec": spec, "status": status})
