"""Errors of the regulation library, with messages for the people who upload texts."""

from __future__ import annotations

from huiqi.errors import UserError


class LawError(UserError):
    """A problem with a legal text that the user can act on; says what and where."""

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None):
        self.message = message
        self.source = source
        self.line = line
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = []
        if self.source:
            where.append(str(self.source))
        if self.line is not None:
            where.append(f"第{self.line}行")
        return f"{'，'.join(where)}：{self.message}" if where else self.message


class InputError(LawError):
    """The file cannot be read as a legal text: empty, binary, undecodable."""


class ParseError(LawError):
    """The text was read but holds no article structure the parser recognises."""


class UnknownDocument(LawError):
    """No bundled document has this id."""


class UnknownProvision(LawError):
    """The document has no node for this citation (e.g. an article it does not contain)."""


class CitationSyntaxError(LawError):
    """A citation string that cannot be parsed (e.g. 第十二款第条)."""
