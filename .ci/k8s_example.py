#!/usr/bin/env python3
"""Checks examples/kubernetes/app-with-log-shipper.yaml: it parses as YAML and
has every field the example relies on. Writes the worker and connector files
and the probe command to OUTDIR so that .ci/e2e.sh can run them.

usage: k8s_example.py MANIFEST DOCKERFILE OUTDIR"""
import os
import shlex
import sys
from urllib.parse import urlparse

import yaml

manifest, dockerfile, outdir = sys.argv[1:4]
problems = []


def check(cond, what):
    if not cond:
        problems.append(what)
    return cond


def props(text):
    out = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith(("#", "!")) and "=" in line:
            k, v = line.split("=", 1)
            out[k.strip()] = v.strip()
    return out


docs = [d for d in yaml.safe_load_all(open(manifest)) if d]
by_kind = {}
for d in docs:
    by_kind.setdefault(d["kind"], []).append(d)
configmaps = {d["metadata"]["name"]: d.get("data", {}) for d in by_kind.get("ConfigMap", [])}
sts = by_kind.get("StatefulSet", [None])[0]
if not check(sts is not None, "a StatefulSet"):
    sys.exit("\n".join(problems))
spec = sts["spec"]["template"]["spec"]
volumes = {v["name"]: v for v in spec.get("volumes", [])}
claims = {c["metadata"]["name"] for c in sts["spec"].get("volumeClaimTemplates", [])}
check(sts["spec"].get("serviceName") in {s["metadata"]["name"] for s in by_kind.get("Service", [])},
      "the StatefulSet's serviceName names a Service in the manifest")

sidecars = [c for c in spec.get("initContainers", []) if c.get("restartPolicy") == "Always"]
if not check(len(sidecars) == 1, "exactly one native sidecar (initContainers with restartPolicy: Always)"):
    sys.exit("\n".join(problems))
side = sidecars[0]
apps = spec.get("containers", [])
check(len(apps) >= 1, "an application container")
mounts = {m["name"]: m for m in side.get("volumeMounts", [])}


def mount_of(path):
    """The sidecar mount holding path, as (volume name, mount)."""
    best = None
    for name, m in mounts.items():
        mp = m["mountPath"].rstrip("/")
        if path == mp or path.startswith(mp + "/"):
            if best is None or len(mp) > len(best[1]["mountPath"]):
                best = (name, m)
    return best


# The binary path is the image's, from the Dockerfile.
binary = None
for line in open(dockerfile):
    if line.startswith("ENTRYPOINT"):
        binary = yaml.safe_load(line.split(None, 1)[1])[0]
check(binary, "the Dockerfile has an exec-form ENTRYPOINT")

# Worker file: the sidecar's only argument, from a ConfigMap volume.
args = side.get("args", [])
worker_path = args[0] if args else ""
check(len(args) == 1, "the sidecar's args are the worker file only (connectors come from connectors.dir)")
wm = mount_of(worker_path)
worker = {}
if check(wm and "configMap" in volumes.get(wm[0], {}), f"worker file {worker_path} is on a ConfigMap volume"):
    cm = volumes[wm[0]]["configMap"]["name"]
    text = configmaps.get(cm, {}).get(os.path.basename(worker_path))
    if check(text is not None, f"ConfigMap {cm} has {os.path.basename(worker_path)}"):
        worker = props(text)
        with open(os.path.join(outdir, "worker.properties"), "w") as f:
            f.write(text)
        check(props(text).get("connector.allowed.paths") == "/var/log/app", "the worker file limits connector files to /var/log/app")

# connectors.dir: a ConfigMap volume mounted at exactly that path.
cdir = worker.get("connectors.dir", "")
cmnt = mounts.get(next((n for n, m in mounts.items() if m["mountPath"].rstrip("/") == cdir.rstrip("/")), ""), None)
connectors = {}
if check(cdir and cmnt, f"connectors.dir ({cdir!r}) is a sidecar mount"):
    vol = volumes[cmnt["name"]]
    if check("configMap" in vol, "connectors.dir is a ConfigMap volume (live reload of its files)"):
        connectors = configmaps.get(vol["configMap"]["name"], {})
        check(connectors, "the connectors ConfigMap has connector files")
        # The kubelet's layout of a ConfigMap volume: the files are symlinks
        # through ..data, which an update swaps to a new timestamped directory.
        cmdir = os.path.join(outdir, "connectors")
        data = "..2025_01_01_00_00_00.000000001"
        os.makedirs(os.path.join(cmdir, data), exist_ok=True)
        os.symlink(data, os.path.join(cmdir, "..data"))
        for name, text in connectors.items():
            with open(os.path.join(cmdir, data, name), "w") as f:
                f.write(text)
            os.symlink(os.path.join("..data", name), os.path.join(cmdir, name))

# Offsets on the persistent volume.
offsets = worker.get("offset.storage.file.filename", "")
om = mount_of(offsets)
check(om and om[0] in claims and not om[1].get("readOnly"),
      f"offset.storage.file.filename ({offsets!r}) is on a writable volume from volumeClaimTemplates")

# REST on loopback only; probes run the binary's healthcheck against /health.
listeners = [urlparse(u.strip()) for u in worker.get("listeners", "").split(",") if u.strip()]
check(listeners and all(u.hostname in ("127.0.0.1", "localhost", "::1") for u in listeners),
      "listeners bind loopback only")
probe = None
for kind in ("livenessProbe", "readinessProbe"):
    p = side.get(kind, {})
    cmd = p.get("exec", {}).get("command", [])
    if check(cmd[:2] == [binary, "healthcheck"], f"{kind} execs `{binary} healthcheck`"):
        url = urlparse(cmd[-1])
        check(url.path == "/health" and listeners and url.netloc == listeners[0].netloc,
              f"{kind} probes /health on the listener ({cmd[-1]})")
        check(p.get("timeoutSeconds", 1) >= 2, f"{kind} timeoutSeconds leaves the probe time to answer")
        probe = cmd

# The log directory: an emptyDir the application writes and the sidecar reads.
logdir = None
for name, text in connectors.items():
    c = props(text)
    check(c.get("connector.class") in ("FileTailSource", "org.connectgo.connect.tail.FileTailSourceConnector"),
          f"{name} is a FileTailSource connector")
    for glob in c.get("paths", "").split(","):
        lm = mount_of(glob.strip())
        if check(lm and "emptyDir" in volumes.get(lm[0], {}) and lm[1].get("readOnly"),
                 f"{name}: {glob} is on an emptyDir mounted read-only in the sidecar"):
            logdir = lm[1]["mountPath"]
            check(any(m["name"] == lm[0] and not m.get("readOnly")
                      for a in apps for m in a.get("volumeMounts", [])),
                  f"the application container writes the {lm[0]} volume")

# Hardening and sizing.
sc = side.get("securityContext", {})
check(sc.get("runAsNonRoot") and sc.get("readOnlyRootFilesystem") and sc.get("allowPrivilegeEscalation") is False,
      "the sidecar runs as non-root with a read-only root file system")
res = side.get("resources", {})
check(res.get("requests", {}).get("memory") and res.get("requests", {}).get("cpu") and res.get("limits", {}).get("memory"),
      "the sidecar has cpu/memory requests and a memory limit")

if problems:
    sys.exit("k8s example: missing or wrong:\n  " + "\n  ".join(problems))
with open(os.path.join(outdir, "env.sh"), "w") as f:
    for k, v in {"K8S_WORKER": worker_path, "K8S_CONNECTORS_DIR": cdir, "K8S_OFFSETS": offsets,
                 "K8S_LOG_DIR": logdir, "K8S_BINARY": binary, "K8S_LISTENER": listeners[0].netloc,
                 "K8S_PROBE": shlex.join(probe)}.items():
        f.write(f"{k}={shlex.quote(v)}\n")
print("k8s example: all checks passed")
