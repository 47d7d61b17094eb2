"""``huiqi deadline …``: due dates of complaints, arrears complaints and payments to SMEs.

complaint · arrears-transfer · arrears-result · payment · confirmation · interest
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date

from huiqi.rules.calendar import WorkCalendar
from huiqi.rules.deadlines import (
    Deadline,
    arrears_result_deadline,
    arrears_transfer_deadline,
    reply_deadline,
)
from huiqi.rules.packs import RuleSet, available_packs, rules
from huiqi.rules.payments import (
    Buyer,
    Contract,
    LateInterest,
    confirmation_deadline,
    late_interest,
    payment_deadline,
)

from . import UsageError
from .rules_input import parse_date, parse_decimal, parse_int, print_json


def register(sub: argparse._SubParsersAction) -> None:
    deadline = sub.add_parser("deadline", help="期限：投诉答复、拖欠款项投诉、付款期限，注明依据")
    commands = deadline.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = _command(commands, "complaint", "投诉、举报的答复期限", cmd_complaint)
    p.add_argument(
        "--jurisdiction",
        required=True,
        help="行政区划代码：220100 长春、440300 深圳、430000 湖南、cn 全国",
    )
    p.add_argument("--received", required=True, help="收到投诉、举报的日期，如 2026-12-20")
    p.add_argument(
        "--pack",
        action="append",
        default=[],
        help=f"改用的规则包（可用：{'、'.join(available_packs())}）",
    )

    p = _command(commands, "arrears-transfer", "拖欠款项投诉的转交期限（10个工作日）", cmd_transfer)
    p.add_argument("--accepted", required=True, help="正式受理投诉的日期")

    p = _command(commands, "arrears-result", "拖欠款项投诉的处理期限（30日，最长90日）", cmd_result)
    p.add_argument("--received", required=True, help="处理投诉部门收到投诉材料的日期")
    p.add_argument("--extended", action="store_true", help="经部门负责人批准延长（最长期限）")

    p = _command(commands, "payment", "向中小企业付款的期限", cmd_payment)
    p.add_argument(
        "--buyer",
        required=True,
        choices=[b.value for b in Buyer],
        help="付款方：agency 机关、事业单位；large 大型企业",
    )
    p.add_argument("--signed", required=True, help="合同订立日期（决定适用的条例版本和付款方规模）")
    p.add_argument("--delivered", help="货物、工程、服务交付日期")
    p.add_argument("--accepted", help="检验或者验收合格日期（约定以验收合格为付款条件时）")
    p.add_argument("--acceptance-period-end", help="约定的检验或者验收期限届满日")
    p.add_argument("--acceptance-delayed", action="store_true", help="付款方拖延检验或者验收")
    p.add_argument("--settled", help="双方确认结算金额的日期（进度结算、定期结算）")
    p.add_argument("--agreed-days", help="合同约定的付款期限（日）")

    p = _command(commands, "confirmation", "应收账款确权期限（30日）", cmd_confirmation)
    p.add_argument("--requested", required=True, help="中小企业提出确权请求的日期")

    p = _command(commands, "interest", "逾期利息", cmd_interest, calendar=False)
    p.add_argument("--amount", required=True, help="逾期未付的金额（元）")
    p.add_argument("--due", required=True, help="付款期限的最后一日")
    p.add_argument("--paid", required=True, help="实际付款日（或计算截止日）")
    p.add_argument("--signed", required=True, help="合同订立日期")
    p.add_argument("--rate", help="约定的逾期利率（年利率，如 0.04）")
    p.add_argument("--lpr", help="合同订立时的1年期贷款市场报价利率（年利率，如 0.03）")


def _command(
    commands: argparse._SubParsersAction,
    name: str,
    help_text: str,
    func: Callable[[argparse.Namespace], int],
    *,
    calendar: bool = True,
) -> argparse.ArgumentParser:
    p = commands.add_parser(name, help=help_text)
    if calendar:
        p.add_argument(
            "--calendar",
            action="append",
            default=[],
            metavar="FILE",
            help="另行载入的节假日安排文件（格式见 huiqi/rules/data/calendar_overrides.yaml）",
        )
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=func)
    return p


def _calendar(args: argparse.Namespace) -> WorkCalendar | None:
    return WorkCalendar.from_files(*args.calendar) if args.calendar else None


def _required(text: str, name: str) -> date:
    value = parse_date(text, name)
    assert value is not None
    return value


def _rule_set(args: argparse.Namespace) -> RuleSet:
    return rules(*args.pack) if args.pack else rules()


def cmd_complaint(args: argparse.Namespace) -> int:
    result = reply_deadline(
        _required(args.received, "--received"),
        args.jurisdiction.strip(),
        rule_set=_rule_set(args),
        calendar=_calendar(args),
    )
    return _show(result, args)


def cmd_transfer(args: argparse.Namespace) -> int:
    accepted = _required(args.accepted, "--accepted")
    return _show(arrears_transfer_deadline(accepted, calendar=_calendar(args)), args)


def cmd_result(args: argparse.Namespace) -> int:
    received = _required(args.received, "--received")
    result = arrears_result_deadline(received, extended=args.extended, calendar=_calendar(args))
    return _show(result, args)


def cmd_payment(args: argparse.Namespace) -> int:
    if args.acceptance_period_end and not args.acceptance_delayed:
        raise UsageError(
            "--acceptance-period-end 只在付款方拖延检验、验收时使用（同时写 --acceptance-delayed）"
        )
    contract = Contract(
        buyer=Buyer(args.buyer),
        signed=_required(args.signed, "--signed"),
        delivered=parse_date(args.delivered, "--delivered"),
        accepted=parse_date(args.accepted, "--accepted"),
        acceptance_period_end=parse_date(args.acceptance_period_end, "--acceptance-period-end"),
        acceptance_delayed=args.acceptance_delayed,
        settled=parse_date(args.settled, "--settled"),
        agreed_days=parse_int(args.agreed_days, "--agreed-days"),
    )
    return _show(payment_deadline(contract, calendar=_calendar(args)), args)


def cmd_confirmation(args: argparse.Namespace) -> int:
    requested = _required(args.requested, "--requested")
    return _show(confirmation_deadline(requested, calendar=_calendar(args)), args)


def cmd_interest(args: argparse.Namespace) -> int:
    amount = parse_decimal(args.amount, "--amount")
    assert amount is not None
    result = late_interest(
        amount,
        _required(args.due, "--due"),
        _required(args.paid, "--paid"),
        signed=_required(args.signed, "--signed"),
        agreed_annual_rate=parse_decimal(args.rate, "--rate"),
        lpr_at_signing=parse_decimal(args.lpr, "--lpr"),
    )
    if args.json:
        print_json(result.to_dict())
        return 0
    _show_interest(result)
    return 0


def _show(result: Deadline, args: argparse.Namespace) -> int:
    if args.json:
        print_json(result.to_dict())
        return 0
    status = "（暂定）" if result.provisional else ""
    kind = "" if result.statutory else "（服务承诺，非法定期限）"
    draft = "（依据草案，尚未施行）" if result.draft else ""
    print(f"{result.label}：{result.period.text}{kind}{draft}")
    print(f"起算：{result.start.isoformat()}（当日不计入）")
    print(f"到期：{result.due.isoformat()}{status}")
    print(f"依据：{result.citation.text}")
    for finding in result.findings:
        print(f"问题：{finding}")
    for note in result.notes:
        print(f"说明：{note}")
    for reason in result.reasons:
        print(f"暂定原因：{reason}")
    for citation in result.citations[1:]:
        print(f"另见：{citation.text}")
    return 0


def _show_interest(result: LateInterest) -> None:
    print(f"逾期利息：{result.interest}元")
    print(f"计算：{result.basis}")
    print(f"依据：{result.citations[0].text}")
    for finding in result.findings:
        print(f"问题：{finding}")
