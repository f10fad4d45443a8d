#!/usr/bin/env python3
"""Reads the console log of an operator started with no Kubernetes API server (hack/image.sh
--smoke) and decides whether the image booted as it should.

  bootcheck.py LOG

Prints the log as one line per record (level, logger, message; an exception as its chain of
causes), then exits 0 when Quarkus started the operator and the first failure is the refused or
unresolvable Kubernetes API connection; 1 otherwise (a broken image: missing classes or native
libraries, an unwritable path, a crash before the operator starts).
"""
import json
import re
import sys

BROKEN = re.compile(r"ClassNotFound|NoClassDefFound|UnsatisfiedLink|error while loading shared|"
                    r"Read-only file system|AccessDenied|Permission denied|OutOfMemory")
K8S_DOWN = re.compile(r"Connection refused|ConnectException|UnknownHost|kubernetes\.default\.svc")


def causes(exc):
    while exc:
        exc = exc.get("exception", exc)
        yield f"{exc.get('exceptionType')}: {(exc.get('message') or '').splitlines()[0] if exc.get('message') else ''}"
        exc = exc.get("causedBy")


def main():
    text = open(sys.argv[1], errors="replace").read()
    started = failed_on_k8s = False
    for line in text.splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            print("    " + line[:300])
            continue
        msg = (rec.get("message") or "").replace("\n", " ")
        print(f"    {rec.get('level', ''):5} {rec.get('loggerName', '').rsplit('.', 1)[-1]}: {msg[:200]}")
        chain = list(causes(rec.get("exception")))
        for c in chain:
            print(f"          caused by {c[:200]}")
        if "Starting operator" in msg or "Registered reconciler" in msg:
            started = True
        if chain and K8S_DOWN.search(chain[-1]):
            failed_on_k8s = True
    if BROKEN.search(text):
        print("bootcheck: the image is broken: " + BROKEN.search(text).group(0), file=sys.stderr)
        return 1
    if not started:
        print("bootcheck: the operator did not start (no 'Starting operator' record)", file=sys.stderr)
        return 1
    if not failed_on_k8s and "started in" not in text:
        print("bootcheck: it stopped, but not on the Kubernetes API connection", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
