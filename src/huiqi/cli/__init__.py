"""The ``huiqi`` command. Each topic module under :mod:`huiqi.cli` adds its subcommands with
``register(subparsers)``; a command returns its exit code. Errors the user can act on exit 2
with a message, never a traceback."""

from __future__ import annotations

import argparse
import importlib
import sys

from huiqi import __version__
from huiqi.errors import UserError

TOPICS = (
    "demo",
    "law",
    "size",
    "deadline",
    "procurement",
    "population",
    "match",
    "screen",
    "manage",
)


class UsageError(UserError):
    """Bad input on the command line, reported in the user's language with exit code 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="huiqi", description="惠企：中小企业促进法规与惠企政策平台"
    )
    parser.add_argument("--version", action="version", version=f"huiqi {__version__}")
    sub = parser.add_subparsers(dest="topic", required=True, metavar="COMMAND")
    for topic in TOPICS:
        importlib.import_module(f"huiqi.cli.{topic}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
