"""`make run` on a port that is taken stops with a Vietnamese line naming the way out."""

from __future__ import annotations

import socket
import subprocess
import sys


def test_taken_port_is_explained_in_vietnamese() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        run = subprocess.run(
            [sys.executable, "-m", "dashboard.serve", "--server.port", str(port)],
            capture_output=True, text=True, timeout=60,
        )
    assert run.returncode == 1
    assert f"cổng {port}" in run.stderr and f"make run PORT={port + 1}" in run.stderr
    assert "not available" not in run.stderr
