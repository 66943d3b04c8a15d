"""A raw websocket upgrade request, to see what the Socket.IO endpoint answers a handshake."""

from __future__ import annotations

import socket
import uuid
from urllib.parse import urlsplit


def websocket_handshake_status(base_url: str, origin: str, host: str = "") -> int:
    """The HTTP status the Socket.IO endpoint answers a websocket upgrade with."""
    address = urlsplit(base_url)
    assert address.hostname is not None
    assert address.port is not None
    request = (
        f"GET /_event/?EIO=4&transport=websocket&token={uuid.uuid4()} HTTP/1.1\r\n"
        f"Host: {host or address.netloc}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        f"Origin: {origin}\r\n\r\n"
    )
    with socket.create_connection((address.hostname, address.port), timeout=10) as conn:
        conn.sendall(request.encode())
        status_line = conn.recv(4096).split(b"\r\n", 1)[0]
    return int(status_line.split()[1])
