"""gunicorn, run for real on the loopback, does not announce itself (issue 10, defect 6)."""

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

APP = """
def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]
"""
CONFIG = "from portal.gunicorn_server_header import drop_server_header\n\ndrop_server_header()\n"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize(("config", "server"), [("", "gunicorn"), (CONFIG, None)])
def test_gunicorn_sends_no_server_header_with_our_hook(tmp_path, config, server):
    (tmp_path / "app.py").write_text(APP)
    (tmp_path / "gunicorn.conf.py").write_text(config)
    port = free_port()
    root = Path(__file__).resolve().parents[2]
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", "app:application"],
        cwd=tmp_path,
        env={"PYTHONPATH": f"{tmp_path}:{root}", "PATH": "/usr/bin:/bin"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    assert response.headers.get("Server") == server
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
    finally:
        process.terminate()
        process.wait(timeout=10)
