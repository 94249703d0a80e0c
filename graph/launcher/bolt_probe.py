#!/usr/bin/env python3
"""Readiness probe for the local Neo4j: a real Bolt round trip using only the standard library.

Connects, negotiates Bolt (5.1/5.2, else 4.4), authenticates with basic auth, runs
``RETURN 1 AS ok`` on the default database and checks the record. Used by graph/neo4j.sh so
that "ready" means "answers a query with the configured password", not just "port open".

Usage: bolt_probe.py [--host H] [--port P] [--user U] [--timeout S]   (password: $NEO4J_PASSWORD)
Exit codes: 0 ready; 1 not reachable / not ready / protocol error; 3 authentication refused.
"""
import argparse
import os
import socket
import struct
import sys

EXIT_OK, EXIT_NOT_READY, EXIT_AUTH = 0, 1, 3

# message signatures
HELLO, LOGON, GOODBYE, RUN, PULL = 0x01, 0x6A, 0x02, 0x10, 0x3F
SUCCESS, RECORD, IGNORED, FAILURE = 0x70, 0x71, 0x7E, 0x7F


class ProbeError(Exception):
    def __init__(self, message, code=EXIT_NOT_READY):
        super().__init__(message)
        self.code = code


# ---------------------------------------------------------------- PackStream (the subset needed)
def pack(value):
    if value is None:
        return b"\xC0"
    if value is True:
        return b"\xC3"
    if value is False:
        return b"\xC2"
    if isinstance(value, int):
        if -16 <= value < 128:
            return struct.pack(">b", value)
        if -128 <= value < 128:
            return b"\xC8" + struct.pack(">b", value)
        if -32768 <= value < 32768:
            return b"\xC9" + struct.pack(">h", value)
        if -(2**31) <= value < 2**31:
            return b"\xCA" + struct.pack(">i", value)
        return b"\xCB" + struct.pack(">q", value)
    if isinstance(value, str):
        data = value.encode("utf-8")
        return _size_header(len(data), 0x80, 0xD0) + data
    if isinstance(value, (list, tuple)):
        return _size_header(len(value), 0x90, 0xD4) + b"".join(pack(v) for v in value)
    if isinstance(value, dict):
        out = _size_header(len(value), 0xA0, 0xD8)
        for k, v in value.items():
            out += pack(str(k)) + pack(v)
        return out
    raise TypeError("cannot pack %r" % (value,))


def _size_header(n, tiny, marker8):
    if n < 16:
        return bytes([tiny + n])
    if n < 256:
        return bytes([marker8, n])
    if n < 65536:
        return bytes([marker8 + 1]) + struct.pack(">H", n)
    return bytes([marker8 + 2]) + struct.pack(">I", n)


class Unpacker:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, n):
        if self.pos + n > len(self.data):
            raise ProbeError("truncated Bolt message")
        chunk = self.data[self.pos:self.pos + n]
        self.pos += n
        return chunk

    def u(self, fmt):
        return struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0]

    def value(self):
        m = self.take(1)[0]
        if m < 0x80:
            return m
        if m >= 0xF0:
            return m - 0x100
        hi, lo = m & 0xF0, m & 0x0F
        if hi == 0x80:
            return self.take(lo).decode("utf-8", "replace")
        if hi == 0x90:
            return [self.value() for _ in range(lo)]
        if hi == 0xA0:
            return self.map(lo)
        if hi == 0xB0:
            return self.struct(lo)
        if m == 0xC0:
            return None
        if m in (0xC2, 0xC3):
            return m == 0xC3
        if m == 0xC1:
            return self.u(">d")
        ints = {0xC8: ">b", 0xC9: ">h", 0xCA: ">i", 0xCB: ">q"}
        if m in ints:
            return self.u(ints[m])
        sizes = {0: ">B", 1: ">H", 2: ">I"}
        if 0xD0 <= m <= 0xD2:
            return self.take(self.u(sizes[m - 0xD0])).decode("utf-8", "replace")
        if 0xD4 <= m <= 0xD6:
            return [self.value() for _ in range(self.u(sizes[m - 0xD4]))]
        if 0xD8 <= m <= 0xDA:
            return self.map(self.u(sizes[m - 0xD8]))
        if 0xCC <= m <= 0xCE:
            return self.take(self.u(sizes[m - 0xCC]))
        raise ProbeError("unsupported PackStream marker 0x%02X" % m)

    def map(self, n):
        return {self.value(): self.value() for _ in range(n)}

    def struct(self, n):
        tag = self.take(1)[0]
        return ("struct", tag, [self.value() for _ in range(n)])


# ---------------------------------------------------------------- Bolt transport
class Bolt:
    def __init__(self, host, port, timeout):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.settimeout(timeout)

    def recv_exact(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise ProbeError("connection closed by server")
            buf += chunk
        return buf

    def handshake(self):
        # preamble + 4 proposals: 5.2 (range 1 -> also 5.1), 4.4, none, none
        self.sock.sendall(b"\x60\x60\xB0\x17" + bytes([0, 1, 2, 5, 0, 0, 4, 4]) + bytes(8))
        reply = self.recv_exact(4)
        major, minor = reply[3], reply[2]
        if major == 0:
            raise ProbeError("server accepted none of the proposed Bolt versions (5.1, 5.2, 4.4)")
        return major, minor

    def send(self, signature, *fields):
        body = bytes([0xB0 + len(fields), signature]) + b"".join(pack(f) for f in fields)
        out = b""
        for i in range(0, len(body), 65535):
            part = body[i:i + 65535]
            out += struct.pack(">H", len(part)) + part
        self.sock.sendall(out + b"\x00\x00")

    def receive(self):
        data = b""
        while True:
            size = struct.unpack(">H", self.recv_exact(2))[0]
            if size == 0:
                if data:
                    break
                continue  # NOOP chunk (keep-alive)
            data += self.recv_exact(size)
        value = Unpacker(data).value()
        if not (isinstance(value, tuple) and value[0] == "struct"):
            raise ProbeError("unexpected Bolt message")
        return value[1], value[2]

    def expect_success(self, what):
        tag, fields = self.receive()
        if tag == SUCCESS:
            return fields[0] if fields else {}
        if tag == FAILURE:
            meta = fields[0] if fields else {}
            code = meta.get("code", meta.get("neo4j_code", "?"))
            msg = "%s failed: %s %s" % (what, code, meta.get("message", ""))
            raise ProbeError(msg, EXIT_AUTH if ".Security." in str(code) else EXIT_NOT_READY)
        raise ProbeError("%s: unexpected reply 0x%02X" % (what, tag))

    def close(self):
        try:
            self.send(GOODBYE)
        except OSError:
            pass
        self.sock.close()


def probe(host, port, user, password, timeout):
    bolt = Bolt(host, port, timeout)
    try:
        major, minor = bolt.handshake()
        auth = {"scheme": "basic", "principal": user, "credentials": password}
        hello = {"user_agent": "timeline-neo4j-probe/1.0"}
        if major >= 5:
            bolt.send(HELLO, hello)
            server = bolt.expect_success("HELLO").get("server", "?")
            bolt.send(LOGON, auth)
            bolt.expect_success("LOGON")
        else:
            hello.update(auth)
            bolt.send(HELLO, hello)
            server = bolt.expect_success("HELLO").get("server", "?")
        bolt.send(RUN, "RETURN 1 AS ok", {}, {})
        bolt.expect_success("RUN")
        bolt.send(PULL, {"n": -1})
        records = []
        while True:
            tag, fields = bolt.receive()
            if tag == RECORD:
                records.append(fields[0])
                continue
            if tag == SUCCESS:
                break
            if tag == FAILURE:
                meta = fields[0] if fields else {}
                raise ProbeError("PULL failed: %s %s" % (meta.get("code"), meta.get("message")))
            raise ProbeError("PULL: unexpected reply 0x%02X" % tag)
        if records != [[1]]:
            raise ProbeError("unexpected result %r" % (records,))
        return "%s, Bolt %d.%d" % (server, major, minor)
    finally:
        bolt.close()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default=os.environ.get("NEO4J_BOLT_HOST", "127.0.0.1"))
    ap.add_argument("--port", type=int, default=int(os.environ.get("NEO4J_BOLT_PORT", "7687")))
    ap.add_argument("--user", default="neo4j")
    ap.add_argument("--timeout", type=float, default=5.0)
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    host = args.host
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    password = os.environ.get("NEO4J_PASSWORD", "timeline-dev")
    try:
        info = probe(host, args.port, args.user, password, args.timeout)
    except ProbeError as e:
        if not args.quiet:
            print("bolt probe: %s" % e, file=sys.stderr)
        return e.code
    except (OSError, ValueError) as e:
        if not args.quiet:
            print("bolt probe: %s:%d: %s" % (host, args.port, e), file=sys.stderr)
        return EXIT_NOT_READY
    if not args.quiet:
        print("bolt probe: OK (%s)" % info)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
