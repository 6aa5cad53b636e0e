"""A TCP proxy on 127.0.0.1 that adds a fixed delay each way (half the round trip), the way a
mail server far away answers: every byte is late, none is slower to stream. It also counts the
client's turns (a burst of client bytes after the server spoke): the round trips a protocol costs.

    with DelayProxy(target_port, rtt=0.080) as proxy:   # connect to proxy.port instead
        ...
    proxy.turns
"""
from __future__ import annotations

import asyncio
import threading
import time


class DelayProxy:
    def __init__(self, target_port: int, rtt: float = 0.080, target_host: str = "127.0.0.1") -> None:
        self.target = (target_host, target_port)
        self.delay = rtt / 2
        self.port = 0
        self.turns = 0            # client bursts that followed server bytes (or opened the connection)
        self.connections = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._server: asyncio.AbstractServer | None = None

    def __enter__(self) -> "DelayProxy":
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("delay proxy did not start")
        return self

    def __exit__(self, *exc) -> None:
        if self._loop is not None:
            try:
                asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
            finally:
                self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)

    async def _shutdown(self) -> None:
        """Every connection's tasks ended before the loop stops: nothing left pending to be destroyed later."""
        if self._server is not None:
            self._server.close()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()

    def reset(self) -> None:
        self.turns = self.connections = 0

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        try:
            self._loop.run_forever()
        finally:
            self._loop.close()

    async def _handle(self, client_reader, client_writer) -> None:
        self.connections += 1
        try:
            server_reader, server_writer = await asyncio.open_connection(*self.target)
        except OSError:
            client_writer.close()
            return
        last = {"from": "server"}

        async def pump(reader, writer, side: str) -> None:
            queue: asyncio.Queue = asyncio.Queue()

            async def deliver() -> None:
                while True:
                    due, chunk = await queue.get()
                    if chunk is None:
                        break
                    wait = due - time.monotonic()
                    if wait > 0:
                        await asyncio.sleep(wait)
                    writer.write(chunk)
                    await writer.drain()
                try:
                    writer.close()
                except Exception:   # noqa: BLE001 - the other side may be gone already
                    pass

            sender = asyncio.ensure_future(deliver())
            try:
                while True:
                    chunk = await reader.read(1 << 16)
                    if not chunk:
                        break
                    if side == "client" and last["from"] != "client":
                        self.turns += 1
                    last["from"] = side
                    queue.put_nowait((time.monotonic() + self.delay, chunk))
            except (ConnectionError, OSError):
                pass
            queue.put_nowait((0, None))
            await sender

        await asyncio.gather(pump(client_reader, server_writer, "client"), pump(server_reader, client_writer, "server"),
                             return_exceptions=True)
