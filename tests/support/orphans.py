"""What the Python end-to-end tests (cockpit/, system-trust/) leave behind:
nothing. The test becomes a child subreaper, so whatever its children leave
(cockpit-bridge's helpers, chromium's crashpad handler, squid's helpers)
becomes its own child, and stop_orphans() stops and reaps those by PID once
the stack is down: SIGTERM, then SIGKILL after 3 s, giving up after 10 s."""

import ctypes
import os
import signal
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def warn(message):
    print("warning: " + message, file=sys.stderr, flush=True)


def become_subreaper():
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        warn("prctl(PR_SET_CHILD_SUBREAPER) failed: errno %d" % ctypes.get_errno())


def child_pids():
    me = str(os.getpid())
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                stat = f.read()
        except OSError:
            continue
        if stat[stat.rindex(")") + 2:].split()[1] == me:  # the parent's PID
            pids.append(int(entry))
    return pids


def stop_orphans():
    deadline = time.monotonic() + 10
    sent = {}
    while True:
        try:
            while os.waitpid(-1, os.WNOHANG)[0] > 0:
                pass
        except ChildProcessError:
            return
        pids = child_pids()
        if not pids:
            return
        if time.monotonic() > deadline:
            warn("could not stop processes %s" % pids)
            return
        for pid in pids:
            signum = signal.SIGKILL if time.monotonic() - sent.get(pid, time.monotonic()) > 3 else signal.SIGTERM
            try:
                os.kill(pid, signum)
            except ProcessLookupError:
                pass
            sent.setdefault(pid, time.monotonic())
        time.sleep(0.05)
