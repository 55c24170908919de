"""The job controller: one pod at a time until the completions or the backoff limit, each pod
Pending, then Running while it writes its log lines, then Succeeded or Failed with its exit
code, as the control API's job settings and the Job's kubeemu.taster.dev/* annotations say."""
from __future__ import annotations

import json
import time

from .. import objects, pods as podlib
from .base import JOBS, PODS, ControllerBase, compact, cond

ANNOTATION = "kubeemu.taster.dev/"


class JobController(ControllerBase):
    def __init__(self, store, logs, settings) -> None:
        super().__init__(store, logs, settings)
        self.jobs: dict[tuple[str, str], dict] = {}            # (ns, name) -> job behaviour

    def set_job(self, ns: str, name: str, body: dict) -> dict:
        allowed = {"outcome", "logs", "lineIntervalSeconds", "runSeconds", "exitCode", "failedAttempts",
                   "startDelaySeconds"}
        unknown = set(body) - allowed
        if unknown:
            raise ValueError(f"unknown job settings: {', '.join(sorted(unknown))}")
        if body.get("outcome", "succeed") not in ("succeed", "fail"):
            raise ValueError('outcome must be "succeed" or "fail"')
        logs = body.get("logs")
        if logs is not None and not isinstance(logs, (list, dict)):
            raise ValueError("logs must be a list of lines or an object {container: [lines]}")
        self.jobs.setdefault((ns, name), {}).update(body)
        self.poke(("jobs", ns, name))
        return dict(self.jobs[(ns, name)])

    def job_behaviour(self, job: dict) -> dict:
        """Control API settings over the Job's kubeemu.taster.dev/* annotations over defaults."""
        annotations = job["metadata"].get("annotations") or {}
        behaviour: dict = {}
        for key, field, convert in (("outcome", "outcome", str), ("run-seconds", "runSeconds", float),
                                    ("exit-code", "exitCode", int), ("failed-attempts", "failedAttempts", int),
                                    ("line-interval-seconds", "lineIntervalSeconds", float),
                                    ("start-delay-seconds", "startDelaySeconds", float)):
            if ANNOTATION + key in annotations:
                try:
                    behaviour[field] = convert(annotations[ANNOTATION + key])
                except ValueError:
                    pass
        if ANNOTATION + "logs" in annotations:
            text = annotations[ANNOTATION + "logs"]
            try:
                behaviour["logs"] = json.loads(text)
            except ValueError:
                behaviour["logs"] = text.splitlines()
        behaviour.update(self.jobs.get((job["metadata"]["namespace"], job["metadata"]["name"]), {}))
        return behaviour

    def job(self, ns: str, name: str) -> None:
        job = self.store.find(JOBS, ns, name)
        if job is None or job["metadata"].get("deletionTimestamp"):
            return
        status = job.get("status") or {}
        if any(c.get("type") in ("Complete", "Failed") and c.get("status") == "True" for c in status.get("conditions") or []):
            return
        if (job.get("spec") or {}).get("suspend"):
            return
        now = time.time()
        wake: list[float] = []
        behaviour = self.job_behaviour(job)
        spec = job["spec"]
        completions = spec.get("completions", 1) or 1
        backoff = spec.get("backoffLimit", 6)
        outcome = behaviour.get("outcome", "succeed")
        failing = behaviour.get("failedAttempts", backoff + 1 if outcome == "fail" else 0)
        owned = sorted(self.owned(PODS, ns, job["metadata"]["uid"]), key=lambda p: p["metadata"]["creationTimestamp"])
        # Move the active pod along its plan.
        for pod in owned:
            plan = self.plans.get(pod["metadata"]["uid"])
            if plan is None or plan.get("done"):
                continue
            pod = self.advance_job_pod(pod, plan, now, wake)
        owned = sorted(self.owned(PODS, ns, job["metadata"]["uid"]), key=lambda p: p["metadata"]["creationTimestamp"])
        succeeded = sum(1 for p in owned if podlib.phase(p) == "Succeeded")
        failed = sum(1 for p in owned if podlib.phase(p) == "Failed")
        active = [p for p in owned if podlib.phase(p) in ("Pending", "Running")]
        at = objects.rfc3339(now)
        new_status = {"startTime": status.get("startTime") or at}
        conditions = list(status.get("conditions") or [])
        finished = None
        if succeeded >= completions:
            finished = "Complete"
        elif failed > backoff or (outcome == "fail" and failed >= failing and failed > 0):
            finished = "Failed"
        elif not active:
            attempt = succeeded + failed
            exit_code = behaviour.get("exitCode", 1)
            fails = failed < failing
            pod = podlib.new_pod(f"{name}-{objects.random_suffix()}", ns,
                                 (spec["template"].get("metadata") or {}).get("labels") or {},
                                 (spec["template"].get("metadata") or {}).get("annotations"), spec["template"], job)
            pod = self.store.create(PODS, ns, pod)
            self.emit(job, "Normal", "SuccessfulCreate", f"Created pod: {pod['metadata']['name']}", "job-controller")
            start_delay = behaviour.get("startDelaySeconds", self.settings.job_start_delay)
            interval = behaviour.get("lineIntervalSeconds", self.settings.log_interval)
            lines = self.job_lines(behaviour, pod, attempt, fails, exit_code if fails else 0)
            run_at = now + start_delay
            longest = max((len(v) for v in lines.values()), default=0)
            end_at = run_at + max(behaviour.get("runSeconds", self.settings.job_run_seconds), longest * interval)
            self.plans[pod["metadata"]["uid"]] = {"runAt": run_at, "endAt": end_at, "interval": interval,
                                                   "lines": lines, "emitted": 0,
                                                   "exitCode": exit_code if fails else 0}
            wake.append(run_at)
            active = [pod]
        if finished == "Complete":
            reason, message = "CompletionsReached", "Reached expected number of succeeded pods"
            conditions = [cond("SuccessCriteriaMet", True, reason, message, at, conditions, probe=True),
                          cond("Complete", True, reason, message, at, conditions, probe=True)]
            new_status["completionTime"] = at
            self.emit(job, "Normal", "Completed", "Job completed", "job-controller")
        elif finished == "Failed":
            reason, message = "BackoffLimitExceeded", "Job has reached the specified backoff limit"
            conditions = [cond("FailureTarget", True, reason, message, at, conditions, probe=True),
                          cond("Failed", True, reason, message, at, conditions, probe=True)]
            self.emit(job, "Warning", "BackoffLimitExceeded", message, "job-controller")
        ready = sum(1 for p in active if podlib.is_ready(p))
        new_status.update({"active": len(active) if not finished else 0, "ready": ready if not finished else 0,
                           "succeeded": succeeded, "failed": failed, "terminating": 0,
                           "uncountedTerminatedPods": {}, "conditions": conditions})
        new_status = compact(new_status, keep=("ready", "terminating", "uncountedTerminatedPods"))
        if status.get("completionTime") and "completionTime" not in new_status:
            new_status["completionTime"] = status["completionTime"]
        self.write_status(JOBS, ns, name, job, new_status)
        for when in wake:
            self.at(when, ("jobs", ns, name))

    def job_lines(self, behaviour: dict, pod: dict, attempt: int, fails: bool, exit_code: int) -> dict[str, list[str]]:
        containers = [c["name"] for c in pod["spec"].get("containers") or []]
        logs = behaviour.get("logs")
        if logs is None:
            image = (pod["spec"].get("containers") or [{}])[0].get("image", "")
            logs = [f"kubeemu: job {pod['metadata']['name']} attempt {attempt + 1} running {image}",
                    f"kubeemu: exiting with code {exit_code}"]
        if isinstance(logs, list):
            return {containers[0]: [str(line) for line in logs]} if containers else {}
        return {c: [str(line) for line in logs.get(c, [])] for c in containers}

    def advance_job_pod(self, pod: dict, plan: dict, now: float, wake: list) -> dict:
        meta = pod["metadata"]
        if podlib.phase(pod) == "Pending" and plan["runAt"] <= now:
            pod = self.set_pod_status(pod, podlib.running_status(pod, ready=True, at=now))
        elif podlib.phase(pod) == "Pending":
            wake.append(plan["runAt"])
            return pod
        # Log lines due by now, each stamped with the moment it was due.
        due = int((now - plan["runAt"]) / plan["interval"]) + 1 if plan["interval"] > 0 else 10 ** 9
        longest = max((len(v) for v in plan["lines"].values()), default=0)
        for index in range(plan["emitted"], min(due, longest)):
            for container, lines in plan["lines"].items():
                if index < len(lines):
                    self.logs.append(meta["namespace"], meta["name"], container, lines[index],
                                     at=plan["runAt"] + index * plan["interval"])
        plan["emitted"] = max(plan["emitted"], min(due, longest))
        if plan["emitted"] < longest:
            wake.append(plan["runAt"] + plan["emitted"] * plan["interval"])
        if now >= plan["endAt"] and plan["emitted"] >= longest:
            pod = self.set_pod_status(pod, podlib.terminated_status(pod, plan["exitCode"], at=now))
            for container in pod["spec"].get("containers") or []:
                self.logs.finish(meta["namespace"], meta["name"], container["name"])
            plan["done"] = True
        else:
            wake.append(max(plan["endAt"], now + 0.001))
        return pod
