"""A TCP proxy that can cut a database away from the app under test, and give it back.

    with FaultProxy(("127.0.0.1", 5432)) as proxy:   # the app connects to proxy.port
        proxy.cut()        # open connections die (reset), new ones hang unanswered
        proxy.restore()    # new connections reach the database again

A cut drops every forwarded connection at once, the way a database restart or a broken
network does, and then swallows new connections without a word (a host that has gone
silent), so the app's connect timeout is what ends the wait. ``cut(mode="refuse")``
instead resets new connections at once, like a port with nothing behind it.
Threads, no asyncio: one accept loop, two pumps per connection.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading


def _reset(sock: socket.socket) -> None:
    """Close with RST instead of FIN: the peer sees the connection broken, not ended."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


class FaultProxy:
    """Forwards 127.0.0.1:<port> to ``target`` until told to cut."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port: int = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._held: list[socket.socket] = []
        self._mode = ""  # "" forwards; "silent" or "refuse" while cut
        self._running = True
        self.accepted = 0
        self.turned_away = 0
        self._thread = threading.Thread(target=self._accept_loop, daemon=True, name="faultproxy")
        self._thread.start()

    # -- control ---------------------------------------------------------------------
    def cut(self, mode: str = "silent") -> None:
        """Break every open connection; new ones are swallowed (silent) or reset (refuse)."""
        if mode not in ("silent", "refuse"):
            raise ValueError(mode)
        with self._lock:
            self._mode = mode
            doomed, self._open = self._open, set()
        for sock in doomed:
            _reset(sock)

    def restore(self) -> None:
        """Forward new connections again (the swallowed ones are reset: they timed out)."""
        with self._lock:
            self._mode = ""
            held, self._held = self._held, []
        for sock in held:
            _reset(sock)

    def close(self) -> None:
        self._running = False
        self._thread.join(2)
        self._listener.close()
        self.cut("refuse")
        self.restore()

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    # -- forwarding ------------------------------------------------------------------
    def _accept_loop(self) -> None:
        while self._running:
            try:
                client, _address = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                mode = self._mode
                if mode == "silent":
                    self._held.append(client)
            if mode:
                self.turned_away += 1
                if mode == "refuse":
                    _reset(client)
                continue
            self.accepted += 1
            threading.Thread(target=self._connect, args=(client,), daemon=True).start()

    def _connect(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(self.target, timeout=5)
        except OSError:
            _reset(client)
            return
        upstream.settimeout(None)
        with self._lock:
            if self._mode:  # cut while connecting
                _reset(client)
                _reset(upstream)
                return
            self._open.update((client, upstream))
        for source, sink in ((client, upstream), (upstream, client)):
            threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            with self._lock:
                gone = source in self._open or sink in self._open
                self._open.discard(source)
                self._open.discard(sink)
            if gone:  # the other side ended the conversation: end it here too
                for sock in (source, sink):
                    with contextlib.suppress(OSError):
                        sock.shutdown(socket.SHUT_RDWR)
                    sock.close()
