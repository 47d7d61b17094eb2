"""Load check of the platform (issue 5, item 12): the demo's server (waitress, the demo's
threads) over a demo data set, on a free loopback port, under 50 concurrent clients — the
public policy list, the policy calculator (JSON API and page), the library search — with a
static file and the home page as baselines; on SQLite, then on PostgreSQL.

Run: ``.venv/bin/python benchmarks/web.py [--enterprises 20000] [--clients 50]
[--seconds 15] [--databases sqlite,postgresql] [--postgres URL]``.

Each database gets a data set built by ``huiqi demo`` itself in a temporary data directory
(PostgreSQL: a fresh database on the server of ``--postgres``, default the test server of
scripts/services.sh, created and dropped here), then the demo serves it. Every endpoint is
driven in turn for ``--seconds`` by ``--clients`` threads, each with its own keep-alive
connection (http.client); per endpoint: requests, throughput, p50/p95/max latency, errors
(a status other than the expected one, or a failed connection) and p50 relative to the
static file. Client and server share this machine's cores: the figures are for a laptop
or a small server, not a tuned deployment.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

DEFAULT_POSTGRES = os.environ.get(
    "HUIQI_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"
)

CALCULATOR_FACTS = {
    "industry": "3911",
    "district": "220104",
    "employees": 120,
    "revenue": 15000,
    "total_assets": 9000,
    "rd_expense": 600,
    "founded": "2016-05-01",
    "dishonest": False,
}
"""The facts a visitor enters in the calculator: a 长春 manufacturer (revenue, assets in 万元)."""


class Client:
    """One simulated visitor: a keep-alive connection and its cookies."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, bytes]:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            raise
        jar = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar.load(header)
        self.cookies.update({k: m.value for k, m in jar.items()})
        if response.headers.get("Connection", "").lower() == "close":
            self.conn.close()
        return response.status, data


@dataclass
class Endpoint:
    """What a client does once per request; ``prepare`` runs once per client before."""

    name: str
    call: Callable[[Client, dict], tuple[int, bytes]]
    expect: int = 200
    prepare: Callable[[Client], dict] = lambda client: {}
    check: bytes = b""


def _get(path: str) -> Callable[[Client, dict], tuple[int, bytes]]:
    return lambda client, _: client.request("GET", path)


def _calculator_form(client: Client) -> dict:
    """The calculator page's CSRF token (and the cookie that goes with it)."""
    status, page = client.request("GET", "/calculator/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or token is None:
        raise RuntimeError(f"政策计算器页面不可用（{status}）")
    return {"token": token.group(1).decode()}


def _post_calculator_page(client: Client, state: dict) -> tuple[int, bytes]:
    form = {k: str(v).lower() if isinstance(v, bool) else v for k, v in CALCULATOR_FACTS.items()}
    body = urlencode({**form, "csrfmiddlewaretoken": state["token"]}).encode()
    return client.request(
        "POST",
        "/calculator/",
        body,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{client.port}/calculator/",
        },
    )


def _post_calculator_api(client: Client, _: dict) -> tuple[int, bytes]:
    body = json.dumps({"facts": CALCULATOR_FACTS}).encode()
    return client.request(
        "POST", "/api/calculator/match", body, {"Content-Type": "application/json"}
    )


ENDPOINTS = (
    Endpoint("静态文件 /static/portal/huiqi.css（基准）", _get("/static/portal/huiqi.css")),
    Endpoint("首页 /（基准）", _get("/")),
    Endpoint("惠企政策清单 /policies/", _get("/policies/"), check="惠企政策".encode()),
    Endpoint(
        "政策清单筛选 /policies/?size=small",
        _get("/policies/?size=small&q=" + quote("专精特新")),
    ),
    Endpoint("法规检索 /law/search/?q=投诉", _get("/law/search/?q=" + quote("投诉"))),
    Endpoint(
        "政策计算器 API POST /api/calculator/match",
        _post_calculator_api,
        check=b'"eligible": ',
    ),
    Endpoint(
        "政策计算器页面 POST /calculator/",
        _post_calculator_page,
        prepare=_calculator_form,
        check=b'class="badge eligible"',
    ),
)


@dataclass
class Result:
    name: str
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""

    def percentile(self, p: float) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[int(p) - 1]


def drive(port: int, endpoint: Endpoint, clients: int, seconds: float) -> Result:
    """``clients`` threads repeat the endpoint's request for ``seconds``."""
    result = Result(endpoint.name, seconds)
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    deadline = [0.0]

    def visitor() -> None:
        client = Client(port)
        latencies, errors, first = [], 0, ""
        try:
            state = endpoint.prepare(client)
        except Exception as exc:
            state, errors, first = None, 1, f"准备失败：{exc}"
        start.wait()
        while state is not None and time.perf_counter() < deadline[0]:
            began = time.perf_counter()
            try:
                status, data = endpoint.call(client, state)
                ok = status == endpoint.expect and endpoint.check in data
                problem = "" if ok else f"HTTP {status}: {data[:120]!r}"
            except Exception as exc:
                problem = f"{type(exc).__name__}: {exc}"
            if problem:
                errors += 1
                first = first or problem
            else:
                latencies.append(time.perf_counter() - began)
        client.conn.close()
        with lock:
            result.latencies.extend(latencies)
            result.errors += errors
            result.first_error = result.first_error or first

    threads = [threading.Thread(target=visitor, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    deadline[0] = time.perf_counter() + seconds
    start.wait()
    for thread in threads:
        thread.join()
    return result


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(server: subprocess.Popen, port: int, log: Path, timeout: float) -> None:
    """Until the demo answers on ``port`` (it first builds its data set)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"huiqi demo exited with {server.returncode}:\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"huiqi demo did not start within {timeout:.0f} s:\n{log.read_text()}")


def run_database(label: str, database_url: str | None, args: argparse.Namespace) -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="huiqi-bench-web-") as tmp:
        port, log = _free_port(), Path(tmp, "demo.log")
        command = [sys.executable, "-m", "huiqi", "demo", "--data-dir", tmp, "--port", str(port)]
        command += ["--enterprises", str(args.enterprises)]
        if database_url:
            command += ["--database-url", database_url]
        env = {**os.environ, "COLUMNS": "200"}
        with open(log, "w") as out:
            started = time.perf_counter()
            server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
            try:
                _wait_for(server, port, log, timeout=1800)
                print(f"\n== {label}: demo data set ready in {time.perf_counter() - started:.0f} s")
                for line in log.read_text().splitlines():
                    if "完成" in line or "…" in line:
                        print("   ", line.strip())
                _print_header(args.clients)
                results = []
                for endpoint in ENDPOINTS:
                    drive(port, endpoint, min(args.clients, 4), 1.0)  # warm the caches
                    results.append(drive(port, endpoint, args.clients, args.seconds))
                    _print_line(results[-1], results[0])
                return results
            finally:
                server.terminate()
                server.wait(timeout=60)


def _print_header(clients: int) -> None:
    print(f"{clients} concurrent clients; latency in ms")
    print(
        f"{'endpoint':<44} {'requests':>9} {'req/s':>8} {'p50':>8} {'p95':>8} {'max':>8} "
        f"{'errors':>7} {'p50 ×static':>11}"
    )


def _print_line(result: Result, baseline: Result) -> None:
    n = len(result.latencies)
    p50 = result.percentile(50) * 1000
    ratio = p50 / (baseline.percentile(50) * 1000)
    print(
        f"{result.name:<44} {n:>9,} {n / result.seconds:>8.1f} {p50:>8.1f} "
        f"{result.percentile(95) * 1000:>8.1f} {max(result.latencies, default=0) * 1000:>8.1f} "
        f"{result.errors:>7} {ratio:>10.1f}×"
    )
    if result.errors:
        print(f"    first error: {result.first_error}")


def _postgres_database(server_url: str) -> tuple[str, Callable[[], None]]:
    """A fresh database on the server of ``server_url``, and the function that drops it."""
    import psycopg

    name = f"huiqi_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(urlsplit(server_url)._replace(path=f"/{name}")), drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--enterprises", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="a PostgreSQL server URL")
    args = parser.parse_args()
    print(
        f"huiqi web load check: {args.enterprises:,} enterprises, {args.clients} clients, "
        f"{args.seconds:.0f} s per endpoint, {os.cpu_count()} CPU cores shared by clients and server"
    )
    for database in args.databases.split(","):
        if database == "sqlite":
            run_database("SQLite", None, args)
        elif database == "postgresql":
            url, drop = _postgres_database(args.postgres)
            try:
                run_database("PostgreSQL", url, args)
            finally:
                drop()
        else:
            raise SystemExit(f"unknown database {database!r}: sqlite or postgresql")


if __name__ == "__main__":
    main()
