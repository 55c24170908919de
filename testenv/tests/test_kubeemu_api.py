"""The emulator's Kubernetes API over raw HTTPS: shapes, watch semantics, subresources,
concurrency control, faults, authentication and the request log."""
from __future__ import annotations

import http.client
import os
import ssl
import time
from pathlib import Path

import pytest

from kube import Api, deployment, kubectl, statefulset, wait_for

TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"


@pytest.fixture
def api(stack):
    return Api(stack)


def create(api, obj):
    group_version = obj["apiVersion"]
    prefix = f"/apis/{group_version}" if "/" in group_version else f"/api/{group_version}"
    plural = {"Deployment": "deployments", "StatefulSet": "statefulsets", "Job": "jobs", "Pod": "pods"}[obj["kind"]]
    status, body, _ = api.request("POST", f"{prefix}/namespaces/{obj['metadata']['namespace']}/{plural}", obj)
    assert status == 201, body
    return body


def deploy_path(ns, name="", sub=""):
    path = f"/apis/apps/v1/namespaces/{ns}/deployments"
    return path + (f"/{name}" if name else "") + (f"/{sub}" if sub else "")


# -- discovery and lists -----------------------------------------------------------------------

def test_aggregated_and_legacy_discovery(api):
    accept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json"
    status, body, headers = api.get("/apis", headers={"Accept": accept})
    assert status == 200 and body["kind"] == "APIGroupDiscoveryList"
    assert headers["Content-Type"] == "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
    apps = next(g for g in body["items"] if g["metadata"]["name"] == "apps")
    deployments = next(r for r in apps["versions"][0]["resources"] if r["resource"] == "deployments")
    assert deployments["singularResource"] == "deployment" and deployments["scope"] == "Namespaced"
    scale = next(s for s in deployments["subresources"] if s["subresource"] == "scale")
    assert scale["responseKind"] == {"group": "autoscaling", "version": "v1", "kind": "Scale"}
    status, core, _ = api.get("/api", headers={"Accept": accept})
    assert [g["versions"][0]["version"] for g in core["items"]] == ["v1"]
    status, legacy, headers = api.get("/apis/apps/v1")
    assert headers["Content-Type"] == "application/json" and legacy["kind"] == "APIResourceList"
    entry = next(r for r in legacy["resources"] if r["name"] == "deployments/scale")
    assert (entry["group"], entry["version"], entry["kind"]) == ("autoscaling", "v1", "Scale")
    assert set(entry["verbs"]) == {"get", "patch", "update"}
    assert api.get("/apis/nope/v1")[0] == 404


def test_list_has_kind_api_version_and_numeric_resource_version(api, ns):
    create(api, deployment("web", ns))
    status, body, _ = api.get(deploy_path(ns))
    assert status == 200 and (body["kind"], body["apiVersion"]) == ("DeploymentList", "apps/v1")
    assert int(body["metadata"]["resourceVersion"]) > 0
    assert [i["metadata"]["name"] for i in body["items"]] == ["web"]
    status, table, headers = api.get(deploy_path(ns), headers={"Accept": TABLE})
    assert table["kind"] == "Table" and [c["name"] for c in table["columnDefinitions"]][:5] == \
        ["Name", "Ready", "Up-to-date", "Available", "Age"]
    assert table["rows"][0]["cells"][:2] == ["web", "0/0"]
    status, body, _ = api.get(deploy_path(ns) + "?fieldSelector=metadata.name%3Dother")
    assert body["items"] == []
    status, body, _ = api.get(deploy_path(ns) + "?fieldSelector=spec.replicas%3D1")
    assert status == 400 and body["message"] == "field label not supported: spec.replicas"


def test_list_pages_with_limit_and_continue(api, ns):
    for name in ("a", "b", "c"):
        create(api, deployment(name, ns))
    _, first, _ = api.get(deploy_path(ns) + "?limit=2")
    assert [i["metadata"]["name"] for i in first["items"]] == ["a", "b"]
    assert first["metadata"]["remainingItemCount"] == 1
    _, rest, _ = api.get(deploy_path(ns) + f"?limit=2&continue={first['metadata']['continue']}")
    assert [i["metadata"]["name"] for i in rest["items"]] == ["c"] and "continue" not in rest["metadata"]


# -- watch -------------------------------------------------------------------------------------

def test_watch_streams_chunked_events_from_a_resource_version(api, ns):
    create(api, deployment("web", ns))
    _, listed, _ = api.get(deploy_path(ns) + "?fieldSelector=metadata.name%3Dweb")
    rv = listed["metadata"]["resourceVersion"]
    stream = api.watch(deploy_path(ns) + f"?watch=1&fieldSelector=metadata.name%3Dweb&resourceVersion={rv}")
    try:
        assert stream.status == 200 and stream.response.headers["Transfer-Encoding"] == "chunked"
        api.request("PATCH", deploy_path(ns, "web"), {"metadata": {"labels": {"x": "1"}}},
                    content_type="application/merge-patch+json")
        event = stream.next()
        assert event["type"] == "MODIFIED" and event["object"]["metadata"]["labels"]["x"] == "1"
        assert int(event["object"]["metadata"]["resourceVersion"]) > int(rv)
        api.request("DELETE", deploy_path(ns, "web"))
        assert stream.until(lambda e: e["type"] == "DELETED")[-1]["object"]["metadata"]["name"] == "web"
    finally:
        stream.close()


def test_watch_without_resource_version_starts_with_the_current_state(api, ns):
    create(api, deployment("web", ns))
    stream = api.watch(deploy_path(ns) + "?watch=true")
    try:
        first = stream.next()
        assert first["type"] == "ADDED" and first["object"]["kind"] == "Deployment"
    finally:
        stream.close()


def test_watch_from_a_compacted_resource_version_is_410(api, emu, ns):
    create(api, deployment("web", ns))
    _, listed, _ = api.get(deploy_path(ns))
    old = listed["metadata"]["resourceVersion"]
    emu.compact()
    stream = api.watch(deploy_path(ns) + f"?watch=true&resourceVersion={old}")
    try:
        assert stream.status == 200
        event = stream.next()
        assert event["type"] == "ERROR"
        assert (event["object"]["kind"], event["object"]["code"], event["object"]["reason"]) == ("Status", 410, "Expired")
        assert event["object"]["message"].startswith(f"too old resource version: {old} (")
        assert stream.next() is None  # the server ends the watch
    finally:
        stream.close()
    _, fresh, _ = api.get(deploy_path(ns))  # relist and rewatch works
    again = api.watch(deploy_path(ns) + f"?watch=true&resourceVersion={fresh['metadata']['resourceVersion']}&timeoutSeconds=1")
    assert again.next() is None
    again.close()


def test_watch_list_sends_initial_events_and_the_end_bookmark(api, emu, ns):
    create(api, deployment("a", ns))
    create(api, deployment("b", ns))
    query = "?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true"
    stream = api.watch(deploy_path(ns) + query)
    try:
        events = stream.events(3)
        assert [(e["type"], e["object"]["metadata"].get("name")) for e in events] == \
            [("ADDED", "a"), ("ADDED", "b"), ("BOOKMARK", None)]
        mark = events[2]["object"]
        assert mark["kind"] == "Deployment" and mark["metadata"]["annotations"] == {"k8s.io/initial-events-end": "true"}
        assert int(mark["metadata"]["resourceVersion"]) >= int(events[1]["object"]["metadata"]["resourceVersion"])
    finally:
        stream.close()
    status, body, _ = api.get(deploy_path(ns) + "?watch=1&sendInitialEvents=true")
    assert status == 422 and "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan" in body["message"]
    emu.settings(watchList=False)
    try:
        status, body, _ = api.get(deploy_path(ns) + query)
        assert status == 422 and body["reason"] == "Invalid"
        assert "sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled" in body["message"]
    finally:
        emu.settings(watchList=True)


def test_watch_bookmarks_timeout_and_selector_exit(api, emu, ns):
    create(api, deployment("web", ns, labels={"app": "web"}))
    _, listed, _ = api.get(deploy_path(ns))
    rv = listed["metadata"]["resourceVersion"]
    emu.settings(bookmarkIntervalSeconds=0.2)
    try:
        started = time.monotonic()
        stream = api.watch(deploy_path(ns) + f"?watch=1&labelSelector=app%3Dweb&resourceVersion={rv}"
                                             f"&allowWatchBookmarks=true&timeoutSeconds=2")
        bookmark = stream.next()
        assert bookmark["type"] == "BOOKMARK" and int(bookmark["object"]["metadata"]["resourceVersion"]) >= int(rv)
        api.request("PATCH", deploy_path(ns, "web"), {"metadata": {"labels": {"app": "other"}}},
                    content_type="application/merge-patch+json")
        left = stream.until(lambda e: e["type"] != "BOOKMARK")[-1]
        assert left["type"] == "DELETED"  # it no longer matches the selector
        while stream.next() is not None:
            pass
        assert 1.8 < time.monotonic() - started < 4  # timeoutSeconds ends the stream cleanly
        stream.close()
    finally:
        emu.settings(bookmarkIntervalSeconds=60)


# -- scale, generation, concurrency ------------------------------------------------------------

def test_scale_subresource_shapes(api, ns):
    created = create(api, deployment("web", ns, replicas=0))
    status, scale, _ = api.get(deploy_path(ns, "web", "scale"))
    assert status == 200
    assert (scale["kind"], scale["apiVersion"]) == ("Scale", "autoscaling/v1")
    assert scale["spec"] == {}  # ScaleSpec.replicas is omitempty, as from a real server
    assert scale["status"] == {"replicas": 0, "selector": "app=web"}
    assert scale["metadata"]["uid"] == created["metadata"]["uid"]
    status, patched, _ = api.request("PATCH", deploy_path(ns, "web", "scale"), {"spec": {"replicas": 2}},
                                     content_type="application/merge-patch+json")
    assert status == 200 and patched["kind"] == "Scale" and patched["spec"] == {"replicas": 2}
    _, obj, _ = api.get(deploy_path(ns, "web"))
    assert obj["spec"]["replicas"] == 2 and obj["metadata"]["generation"] == 2
    assert int(obj["metadata"]["resourceVersion"]) >= int(patched["metadata"]["resourceVersion"])  # the controller moves on
    stale = dict(patched, spec={"replicas": 5})
    api.request("PATCH", deploy_path(ns, "web"), {"metadata": {"labels": {"bump": "1"}}},
                content_type="application/merge-patch+json")
    status, body, _ = api.request("PUT", deploy_path(ns, "web", "scale"), stale)
    assert status == 409 and body["reason"] == "Conflict"
    assert body["message"] == ('Operation cannot be fulfilled on deployments.apps "web": the object has been modified; '
                               'please apply your changes to the latest version and try again')
    _, fresh, _ = api.get(deploy_path(ns, "web", "scale"))
    status, put, _ = api.request("PUT", deploy_path(ns, "web", "scale"), dict(fresh, spec={"replicas": 3}))
    assert status == 200 and put["spec"]["replicas"] == 3
    status, body, _ = api.request("PATCH", deploy_path(ns, "web", "scale"), {"spec": {"replicas": -1}},
                                  content_type="application/merge-patch+json")
    assert status == 422 and "spec.replicas: Invalid value: -1: must be greater than or equal to 0" in body["message"]
    sts = create(api, statefulset("db", ns, replicas=1))
    _, sts_scale, _ = api.get(f"/apis/apps/v1/namespaces/{ns}/statefulsets/db/scale")
    assert sts_scale["spec"] == {"replicas": 1} and sts_scale["metadata"]["uid"] == sts["metadata"]["uid"]


def test_generation_bumps_on_spec_changes_only(api, ns):
    create(api, deployment("web", ns))
    patch = lambda body, path=deploy_path(ns, "web"): api.request(  # noqa: E731
        "PATCH", path, body, content_type="application/merge-patch+json")[1]
    assert patch({"metadata": {"labels": {"a": "b"}}})["metadata"]["generation"] == 1
    assert patch({"status": {"replicas": 7}}, deploy_path(ns, "web", "status"))["metadata"]["generation"] == 1
    assert patch({"spec": {"replicas": 1}})["metadata"]["generation"] == 2
    assert patch({"status": {"observedGeneration": 99}})["status"].get("observedGeneration") != 99  # main resource ignores status


def test_put_with_a_stale_resource_version_is_409(api, ns):
    create(api, deployment("web", ns))
    # The deployment controller writes status (and the revision annotation) first.
    current = wait_for(lambda: (lambda o: o if o.get("status", {}).get("observedGeneration") == 1 else None)(
        api.get(deploy_path(ns, "web"))[1]))
    time.sleep(0.1)
    current = api.get(deploy_path(ns, "web"))[1]
    first = dict(current, spec=dict(current["spec"], replicas=1))
    status, updated, _ = api.request("PUT", deploy_path(ns, "web"), first)
    assert status == 200 and updated["metadata"]["generation"] == 2
    status, body, _ = api.request("PUT", deploy_path(ns, "web"), first)  # same, now stale, resourceVersion
    assert status == 409 and body["details"] == {"name": "web", "group": "apps", "kind": "deployments"}


def test_patch_types(api, ns):
    obj = deployment("web", ns)
    obj["spec"]["template"]["spec"]["containers"].append({"name": "sidecar", "image": "envoy:1"})
    create(api, obj)
    smp = {"spec": {"template": {"spec": {"containers": [{"name": "web", "env": [{"name": "A", "value": "1"}]}]}}}}
    status, body, _ = api.request("PATCH", deploy_path(ns, "web"), smp,
                                  content_type="application/strategic-merge-patch+json")
    containers = body["spec"]["template"]["spec"]["containers"]
    assert status == 200 and [c["name"] for c in containers] == ["web", "sidecar"]
    assert containers[0]["env"] == [{"name": "A", "value": "1"}] and containers[0]["image"] == "nginx:1.27"
    status, body, _ = api.request("PATCH", deploy_path(ns, "web"), [{"op": "replace", "path": "/spec/replicas", "value": 4}],
                                  content_type="application/json-patch+json")
    assert status == 200 and body["spec"]["replicas"] == 4
    status, body, _ = api.request("PATCH", deploy_path(ns, "web"), [{"op": "test", "path": "/spec/replicas", "value": 1}],
                                  content_type="application/json-patch+json")
    assert status == 422
    status, body, _ = api.request("PATCH", deploy_path(ns, "web"), {"spec": {}}, content_type="text/plain")
    assert status == 415
    app = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": {"name": "pxbbq"},
           "spec": {"project": "default"}}
    path = f"/apis/argoproj.io/v1alpha1/namespaces/{ns}/applications"
    assert api.request("POST", path, app)[0] == 201
    assert api.request("PATCH", path + "/pxbbq", {"spec": {}}, content_type="application/strategic-merge-patch+json")[0] == 415
    status, body, _ = api.request("PATCH", path + "/pxbbq", {"status": {"sync": {"status": "Synced"}}},
                                  content_type="application/merge-patch+json")
    assert status == 200 and body["status"]["sync"]["status"] == "Synced"


# -- faults ------------------------------------------------------------------------------------

def scale_patch(api, ns, replicas=1):
    return api.request("PATCH", deploy_path(ns, "web", "scale"), {"spec": {"replicas": replicas}},
                       content_type="application/merge-patch+json")


def test_fault_status_codes(api, emu, ns):
    create(api, deployment("web", ns))
    path = deploy_path(ns, "web", "scale")
    emu.fault(method="PATCH", path=path, code=409, count=2)
    assert scale_patch(api, ns)[0] == 409
    status, body, _ = scale_patch(api, ns)
    assert status == 409 and body["reason"] == "Conflict" and 'deployments.apps "web"' in body["message"]
    assert scale_patch(api, ns)[0] == 200  # used up
    emu.fault(method="PATCH", path=path, code=429, retryAfter=2)
    status, body, headers = scale_patch(api, ns)
    assert (status, headers["Retry-After"], body["reason"]) == (429, "2", "TooManyRequests")
    assert body["details"]["retryAfterSeconds"] == 2
    emu.fault(method="*", pathRegex=r"/deployments/web/scale$", code=500)
    status, body, _ = scale_patch(api, ns)
    assert (status, body["reason"]) == (500, "InternalError")
    emu.fault(method="GET", path=path, code=503)
    assert api.get(path)[1]["reason"] == "ServiceUnavailable"
    emu.fault(method="PATCH", path=path, code=403)
    status, body, _ = scale_patch(api, ns)
    assert status == 403 and body["message"] == (
        f'deployments.apps "web" is forbidden: User "system:serviceaccount:pxbbq:taster" cannot patch resource '
        f'"deployments/scale" in API group "apps" in the namespace "{ns}"')
    emu.fault(method="GET", path=deploy_path(ns), code=410)
    status, body, _ = api.get(deploy_path(ns))
    assert (status, body["reason"]) == (410, "Expired")
    emu.fault(method="GET", path=path, count=None, code=404)
    assert [api.get(path)[0] for _ in range(3)] == [404, 404, 404]
    assert emu.faults()[0]["hits"] == 3
    emu.clear_faults()
    assert api.get(path)[0] == 200


def test_fault_dropped_watch_expired_watch_closed_connection_and_delay(api, emu, ns):
    create(api, deployment("web", ns))
    emu.fault(method="GET", path=deploy_path(ns), watch=True, action="drop-watch", afterEvents=1)
    stream = api.watch(deploy_path(ns) + "?watch=1")
    assert stream.next()["type"] == "ADDED"
    api.request("PATCH", deploy_path(ns, "web"), {"metadata": {"labels": {"x": "y"}}},
                content_type="application/merge-patch+json")
    with pytest.raises((http.client.IncompleteRead, ConnectionError, ssl.SSLError)):
        stream.response.read()  # cut mid-stream: no terminating chunk
    stream.close()
    emu.fault(method="GET", path=deploy_path(ns), watch=True, action="expire-watch")
    stream = api.watch(deploy_path(ns) + "?watch=1&resourceVersion=1")
    event = stream.next()
    assert event["type"] == "ERROR" and event["object"]["code"] == 410
    stream.close()
    emu.fault(method="GET", path=deploy_path(ns, "web"), action="close")
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError, ssl.SSLError)):
        api.get(deploy_path(ns, "web"))
    emu.fault(method="GET", path=deploy_path(ns, "web"), action="delay", seconds=0.5)
    started = time.monotonic()
    assert api.get(deploy_path(ns, "web"))[0] == 200
    assert time.monotonic() - started >= 0.5


def test_fault_lose_applies_the_write_and_cuts_its_answer(stack, api, emu, ns):
    create(api, deployment("web", ns, replicas=0))
    emu.fault(method="PATCH", path=deploy_path(ns, "web", "scale"), action="lose")
    with pytest.raises((http.client.RemoteDisconnected, http.client.IncompleteRead, ConnectionError, ssl.SSLError)):
        scale_patch(api, ns, replicas=3)
    # Applied all the same: what a client that gave up never learnt.
    assert api.get(deploy_path(ns, "web", "scale"))[1]["spec"] == {"replicas": 3}
    assert [c["status"] for c in emu.requests(namespace=ns, method="PATCH")] == [200]
    assert emu.faults() == []  # used up; kubectl works as before
    assert kubectl(stack, "-n", ns, "scale", "deployment/web", "--replicas=1").returncode == 0
    assert api.get(deploy_path(ns, "web", "scale"))[1]["spec"] == {"replicas": 1}


# -- authentication, authorization -------------------------------------------------------------

def test_token_rotation(stack, api, ns):
    token_file = Path(stack["TESTENV_KUBE_TOKEN_FILE"])
    original = token_file.read_text()
    new = "rotated" + os.urandom(16).hex()
    try:
        token_file.write_text(new + "\n")
        status, body, _ = api.get("/api/v1/namespaces")
        assert status == 401 and body["kind"] == "Status" and body["reason"] == "Unauthorized"
        assert Api(stack, token=new).get("/api/v1/namespaces")[0] == 200
    finally:
        token_file.write_text(original)
    assert api.get("/api/v1/namespaces")[0] == 200


def test_tokens_with_identities_and_no_token(stack, emu, ns):
    emu.add_token("alice-token", "alice", ["devs"])
    try:
        status, review, _ = Api(stack, token="alice-token").request(
            "POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews",
            {"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"})
        assert status == 201 and review["status"]["userInfo"]["username"] == "alice"
        assert review["status"]["userInfo"]["groups"] == ["devs"]
    finally:
        emu.remove_token("alice-token")
    assert Api(stack, token="alice-token").get("/api")[0] == 401
    assert Api(stack, token="").get("/api")[0] == 401


def test_client_certificate_authentication(stack, tmp_path):
    import tlsgen
    cert, key = tlsgen.make_leaf(tmp_path, "bob", Path(stack["TESTENV_CA"]), Path(stack["TESTENV_CA_KEY"]),
                                 common_name="bob", client=True, organization="ops")
    client = Api(stack, token="", cert=(str(cert), str(key)))
    status, review, _ = client.request("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews",
                                       {"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"})
    assert status == 201 and review["status"]["userInfo"] == {"username": "bob", "groups": ["ops", "system:authenticated"]}
    other_ca, other_key = tlsgen.make_ca(tmp_path / "other")
    cert, key = tlsgen.make_leaf(tmp_path / "other", "eve", other_ca, other_key, common_name="eve", client=True)
    with pytest.raises((ssl.SSLError, ConnectionError)):
        Api(stack, token="", cert=(str(cert), str(key))).get("/api")


def test_permission_model_and_access_reviews(stack, api, emu, ns):
    create(api, deployment("web", ns))
    review = lambda verb, sub="": api.request(  # noqa: E731
        "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
        {"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview",
         "spec": {"resourceAttributes": {"namespace": ns, "verb": verb, "group": "apps", "resource": "deployments",
                                         "subresource": sub}}})[1]["status"]
    assert review("patch", "scale")["allowed"] is True
    emu.authz("allow", [{"effect": "deny", "verbs": ["patch", "update"], "apiGroups": ["apps"],
                         "resources": ["deployments/scale"], "namespaces": [ns], "reason": "no rule"}])
    try:
        assert review("patch", "scale") == {"allowed": False, "reason": "no rule"}
        assert review("get", "scale")["allowed"] is True
        status, body, _ = scale_patch(api, ns)
        assert status == 403 and body["details"] == {"name": "web", "group": "apps", "kind": "deployments"}
        assert body["message"].endswith(f'in the namespace "{ns}": no rule')
        emu.authz("deny", [{"effect": "allow", "verbs": ["get", "list", "watch"], "resources": ["*"]}])
        assert api.get(deploy_path(ns, "web"))[0] == 200
        status, body, _ = api.request("DELETE", deploy_path(ns, "web"))
        assert status == 403
        status, body, _ = api.request("POST", "/api/v1/namespaces", {"metadata": {"name": ns + "-x"}})
        assert status == 403 and body["message"] == (
            f'namespaces is forbidden: User "system:serviceaccount:pxbbq:taster" cannot create resource "namespaces" '
            f'in API group "" at the cluster scope')
    finally:
        emu.clear_authz()


# -- the request log ---------------------------------------------------------------------------

def test_request_log(api, emu, ns):
    create(api, deployment("web", ns))
    mark = emu.mark()
    api.get(deploy_path(ns) + "?fieldSelector=metadata.name%3Dweb&resourceVersion=0")
    scale_patch(api, ns)
    entries = emu.requests(since=mark, namespace=ns)
    assert [(e["method"], e["verb"], e["subresource"], e["status"]) for e in entries] == \
        [("GET", "list", "", 200), ("PATCH", "patch", "scale", 200)]
    assert entries[0]["query"] == {"fieldSelector": "metadata.name=web", "resourceVersion": "0"}
    assert entries[0]["user"] == "system:serviceaccount:pxbbq:taster"
    assert "Authorization" not in entries[0]["headers"] and entries[0]["headers"]["Accept"] == "application/json"
    assert emu.requests(since=mark, namespace=ns, verb="patch", subresource="scale")[0]["path"] == \
        deploy_path(ns, "web", "scale")
    assert emu.requests(since=mark, namespace=ns, method="PUT") == []
