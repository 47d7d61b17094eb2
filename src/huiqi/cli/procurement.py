"""``huiqi procurement …``: government procurement support for SMEs.

ranges · reserve · evaluate
"""

from __future__ import annotations

import argparse
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from huiqi.rules.declaration import ProcurementKind
from huiqi.rules.packs import RuleSet, Shares, available_packs, percent, rules
from huiqi.rules.procurement import (
    Bid,
    DeductionRanges,
    Member,
    check_reserved_share,
    deduction_ranges,
    evaluate_bids,
)
from huiqi.rules.size import SizeClass

from . import UsageError
from .rules_input import parse_date, parse_decimal, print_json

_BIDS_FORMAT = (
    "投标文件应为 YAML 或 JSON：bids 列表，每项含 supplier（名称）、price（报价，元）、"
    "size（large/medium/small/micro），联合体写 consortium、分包写 subcontractors："
    "成员列表，每个成员含 name、size、share（合同份额，0.3 表示 30%），可选 controlled"
)


def register(sub: argparse._SubParsersAction) -> None:
    procurement = sub.add_parser("procurement", help="政府采购：价格扣除、预留份额、评审价格排序")
    commands = procurement.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("ranges", help="某日、某地适用的价格扣除比例范围")
    _common(p)
    p.set_defaults(func=cmd_ranges)

    p = commands.add_parser("reserve", help="检查部门年度预算向中小企业预留的份额")
    _place(p)
    p.add_argument("--budget", required=True, help="本部门年度政府采购项目预算总额")
    p.add_argument("--reserved", required=True, help="向中小企业预留的份额（金额）")
    p.add_argument("--small-micro", required=True, help="其中预留给小微企业的份额（金额）")
    p.add_argument("--excluded", default="0", help="中小企业无法提供的商品和服务（金额）")
    p.set_defaults(func=cmd_reserve)

    p = commands.add_parser("evaluate", help="按价格扣除后的评审价格对投标排序")
    _common(p)
    p.add_argument("--bids", required=True, help="投标文件（YAML 或 JSON）")
    p.add_argument("--rate", help="采购人确定的小微企业价格扣除比例，如 0.15")
    p.add_argument("--consortium-rate", help="采购人确定的联合体、分包价格扣除比例，如 0.05")
    p.add_argument("--reserved", action="store_true", help="项目专门面向中小企业采购（不扣除）")
    p.set_defaults(func=cmd_evaluate)


def _place(p: argparse.ArgumentParser) -> None:
    p.add_argument("--jurisdiction", required=True, help="行政区划代码：220100、440300、430000、cn")
    p.add_argument("--on", help="日期（默认今天），如 2025-06-01")
    p.add_argument(
        "--pack",
        action="append",
        default=[],
        help=f"改用的规则包（{'、'.join(available_packs())}）",
    )
    p.add_argument("--json", action="store_true", help="输出 JSON")


def _common(p: argparse.ArgumentParser) -> None:
    _place(p)
    p.add_argument(
        "--kind",
        required=True,
        choices=[k.value for k in ProcurementKind],
        help="采购类别：goods 货物、works 工程、services 服务",
    )


def _rule_set(args: argparse.Namespace) -> RuleSet:
    return rules(*args.pack) if args.pack else rules()


def _on(args: argparse.Namespace) -> date:
    return parse_date(args.on, "--on") or date.today()


def _amount(text: str, name: str) -> Decimal:
    value = parse_decimal(text, name)
    assert value is not None
    return value


def cmd_ranges(args: argparse.Namespace) -> int:
    found = deduction_ranges(
        ProcurementKind(args.kind), args.jurisdiction, _on(args), rule_set=_rule_set(args)
    )
    if args.json:
        print_json(found.to_dict())
        return 0
    _show_ranges(found)
    return 0


def _show_ranges(found: DeductionRanges) -> None:
    draft = "（含草案规定，尚未施行）" if found.draft else ""
    print(f"{found.on.isoformat()} {found.jurisdiction} {found.kind.label}采购{draft}")
    print(f"小微企业价格扣除：{found.small_micro.value.text}（{found.small_micro.citation.text}）")
    print(
        f"联合体、分包价格扣除：{found.consortium.value.text}（{found.consortium.citation.text}）"
    )
    share = found.consortium_share
    print(
        f"享受联合体、分包扣除的小微企业合同份额：不低于{percent(share.value)}（{share.citation.text}）"
    )
    for basis in found.basis:
        print(f"本地规定：{basis.value}（{basis.citation.text}）")
    for conflict in found.conflicts:
        print(f"注意：{conflict}")


def cmd_reserve(args: argparse.Namespace) -> int:
    result = check_reserved_share(
        _amount(args.budget, "--budget"),
        _amount(args.reserved, "--reserved"),
        _amount(args.small_micro, "--small-micro"),
        jurisdiction=args.jurisdiction,
        on=_on(args),
        excluded=_amount(args.excluded, "--excluded"),
        rule_set=_rule_set(args),
    )
    if args.json:
        print_json(result.to_dict())
        return 0
    required: Shares = result.required
    draft = "（依据草案，尚未施行）" if result.draft else ""
    print(f"结论：{'符合' if result.compliant else '不符合'}{draft}")
    print(
        f"要求：预留不低于{percent(required.sme)}，其中小微企业不低于{percent(required.small_micro)}"
    )
    print(f"依据：{result.citation.text}")
    for finding in result.findings:
        print(f"问题：{finding}")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    bids = _read_bids(args.bids)
    result = evaluate_bids(
        bids,
        kind=ProcurementKind(args.kind),
        jurisdiction=args.jurisdiction,
        on=_on(args),
        small_micro_rate=parse_decimal(args.rate, "--rate"),
        consortium_rate=parse_decimal(args.consortium_rate, "--consortium-rate"),
        reserved=args.reserved,
        rule_set=_rule_set(args),
    )
    if args.json:
        print_json(result.to_dict())
        return 0
    _show_ranges(result.ranges)
    for note in result.notes:
        if note not in result.ranges.conflicts:
            print(f"说明：{note}")
    print("排序（评审价格由低到高）：")
    for item in result.bids:
        print(
            f"  {item.rank}. {item.bid.supplier}：报价 {item.bid.price}，"
            f"扣除 {item.deduction.amount}，评审价格 {item.evaluated_price}"
        )
        print(f"     {item.deduction.reason}")
        for citation in item.deduction.citations:
            print(f"     依据：{citation.text}")
    return 0


def _read_bids(path: str) -> list[Bid]:
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"找不到投标文件：{path}") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise UsageError(f"无法读取投标文件 {path}：{exc}") from None
    items = raw.get("bids") if isinstance(raw, dict) else None
    if not isinstance(items, list) or not items:
        raise UsageError(f"{path}：{_BIDS_FORMAT}")
    return [_bid(item, f"{path} 第{index}份投标") for index, item in enumerate(items, 1)]


def _bid(item: Any, where: str) -> Bid:
    try:
        return Bid(
            supplier=str(item["supplier"]),
            price=_decimal(item["price"]),
            size=SizeClass(item["size"]) if item.get("size") else None,
            consortium=tuple(_member(m) for m in item.get("consortium") or ()),
            subcontractors=tuple(_member(m) for m in item.get("subcontractors") or ()),
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        raise UsageError(f"{where}：{_BIDS_FORMAT}") from None


def _member(raw: Any) -> Member:
    return Member(
        name=str(raw["name"]),
        size=SizeClass(raw["size"]),
        share=_decimal(raw["share"]),
        controlled=bool(raw.get("controlled", False)),
    )


def _decimal(raw: object) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise ValueError(raw)
    return Decimal(str(raw))
