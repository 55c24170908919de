"""The demo's starting scene: the pxbbq app scaled to zero, as a staging namespace looks
between Argo CD syncs (statefulset/mongo and deployment/pxbbq-web)."""
from __future__ import annotations


def seed_demo(namespace: str = "pxbbq") -> list[dict]:
    part_of = {"app.kubernetes.io/part-of": "pxbbq"}
    mongo_labels = {"app": "mongo", "app.kubernetes.io/name": "mongo", **part_of}
    web_labels = {"app": "pxbbq-web", "app.kubernetes.io/name": "pxbbq-web", **part_of}
    mongo = {
        "apiVersion": "apps/v1", "kind": "StatefulSet",
        "metadata": {"name": "mongo", "namespace": namespace, "labels": mongo_labels,
                     "annotations": {"argocd.argoproj.io/tracking-id": f"pxbbq:apps/StatefulSet:{namespace}/mongo"}},
        "spec": {
            "replicas": 0, "serviceName": "mongo", "selector": {"matchLabels": {"app": "mongo"}},
            "template": {
                "metadata": {"labels": mongo_labels},
                "spec": {"terminationGracePeriodSeconds": 30, "containers": [{
                    "name": "mongo", "image": "mongo:7.0.14", "args": ["--bind_ip_all"],
                    "ports": [{"name": "mongodb", "containerPort": 27017}],
                    "env": [{"name": "MONGO_INITDB_ROOT_USERNAME",
                             "valueFrom": {"secretKeyRef": {"name": "mongo-credentials", "key": "username"}}},
                            {"name": "MONGO_INITDB_ROOT_PASSWORD",
                             "valueFrom": {"secretKeyRef": {"name": "mongo-credentials", "key": "password"}}}],
                    "readinessProbe": {"exec": {"command": ["mongosh", "--quiet", "--eval", "db.adminCommand('ping')"]},
                                       "initialDelaySeconds": 5, "periodSeconds": 10},
                    "resources": {"requests": {"cpu": "250m", "memory": "512Mi"}, "limits": {"memory": "1Gi"}},
                    "volumeMounts": [{"name": "data", "mountPath": "/data/db"}]}]}},
            "volumeClaimTemplates": [{"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                                      "metadata": {"name": "data"},
                                      "spec": {"accessModes": ["ReadWriteOnce"],
                                               "resources": {"requests": {"storage": "5Gi"}},
                                               "volumeMode": "Filesystem"}}]}}
    web = {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "pxbbq-web", "namespace": namespace, "labels": web_labels,
                     "annotations": {"argocd.argoproj.io/tracking-id": f"pxbbq:apps/Deployment:{namespace}/pxbbq-web"}},
        "spec": {
            "replicas": 0, "selector": {"matchLabels": {"app": "pxbbq-web"}},
            "template": {
                "metadata": {"labels": web_labels},
                "spec": {"containers": [{
                    "name": "pxbbq-web", "image": "eshanks16/pxbbq:v4.4.0",
                    "ports": [{"name": "http", "containerPort": 8080}],
                    "env": [{"name": "MONGO_NODE", "value": f"mongo-0.mongo.{namespace}.svc.cluster.local"},
                            {"name": "MONGO_USER",
                             "valueFrom": {"secretKeyRef": {"name": "mongo-credentials", "key": "username"}}},
                            {"name": "MONGO_PASS",
                             "valueFrom": {"secretKeyRef": {"name": "mongo-credentials", "key": "password"}}}],
                    "readinessProbe": {"httpGet": {"path": "/healthz", "port": 8080}, "periodSeconds": 5},
                    "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"memory": "256Mi"}}}]}}}}
    return [mongo, web]
