"""Turn the bytes of an uploaded file into text.

Official documents often come as GB18030/GBK rather than UTF-8; the encoding is detected,
and binary or empty files are refused with a message naming the file.
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from .errors import InputError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CJK_CANDIDATES = ("gb18030", "big5")


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > len(sample) * 0.05


def _cjk_share(text: str) -> float:
    if not text:
        return 0.0
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return cjk / len(text)


def decode_bytes(data: bytes, source: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding)``. UTF-8 first, then GB18030 (a superset of GBK/GB2312),
    then whatever charset-normalizer finds; refuse empty and binary files."""
    if not data.strip():
        raise InputError("文件为空，没有可解析的内容", source=source)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding), encoding
    if _looks_binary(data):
        raise InputError(
            "这是二进制文件，不是文本；请上传纯文本、Markdown 或 .docx 文件", source=source
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for encoding in _CJK_CANDIDATES:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _cjk_share(text) > 0.2:
            return text, encoding
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise InputError("无法识别文件的字符编码（已尝试 UTF-8、GB18030）", source=source)
    return str(best), best.encoding
