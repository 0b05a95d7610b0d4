"""A stand-in for ClamAV's daemon speaking INSTREAM, served from a thread of the test.

It finds "Eicar-Test-Signature" in any stream containing the EICAR test string and
answers OK otherwise; `streams` keeps what it was sent. `silent=True` makes it accept
connections and never answer (a hung scanner).
"""

import socketserver
import struct
import threading

# The EICAR anti-virus test string, in two pieces so this file is not itself flagged.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class _Handler(socketserver.BaseRequestHandler):
    def handle(self):
        server = self.server
        command = self._read_until(b"\0")
        if command != b"zINSTREAM\0":
            self.request.sendall(b"UNKNOWN COMMAND\0")
            return
        data = b""
        while True:
            length = struct.unpack(">I", self._read_exactly(4))[0]
            if length == 0:
                break
            data += self._read_exactly(length)
        server.streams.append(data)
        if server.silent:
            server.release.wait(5)
            return
        if EICAR in data:
            self.request.sendall(b"stream: Eicar-Test-Signature FOUND\0")
        else:
            self.request.sendall(b"stream: OK\0")

    def _read_exactly(self, size: int) -> bytes:
        data = b""
        while len(data) < size:
            piece = self.request.recv(size - len(data))
            if not piece:
                raise ConnectionError("client went away")
            data += piece
        return data

    def _read_until(self, end: bytes) -> bytes:
        data = b""
        while not data.endswith(end) and len(data) < 64:
            piece = self.request.recv(1)
            if not piece:
                break
            data += piece
        return data


class _Tcp(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class _Unix(socketserver.ThreadingUnixStreamServer):
    daemon_threads = True


class FakeClamd:
    def __init__(self, *, unix_path=None, silent=False):
        if unix_path:
            self.server = _Unix(str(unix_path), _Handler)
            self.address = f"unix://{unix_path}"
        else:
            self.server = _Tcp(("127.0.0.1", 0), _Handler)
            self.address = f"tcp://127.0.0.1:{self.server.server_address[1]}"
        self.server.streams = []
        self.server.silent = silent
        self.server.release = threading.Event()
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def streams(self) -> list[bytes]:
        return self.server.streams

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def closed_port_address() -> str:
    """A tcp:// address where nothing listens (connection refused): a scanner that is down."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"tcp://127.0.0.1:{port}"
