#!/usr/bin/env python3
"""Builds a tiny OCI image without any network or container tool and pushes it to a registry (distribution API).

One gzip layer: Debian's static busybox (busybox-static) and a page; the image runs `httpd -f -p $PORT -h /www`,
so `/` answers "hello from pulse". Usage: push-image.py REGISTRY_HOST:PORT REPOSITORY TAG (prints the reference).
"""
import gzip
import hashlib
import io
import json
import sys
import tarfile
import urllib.parse
import urllib.request

BUSYBOX = "/bin/busybox"
PAGE = b"hello from pulse\n"


def digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def layer() -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        def add(name, data=None, mode=0o755, kind=tarfile.REGTYPE, link=""):
            info = tarfile.TarInfo(name)
            info.type, info.mode, info.linkname, info.mtime = kind, mode, link, 0
            info.size = len(data) if data is not None else 0
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
        for d in ("bin", "tmp", "www"):
            add(d, kind=tarfile.DIRTYPE, mode=0o1777 if d == "tmp" else 0o755)
        with open(BUSYBOX, "rb") as f:
            add("bin/busybox", f.read())
        for applet in ("sh", "httpd"):
            add("bin/" + applet, kind=tarfile.SYMTYPE, link="busybox", mode=0o777)
        add("www/index.html", PAGE, mode=0o644)
    return buf.getvalue()


def request(method, url, body=b"", content_type="application/octet-stream"):
    req = urllib.request.Request(url, data=body if method != "GET" else None, method=method,
                                 headers={"Content-Type": content_type})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return resp.status, resp.headers


def upload(base, blob):
    status, headers = request("POST", base + "/blobs/uploads/")
    location = urllib.parse.urljoin(base + "/", headers["Location"])
    sep = "&" if "?" in location else "?"
    request("PUT", location + sep + "digest=" + digest(blob), blob)


def main():
    registry, repository, tag = sys.argv[1:4]
    tar = layer()
    gz = gzip.compress(tar, mtime=0)
    config = json.dumps({
        "architecture": "amd64", "os": "linux",
        "config": {"Env": ["PATH=/bin", "PORT=8080"], "WorkingDir": "/www",
                   "Cmd": ["/bin/sh", "-c", "exec httpd -f -p $PORT -h /www"]},
        "rootfs": {"type": "layers", "diff_ids": [digest(tar)]},
    }).encode()
    manifest = json.dumps({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": digest(config),
                   "size": len(config)},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": digest(gz),
                    "size": len(gz)}],
    }).encode()
    base = f"http://{registry}/v2/{repository}"
    upload(base, config)
    upload(base, gz)
    request("PUT", f"{base}/manifests/{tag}", manifest, "application/vnd.oci.image.manifest.v1+json")
    print(f"{registry}/{repository}:{tag}")


if __name__ == "__main__":
    main()
