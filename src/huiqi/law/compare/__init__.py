"""Compare versions of a text (alignment, 修改对照稿) and provisions across jurisdictions.

Pure Python like the rest of :mod:`huiqi.law`; scikit-learn, scipy and diff-match-patch are
imported on first use."""

from .align import align
from .html import sheet_table, sheet_to_html
from .markdown import sheet_to_markdown
from .model import Alignment, ArticlePair, MatchedBy, Pair, Relation
from .records import alignment_dict
from .sheet import LEGEND, Cell, Row, Sheet, build_sheet
from .text import without_notes
from .word import sheet_to_docx

__all__ = [
    "LEGEND",
    "Alignment",
    "ArticlePair",
    "Cell",
    "MatchedBy",
    "Pair",
    "Relation",
    "Row",
    "Sheet",
    "align",
    "alignment_dict",
    "build_sheet",
    "sheet_table",
    "sheet_to_docx",
    "sheet_to_html",
    "sheet_to_markdown",
    "without_notes",
]
