"""Accuracy of the extractor against hand labels (tests/law/data/obligations_labels.yaml).

An extracted duty matches a labelled one on the same provision when its action starts with
the label's action; pairs are taken in text order, each used once. Over the matched pairs
the bearer, the modality, the time limit and the exception are compared field by field;
precision and recall count the duties found on the labelled provisions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .extract import Obligation


@dataclass(frozen=True)
class Label:
    doc: str
    node: str
    bearer: str | None
    modality: str
    action: str
    time_limit: dict | None = None
    exception: str | None = None


@dataclass
class Score:
    provisions: int = 0
    labelled: int = 0
    extracted: int = 0
    matched: int = 0
    bearer: int = 0
    modality: int = 0
    time_limit: int = 0
    exception: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.extracted if self.extracted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.labelled if self.labelled else 1.0

    def accuracy(self, name: str) -> float:
        return getattr(self, name) / self.matched if self.matched else 1.0

    def summary(self) -> dict[str, float | int]:
        return {
            "provisions": self.provisions,
            "labelled": self.labelled,
            "extracted": self.extracted,
            "matched": self.matched,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "bearer": round(self.accuracy("bearer"), 3),
            "modality": round(self.accuracy("modality"), 3),
            "time_limit": round(self.accuracy("time_limit"), 3),
            "exception": round(self.accuracy("exception"), 3),
        }


def labels_from(raw: dict, *, heldout: bool | None = None) -> list[tuple[str, str, list[Label]]]:
    """(doc, node, labels) per provision of the YAML file's ``provisions``; ``heldout``
    True or False keeps only the held-out provisions or only the others."""
    out = []
    for prov in raw["provisions"]:
        if heldout is not None and bool(prov.get("heldout")) != heldout:
            continue
        labels = [
            Label(
                prov["doc"],
                prov["node"],
                ob.get("bearer"),
                ob["modality"],
                ob["action"],
                ob.get("time_limit"),
                ob.get("exception"),
            )
            for ob in prov["obligations"]
        ]
        out.append((prov["doc"], prov["node"], labels))
    return out


def _limit_equal(label: dict | None, ob: Obligation) -> bool:
    got = ob.time_limit
    if label is None or got is None:
        return label is None and got is None
    return (
        label.get("unit") == got.unit
        and label.get("value") == got.value
        and label.get("trigger") == got.trigger
    )


def score(
    provisions: list[tuple[str, str, list[Label]]],
    found: dict[tuple[str, str], list[Obligation]],
) -> Score:
    """Compare ``found`` (duties by (doc, node)) with the labelled ``provisions``."""
    result = Score()
    for doc, node, labels in provisions:
        result.provisions += 1
        got = list(found.get((doc, node), []))
        result.labelled += len(labels)
        result.extracted += len(got)
        for label in labels:
            match = next((ob for ob in got if ob.action.startswith(label.action)), None)
            if match is None:
                result.misses.append(f"{doc} {node}: 未找到 {label.modality} {label.action}")
                continue
            got.remove(match)
            result.matched += 1
            bearer = match.bearer.text if match.bearer else None
            checks = {
                "bearer": bearer == label.bearer,
                "modality": match.modality.value == label.modality,
                "time_limit": _limit_equal(label.time_limit, match),
                "exception": match.exception == label.exception,
            }
            for name, ok in checks.items():
                if ok:
                    setattr(result, name, getattr(result, name) + 1)
                else:
                    result.misses.append(f"{doc} {node}: {name} {label.action}")
        for extra in got:
            result.misses.append(f"{doc} {node}: 多出 {extra.modality.value} {extra.action[:20]}")
    return result
