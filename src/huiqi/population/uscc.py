"""统一社会信用代码 in bulk (GB 32100-2015), vectorised with numpy.

18 characters: 登记管理部门码 (1: ``9`` 工商/市场监管), 机构类别码 (1: ``1`` 企业), 登记管理机关
行政区划码 (6), 主体标识码 — the 组织机构代码 of GB 11714-1997, eight characters and its own check
character (9), and the check character of the whole code (1). The code uses the digits and the
capitals except I, O, S, V and Z. Enterprises registered since 2015-10-01 get a 主体标识码
starting ``MA``; older ones keep their numeric organisation code.

``python-stdnum`` (``stdnum.cn.uscc``) validates single codes; the tests check every generated
code against it.
"""

from __future__ import annotations

import numpy as np

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""GB 32100-2015 代码字符集: 31 characters, the value of each is its position."""

WEIGHTS = np.array([pow(3, i, 31) for i in range(17)], dtype=np.int64)
"""GB 32100-2015 加权因子 of positions 1–17: 3^(i-1) mod 31 (1, 3, 9, 27, 19, 26 …)."""

ORGANIZATION_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
"""GB 11714-1997 加权因子 of the eight characters of an organisation code."""

ENTERPRISE = b"91"
"""登记管理部门码 9 (工商) and 机构类别码 1 (企业)."""

_ALPHABET_BYTES = np.frombuffer(ALPHABET.encode("ascii"), dtype=np.uint8)
_INDEX = np.full(128, -1, dtype=np.int64)
_INDEX[_ALPHABET_BYTES] = np.arange(len(ALPHABET))
# GB 11714 values: digits 0–9, letters A=10 … Z=35 (its own alphabet, I and O included).
_ORGANIZATION_VALUE = np.full(128, -1, dtype=np.int64)
_ORGANIZATION_VALUE[48:58] = np.arange(10)
_ORGANIZATION_VALUE[65:91] = np.arange(10, 36)


def organization_bodies(rng: np.random.Generator, recent: np.ndarray) -> np.ndarray:
    """Eight-character organisation code bodies as an ``(n, 8)`` array of ASCII bytes: ``MA``
    and six code characters where ``recent``, eight digits elsewhere."""
    n = len(recent)
    digits = rng.integers(48, 58, size=(n, 8), dtype=np.uint8)
    letters = _ALPHABET_BYTES[rng.integers(0, len(ALPHABET), size=(n, 8))]
    letters[:, 0] = ord("M")
    letters[:, 1] = ord("A")
    return np.where(recent[:, None], letters, digits)


def organization_check(bodies: np.ndarray) -> np.ndarray:
    """GB 11714-1997 check characters of ``(n, 8)`` bodies: 11 − (Σ value × weight mod 11),
    written ``X`` for 10 and ``0`` for 11."""
    total = (_ORGANIZATION_VALUE[bodies] * ORGANIZATION_WEIGHTS).sum(axis=1)
    check = 11 - total % 11
    return np.select([check == 10, check == 11], [ord("X"), ord("0")], 48 + check).astype(np.uint8)


def uscc_check(codes: np.ndarray) -> np.ndarray:
    """GB 32100-2015 check characters of ``(n, 17)`` ASCII code bodies: the character whose
    value is 31 − (Σ value × weight mod 31), 0 for 31."""
    values = _INDEX[codes]
    if (values < 0).any():
        raise ValueError("统一社会信用代码只能包含数字和除 I、O、S、V、Z 以外的大写字母")
    return _ALPHABET_BYTES[(31 - (values * WEIGHTS).sum(axis=1) % 31) % 31]


def uscc_codes(divisions: np.ndarray, bodies: np.ndarray, prefix: bytes = ENTERPRISE) -> np.ndarray:
    """Complete codes (a numpy ``U18`` array) from six-digit division codes (strings) and
    organisation code bodies ``(n, 8)``."""
    n = len(divisions)
    chars = np.empty((n, 18), dtype=np.uint8)
    chars[:, :2] = np.frombuffer(prefix, dtype=np.uint8)
    chars[:, 2:8] = np.frombuffer(np.asarray(divisions, dtype="S6").tobytes(), np.uint8).reshape(
        n, 6
    )
    chars[:, 8:16] = bodies
    chars[:, 16] = organization_check(bodies)
    chars[:, 17] = uscc_check(chars[:, :17])
    return chars.view("S18").ravel().astype("U18")
