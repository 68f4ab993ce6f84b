#!/usr/bin/env python3
"""One end of a TCP connection for the kernel keepalive tests (test/kernel-keepalive.test.ts).

Run inside a network namespace (`ip netns exec <ns> python3 keepalive_probe.py '<json>'`).
Node cannot setsockopt an arbitrary level/name; python's socket module can, so the socket
options are applied here exactly as rendered (level, name, intValue), before bind/connect
(Envoy's STATE_PREBIND). Everything is bounded by timeouts; events are JSON lines on stdout:

  {"event": "sysctls", "values": {...}}          the namespace's keepalive sysctls after writing
  {"event": "listening"}                         server: listening socket ready
  {"event": "connected"}                         both: the connection is established
  {"event": "idle", "t0": ..., "effective": {}}  after the last data: monotonic time and the
                                                 keepalive the kernel reports for the connected
                                                 socket (read with the C library's constants)
  {"event": "sent", "t0": ...}                   after "send" on stdin: data sent into the black
                                                 hole; elapsed in the result counts from here
  {"event": "result", "outcome": ...}            "error" (with errno, elapsed since t0),
                                                 "eof", "data", or "connected" (nothing happened
                                                 until the window closed or "report" on stdin)

After the result the socket stays open (nothing more is sent) until "exit" on stdin, EOF or 15 s,
so the test can read its packet counters first.

Config (one JSON argument): role "server"|"client", address, port, options [{level, name,
value}], sysctls [{name, value}], send (true: send the last data, false: receive it and
measure), waitSeconds (how long to wait for something to happen after idle).
"""
import errno
import json
import os
import re
import select
import socket
import sys
import time

SYSCTL = re.compile(r"^net\.ipv4\.tcp_keepalive_(time|intvl|probes)$")
HELLO = b"hello\n"
PAYLOAD = b"unacknowledged\n"
TCP_STATES = {1: "ESTABLISHED", 2: "SYN_SENT", 3: "SYN_RECV", 4: "FIN_WAIT1", 5: "FIN_WAIT2", 6: "TIME_WAIT",
              7: "CLOSE", 8: "CLOSE_WAIT", 9: "LAST_ACK", 10: "LISTEN", 11: "CLOSING"}


def emit(event, **fields):
    sys.stdout.write(json.dumps({"event": event, **fields}) + "\n")
    sys.stdout.flush()


def sysctl_path(name):
    if not SYSCTL.match(name):
        raise SystemExit(f"refusing sysctl {name!r}: only net.ipv4.tcp_keepalive_* are written")
    return "/proc/sys/" + name.replace(".", "/")


def effective(sock):
    """The keepalive in force on a socket, read back with the C library's own option numbers."""
    return {
        "SO_KEEPALIVE": sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE),
        "TCP_KEEPIDLE": sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE),
        "TCP_KEEPINTVL": sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL),
        "TCP_KEEPCNT": sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT),
    }


def tcp_state(sock):
    try:
        info = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 8)
        return TCP_STATES.get(info[0], str(info[0]))
    except OSError as e:
        return f"unknown ({e})"


def apply_options(sock, options):
    for o in options:
        sock.setsockopt(int(o["level"]), int(o["name"]), int(o["value"]))


def recv_exact(sock, n, deadline):
    data = b""
    while len(data) < n:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise SystemExit("timed out waiting for the last data")
        sock.settimeout(remaining)
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise SystemExit("connection closed before the last data")
        data += chunk
    return data


def main():
    config = json.loads(sys.argv[1])
    setup_deadline = time.monotonic() + 10

    if config.get("sysctls"):
        for s in config["sysctls"]:
            with open(sysctl_path(s["name"]), "w") as f:
                f.write(str(int(s["value"])))
        names = ["net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes"]
        values = {}
        for name in names:
            with open(sysctl_path(name)) as f:
                values[name] = int(f.read().strip())
        emit("sysctls", values=values)

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if config["role"] == "server":
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        apply_options(sock, config.get("options", []))  # on the listening socket: accepted sockets inherit
        sock.bind((config["address"], config["port"]))
        sock.listen(1)
        emit("listening", effective=effective(sock))
        sock.settimeout(max(0.1, setup_deadline - time.monotonic()))
        conn, _ = sock.accept()
        sock.close()
    else:
        apply_options(sock, config.get("options", []))
        sock.settimeout(max(0.1, setup_deadline - time.monotonic()))
        sock.connect((config["address"], config["port"]))
        conn = sock
    emit("connected")

    if config["send"]:
        conn.settimeout(max(0.1, setup_deadline - time.monotonic()))
        conn.sendall(HELLO)
        t0 = time.monotonic()
    else:
        recv_exact(conn, len(HELLO), setup_deadline)
        t0 = time.monotonic()  # the last packet this side receives
    emit("idle", t0=t0, effective=effective(conn), userTimeoutMs=conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT))

    conn.setblocking(False)
    stdin = StdinLines()
    poller = select.poll()
    poller.register(conn, select.POLLIN | select.POLLERR | select.POLLHUP)
    poller.register(stdin.fd, select.POLLIN)
    deadline = t0 + float(config["waitSeconds"])
    result = None
    while result is None:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            result = dict(outcome="connected", reason="window closed")
            break
        for fd, _ in poller.poll(remaining * 1000):
            if fd == conn.fileno():
                try:
                    data = conn.recv(64)
                except BlockingIOError:
                    continue
                except OSError as e:
                    result = dict(outcome="error", errno=e.errno, error=errno.errorcode.get(e.errno, str(e.errno)))
                    break
                result = dict(outcome="eof" if data == b"" else "data")
                break
            if not stdin.read():
                poller.unregister(stdin.fd)  # the test went away: the deadline still ends this
                continue
            lines = stdin.take()
            if "send" in lines:
                # Data that will never be acknowledged: keepalive cannot fire while it is in flight.
                conn.send(PAYLOAD)
                t0 = time.monotonic()
                deadline = t0 + float(config["waitSeconds"])
                emit("sent", t0=t0)
            if "report" in lines:
                result = dict(outcome="connected", reason="asked")
                break
    emit("result", elapsed=time.monotonic() - t0, tcpState=tcp_state(conn), **result)

    # Keep the socket open (no FIN, no RST) until the test has read its counters: "exit", EOF or 15 s.
    hold_deadline = time.monotonic() + 15
    while not stdin.eof and "exit" not in stdin.take(keep=True):
        remaining = hold_deadline - time.monotonic()
        if remaining <= 0 or not select.select([stdin.fd], [], [], remaining)[0]:
            break
        stdin.read()


class StdinLines:
    """Whole lines from stdin, read without Python's buffering (so poll stays truthful)."""

    def __init__(self):
        self.fd = sys.stdin.fileno()
        self.buffer = b""
        self.lines = []
        self.eof = False

    def read(self):
        chunk = os.read(self.fd, 4096)
        if not chunk:
            self.eof = True
            return False
        self.buffer += chunk
        *complete, self.buffer = self.buffer.split(b"\n")
        self.lines += [line.decode().strip() for line in complete]
        return True

    def take(self, keep=False):
        lines = list(self.lines)
        if not keep:
            self.lines.clear()
        return lines


if __name__ == "__main__":
    try:
        main()
    except SystemExit:
        raise
    except Exception as e:  # report, never hang
        emit("failed", error=f"{type(e).__name__}: {e}")
        sys.exit(1)
    finally:
        sys.stdout.flush()
