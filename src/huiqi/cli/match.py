"""``huiqi match``: one enterprise against the policy list — eligible, possibly eligible (with
the facts still needed), not eligible (with the conditions that fail), each with its benefit
and legal basis (长春 条例 第三十五条).

huiqi match --enterprise FILE.json [--jurisdiction CODE] [--on DATE] [--json] [--policies PATH]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from huiqi.rules.criteria import Eligibility, Status
from huiqi.rules.policies import (
    Match,
    Policy,
    bundled_policies,
    checked_facts,
    jurisdictions_for,
    load_policies,
    match,
)
from huiqi.rules.policies.present import DRAFT_NOTE, needed_facts, shown_checks

from . import UsageError
from .rules_input import parse_date, print_json

_MARKS = {Status.PASSED: "[green]✓[/green]", Status.FAILED: "[red]✗[/red]"}
_MARKS[Status.UNKNOWN] = "[yellow]?[/yellow]"
_HEADINGS = {
    Eligibility.ELIGIBLE: "[bold green]符合[/bold green]",
    Eligibility.POSSIBLY: "[bold yellow]可能符合[/bold yellow]",
    Eligibility.NOT_ELIGIBLE: "[bold red]不符合[/bold red]",
}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "match",
        help="政策匹配：一家企业符合、可能符合、不符合哪些惠企政策，还需补充哪些信息",
        description="按企业信息（JSON 文件，键为事实目录中的名称）逐项判断惠企政策的条件，"
        "说明理由、还需补充的事实和政策依据。示例：examples/enterprise-missing-revenue.json",
    )
    p.add_argument("--enterprise", required=True, help="企业信息 JSON 文件")
    p.add_argument(
        "--jurisdiction",
        help="适用地区的行政区划代码（默认按企业的 district 确定）：220100 长春、"
        "440300 深圳、430000 湖南、cn 全国",
    )
    p.add_argument("--on", help="评估日期（默认今天），如 2026-06-01")
    p.add_argument("--policies", help="政策文件或目录（默认：内置的示例政策）")
    p.add_argument("--json", action="store_true", help="输出 JSON 列表")
    p.set_defaults(func=cmd_match)


def cmd_match(args: argparse.Namespace) -> int:
    source = f"企业文件 {args.enterprise}"
    facts = checked_facts(_read(Path(args.enterprise)), source)
    on = parse_date(args.on, "--on") or date.today()
    policies = load_policies(args.policies) if args.policies else bundled_policies()
    results = match(facts, policies, on, args.jurisdiction)
    if args.json:
        print_json([m.to_dict() for m in results])
        return 0
    _show(facts, policies, results, on, args.jurisdiction)
    return 0


def _read(path: Path) -> Any:
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise UsageError(f"找不到企业文件：{path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"无法读取企业文件 {path}：{exc}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"企业文件 {path} 不是有效的 JSON：第{exc.lineno}行第{exc.colno}列，{exc.msg}"
        ) from None


def _show(
    facts: Any,
    policies: tuple[Policy, ...],
    results: list[Match],
    on: date,
    jurisdiction: str | None,
) -> None:
    console = Console(soft_wrap=True, highlight=False)
    chain = jurisdictions_for(facts.get("district"), jurisdiction)
    name = facts.get("name", "企业")
    uscc = f"（{facts['uscc']}）" if "uscc" in facts else ""
    console.print(f"[bold]{escape(name)}[/bold]{uscc}")
    console.print(f"适用地区：{' → '.join(j.name for j in chain)}　评估日期：{on.isoformat()}")
    counts = Counter(m.status for m in results)
    console.print(
        f"当日开放且适用的政策 {len(results)} 项（政策库共 {len(policies)} 项）："
        + "，".join(f"{s.label} {counts[s]} 项" for s in Eligibility)
    )
    _show_missing(console, results)
    for status in Eligibility:
        group = [m for m in results if m.status is status]
        if group:
            console.print(f"\n{_HEADINGS[status]}（{len(group)} 项）")
            for m in group:
                _show_match(console, m)


def _show_missing(console: Console, results: list[Match]) -> None:
    """The facts that would decide the possibly eligible policies, with how many need each."""
    needed = needed_facts(results)
    if not needed:
        return
    console.print("\n[bold]待补充的事实[/bold]（补充后可以判断“可能符合”的政策）：")
    for item in needed:
        console.print(f"  · {item.label}　{item.provider}；涉及 {item.policies} 项政策")


def _show_match(console: Console, m: Match) -> None:
    policy = m.policy
    console.print(
        f"\n{_MARKS[Status.of(m.outcome.value)]} [bold]{escape(policy.title)}[/bold]"
        f"　{escape('[' + policy.mode.label + ']')}　[dim]{policy.id}[/dim]"
    )
    console.print(f"   待遇：{escape(policy.benefit.text)}")
    failed = m.status is Eligibility.NOT_ELIGIBLE
    console.print("   原因：" if failed else "   条件：")
    for check in shown_checks(m):
        console.print(f"     {_MARKS[check.status]} {escape(check.reason)}")
    if m.status is Eligibility.POSSIBLY:
        console.print(f"   需补充：{escape(m.next_step)}")
    elif m.status is Eligibility.ELIGIBLE:
        console.print(f"   下一步：{escape(m.next_step)}")
    console.print(f"   依据：{escape('；'.join(c.text for c in policy.basis))}")
    if policy.draft_basis:
        console.print(f"   [dim]注：{DRAFT_NOTE}[/dim]")
    console.print(f"   [dim]部门：{escape(policy.department)}　申报期：{policy.window.text}[/dim]")
