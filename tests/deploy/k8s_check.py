#!/usr/bin/env python3
"""Checks a built overlay (kubectl kustomize output) for what the schemas
cannot see: every container restricted (Pod Security "restricted"), with
resources and (services) probes; the image pinned and the same everywhere;
the migration Job named after the release; each Secret only where it is
needed; drain and grace periods that fit; in production, PDBs, spread and
two replicas at least. The Prometheus Operator resources (not in the core
schemas) are checked for shape here, and every bnd_* metric their rules
name must exist in the services' code (metric names passed with --metrics).

  k8s_check.py OVERLAY BUILT.yaml --metrics NAMES.txt --runbook docs/operations.md
Prints one line per problem; exit 1 if any.
"""
import argparse
import re
import sys

import yaml

DRAIN_S = 30          # BND_DRAIN_TIMEOUT_MS / 1000: read from the ConfigMap in main()
SERVICES = {"ingest", "subscriptions", "composer", "dispatcher", "feeds"}
# Secret -> the only workloads that may mount or reference it.
SECRET_USERS = {"banditore-db": None,   # every workload
                "banditore-ingest": {"ingest"},
                "banditore-dispatcher": {"dispatcher"}}
PROBLEMS = []


def problem(where, what):
    PROBLEMS.append(f"{where}: {what}")


def pod_spec(doc):
    """The pod spec of a workload, or None."""
    if doc["kind"] in ("Deployment", "Job"):
        return doc["spec"]["template"]["spec"]
    return None


def check_container(where, c, pod_sc):
    sc = c.get("securityContext", {})
    if sc.get("allowPrivilegeEscalation") is not False:
        problem(where, "allowPrivilegeEscalation must be false")
    if "ALL" not in sc.get("capabilities", {}).get("drop", []):
        problem(where, "capabilities.drop must hold ALL")
    if sc.get("readOnlyRootFilesystem") is not True:
        problem(where, "readOnlyRootFilesystem must be true")
    if not (sc.get("runAsNonRoot") or pod_sc.get("runAsNonRoot")):
        problem(where, "runAsNonRoot must be true")
    seccomp = sc.get("seccompProfile") or pod_sc.get("seccompProfile") or {}
    if seccomp.get("type") not in ("RuntimeDefault", "Localhost"):
        problem(where, "seccompProfile must be RuntimeDefault")
    res = c.get("resources", {})
    for need in ("requests.cpu", "requests.memory", "limits.memory"):
        kind, name = need.split(".")
        if name not in res.get(kind, {}):
            problem(where, f"resources.{need} missing")
    if "envFrom" in c and any("secretRef" in e for e in c["envFrom"]):
        problem(where, "a whole Secret as environment (envFrom secretRef)")


def image_tag(image):
    if "@sha256:" in image:
        return image.split("@", 1)[1]
    tail = image.rsplit("/", 1)[-1]
    return tail.split(":", 1)[1] if ":" in tail else None


def secrets_used(spec):
    """Names of the Secrets a pod spec mounts or references."""
    names = {v["secret"]["secretName"] for v in spec.get("volumes", []) if "secret" in v}
    for c in spec.get("containers", []) + spec.get("initContainers", []):
        for e in c.get("env", []):
            ref = e.get("valueFrom", {}).get("secretKeyRef")
            if ref:
                names.add(ref["name"])
    return names


def check_workload(doc, images):
    name, spec = doc["metadata"]["name"], pod_spec(doc)
    app = doc["spec"]["template"]["metadata"]["labels"].get("app.kubernetes.io/name")
    pod_sc = spec.get("securityContext", {})
    if spec.get("hostNetwork") or spec.get("hostPID") or spec.get("hostIPC"):
        problem(name, "host namespaces are not allowed")
    for c in spec.get("containers", []) + spec.get("initContainers", []):
        where = f"{doc['kind']}/{name}/{c['name']}"
        check_container(where, c, pod_sc)
        images.add(c["image"])
        if doc["kind"] == "Deployment":
            for p in ("livenessProbe", "readinessProbe"):
                if p not in c:
                    problem(where, f"{p} missing")
    for s in secrets_used(spec):
        users = SECRET_USERS.get(s, set())
        if users is not None and app not in users:
            problem(name, f"gets Secret {s}, which is not its own")
    if doc["kind"] == "Deployment":
        check_grace(name, spec)


def drain_seconds(docs):
    """BND_DRAIN_TIMEOUT_MS of the banditore ConfigMap, in seconds (rounded up)."""
    for d in docs:
        if d["kind"] == "ConfigMap" and d["metadata"]["name"] == "banditore":
            return -(-int(d["data"].get("BND_DRAIN_TIMEOUT_MS", "20000")) // 1000)
    problem("ConfigMap", "no ConfigMap banditore")
    return DRAIN_S


def check_grace(name, spec):
    """Grace covers the preStop sleep plus the drain, with a margin."""
    sleep = 0
    for c in spec["containers"]:
        cmd = c.get("lifecycle", {}).get("preStop", {}).get("exec", {}).get("command", [])
        if cmd[:1] == ["sleep"]:
            sleep = max(sleep, int(cmd[1]))
    grace = spec.get("terminationGracePeriodSeconds", 30)
    if grace < sleep + DRAIN_S + 5:
        problem(name, f"terminationGracePeriodSeconds {grace} < preStop {sleep} + drain {DRAIN_S} + 5")


def check_release(docs, images):
    if len(images) != 1:
        problem("images", f"one image expected everywhere, found {sorted(images)}")
        return
    tag = image_tag(next(iter(images)))
    if tag is None or tag == "latest":
        problem("images", "the image tag must be pinned (not latest, not missing)")
        return
    jobs = [d["metadata"]["name"] for d in docs if d["kind"] == "Job"]
    if jobs != [f"banditore-migrate-{tag}"]:
        problem("Job", f"expected one Job banditore-migrate-{tag}, found {jobs}")
    elif not re.fullmatch(r"[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?", jobs[0]):
        problem("Job", f"{jobs[0]} is not a valid name (the tag must be lowercase)")


def check_production(docs):
    kinds = {(d["kind"], d["metadata"]["name"]): d for d in docs}
    for s in sorted(SERVICES):
        dep = kinds[("Deployment", s)]
        hpa = kinds.get(("HorizontalPodAutoscaler", s))
        least = hpa["spec"]["minReplicas"] if hpa else dep["spec"].get("replicas", 1)
        if least < 2:
            problem(s, "fewer than 2 replicas in production")
        if ("PodDisruptionBudget", s) not in kinds:
            problem(s, "no PodDisruptionBudget")
        if not dep["spec"]["template"]["spec"].get("topologySpreadConstraints"):
            problem(s, "no topologySpreadConstraints")
    for job in (d for d in docs if d["kind"] == "Job"):
        cmd = job["spec"]["template"]["spec"]["containers"][0]["command"]
        if "--replication-factor" not in cmd:
            problem(job["metadata"]["name"], "production topics need --replication-factor")
    for want in ("ServiceMonitor", "PrometheusRule", "Ingress"):
        if not any(d["kind"] == want for d in docs):
            problem("production", f"no {want}")


def check_servicemonitor(doc):
    spec = doc.get("spec", {})
    if not spec.get("selector", {}).get("matchLabels"):
        problem("ServiceMonitor", "spec.selector.matchLabels missing")
    for ep in spec.get("endpoints") or [None]:
        if not ep or "port" not in ep:
            problem("ServiceMonitor", "every endpoint needs a port")


def check_rules(doc, metrics, anchors):
    for group in doc["spec"].get("groups", []):
        if not group.get("name") or not group.get("rules"):
            problem("PrometheusRule", "a group needs a name and rules")
        for r in group.get("rules", []):
            check_rule(r, metrics, anchors)


def check_rule(r, metrics, anchors):
    name = r.get("alert") or r.get("record") or "?"
    if not isinstance(r.get("expr"), str) or not r.get("expr").strip():
        problem(name, "expr missing")
        return
    for m in set(re.findall(r"\bbnd_[a-z0-9_]+", r["expr"])):
        if re.sub(r"_(bucket|sum|count)$", "", m) not in metrics and m not in metrics:
            problem(name, f"metric {m} is exported by no service")
    ann = r.get("annotations", {})
    if "alert" in r and not ann.get("summary"):
        problem(name, "summary missing")
    anchor = ann.get("runbook_url", "#").rsplit("#", 1)[1]
    if "alert" in r and anchor not in anchors:
        problem(name, f"runbook anchor #{anchor} is no heading of docs/operations.md")


def heading_anchors(path):
    """GitHub-style anchors of the markdown headings in path."""
    out = set()
    for line in open(path, encoding="utf-8"):
        if line.startswith("#"):
            text = line.lstrip("#").strip().lower()
            out.add(re.sub(r"[^\w\- ]", "", text).replace(" ", "-"))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("overlay")
    ap.add_argument("built")
    ap.add_argument("--metrics", required=True)
    ap.add_argument("--runbook", required=True)
    a = ap.parse_args()
    metrics = set(open(a.metrics).read().split())
    anchors = heading_anchors(a.runbook)
    docs = [d for d in yaml.safe_load_all(open(a.built)) if d]
    global DRAIN_S
    DRAIN_S = drain_seconds(docs)
    images = set()
    for d in docs:
        if pod_spec(d) is not None:
            check_workload(d, images)
        elif d["kind"] == "ServiceMonitor":
            check_servicemonitor(d)
        elif d["kind"] == "PrometheusRule":
            check_rules(d, metrics, anchors)
    check_release(docs, images)
    if not any(d["kind"] == "NetworkPolicy" and d["spec"]["podSelector"] == {} for d in docs):
        problem("NetworkPolicy", "no default deny")
    if a.overlay == "production":
        check_production(docs)
    for p in PROBLEMS:
        print(f"k8s_check {a.overlay}: {p}")
    return 1 if PROBLEMS else 0


if __name__ == "__main__":
    sys.exit(main())
