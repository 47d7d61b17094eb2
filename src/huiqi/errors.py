"""The root of huiqi's errors that a user can act on (bad file, bad number, unknown id).

Every such error says what is wrong and where, in Simplified Chinese; the CLI prints it and
exits with code 2, the web layer shows it next to the field."""


class UserError(Exception):
    """Bad input from a user, with a message in the user's language."""
