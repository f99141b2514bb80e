"""Load on the real HTTP service: `lbf-rules serve` as a process on loopback, a fixed number of requests.

    python benchmarks/load.py [--antal 20000] [--forbindelser 32] [--spor|--uden-spor]

Starts the server on a free port of 127.0.0.1 (never another address), sends the shipped cases as
JSON to POST /v1/vurdering over keep-alive connections from a small asyncio HTTP/1.1 client (a
heavy client would share the 2 cores with the server and measure itself), and prints JSON with
throughput, p50/p99 latency, errors and the server's memory (RSS) at start and at the end. Bounded
in count and in time (--maks-sekunder); it stops by itself and stops the server.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # loopback only


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def bodies() -> list[bytes]:
    """Every shipped case as a JSON body."""
    sys.path.insert(0, str(ROOT))
    from lbf_rules.cases import expand, read_cases

    out = []
    for path in expand([ROOT / "cases"]):
        for item in read_cases(path):
            if not isinstance(item, Exception):
                out.append(json.dumps(item.data, ensure_ascii=False).encode("utf-8"))
    return out


def start_server(command: list[str], port: int, timeout: float = 60) -> subprocess.Popen:
    """Start a server process and wait until it answers GET /sundhed (or /openapi.json)."""
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise SystemExit(f"serveren stoppede: {proc.stderr.read().decode(errors='replace')[-800:]}")
        try:
            with socket.create_connection((HOST, port), timeout=1) as sock:
                sock.sendall(b"GET /sundhed HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                if sock.recv(64).startswith(b"HTTP/1.1 200"):
                    return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("serveren svarede ikke i tide")


def stop_server(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


async def load(port: int, path: str, payloads: list[bytes], total: int, connections: int, max_seconds: float) -> dict:
    requests = [
        f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\nContent-Length: {len(p)}\r\n\r\n".encode() + p
        for p in payloads
    ] if payloads else [f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode()]
    latencies: list[float] = []
    errors = {"status": 0, "forbindelse": 0}
    state = {"next": 0}
    deadline = time.monotonic() + max_seconds

    async def connection() -> None:
        reader = writer = None
        while state["next"] < total and time.monotonic() < deadline:
            number = state["next"]
            state["next"] += 1
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection(HOST, port)
                started = time.perf_counter()
                writer.write(requests[number % len(requests)])
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:"))
                await reader.readexactly(length)
                latencies.append(time.perf_counter() - started)
                if not head.startswith(b"HTTP/1.1 200"):
                    errors["status"] += 1
            except (OSError, asyncio.IncompleteReadError, StopIteration, ValueError):
                errors["forbindelse"] += 1
                if writer is not None:
                    writer.close()
                reader = writer = None
        if writer is not None:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(connections)))
    seconds = time.perf_counter() - started
    latencies.sort()
    done = len(latencies)

    def pct(p: float) -> float:
        return latencies[min(done - 1, int(p * done))] * 1000 if done else float("nan")

    return {"anmodninger": done, "sekunder": seconds, "pr_sekund": done / seconds, "p50_ms": pct(0.50), "p99_ms": pct(0.99),
            "fejl": errors["status"] + errors["forbindelse"], "ikke_sendt": total - state["next"], "forbindelser": connections}


def measure(command: list[str], port: int, path: str, total: int, connections: int, max_seconds: float) -> dict:
    """POST the shipped cases to `path`, or GET `path` when it does not start with /v1/vurdering."""
    payloads = bodies() if path.startswith("/v1/vurdering") else []
    proc = start_server(command, port)
    try:
        start_mb = rss_mb(proc.pid)
        result = asyncio.run(load(port, path, payloads, total, connections, max_seconds))
        result.update(rss_start_mb=start_mb, rss_slut_mb=rss_mb(proc.pid), sager=len(payloads))
    finally:
        stop_server(proc)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--antal", type=int, default=20_000)
    parser.add_argument("--forbindelser", type=int, default=32)
    parser.add_argument("--uden-spor", action="store_true", help="?spor=false")
    parser.add_argument("--maks-sekunder", type=float, default=300)
    args = parser.parse_args()
    port = free_port()
    script = Path(sys.executable).parent / "lbf-rules"
    command = [str(script), "serve", "--host", HOST, "--port", str(port), "--regler", str(ROOT / "rules")]
    path = "/v1/vurdering" + ("?spor=false" if args.uden_spor else "")
    print(json.dumps(measure(command, port, path, args.antal, args.forbindelser, args.maks_sekunder)))


if __name__ == "__main__":
    main()
