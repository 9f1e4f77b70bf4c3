#!/usr/bin/env python3
"""Invokes a function through several data planes the way a load balancer would, counting failures.

Round robin over the gateways that pass their /readyz health check (polled every 0.5 s); a gateway that refuses or
drops a connection is marked down and the request goes to the next one at once. A request fails when no gateway
answers it, or one answers with anything but 200. Runs until STOP_FILE exists (at most MAX_SECONDS), one request
at a time with a short pause, then prints one JSON line: {"requests": N, "failures": N, "retried": N, ...}.

Usage: lb-loop.py STOP_FILE MAX_SECONDS PATH GATEWAY:PORT/ADMIN_PORT ...
With LB_CA=PEM in the environment the gateways are called over HTTPS, verified against that CA (admin ports stay
plain HTTP).
"""
import http.client
import json
import os
import ssl
import sys
import threading
import time

stop_file, max_seconds, path = sys.argv[1], float(sys.argv[2]), sys.argv[3]
gateways = []
for spec in sys.argv[4:]:
    hostport, admin = spec.split("/")
    host, port = hostport.rsplit(":", 1)
    gateways.append({"host": host, "port": int(port), "admin": int(admin), "up": True})
done = threading.Event()
tls = ssl.create_default_context(cafile=os.environ["LB_CA"]) if os.environ.get("LB_CA") else None


def get(host, port, url, timeout, secure=False):
    if secure and tls:
        conn = http.client.HTTPSConnection(host, port, timeout=timeout, context=tls)
    else:
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request("GET", url)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def health():
    while not done.is_set():
        for g in gateways:
            try:
                g["up"] = get(g["host"], g["admin"], "/readyz", 2)[0] == 200
            except OSError:
                g["up"] = False
        done.wait(0.5)


threading.Thread(target=health, daemon=True).start()
stats = {"requests": 0, "failures": 0, "retried": 0, "errors": []}
started = time.monotonic()
i = 0
while not os.path.exists(stop_file) and time.monotonic() - started < max_seconds:
    i += 1
    order = gateways[i % len(gateways):] + gateways[:i % len(gateways)]
    candidates = [g for g in order if g["up"]] or order
    outcome = None
    for attempt, g in enumerate(candidates):
        try:
            status, body = get(g["host"], g["port"], path, 30, secure=True)
            outcome = (status, body[:200].decode(errors="replace"), g["host"])
            break
        except (ConnectionRefusedError, ConnectionResetError, http.client.RemoteDisconnected,
                http.client.BadStatusLine) as e:
            g["up"] = False
            stats["retried"] += 1
            outcome = (0, repr(e), g["host"])
        except OSError as e:  # timeouts and the like: not retried, a load balancer would not either
            outcome = (0, repr(e), g["host"])
            break
    stats["requests"] += 1
    if outcome[0] != 200:
        stats["failures"] += 1
        if len(stats["errors"]) < 20:
            stats["errors"].append({"t": round(time.monotonic() - started, 2), "status": outcome[0],
                                    "gateway": outcome[2], "detail": outcome[1]})
    time.sleep(0.05)
done.set()
stats["seconds"] = round(time.monotonic() - started, 1)
print(json.dumps(stats))
