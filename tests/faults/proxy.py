"""A TCP proxy in front of PostgreSQL that a test can take away and bring back.

`down()`: every connection is closed and new ones are closed at once (the server stopped).
`blackhole()`: connections are accepted and held, nothing is forwarded either way (the
network went away, or the server stopped answering); once the client gave up, what it sent
is dropped, never delivered later. `up()`: forward again.
"""

from __future__ import annotations

import select
import socket
import threading
from contextlib import suppress

UP, DOWN, BLACKHOLE = "up", "down", "blackhole"


class Proxy:
    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.mode = UP
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._pairs: list[tuple[socket.socket, socket.socket | None]] = []
        self._lock = threading.Lock()
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, database: str, schema: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}?schema={schema}"

    def up(self) -> None:
        self._drop_all()  # what was held while away is not delivered late
        self.mode = UP

    def down(self) -> None:
        self.mode = DOWN
        self._drop_all()

    def blackhole(self) -> None:
        self.mode = BLACKHOLE

    def close(self) -> None:
        self._closed = True
        self._drop_all()
        self._listener.close()

    def _drop_all(self) -> None:
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for client, server in pairs:
            for end in (client, server):
                if end is not None:
                    with suppress(OSError):
                        end.shutdown(socket.SHUT_RDWR)
                    end.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self.mode == DOWN:
                client.close()
                continue
            server = None
            if self.mode == UP:
                try:
                    server = socket.create_connection(self.upstream, timeout=5)
                except OSError:
                    client.close()
                    continue
            with self._lock:
                self._pairs.append((client, server))
            if server is not None:
                threading.Thread(target=self._pump, args=(client, server), daemon=True).start()

    def _pump(self, client: socket.socket, server: socket.socket) -> None:
        ends = {client: server, server: client}
        try:
            while not self._closed:
                ready, _, _ = select.select(list(ends), [], [], 0.1)
                if self.mode != UP:
                    if self.mode == DOWN:
                        return
                    continue  # held: nothing forwarded
                for end in ready:
                    data = end.recv(65536)
                    if not data:
                        return
                    ends[end].sendall(data)
        except (OSError, ValueError):
            return
        finally:
            for end in ends:
                with suppress(OSError):
                    end.close()
