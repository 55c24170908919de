"""The simulated control plane of the emulator, one file per concern:

    plane.py        Controller: every controller in one thread, changes routed to them, "ready now"
    base.py         what they share: resources, Settings, pods' plans, events, status writes,
                    and the kubelet's part (pods pending, running, ready or held; bare pods)
    deployment.py   Deployments and their ReplicaSets
    statefulset.py  StatefulSets
    job.py          Jobs: pods that run, log and exit
    gc.py           the garbage collector (ownerReferences, propagationPolicy)
"""
from .base import PODS, Settings
from .plane import Controller

__all__ = ["PODS", "Controller", "Settings"]
