"""``huiqi demo``: the platform with demo data on http://127.0.0.1:8000 — the README's first
command.

huiqi demo [--port 8000] [--host 127.0.0.1] [--enterprises 20000] [--data-dir DIR] [--reset]
    [--no-serve] [--database-url URL]

The first run builds a demo data set in its own data directory (default
``~/.local/share/huiqi-demo``, apart from the platform's ``~/.local/share/huiqi`` so that
``--reset`` never touches real data): the SQLite database and its migrations, the regulation
library, the example policies (published), a synthetic registry of 长春 enterprises imported
through the registry import, two departments (长春 and 深圳), the demo accounts with generated
passwords, and a screening of every published policy (长春 条例 第三十五条: 免申即享 grants and
notices). Later runs reuse it (``--reset`` rebuilds it). Then the platform is served with
waitress and the screening worker until Ctrl-C.

The set-up steps are functions (:func:`prepare` and the stages it calls) that need a
configured Django and a migrated database; the browser tests build their data set with them.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from . import UsageError
from .rules_input import parse_int

DEFAULT_DATA_DIR = (
    Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "huiqi-demo"
)
"""The demo's own data directory (``--data-dir`` chooses another)."""
STATE_FILE = "demo.json"
"""In the data directory: the demo's accounts with their passwords and what was built (owner-only)."""
CITY = "220100"
YEAR = 2025
SEED = 2025
ENTERPRISES = 20_000
THREADS = 8
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})

DEPARTMENTS = (("长春市工业和信息化局", "220100"), ("深圳市中小企业服务局", "440300"))


@dataclass(frozen=True)
class Account:
    """A demo account and what it is for."""

    username: str
    password: str
    role: str
    description: str
    enterprise_uscc: str = ""


@dataclass
class Demo:
    """What :func:`prepare` built."""

    accounts: list[Account]
    enterprises: int
    policies: int
    documents: int
    run_id: int
    run_totals: dict[str, int]
    timings: dict[str, float] = field(default_factory=dict)

    def account(self, username: str) -> Account:
        return next(a for a in self.accounts if a.username == username)


# the set-up stages (Django configured, database migrated) -----------------------------------


def load_library() -> int:
    """The bundled regulation library into the platform's database; returns its documents."""
    from huiqi.library import services
    from huiqi.library.models import LawDocument

    services.load_bundled()
    return LawDocument.objects.count()


def load_policies() -> int:
    """The example policy pack, published; returns the published policies."""
    from huiqi.policies import services
    from huiqi.policies.models import PolicyVersion

    services.load_bundled(publish=True)
    return PolicyVersion.objects.published().count()


def import_enterprises(count: int, seed: int = SEED) -> int:
    """A synthetic registry of ``count`` 长春 enterprises, imported by the registry import
    (every row validated, upserted by 统一社会信用代码); returns the enterprises stored."""
    from huiqi.enterprises.models import Enterprise
    from huiqi.enterprises.services import import_registry
    from huiqi.population import generate, write

    frame = generate(count, seed=seed, city=CITY, year=YEAR)
    with tempfile.TemporaryDirectory(prefix="huiqi-demo-") as scratch:
        report = import_registry(write(frame, Path(scratch, "registry.csv")), actor=None)
    if not report.applied:
        first = report.rejections[0]
        raise UsageError(f"演示企业名录导入失败：第 {first.row} 行 {first.column}：{first.reason}")
    return Enterprise.objects.count()


def screen_all() -> Any:
    """A screening of every published policy over the whole registry (免申即享 grants and
    notices, 长春 条例 第三十五条); returns the run."""
    from huiqi.screening.services import screen_now

    run = screen_now(None)
    if run.error:
        raise UsageError(f"演示筛查失败：{run.error}")
    return run


def create_accounts() -> list[Account]:
    """The departments and the demo accounts, after a screening: the enterprise user is bound
    to the enterprise granted the most 免申即享 benefits, the second to one with notices of
    possible eligibility only; every password generated."""
    from huiqi.accounts.models import Role
    from huiqi.accounts.services import create_department, create_user

    granted, possible = _demo_enterprises()
    departments = {
        code: create_department(actor=None, name=name, jurisdiction=code)
        for name, code in DEPARTMENTS
    }
    wanted = [
        ("admin", Role.ADMINISTRATOR, "管理员：全部企业、导入名录、审计日志", "", None),
        (
            "changchun",
            Role.OFFICIAL,
            "长春市工业和信息化局：长春（2201）企业、政策、筛查",
            "",
            "220100",
        ),
        ("shenzhen", Role.OFFICIAL, "深圳市中小企业服务局：看不到长春企业（对照）", "", "440300"),
        (
            "enterprise",
            Role.ENTERPRISE,
            f"企业用户：{granted.name}（已免申即享）",
            granted.uscc,
            None,
        ),
        (
            "enterprise2",
            Role.ENTERPRISE,
            f"企业用户：{possible.name}（可能符合）",
            possible.uscc,
            None,
        ),
    ]
    accounts = []
    for username, role, description, uscc, department in wanted:
        password = _password()
        create_user(
            actor=None,
            username=username,
            password=password,
            role=role,
            enterprise_uscc=uscc,
            department=departments[department] if department else None,
        )
        accounts.append(Account(username, password, role.label, description, uscc))
    return accounts


def _demo_enterprises() -> tuple[Any, Any]:
    """The enterprise with the most 免申即享 grants, and one with notices but no grant."""
    from django.db.models import Count

    from huiqi.enterprises.models import Enterprise

    granted = (
        Enterprise.objects.annotate(n=Count("entitlements"))
        .filter(n__gt=0)
        .order_by("-n", "uscc")
        .first()
    )
    if granted is None:
        raise UsageError("演示企业中没有符合免申即享政策的企业，请增加 --enterprises")
    possible = (
        Enterprise.objects.filter(entitlements__isnull=True)
        .annotate(n=Count("notices", distinct=True))
        .filter(n__gt=0)
        .order_by("-n", "uscc")
        .first()
    ) or Enterprise.objects.exclude(pk=granted.pk).order_by("uscc").first()
    return granted, possible


_PASSWORD_SYMBOLS = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""Letters and digits that cannot be mistaken for one another (no 0/O, 1/l/I)."""


def _password() -> str:
    """A strong password: 16 symbols (about 92 bits), easy to copy from the table."""
    return "".join(secrets.choice(_PASSWORD_SYMBOLS) for _ in range(16))


class Stages:
    """Runs stages, printing each with its timing."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console
        self.timings: dict[str, float] = {}

    @contextmanager
    def __call__(self, label: str) -> Iterator[None]:
        if self.console is not None:
            self.console.print(f"[bold]{label}[/]…")
        started = time.perf_counter()
        yield
        self.timings[label] = seconds = time.perf_counter() - started
        if self.console is not None:
            self.console.print(f"  [green]完成[/]（{seconds:.1f} 秒）")


def prepare(
    enterprises: int = ENTERPRISES,
    *,
    seed: int = SEED,
    console: Console | None = None,
) -> Demo:
    """Build the demo data set in the configured, migrated database."""
    stage = Stages(console)
    with stage("载入法规库"):
        documents = load_library()
    with stage("载入并发布示例政策"):
        policies = load_policies()
    with stage(f"生成并导入 {enterprises:,} 家长春合成企业"):
        stored = import_enterprises(enterprises, seed)
    with stage("筛查全部已发布政策（免申即享、精准推送）"):
        run = screen_all()
    with stage("创建部门和演示账号"):
        accounts = create_accounts()
    return Demo(
        accounts=accounts,
        enterprises=stored,
        policies=policies,
        documents=documents,
        run_id=run.pk,
        run_totals=run.totals(),
        timings=stage.timings,
    )


# the command ---------------------------------------------------------------------------------


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo",
        help="演示：建好演示数据并启动平台（http://127.0.0.1:8000）",
        description="建立演示数据（法规库、示例政策、合成的长春企业名录、演示账号、免申即享筛查）"
        "并启动平台；再次运行时沿用已有数据，--reset 重建。按 Ctrl-C 停止。",
    )
    p.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    p.add_argument("--port", default="8000", help="端口（默认 8000）")
    p.add_argument(
        "--enterprises", default=str(ENTERPRISES), help=f"合成企业数（默认 {ENTERPRISES}）"
    )
    p.add_argument("--data-dir", help=f"演示数据目录（默认 {DEFAULT_DATA_DIR}）")
    p.add_argument("--reset", action="store_true", help="删除已有演示数据并重建")
    p.add_argument("--no-serve", action="store_true", help="只建立演示数据，不启动平台")
    p.add_argument(
        "--database-url",
        help="改用其他数据库（如 postgresql://user@127.0.0.1:5432/huiqi_demo，须为空库）；"
        "默认使用演示数据目录中的 SQLite，环境变量 DATABASE_URL 不起作用",
    )
    p.set_defaults(func=cmd_demo)


def cmd_demo(args: argparse.Namespace) -> int:
    enterprises = parse_int(args.enterprises, "--enterprises")
    port = parse_int(args.port, "--port")
    if enterprises < 1:
        raise UsageError("--enterprises 应为正整数")
    if not 0 < port < 65536:
        raise UsageError(f"--port 应在 1 到 65535 之间，而不是 {port}")
    data_dir = Path(args.data_dir or DEFAULT_DATA_DIR).expanduser().resolve()
    if args.reset and args.database_url:
        raise UsageError("--reset 只重建演示数据目录中的 SQLite 数据库；其他数据库请换一个空库")
    console = Console()
    if args.reset:
        _reset(data_dir)
    _configure(data_dir, args.host, args.database_url)
    state = _state(data_dir, args.database_url)
    started = time.perf_counter()
    sqlite_gone = not args.database_url and not (data_dir / "huiqi.sqlite3").exists()
    if sqlite_gone:  # deleted by hand: build again
        state = {}
    if state.get("complete"):
        console.print(f"沿用已有演示数据（{data_dir}；--reset 可重建）")
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)  # a newer checkout's schema
        if state["enterprises"] != enterprises and args.enterprises != str(ENTERPRISES):
            console.print(
                f"[yellow]已有数据含 {state['enterprises']:,} 家企业；要改变企业数请加 --reset[/]"
            )
    else:
        state = _build(data_dir, args.database_url, enterprises, console)
        console.print(f"演示数据已建立，共用 {time.perf_counter() - started:.1f} 秒")
    url = f"http://{'[' + args.host + ']' if ':' in args.host else args.host}:{port}/"
    _show(console, state, url, data_dir)
    if args.no_serve:
        return 0
    serve(args.host, port, console)
    return 0


def _configure(data_dir: Path, host: str, database_url: str | None) -> None:
    """Django's settings for the demo: its data directory, its database, and — on a loopback
    address only — session and CSRF cookies without the Secure flag so they work over plain
    http://127.0.0.1 (HUIQI_INSECURE_COOKIES, see the platform's settings)."""
    os.environ["HUIQI_DATA_DIR"] = str(data_dir)
    # STATIC_ROOT: empty, as the demo serves the apps' static files, but WhiteNoise warns
    # when it is missing
    (data_dir / "static").mkdir(parents=True, exist_ok=True)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    if host in LOOPBACK:
        os.environ["HUIQI_INSECURE_COOKIES"] = "1"
    else:
        os.environ.pop("HUIQI_INSECURE_COOKIES", None)
    from huiqi.web import SETTINGS_MODULE

    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    import django

    django.setup()


def _database_name(database_url: str | None) -> str:
    """The database as recorded in the state file (without a password)."""
    if not database_url:
        return "sqlite"
    from urllib.parse import urlsplit

    parts = urlsplit(database_url)
    return f"{parts.scheme}://{parts.hostname}:{parts.port or ''}{parts.path}"


def _state(data_dir: Path, database_url: str | None) -> dict[str, Any]:
    """The recorded state of a data directory's demo for this database, or {}."""
    path = data_dir / STATE_FILE
    if not path.exists():
        if not database_url and (data_dir / "huiqi.sqlite3").exists():
            raise UsageError(
                f"目录 {data_dir} 中已有不是演示建立的数据库；请另选 --data-dir，或加 --reset 删除重建"
            )
        return {}
    state = json.loads(path.read_text(encoding="utf-8"))
    if state.get("database") != _database_name(database_url):
        raise UsageError(
            f"目录 {data_dir} 的演示数据建在另一个数据库（{state.get('database')}）中；请另选 --data-dir"
        )
    return state


def _reset(data_dir: Path) -> None:
    """Delete the demo's SQLite database and state (the secret key stays)."""
    for name in (STATE_FILE, "huiqi.sqlite3", "huiqi.sqlite3-wal", "huiqi.sqlite3-shm"):
        (data_dir / name).unlink(missing_ok=True)


def _build(
    data_dir: Path, database_url: str | None, enterprises: int, console: Console
) -> dict[str, Any]:
    from django.core.management import call_command

    from huiqi.accounts.models import User

    data_dir.mkdir(parents=True, exist_ok=True)
    state: dict[str, Any] = {"database": _database_name(database_url), "complete": False}
    path = data_dir / STATE_FILE
    if path.exists() and not database_url:  # an interrupted build: start again
        _reset(data_dir)
    _write_state(path, state)
    stage = Stages(console)
    with stage("建立数据库（迁移）"):
        call_command("migrate", verbosity=0, interactive=False)
    if User.objects.exists():
        raise UsageError("该数据库中已有数据；演示只建在空库中，请换一个空库")
    demo = prepare(enterprises, console=console)
    state.update(
        complete=True,
        enterprises=demo.enterprises,
        policies=demo.policies,
        documents=demo.documents,
        run_id=demo.run_id,
        run_totals=demo.run_totals,
        timings={**stage.timings, **demo.timings},
        accounts=[asdict(a) for a in demo.accounts],
    )
    _write_state(path, state)
    return state


def _write_state(path: Path, state: dict[str, Any]) -> None:
    """The state file, readable by its owner only (it holds the demo passwords)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(state, out, ensure_ascii=False, indent=2)


def _show(console: Console, state: dict[str, Any], url: str, data_dir: Path) -> None:
    totals = state["run_totals"]
    console.print(
        f"法规 {state['documents']} 部 · 已发布政策 {state['policies']} 项 · "
        f"企业 {state['enterprises']:,} 家 · 筛查 #{state['run_id']}：符合 {totals['eligible']:,}、"
        f"可能符合 {totals['possibly']:,}、免申即享发放 {totals['granted_new']:,}、"
        f"推送消息 {totals['notices_new']:,}"
    )
    table = Table(title=f"演示账号（登录：{url}accounts/login/）")
    table.add_column("用户名", style="bold", no_wrap=True)
    table.add_column("密码", no_wrap=True)
    table.add_column("角色", no_wrap=True)
    table.add_column("说明", overflow="fold")
    for account in state["accounts"]:
        table.add_row(
            account["username"], account["password"], account["role"], account["description"]
        )
    console.print(table)
    console.print(f"数据目录：{data_dir}（账号和密码也记在 {STATE_FILE} 中，仅本人可读）")


def serve(host: str, port: int, console: Console, threads: int = THREADS) -> None:
    """Serve the platform with waitress and run the screening worker and the cases' deadline
    clock beside it, until Ctrl-C (or SIGTERM)."""
    import logging

    from waitress import create_server

    from huiqi.cases import worker as clock
    from huiqi.screening.worker import start_in_background
    from huiqi.web.wsgi import application

    try:
        server = create_server(application, host=host, port=port, threads=threads)
    except OSError as exc:
        raise UsageError(
            f"无法在 {host}:{port} 上监听：{exc.strerror}；请用 --port 换一个端口"
        ) from exc
    # server errors on the console (Django logs them there only with DEBUG)
    errors = logging.StreamHandler()
    errors.setLevel(logging.ERROR)
    logging.getLogger("django.request").addHandler(errors)
    worker, stop = start_in_background()
    ticking, stop_clock = clock.start_in_background()
    # Ctrl-C and SIGTERM stop the server (also when started with SIGINT ignored, as a
    # background job of a script is)
    previous = {s: signal.signal(s, _interrupt) for s in (signal.SIGINT, signal.SIGTERM)}
    console.print(
        f"[bold green]平台已启动：http://{host}:{port}/[/]（{threads} 个线程，筛查任务和办理期限"
        "检查后台执行；Ctrl-C 停止）"
    )
    if host not in LOOPBACK:
        console.print(
            "[yellow]非本机地址：登录 Cookie 只经 HTTPS 发送，请在前面加 HTTPS 反向代理，"
            "并设置 HUIQI_ALLOWED_HOSTS[/]"
        )
    try:
        server.run()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        stop.set()
        stop_clock.set()
        worker.join(timeout=10)
        ticking.join(timeout=10)
        console.print("平台已停止")


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt
