"""Benchmark of per-enterprise matching (issue 4, item 3): one enterprise against 300 policies,
timed over synthetic 长春 enterprises, with two naive implementations measured in the same run.

- ``huiqi.rules.policies.match``: the pack compiled once; each distinct condition evaluated
  once per enterprise; each policy's tree combined from those results.
- naive: every applicable policy's criteria evaluated on its own with
  :func:`huiqi.rules.criteria.evaluate`, then explained.
- naive, criteria from text: the same, parsing each policy's criteria from its Chinese text
  form for every enterprise (as a store that keeps only the text would).

The 300 policies are the bundled pack's, varied: thresholds scaled, periods shifted, size sets,
qualifications, industries and founder categories redrawn, some with an extra industry
condition; all of them apply to 长春 enterprises and are open on the date. Enterprises come
from the synthetic registry generator (:mod:`huiqi.population`). Every implementation must give
the same statuses for every enterprise, or the run fails.

Run: ``.venv/bin/python benchmarks/matching.py [--enterprises 500] [--policies 300]``.
Target: p95 < 20 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from huiqi.population.synthetic import generate
from huiqi.rules.citations import cite
from huiqi.rules.criteria import (
    And,
    AtLeast,
    Compare,
    Criteria,
    FirstTime,
    Founder,
    FounderCategory,
    Holds,
    IndustryIn,
    Not,
    Or,
    SizeIn,
    evaluate,
    leaves,
    parse,
)
from huiqi.rules.facts import catalogue
from huiqi.rules.policies import Match, Policy, Window, bundled_policies, checked_facts, match
from huiqi.rules.size import SizeClass

TARGET_P95_MS = 20.0
ON = date(2026, 6, 1)
CITY = "220100"
LINEAGE = ("220100", "220000", "cn")
WARMUP = 20

_SIZES = (
    (SizeClass.SMALL, SizeClass.MICRO),
    (SizeClass.MEDIUM, SizeClass.SMALL, SizeClass.MICRO),
    (SizeClass.MICRO,),
    (SizeClass.MEDIUM, SizeClass.SMALL),
)
_INDUSTRIES = ("C", "I", "M", "F", "G", "L", "34", "39", "65", "E")
_FACTORS = (Decimal("0.5"), Decimal("0.8"), Decimal("1"), Decimal("1.25"), Decimal("1.5"))


def varied_pack(count: int, seed: int) -> tuple[Policy, ...]:
    """``count`` policies that all apply to a 长春 enterprise on :data:`ON`: the bundled ones
    first, then variations of them."""
    rng = random.Random(seed)
    base = bundled_policies()
    basis = (cite("220100-sme-promotion-2025-04-03", "art_8/para_2"),)
    out = []
    for i in range(count):
        policy = base[i % len(base)]
        criteria = policy.criteria if i < len(base) else _vary(policy.criteria, rng)
        if i >= len(base) and rng.random() < 0.3:
            criteria = And((criteria, IndustryIn((rng.choice(_INDUSTRIES),))))
        local = policy.jurisdiction in LINEAGE
        out.append(
            replace(
                policy,
                id=f"{policy.id}-{i}",
                criteria=criteria,
                jurisdiction=policy.jurisdiction if local else CITY,
                basis=policy.basis if local else basis,
                window=Window(),
            )
        )
    return tuple(out)


def _vary(node: Criteria, rng: random.Random) -> Criteria:
    if isinstance(node, And | Or):
        return type(node)(tuple(_vary(item, rng) for item in node.items))
    if isinstance(node, AtLeast):
        return AtLeast(node.n, tuple(_vary(item, rng) for item in node.items))
    if isinstance(node, Not):
        return Not(_vary(node.item, rng))
    if isinstance(node, Compare) and isinstance(node.value, Decimal):
        return Compare(node.fact, node.op, node.value * rng.choice(_FACTORS))
    if isinstance(node, FirstTime):
        years = rng.choice((0, -1, -2))
        start = node.start.replace(year=node.start.year + years)
        return FirstTime(node.event, start, node.end.replace(year=node.end.year + years))
    if isinstance(node, SizeIn):
        return SizeIn(rng.choice(_SIZES))
    if isinstance(node, Holds):
        return Holds(rng.choice(list(catalogue().qualifications)))
    if isinstance(node, IndustryIn):
        return IndustryIn(tuple(rng.sample(_INDUSTRIES, rng.randint(1, 3))))
    if isinstance(node, Founder):
        return Founder(tuple(rng.sample(list(FounderCategory), rng.randint(1, 3))))
    return node


def naive(
    facts: Mapping[str, Any], policies: tuple[Policy, ...], on: date, from_text: bool = False
) -> list[Match]:
    """Every policy on its own: its jurisdiction and window checked, its whole criteria tree
    evaluated (parsed from the text form first when ``from_text``), explained, sorted."""
    facts = checked_facts(facts)
    district = facts["district"]
    out = []
    for policy in policies:
        prefix = policy.jurisdiction.rstrip("0") if policy.jurisdiction != "cn" else ""
        if not district.startswith(prefix) or not policy.window.is_open(on):
            continue
        criteria = parse(policy.criteria_text) if from_text else policy.criteria
        outcome = evaluate(criteria, facts, on)
        out.append(Match(policy, outcome, policy.benefit.estimate(facts)))
    out.sort(key=lambda m: (m.status.value, m.policy.id))
    return out


def timed(
    run: Callable[[Mapping[str, Any]], list[Match]], enterprises: list[dict[str, Any]]
) -> tuple[list[float], list[tuple[str, ...]]]:
    """Milliseconds per enterprise, and each enterprise's statuses by policy id."""
    for facts in enterprises[:WARMUP]:
        run(facts)
    times, statuses = [], []
    for facts in enterprises:
        start = time.perf_counter()
        results = run(facts)
        times.append((time.perf_counter() - start) * 1000)
        statuses.append(tuple(sorted(f"{m.policy.id}:{m.status.value}" for m in results)))
    return times, statuses


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[94]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=500)
    parser.add_argument("--policies", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.enterprises < 200:
        parser.error("--enterprises: at least 200")

    policies = varied_pack(args.policies, args.seed)
    enterprises = generate(args.enterprises, seed=args.seed, city=CITY).to_dicts()
    conditions = {c for p in policies for c in leaves(p.criteria)}
    total = sum(len(leaves(p.criteria)) for p in policies)

    runs = {
        "huiqi match (compiled pack)": lambda f: match(f, policies, ON),
        "naive: evaluate each policy": lambda f: naive(f, policies, ON),
        "naive: criteria parsed per call": lambda f: naive(f, policies, ON, from_text=True),
    }
    results = {name: timed(run, enterprises) for name, run in runs.items()}
    reference = results["huiqi match (compiled pack)"][1]
    for name, (_, statuses) in results.items():
        if statuses != reference:
            print(f"FAIL: {name} disagrees with huiqi match", file=sys.stderr)
            return 1

    first = results["huiqi match (compiled pack)"][0]
    print(
        f"matching: {len(enterprises)} enterprises × {len(policies)} policies "
        f"(synthetic {CITY}, on {ON.isoformat()}); {total} conditions, {len(conditions)} distinct"
    )
    print(f"{'implementation':34} {'median':>9} {'p95':>9} {'per policy':>11} {'× huiqi':>8}")
    for name, (times, _) in results.items():
        median = statistics.median(times)
        ratio = median / statistics.median(first)
        print(
            f"{name:34} {median:7.2f}ms {p95(times):7.2f}ms "
            f"{median * 1000 / len(policies):8.1f} µs {ratio:7.1f}×"
        )
    met = p95(first) < TARGET_P95_MS
    print(f"target p95 < {TARGET_P95_MS:.0f} ms: {'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
