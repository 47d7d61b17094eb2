"""Benchmark of the regulation library: parsing the bundled corpus, building the search index,
and search latency against a naive substring scan measured in the same run.

Run: ``.venv/bin/python benchmarks/law.py``. Target: search p95 < 20 ms.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from huiqi.law.library import Library, load_manifest
from huiqi.law.search import SearchIndex, build_index
from huiqi.law.tokens import fold

TARGET_P95_MS = 20.0
PARSE_RUNS = 5
BUILD_RUNS = 3
SCALE = 10

TWO_CHARS = (
    "投诉 担保 贴息 罚款 融资 税收 采购 补贴 专项 资金 账款 拖欠 信用 人才 培训 创业 创新 "
    "孵化 园区 用地 统计 监测 评估 协会 商会 权益 举报 处理 答复 合同 利息 审计 公开 平台 "
    "数据 知识 产权 品牌 出口 保险"
)
PHRASES = (
    "融资担保机构",
    "二十个工作日内",
    "政府采购",
    "中小企业发展专项资金",
    "小型微型企业",
    "公共服务平台",
    "逾期利息",
    "应收账款",
    "知识产权保护",
    "专精特新",
    "免申即享",
    "政府性融资担保",
    "30日内",
    "行政事业性收费",
    "中小企业促进工作综合管理部门",
)
MULTI_TERM = ("投诉 举报", "融资 担保", "采购 小型微型企业", "资金 审计", "统计 监测 中小企业")
SINGLE_CHAR = ("税", "贷", "罚")
FILTERS: tuple[dict[str, str], ...] = (
    {"jurisdiction": "430000"},
    {"jurisdiction": "220100"},
    {"doc": "220100-sme-promotion-2025-04-03"},
    {"doc": "cn-sme-payment-regulation-2025-03-17"},
    {"stage": "征求意见稿"},
    {"stage": "通过"},
)


def workload() -> list[tuple[str, dict[str, str]]]:
    """240 queries: two-character terms, phrases, several terms and single characters, each
    without a filter and with two different filters, then cut to 240."""
    plain = [*TWO_CHARS.split(), *PHRASES, *MULTI_TERM, *SINGLE_CHAR]
    queries = [(q, {}) for q in plain]
    for shift in range(0, 2 * len(FILTERS), 2):
        queries += [(q, FILTERS[(i + shift) % len(FILTERS)]) for i, q in enumerate(plain)]
    return queries[:240]


def scaled(library: Library, copies: int) -> Library:
    """The library repeated ``copies`` times under new ids, sharing the parsed texts."""
    entries, docs = [], {}
    for k in range(copies):
        for entry, doc in library.documents():
            copy = replace(
                entry,
                id=f"{entry.id}~{k}",
                version_of=f"{entry.version_of}~{k}" if entry.version_of else None,
            )
            entries.append(copy)
            docs[copy.id] = doc
    return Library(entries, _docs=docs)


def _ms(seconds: float) -> float:
    return seconds * 1000


def _time(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class SubstringScan:
    """The baseline: every article's folded heading and text in a list, scanned for every
    term; hits ranked by the number of occurrences."""

    def __init__(self, library: Library) -> None:
        self.articles = [
            (entry, node, fold(f"{node.heading or ''}\n{node.full_text()}"))
            for entry, doc in library.documents()
            for node in doc.articles
        ]

    def search(self, query: str, limit: int = 10, **filters: str) -> list[tuple[str, str]]:
        terms = [fold(t) for t in query.split()]
        found = []
        for entry, node, text in self.articles:
            if filters.get("doc") not in (None, entry.id):
                continue
            if filters.get("jurisdiction") not in (None, entry.jurisdiction.code):
                continue
            if filters.get("stage") not in (None, entry.stage):
                continue
            if all(t in text for t in terms):
                found.append((-sum(text.count(t) for t in terms), entry.id, node.id))
        return [(doc, node) for _, doc, node in sorted(found)[:limit]]


def _latencies(search: Callable[..., object], queries: list[tuple[str, dict[str, str]]]):
    for query, filters in queries[:20]:
        search(query, **filters)
    return [_ms(_time(lambda q=q, f=f: search(q, **f))) for q, f in queries]


def _agreement(index: SearchIndex, scan: SubstringScan, queries) -> int:
    same = 0
    for query, filters in queries:
        hits = {(h.doc, h.node) for h in index.search(query, limit=100_000, **filters)}
        same += hits == set(scan.search(query, limit=100_000, **filters))
    return same


def _cli_ms(data_dir: str) -> float:
    env = {**os.environ, "HUIQI_DATA_DIR": data_dir}
    argv = [sys.executable, "-m", "huiqi", "law", "search", "投诉", "--json"]
    subprocess.run(argv, env=env, check=True, capture_output=True)
    runs = [
        _time(lambda: subprocess.run(argv, env=env, check=True, capture_output=True))
        for _ in range(5)
    ]
    return _ms(statistics.median(runs))


def _row(name: str, median: float, p95: float | None = None, note: str = "") -> None:
    p95_text = f"{p95:>10.3f}" if p95 is not None else f"{'':>10}"
    print(f"{name:<42}{median:>12.3f}{p95_text}  {note}".rstrip())


def _compare(library: Library, queries, label: str) -> float:
    """Search latency of the index and of the baseline on one library; returns index p95."""
    scan = SubstringScan(library)
    with build_index(library) as index:
        index_ms = _latencies(index.search, queries)
        agree = _agreement(index, scan, queries)
    scan_ms = _latencies(scan.search, queries)
    articles = len(scan.articles)
    print(f"search, {len(queries)} queries, {label} ({articles} articles):")
    for name, values in (
        ("FTS5 index (hits with snippets)", index_ms),
        ("baseline: substring scan (no snippets)", scan_ms),
    ):
        _row(f"  {name}", statistics.median(values), _percentile(values, 95))
    ratio_median = statistics.median(scan_ms) / statistics.median(index_ms)
    ratio_p95 = _percentile(scan_ms, 95) / _percentile(index_ms, 95)
    print(
        f"  baseline / index: median {ratio_median:.2f}x, p95 {ratio_p95:.2f}x; "
        f"same matching articles: {agree}/{len(queries)} queries"
    )
    return _percentile(index_ms, 95)


def main() -> None:
    parse = [_time(lambda: load_manifest().documents()) for _ in range(PARSE_RUNS)]
    library = load_manifest()
    library.documents()

    print(f"{'step':<42}{'median ms':>12}{'p95 ms':>10}")
    _row(f"parse whole corpus ({PARSE_RUNS} runs)", _ms(statistics.median(parse)))
    _row("build index, first (loads jieba)", _ms(_time(lambda: build_index(library).close())))
    warm = [_time(lambda: build_index(library).close()) for _ in range(BUILD_RUNS)]
    _row(f"build index in memory ({BUILD_RUNS} runs)", _ms(statistics.median(warm)))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "index.sqlite3"
        to_file = _time(lambda: build_index(library, path).close())
        _row("build index file", _ms(to_file), note=f"{path.stat().st_size / 1024:.0f} KiB")
        with build_index(library, path) as on_disk:
            values = _latencies(on_disk.search, workload())
            _row("search, index file", statistics.median(values), _percentile(values, 95))
        _row("CLI huiqi law search --json, cached (5 runs)", _cli_ms(tmp))

    queries = workload()
    p95 = _compare(library, queries, "bundled corpus")
    big = scaled(library, SCALE)
    _row(f"build index, corpus x{SCALE}", _ms(_time(lambda: build_index(big).close())))
    in_copy = [(q, {**f, "doc": f"{f['doc']}~0"} if "doc" in f else f) for q, f in queries]
    _compare(big, in_copy, f"corpus x{SCALE}")
    verdict = "met" if p95 < TARGET_P95_MS else "MISSED"
    print(f"target: search p95 < {TARGET_P95_MS:.0f} ms on the bundled corpus: {verdict}")


if __name__ == "__main__":
    main()
