#!/usr/bin/env python3
"""Runs docker-compose.yml's services natively, as compose would run them.

No Docker engine exists where the tests run, so this reads the file as
`docker-compose config` normalises it (anchors, merges, defaults) and
starts each service's declared command with its declared environment,
after the image's own ENV lines (Dockerfile, the target the compose file
builds), mapped to this machine the way a container network would be:

  - a service name used as a host ("kafka:9092", "http://ingest:8080")
    becomes 127.0.0.1 and a free port of its own; so do a service's own
    listening ports (its *_PORT variables and its published ports), and
    "localhost:<published port>" (what a browser on the Docker host uses);
  - --provide SERVICE=HOST:PORT says a service is already running here
    (the test stack's Kafka and PostgreSQL): it is not started and its
    name maps to that address; --pg-db renames the database of URLs that
    point at the provided postgres (a fresh database per run);
  - listen addresses 0.0.0.0 become 127.0.0.1 (*_ADDR variables);
  - paths the Dockerfile COPYs from the build context (the migrations)
    become the files in this checkout; the binaries come from --bin;
  - --env NAME=VALUE adds to every service started (the test's own topic
    prefix, so that it shares the broker with the test stack in peace).

  compose_native.py up   --config FILE --dockerfile FILE --state DIR --bin DIR
                         [--provide S=H:P]... [--pg-db NAME] [--env N=V]...
  compose_native.py down --state DIR

`up` starts the services in depends_on order, waits for each one that
others need completed (condition service_completed_successfully) to exit
0, and writes <state>/ports (service container-port local-port),
<state>/<service>.pid and logs in <state>/<service>.log.
"""
import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import time

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port(taken):
    """A port in 20000-31999 nobody listens on and not handed out yet."""
    for _ in range(500):
        p = 20000 + int.from_bytes(os.urandom(2), "big") % 12000
        if p in taken:
            continue
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", p)) != 0:
                taken.add(p)
                return p
    sys.exit("compose_native: no free port")


def dockerfile_image(path, target):
    """The ENV lines of the target's stages and the context paths COPYed in."""
    stages, cur = {}, None
    for line in re.sub(r"\\\n", " ", open(path).read()).splitlines():
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        op = words[0].upper()
        if op == "FROM":
            name = words[3] if len(words) > 3 and words[2].upper() == "AS" else words[1]
            cur = {"parent": words[1], "env": {}, "copies": {}}
            stages[name] = cur
        elif op == "ENV" and cur is not None:
            for kv in words[1:]:
                k, _, v = kv.partition("=")
                cur["env"][k] = v
        elif op == "COPY" and cur is not None and not words[1].startswith("--from"):
            cur["copies"][words[-1].rstrip("/")] = os.path.join(ROOT, words[1])
    env, copies, name = {}, {}, target
    chain = []
    while name in stages:
        chain.append(stages[name])
        name = stages[name]["parent"]
    for st in reversed(chain):
        env.update(st["env"])
        copies.update(st["copies"])
    return env, copies


class Mapper:
    """Rewrites compose addresses to this machine's."""

    def __init__(self, services, provided, pg_db):
        self.names = set(services)
        self.ports = {}          # (service, container port) -> local port
        self.provided = provided # service -> "host:port"
        self.pg_db = pg_db
        self.published = {}      # published port -> (service, target)
        taken = set()
        for name, svc in services.items():
            for p in svc.get("ports", []):
                self.published[int(p["published"])] = (name, int(p["target"]))
                self.local(name, int(p["target"]), taken)
            for k, v in (svc.get("environment") or {}).items():
                if k.endswith("_PORT") and str(v).isdigit():
                    self.local(name, int(v), taken)
        for svc in services.values():
            for text in list((svc.get("environment") or {}).values()) + self.argv(svc):
                for host, port in re.findall(r"\b([a-z][a-z0-9-]*):(\d+)\b", str(text)):
                    if host in self.names and host not in provided:
                        self.local(host, int(port), taken)
        self.taken = taken

    @staticmethod
    def argv(svc):
        cmd = svc.get("command") or []
        return cmd if isinstance(cmd, list) else cmd.split()

    def local(self, service, port, taken):
        if (service, port) not in self.ports:
            self.ports[(service, port)] = free_port(taken)
        return self.ports[(service, port)]

    def text(self, s):
        def host_port(m):
            host, port = m.group(1), int(m.group(2))
            if host in self.provided:
                return self.provided[host]
            if host == "localhost" and port in self.published:
                return "127.0.0.1:%d" % self.ports[self.published[port]]
            if (host, port) in self.ports:
                return "127.0.0.1:%d" % self.ports[(host, port)]
            return m.group(0)

        s = str(s)
        if self.pg_db and "postgres" in self.provided:
            s = re.sub(r"(@postgres:\d+/)[A-Za-z0-9_]+", r"\g<1>" + self.pg_db, s)
        return re.sub(r"\b([a-z][a-z0-9-]*):(\d+)\b", host_port, s)

    def env(self, service, key, value):
        value = str(value)
        if key.endswith("_PORT") and value.isdigit() and (service, int(value)) in self.ports:
            return str(self.ports[(service, int(value))])
        if key.endswith("_ADDR") and value == "0.0.0.0":
            return "127.0.0.1"
        return self.text(value)


def order(services):
    """Service names with every dependency before its dependents."""
    done, out = set(), []

    def visit(n, path):
        if n in done:
            return
        if n in path:
            sys.exit("compose_native: depends_on cycle at " + n)
        for d in services[n].get("depends_on") or {}:
            visit(d, path | {n})
        done.add(n)
        out.append(n)

    for n in sorted(services):
        visit(n, set())
    return out


def needs_completion(services, name):
    """True if another service waits for name to exit successfully."""
    return any(
        (dep or {}).get("condition") == "service_completed_successfully"
        for s in services.values()
        for n, dep in (s.get("depends_on") or {}).items()
        if n == name
    )


def unescape(s):
    """Compose's interpolation: "$$" is a literal "$"; nothing else may be asked."""
    s = str(s)
    if re.search(r"(?<!\$)\$(?!\$)", s.replace("$$", "")):
        sys.exit("compose_native: variable substitution in %r needs the host's environment" % s)
    return s.replace("$$", "$")


def cmd_up(a):
    conf = yaml.safe_load(open(a.config))
    services = conf["services"]
    provided = dict(p.split("=", 1) for p in a.provide)
    extra = dict(e.split("=", 1) for e in a.env)
    mapper = Mapper(services, provided, a.pg_db)
    os.makedirs(a.state, exist_ok=True)
    with open(os.path.join(a.state, "ports"), "w") as f:
        for (svc, port), local in sorted(mapper.ports.items()):
            f.write("%s %d %d\n" % (svc, port, local))
    for name in order(services):
        if name in provided:
            continue
        svc = services[name]
        target = None
        for s in services.values():        # the image is built by one service
            if s.get("image") == svc.get("image") and s.get("build"):
                target = s["build"].get("target")
        img_env, copies = dockerfile_image(a.dockerfile, target) if target else ({}, {})
        env = {"PATH": os.path.abspath(a.bin) + ":/usr/bin:/bin", "HOME": a.state, "LANG": "C.UTF-8"}
        for k, v in img_env.items():
            for dst, src in copies.items():
                v = v.replace(dst, src)
            env[k] = mapper.env(name, k, v)
        for k, v in (svc.get("environment") or {}).items():
            env[k] = mapper.env(name, k, unescape(v))
        env.update(extra)
        argv = [mapper.text(unescape(x)) for x in Mapper.argv(svc)]
        log = open(os.path.join(a.state, name + ".log"), "ab")
        proc = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, cwd=a.state, start_new_session=True)
        with open(os.path.join(a.state, name + ".pid"), "w") as f:
            f.write("%d\n" % proc.pid)
        print("compose_native: %s started (pid %d): %s" % (name, proc.pid, argv[0]), file=sys.stderr)
        if needs_completion(services, name):
            rc = proc.wait(timeout=a.timeout)
            if rc != 0:
                sys.exit("compose_native: %s exited %d (log: %s/%s.log)" % (name, rc, a.state, name))
            os.unlink(os.path.join(a.state, name + ".pid"))


def cmd_down(a):
    pids = []
    for f in sorted(os.listdir(a.state)) if os.path.isdir(a.state) else []:
        if f.endswith(".pid"):
            pid = int(open(os.path.join(a.state, f)).read())
            try:
                os.kill(pid, signal.SIGTERM)
                pids.append(pid)
            except ProcessLookupError:
                pass
            os.unlink(os.path.join(a.state, f))
    deadline = time.time() + 20
    for pid in pids:
        while time.time() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            try:
                if os.waitpid(pid, os.WNOHANG)[0] == pid:
                    break
            except ChildProcessError:
                pass
            time.sleep(0.1)
        else:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    up = sub.add_parser("up")
    up.add_argument("--config", required=True, help="output of docker-compose config")
    up.add_argument("--dockerfile", required=True)
    up.add_argument("--state", required=True)
    up.add_argument("--bin", required=True)
    up.add_argument("--provide", action="append", default=[])
    up.add_argument("--pg-db")
    up.add_argument("--env", action="append", default=[])
    up.add_argument("--timeout", type=int, default=120)
    down = sub.add_parser("down")
    down.add_argument("--state", required=True)
    a = p.parse_args()
    cmd_up(a) if a.cmd == "up" else cmd_down(a)


if __name__ == "__main__":
    main()
