from __future__ import annotations

from importlib import resources
from pathlib import Path


def corpus_path(name: str) -> Path:
    """A bundled corpus file, as the package ships it."""
    return Path(str(resources.files("huiqi.law").joinpath("corpus", name)))
