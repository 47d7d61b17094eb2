"""``huiqi size``: size classification (划型) of an enterprise, with the provision applied.

huiqi size --industry 3911 --employees 120 --revenue 15000 --assets 9000 [--on 2025-06-01]
"""

from __future__ import annotations

import argparse
from datetime import date

from huiqi.rules.declaration import DeclaredEnterprise, ProcurementKind, declaration_letter
from huiqi.rules.size import SizeFacts, SizeResult, classify_size

from .rules_input import parse_date, parse_decimal, parse_int, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "size",
        help="企业规模划型（大型、中型、小型、微型），注明所依据的条款",
        description="按《中小企业划型标准规定》（工信部联企业〔2011〕300号）划型；"
        "营业收入、资产总额以万元计。",
    )
    p.add_argument(
        "--industry", required=True, help="国民经济行业分类代码（GB/T 4754-2017），如 3911"
    )
    p.add_argument("--employees", help="从业人员（人）")
    p.add_argument("--revenue", help="营业收入（万元）")
    p.add_argument("--assets", help="资产总额（万元）")
    p.add_argument("--on", help="划型日期（默认今天），如 2025-06-01")
    p.add_argument("--individual", action="store_true", help="个体工商户（参照划型）")
    p.add_argument(
        "--declaration",
        choices=[k.value for k in ProcurementKind],
        help="同时生成中小企业声明函：goods 货物、works 工程、services 服务",
    )
    p.add_argument("--purchaser", default="（采购人名称）", help="声明函：采购人")
    p.add_argument("--project", default="（项目名称）", help="声明函：项目名称")
    p.add_argument("--enterprise", default="（企业名称）", help="声明函：企业名称")
    p.add_argument("--subject", default="（标的名称）", help="声明函：标的名称")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_size)


def cmd_size(args: argparse.Namespace) -> int:
    facts = SizeFacts(
        industry=args.industry,
        employees=parse_int(args.employees, "--employees"),
        revenue=parse_decimal(args.revenue, "--revenue"),
        total_assets=parse_decimal(args.assets, "--assets"),
        individual_business=args.individual,
    )
    result = classify_size(facts, parse_date(args.on, "--on") or date.today())
    result.decided()
    letter = None
    if args.declaration:
        letter = declaration_letter(
            ProcurementKind(args.declaration),
            args.purchaser,
            args.project,
            [DeclaredEnterprise(args.subject, args.enterprise, result)],
        )
    if args.json:
        data = result.to_dict()
        if letter is not None:
            data["declaration"] = {
                "title": letter.title,
                "text": letter.text,
                "citations": [c.to_dict() for c in letter.citations],
            }
        print_json(data)
        return 0
    _show(result)
    if letter is not None:
        print(f"\n{letter.text}\n依据：{'；'.join(c.text for c in letter.citations)}")
    return 0


def _show(result: SizeResult) -> None:
    assert result.size is not None
    tag = "（参照划型）" if result.by_reference else ""
    print(f"规模：{result.size.label}{tag}")
    print(f"行业：{result.industry.label} → {result.group.name}")
    print(f"日期：{result.on.isoformat()}")
    print(f"依据：{result.citation.text}")
    print("判定：")
    for index, step in enumerate(result.steps, 1):
        print(f"  {index}. {step}")
    print(f"决定性指标：{'、'.join(i.label for i in result.decisive)}")
    for reason in result.references:
        print(f"参照：{reason}")
    for indicator in result.ignored:
        print(f"说明：{indicator.label}不参与{result.group.name}的划型")
    for citation in result.citations[1:]:
        print(f"另见：{citation.text}")
