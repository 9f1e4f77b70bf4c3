#!/usr/bin/env python3
"""Injects faults into Pulse deployed on the test hosts while load flows, and checks what must hold after each.

Run by `faults` (which brings the hosts up and deploys); on its own: faults.py STATE_DIR IMAGE REPORT_JSON, with
three hosts up, control-plane replicas and workers on all three, data planes on the first two, and the API token in
STATE_DIR/credentials/pulse-api-token.

While a warm client invokes `hello` through both data planes (one request at a time each, alternating), an async
client submits an invocation of it every half second (`/async/fn/hello/`) through them in turn, and a registrar
creates or updates a function every second through the leader, the faults come in turn: kill -9 of the leader,
kill -9 of a worker, the leader's host cut off the network (its veth down) and healed, the leader split from the
other replicas only (their cluster port dropped both ways, so it still reaches workers and data planes: the case
fencing exists for) and healed, the leader frozen (SIGSTOP) just after it accepted a new revision and thawed once
another leads, a worker's host cut off and healed, every host rebooted. After each, until everything holds (or a
deadline): the replicas agree on one leader; `hello` answers through both data planes; every acknowledged
registration is on every replica with its revision; no `hello` above maxScale (control plane and containerd alike);
no container, task or active snapshot that no live instance owns; every async invocation accepted (202) more than
5 s before has succeeded. Reported per fault: warm requests failed while it lasted, async invocations accepted and
refused, times to a new leader and to convergence, the workers' fence refusals, and what the cut-off leader answered
to writes.
"""
import http.client
import json
import os
import re
import subprocess
import sys
import threading
import time

NET = os.environ.get("PULSE_TEST_HOSTS_NET", "10.231.7")
HOSTS = (1, 2, 3)
CONTROL_PLANES = HOSTS
DATA_PLANES = (1, 2)
WORKERS = HOSTS
MAX_SCALE = 2
CONVERGE_DEADLINE_S = float(os.environ.get("PULSE_FAULTS_CONVERGE_S", "180"))
PARTITION_S = float(os.environ.get("PULSE_FAULTS_PARTITION_S", "25"))

state, image, report_path = sys.argv[1:4]
token = open(os.path.join(state, "credentials", "pulse-api-token")).readline().strip()
t0 = time.monotonic()
RUN = time.strftime("%H%M%S")   # names of this run's functions, so that a second run on the same hosts starts clean


def now():
    return time.monotonic() - t0


def log(message):
    print(f"[faults {now():7.1f} s] {message}", file=sys.stderr, flush=True)


def addr(i):
    return f"{NET}.{10 + i}"


def host_of(replica_name):
    m = re.fullmatch(r"pulse-th(\d)", replica_name or "")
    return int(m.group(1)) if m else None


def run(cmd, timeout=30):
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        return done.returncode, done.stdout
    except subprocess.TimeoutExpired:
        return 124, ""


def ssh(i, command, timeout=30):
    return run(["ssh", "-F", os.path.join(state, "ssh_config"), f"pulse-th{i}", command], timeout)


def call(host, port, method, path, body=None, timeout=3.0, auth=True):
    """(status, parsed JSON or text, headers); status 0 when nothing answered."""
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    headers = {"Content-Type": "application/json"}
    if auth:
        headers["Authorization"] = f"Bearer {token}"
    try:
        conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        resp = conn.getresponse()
        raw = resp.read()
        try:
            data = json.loads(raw) if raw else None
        except ValueError:
            data = raw.decode(errors="replace")
        return resp.status, data, dict(resp.getheaders())
    except (OSError, http.client.HTTPException):
        return 0, None, {}
    finally:
        conn.close()


def cluster_view(i):
    status, data, _ = call(addr(i), 9090, "GET", "/v1/cluster", timeout=2)
    return data if status == 200 and isinstance(data, dict) else None


def agreed_leader():
    """(leader host, epoch) when every replica answers and all name the same leader and epoch, else None."""
    views = [cluster_view(i) for i in CONTROL_PLANES]
    if any(v is None for v in views):
        return None
    pairs = {(v.get("leader"), v.get("epoch")) for v in views}
    if len(pairs) != 1:
        return None
    leader, epoch = pairs.pop()
    return (host_of(leader), epoch) if host_of(leader) else None


def any_leader():
    """The leader host and epoch as the first replica that answers sees them (None when none knows one)."""
    for i in CONTROL_PLANES:
        v = cluster_view(i)
        if v and host_of(v.get("leader")):
            return host_of(v["leader"]), v.get("epoch")
    return None


def write(method, path, body):
    """A write sent where a client would: the leader as a replica names it, following a Pulse-Leader 503."""
    known = any_leader()
    target = addr(known[0]) if known else addr(CONTROL_PLANES[0])
    for _ in range(2):
        status, data, headers = call(target, 9090, method, path, body, timeout=10)
        leader = headers.get("Pulse-Leader") or headers.get("pulse-leader")
        if status == 503 and leader:
            target = re.sub(r"^https?://", "", leader).split(":")[0]
            continue
        return status, data
    return status, data


class WarmLoad(threading.Thread):
    """One request at a time to each data plane in turn; every outcome kept with its time."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.records = []   # (time, data plane host, ok, status: 0 when nothing answered)

    def run(self):
        while not self.stop.is_set():
            for dp in DATA_PLANES:
                started = now()
                status, _, _ = call(addr(dp), 8080, "GET", "/fn/hello", timeout=3, auth=False)
                self.records.append((started, dp, status == 200, status))
            time.sleep(0.02)

    def between(self, start, end):
        return [r for r in self.records if start <= r[0] <= end]


class Registrar(threading.Thread):
    """Creates reg-N every second and updates an earlier one every third; remembers what was acknowledged."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.acked = {}       # name -> revision the API acknowledged
        self.outcomes = []    # (time, status)
        self.lock = threading.Lock()

    def run(self):
        n = 0
        while not self.stop.wait(1.0):
            n += 1
            with self.lock:
                names = sorted(self.acked)
            if n % 3 == 0 and names:
                name = names[n % len(names)]
                status, data = write("PUT", f"/v1/functions/{name}", spec(name, {"N": str(n)}))
            else:
                name = f"reg-{RUN}-{n}"
                status, data = write("POST", "/v1/functions", spec(name, {}))
            self.outcomes.append((now(), status))
            if status in (200, 201) and isinstance(data, dict) and "revision" in data:
                with self.lock:
                    self.acked[name] = max(self.acked.get(name, 0), data["revision"])

    def snapshot(self):
        with self.lock:
            return dict(self.acked)


class AsyncLoad(threading.Thread):
    """An async invocation of hello every half second, through each data plane in turn; the accepted ids kept."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.accepted = []        # (time, id)
        self.refused = []         # (time, status)
        self.succeeded = set()    # ids seen succeeded (final)
        self.lock = threading.Lock()

    def run(self):
        n = 0
        while not self.stop.wait(0.5):
            dp = DATA_PLANES[n % len(DATA_PLANES)]
            n += 1
            status, data, _ = call(addr(dp), 8080, "GET", f"/async/fn/hello/?job={RUN}-{n}", timeout=5, auth=False)
            with self.lock:
                if status == 202 and isinstance(data, dict) and data.get("id"):
                    self.accepted.append((now(), data["id"]))
                else:
                    self.refused.append((now(), status))

    def unfinished(self, leader, older_than_s=5.0):
        """Ids accepted more than `older_than_s` ago and not (yet) succeeded: {state: [ids]} as the leader says."""
        with self.lock:
            due = [i for t, i in self.accepted if t < now() - older_than_s and i not in self.succeeded]
        states = {}
        for invocation in due:
            status, data, _ = call(addr(leader), 9090, "GET", f"/v1/invocations/{invocation}", timeout=5)
            state = data.get("state") if status == 200 and isinstance(data, dict) else f"http {status}"
            if state == "succeeded":
                self.succeeded.add(invocation)
            else:
                states.setdefault(state, []).append(invocation)
        return states


def spec(name, env, min_scale=0):
    return {"name": name, "image": image, "env": env,
            "command": ["/bin/sh", "-c", "exec httpd -f -p $PORT -h /www"],
            "resources": {"memoryMiB": 64}, "scaling": {"minScale": min_scale, "maxScale": MAX_SCALE}}


def fenced_counts():
    """pulse_worker_fenced_total summed per reason over the workers that answer."""
    counts = {}
    for i in WORKERS:
        status, text, _ = call(addr(i), 9094, "GET", "/metrics", timeout=2, auth=False)
        if status != 200 or not isinstance(text, str):
            continue
        for m in re.finditer(r'^pulse_worker_fenced_total\{([^}]*)\} ([0-9.eE+]+)$', text, re.M):
            reason = re.search(r'reason="([^"]*)"', m.group(1))
            key = reason.group(1) if reason else "?"
            counts[key] = counts.get(key, 0) + float(m.group(2))
    return counts


def containerd_objects(i):
    """(containers, tasks, active snapshots) of Pulse's containerd namespace on host i; None when unreachable."""
    rc, out = ssh(i, "ctr -n pulse containers ls -q; echo ---; ctr -n pulse tasks ls -q; echo ---; "
                     "ctr -n pulse snapshots ls | awk 'NR>1 && $NF==\"Active\" {print $1}'", timeout=20)
    if rc != 0:
        return None
    parts = out.split("---")
    return tuple({line.strip() for line in p.splitlines() if line.strip()} for p in parts[:3])


def hello_instances(leader):
    status, data, _ = call(addr(leader), 9090, "GET", "/v1/functions/hello/instances", timeout=5)
    if status != 200:
        return None
    return [x for x in data["instances"] if x.get("endedAt") is None]


def serves(dp, times=3):
    return all(call(addr(dp), 8080, "GET", "/fn/hello", timeout=3, auth=False)[0] == 200 for _ in range(times))


def checks(registrar, async_load=None):
    """Every invariant, as a dict of failures (empty when all hold) and the figures behind them."""
    failures, figures = {}, {}
    agreed = agreed_leader()
    if agreed is None:
        failures["leader"] = "the replicas do not all answer with one leader and epoch"
        return failures, figures
    leader, epoch = agreed
    figures["leader"], figures["epoch"] = f"pulse-th{leader}", epoch
    for dp in DATA_PLANES:
        if not serves(dp):
            failures[f"serves-dp{dp}"] = f"hello does not answer 200 through pulse-th{dp}'s data plane"
    acked = registrar.snapshot()
    missing = {}
    for i in CONTROL_PLANES:
        status, data, _ = call(addr(i), 9090, "GET", "/v1/functions", timeout=10)
        if status != 200:
            failures[f"registry-th{i}"] = f"GET /v1/functions answered {status}"
            continue
        have = {f["name"]: f.get("revision", 0) for f in data["functions"]}
        lost = sorted(n for n, rev in acked.items() if have.get(n, 0) < rev)
        if lost:
            missing[f"pulse-th{i}"] = lost
    figures["acknowledged_registrations"] = len(acked)
    if missing:
        failures["registrations"] = missing
    instances = hello_instances(leader)
    if instances is None:
        failures["instances"] = "the leader did not list hello's instances"
        return failures, figures
    regular = [x for x in instances if x.get("kind", "").lower() == "regular"]
    figures["hello_regular_instances"] = len(regular)
    if len(regular) > MAX_SCALE:
        failures["max_scale"] = f"{len(regular)} Regular Instances of hello (maxScale {MAX_SCALE})"
    owned = {x["id"] for x in instances}
    orphans, containers_total = {}, 0
    for i in WORKERS:
        objects = containerd_objects(i)
        if objects is None:
            failures[f"containerd-th{i}"] = "ctr did not answer"
            continue
        containers, tasks, snapshots = objects
        containers_total += len(containers)
        extra = sorted((containers | tasks | snapshots) - owned)
        if extra:
            orphans[f"pulse-th{i}"] = extra
    figures["containers"] = containers_total
    if async_load is not None:
        unfinished = async_load.unfinished(leader)
        figures["async_succeeded"] = len(async_load.succeeded)
        if unfinished:
            failures["async"] = {state: len(ids) for state, ids in unfinished.items()}
    if orphans:
        failures["orphans"] = orphans
    return failures, figures


def converge(registrar, since, async_load=None):
    """Polls the checks until they all hold; returns (seconds from `since`, figures, last failures)."""
    deadline = now() + CONVERGE_DEADLINE_S
    failures, figures = {"never checked": True}, {}
    while now() < deadline:
        failures, figures = checks(registrar, async_load)
        if not failures:
            return round(now() - since, 1), figures, {}
        time.sleep(1)
    return None, figures, failures


def wait_for_new_leader(old_epoch, since, deadline_s=120):
    deadline = now() + deadline_s
    while now() < deadline:
        known = any_leader()
        if known and known[1] > old_epoch:
            return round(now() - since, 1), known
        time.sleep(0.2)
    return None, None


def partition(i, up):
    run(["ip", "-n", "pulse-th-hub", "link", "set", f"h{i}", "up" if up else "down"])


def probe_isolated_writes(i, until):
    """Writes sent to the cut-off host's own replica from inside its network namespace, once a second."""
    seen, k = [], 0
    while now() < until:
        k += 1
        name = f"iso-{RUN}-{i}-{k}"
        body = json.dumps(spec(name, {}))
        rc, out = run(["ip", "netns", "exec", f"pulse-th{i}", "curl", "-s", "-m", "10", "-w", "\n%{http_code}",
                       "-X", "POST", "-H", "Content-Type: application/json",
                       "-H", f"Authorization: Bearer {token}", "--data", body,
                       f"http://{addr(i)}:9090/v1/functions"], timeout=10)
        answer, _, code = out.rpartition("\n")
        seen.append({"at": round(now(), 1), "name": name, "status": int(code or 0), "body": answer[:300]})
        time.sleep(1)
    return seen


def split_rules(i, action):
    """iptables rules in host i's namespace that drop the cluster (Hazelcast) port to and from the other hosts."""
    for other in HOSTS:
        if other == i:
            continue
        for chain, peer, port in (("INPUT", "-s", "--dport"), ("INPUT", "-s", "--sport"),
                                  ("OUTPUT", "-d", "--dport"), ("OUTPUT", "-d", "--sport")):
            run(["ip", "netns", "exec", f"pulse-th{i}", "iptables", action, chain, peer, addr(other),
                 "-p", "tcp", port, "5701", "-j", "DROP"])


def fault_kill_leader(ctx):
    leader, epoch = ctx["leader"], ctx["epoch"]
    ssh(leader, "systemctl kill -s KILL pulse-control-plane.service")
    took, new = wait_for_new_leader(epoch, ctx["start"])
    return {"target": f"control plane on pulse-th{leader} (leader, epoch {epoch})", "new_leader_s": took,
            "new_leader": f"pulse-th{new[0]} epoch {new[1]}" if new else None}


def fault_kill_worker(ctx):
    instances = hello_instances(ctx["leader"]) or []
    hosts = sorted({host_of(x.get("workerId")) for x in instances if x.get("kind", "").lower() == "regular"} - {None})
    target = next((h for h in hosts if h != ctx["leader"]), hosts[0] if hosts else WORKERS[-1])
    ssh(target, "systemctl kill -s KILL pulse-worker.service")
    return {"target": f"worker on pulse-th{target} (holding a Regular Instance of hello)"}


def fault_isolate_leader(ctx):
    return cut_off_leader(ctx, lambda up: partition(ctx["leader"], up), "cut off the network")


def fault_split_leader(ctx):
    return cut_off_leader(ctx, lambda up: split_rules(ctx["leader"], "-D" if up else "-A"),
                          "split from the other replicas (cluster port dropped; workers and data planes reachable)")


def cut_off_leader(ctx, link, how):
    leader, epoch = ctx["leader"], ctx["epoch"]
    link(False)
    writes = []
    prober = threading.Thread(target=lambda: writes.extend(probe_isolated_writes(leader, ctx["start"] + PARTITION_S)))
    prober.start()
    took, new = wait_for_new_leader(epoch, ctx["start"], deadline_s=PARTITION_S)
    prober.join()
    link(True)
    acked = [w for w in writes if 200 <= w["status"] < 300]
    others = sorted({w["body"] for w in writes if w["status"] not in (200, 201, 503)})
    return {"target": f"pulse-th{leader} (leader, epoch {epoch}) {how} for {PARTITION_S:.0f} s",
            "new_leader_s": took, "new_leader": f"pulse-th{new[0]} epoch {new[1]}" if new else None,
            "isolated_leader_writes": {str(s): sum(1 for w in writes if w["status"] == s)
                                       for s in sorted({w["status"] for w in writes})},
            "isolated_leader_other_answers": others,
            "isolated_leader_acks": [w["name"] for w in acked], "heal_at_s": round(now() - ctx["start"], 1)}


def fault_pause_leader(ctx):
    """The leader frozen (SIGSTOP, like a long GC pause) right after it accepted a new revision of hello, so that it
    has work of its term in flight; thawed after the others elected a new leader: what it sends then is stale."""
    leader, epoch = ctx["leader"], ctx["epoch"]
    status, _ = write("PUT", "/v1/functions/hello", spec("hello", {"REVISION_OF": RUN}, min_scale=MAX_SCALE))
    ssh(leader, "systemctl kill -s STOP pulse-control-plane.service")
    took, new = wait_for_new_leader(epoch, ctx["start"], deadline_s=PARTITION_S)
    time.sleep(max(0.0, ctx["start"] + PARTITION_S - now()))
    ssh(leader, "systemctl kill -s CONT pulse-control-plane.service")
    return {"target": f"control plane on pulse-th{leader} (leader, epoch {epoch}) paused for {PARTITION_S:.0f} s "
                      f"right after a new revision of hello (PUT answered {status})",
            "new_leader_s": took, "new_leader": f"pulse-th{new[0]} epoch {new[1]}" if new else None}


def fault_isolate_worker(ctx):
    # A worker whose host runs no data plane and not the leader, when there is one: the fault is the worker's.
    candidates = [h for h in WORKERS if h != ctx["leader"]]
    target = next((h for h in candidates if h not in DATA_PLANES), candidates[-1])
    partition(target, up=False)
    time.sleep(PARTITION_S)
    partition(target, up=True)
    return {"target": f"pulse-th{target} (worker, follower replica) cut off for {PARTITION_S:.0f} s"}


def fault_restart_all(ctx):
    for i in HOSTS:
        ssh(i, "systemd-run --on-active=1 systemctl reboot", timeout=10)
    time.sleep(5)
    deadline = now() + 180
    while now() < deadline and any(ssh(i, "systemctl is-active pulse-worker.service", timeout=8)[0] != 0
                                   for i in HOSTS):
        time.sleep(2)
    return {"target": "every host rebooted"}


FAULTS = [("kill -9 leader", fault_kill_leader), ("kill -9 worker", fault_kill_worker),
          ("partition leader host", fault_isolate_leader), ("split leader from replicas", fault_split_leader),
          ("pause leader", fault_pause_leader), ("partition worker host", fault_isolate_worker),
          ("restart every host", fault_restart_all)]


def main():
    log("registering hello (minScale 2, maxScale 2) and waiting for it to answer on both data planes")
    status, data = write("POST", "/v1/functions", spec("hello", {}, min_scale=MAX_SCALE))
    if status not in (200, 201, 409):   # 409: already there (a second run on the same hosts)
        sys.exit(f"registering hello answered {status}: {data}")
    load, registrar, async_load = WarmLoad(), Registrar(), AsyncLoad()
    took, figures, failures = converge(registrar, now())
    if took is None:
        sys.exit(f"the deployment never converged before the faults: {failures}")
    load.start()
    registrar.start()
    async_load.start()
    time.sleep(5)
    results, ok = [], True
    for name, inject in FAULTS:
        leader, epoch = agreed_leader() or any_leader() or (None, 0)
        fenced_before = fenced_counts()
        start = now()
        log(f"fault: {name} (leader pulse-th{leader}, epoch {epoch})")
        result = {"fault": name}
        result.update(inject({"leader": leader, "epoch": epoch, "start": start}))
        took, figures, failures = converge(registrar, start, async_load)
        end = now()
        warm = load.between(start, end)
        fenced_after = fenced_counts()
        result.update({
            "converged_s": took, "failures": failures, "after": figures,
            "warm_requests": len(warm), "warm_failed": sum(1 for r in warm if not r[2]),
            "warm_failed_by_data_plane": {f"pulse-th{dp}": sum(1 for r in warm if r[1] == dp and not r[2])
                                          for dp in DATA_PLANES},
            "warm_failed_by_status": {str(st): sum(1 for r in warm if not r[2] and r[3] == st)
                                      for st in sorted({r[3] for r in warm if not r[2]})},
            # A counter lower than before is one that restarted with its worker: all of it is new.
            "fenced": {k: (lambda a, b: a - b if a >= b else a)(fenced_after.get(k, 0), fenced_before.get(k, 0))
                       for k in sorted(set(fenced_after) | set(fenced_before))},
        })
        with async_load.lock:
            result["async_accepted"] = sum(1 for t, _ in async_load.accepted if start <= t <= end)
            result["async_refused"] = {str(st): sum(1 for t, x in async_load.refused if start <= t <= end and x == st)
                                       for st in sorted({x for t, x in async_load.refused if start <= t <= end})}
        lost_iso = []
        if result.get("isolated_leader_acks"):
            status, data, _ = call(addr(agreed_leader()[0]) if agreed_leader() else addr(1), 9090, "GET",
                                   "/v1/functions", timeout=10)
            names = {f["name"] for f in data["functions"]} if status == 200 else set()
            lost_iso = [n for n in result["isolated_leader_acks"] if n not in names]
            result["isolated_leader_acks_lost"] = lost_iso
        ok = ok and took is not None and not lost_iso
        log(f"  -> {json.dumps(result)}")
        results.append(result)
        time.sleep(5)
    load.stop.set()
    registrar.stop.set()
    async_load.stop.set()
    registrar.join(15)
    report = {"hosts": len(HOSTS), "partition_s": PARTITION_S, "registrations_acknowledged": len(registrar.acked),
              "async_accepted": len(async_load.accepted), "async_succeeded": len(async_load.succeeded),
              "async_unfinished": async_load.unfinished(agreed_leader()[0]) if agreed_leader() else "no leader",
              "registration_outcomes": {str(s): sum(1 for _, x in registrar.outcomes if x == s)
                                        for s in sorted({x for _, x in registrar.outcomes})},
              "faults": results, "passed": ok}
    with open(report_path, "w") as f:
        json.dump(report, f, indent=2)
    print_table(results)
    sys.exit(0 if ok else 1)


def print_table(results):
    print("| fault | warm failed / sent | async accepted (refused) | new leader | converged | fence refusals | notes |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        fenced = ", ".join(f"{k} {int(v)}" for k, v in r["fenced"].items() if v) or "0"
        notes = []
        if "isolated_leader_writes" in r:
            notes.append("cut-off leader answered writes: " +
                         ", ".join(f"{k}x{v}" for k, v in r["isolated_leader_writes"].items()))
        if r["failures"]:
            notes.append("NOT CONVERGED: " + json.dumps(r["failures"]))
        leader = f"{r['new_leader_s']} s" if r.get("new_leader_s") is not None else "-"
        converged = f"{r['converged_s']} s" if r["converged_s"] is not None else "no"
        refused = sum(r["async_refused"].values())
        print(f"| {r['fault']} | {r['warm_failed']} / {r['warm_requests']} | {r['async_accepted']} ({refused}) | "
              f"{leader} | {converged} | {fenced} | "
              f"{'; '.join(notes)} |")


if __name__ == "__main__":
    main()
