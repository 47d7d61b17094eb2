"""Errors of the registry that a user can act on."""

from huiqi.errors import UserError


class RegistryFileError(UserError):
    """A registry file that cannot be imported at all: unknown format, bad header, no rows."""
