"""The preview server answers only its own host name, and no client can hold its threads.

A web page the editor visits could make the browser connect to the preview under its own
name (DNS rebinding) and read an unpublished issue: every request whose ``Host`` is not
127.0.0.1, localhost or [::1] on the preview's port is refused (421, or 400 without a Host).
Half-sent and idle connections are closed after ``REQUEST_TIMEOUT`` and at most
``MAX_CONNECTIONS`` are served at once.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing import preview
from briefing.preview import PreviewSession, allowed_host, open_server
from tests.hostile.helpers import ISSUE_ID, workspace

GOOD = "---\ntitle: 未签发的文稿\nsource: 长河街道\n---\n\n今年以来，街道把辖区划分为42个网格。\n"


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[preview._Server]:
    monkeypatch.setattr(preview._Handler, "timeout", 0.5)
    root = workspace(tmp_path / "ws", {f"issues/{ISSUE_ID}/01-a.md": GOOD})
    session = PreviewSession(root)
    session.start()
    served = open_server(session)
    thread = threading.Thread(target=served.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield served
    finally:
        served.shutdown()
        thread.join(10)
        served.server_close()
    assert not thread.is_alive()


def request(server: preview._Server, head: bytes) -> tuple[int, str]:
    """Status and body of a raw request *head* (a Host header, or none)."""
    with socket.create_connection(server.server_address[:2], timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\n" + head + b"Connection: close\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1])
    return status, data.partition(b"\r\n\r\n")[2].decode("utf-8")


def test_the_preview_host_names_get_the_page(server: preview._Server) -> None:
    port = server.server_address[1]
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LocalHost:{port}", f"[::1]:{port}"):
        status, body = request(server, f"Host: {host}\r\n".encode())
        assert status == 200 and "未签发的文稿" in body, host


@pytest.mark.parametrize(
    "host",
    [
        "attacker.example",
        "attacker.example:{port}",
        "127.0.0.1",  # the port is part of the name
        "127.0.0.1:1",
        "127.0.0.1.attacker.example:{port}",
        "localhost:{port}@attacker.example",
        "localhost.:{port}",
        "0.0.0.0:{port}",
        "[::ffff:127.0.0.1]:{port}",
    ],
)
def test_any_other_host_is_refused(server: preview._Server, host: str) -> None:
    status, body = request(
        server, f"Host: {host.format(port=server.server_address[1])}\r\n".encode()
    )
    assert status == 421
    assert body == "只响应本机地址（127.0.0.1、localhost）的请求"
    assert "未签发" not in body


def test_a_request_without_host_is_refused(server: preview._Server) -> None:
    assert request(server, b"") == (400, "请求缺少 Host 头")


def test_the_version_poll_is_refused_to_another_host(server: preview._Server) -> None:
    with socket.create_connection(server.server_address[:2], timeout=5) as sock:
        sock.sendall(b"GET /__version HTTP/1.1\r\nHost: rebind.example\r\n\r\n")
        assert sock.recv(100).startswith(b"HTTP/1.0 421")


def test_port_80_may_be_left_out() -> None:
    assert allowed_host("localhost", 80) and allowed_host("127.0.0.1:80", 80)
    assert not allowed_host("localhost", 8080) and not allowed_host(None, 80)


def _threads() -> int:
    return threading.active_count()


def test_half_sent_requests_neither_pile_up_threads_nor_block_the_preview(
    server: preview._Server,
) -> None:
    before = _threads()
    socks = []
    try:
        for _ in range(300):
            sock = socket.create_connection(server.server_address[:2], timeout=5)
            sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1")  # never finished
            socks.append(sock)
        time.sleep(0.2)
        assert _threads() - before <= preview.MAX_CONNECTIONS
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _threads() > before:
            time.sleep(0.05)  # the read timeout (0.5 s here) closes them
        assert _threads() <= before
        port = server.server_address[1]
        assert request(server, f"Host: 127.0.0.1:{port}\r\n".encode())[0] == 200
    finally:
        for sock in socks:
            sock.close()
