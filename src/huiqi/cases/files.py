"""Attachments: limits, content sniffing and storage under ``MEDIA_ROOT/cases``.

A file is accepted when its extension is one of the allowed types AND its content is of
that type (a renamed executable is refused); it is stored under a random name outside any
served directory and only ever sent by a view that checks permission."""

from __future__ import annotations

import hashlib
import io
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePath

from django.conf import settings
from django.utils import timezone

from huiqi.errors import UserError
from huiqi.law.decode import decode_bytes
from huiqi.law.errors import InputError

MAX_SIZE = 10 * 1024 * 1024
"""10 MB per file."""

TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "txt": "text/plain; charset=utf-8",
}
ALLOWED = "PDF、JPG、PNG、DOCX、XLSX、TXT"


class AttachmentError(UserError):
    """A file that is too big, of a type not allowed, or whose content is not its type."""


@dataclass(frozen=True)
class Checked:
    name: str
    data: bytes
    content_type: str
    sha256: str


def check(name: str, data: bytes) -> Checked:
    """Check size, extension and content; returns the file's type and digest."""
    base = PurePath(name.replace("\\", "/")).name.strip() or "附件"
    if len(data) > MAX_SIZE:
        raise AttachmentError(f"文件“{base}”超过 10 MB（{len(data) / 1024 / 1024:.1f} MB）")
    if not data:
        raise AttachmentError(f"文件“{base}”是空的")
    extension = base.rsplit(".", 1)[-1].lower() if "." in base else ""
    if extension not in TYPES:
        raise AttachmentError(f"文件“{base}”的类型不允许，只接受 {ALLOWED} 文件")
    if not _content_is(extension, data):
        raise AttachmentError(
            f"文件“{base}”的内容不是 {extension.upper()} 格式（扩展名与内容不符），请检查后重新上传"
        )
    return Checked(base[:200], data, TYPES[extension], hashlib.sha256(data).hexdigest())


def _content_is(extension: str, data: bytes) -> bool:
    if extension == "pdf":
        return data.startswith(b"%PDF-")
    if extension in ("jpg", "jpeg"):
        return data.startswith(b"\xff\xd8\xff")
    if extension == "png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in ("docx", "xlsx"):
        return _office(data, "word/document.xml" if extension == "docx" else "xl/workbook.xml")
    try:
        decode_bytes(data)
    except InputError:
        return False
    return True


def _office(data: bytes, part: str) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return False
    return "[Content_Types].xml" in names and part in names


def root() -> Path:
    return Path(settings.MEDIA_ROOT) / "cases"


def store(checked: Checked) -> str:
    """Write the file under a random name; returns its path relative to :func:`root`."""
    now = timezone.localdate()
    relative = f"{now:%Y}/{now:%m}/{uuid.uuid4().hex}"
    target = root() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(checked.data)
    return relative


def path_of(relative: str) -> Path:
    return root() / relative


def discard(relative: str) -> None:
    """Remove a stored file whose transaction did not commit."""
    path_of(relative).unlink(missing_ok=True)
