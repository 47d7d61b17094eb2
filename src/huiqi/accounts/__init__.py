"""Accounts and roles: enterprise users, department officials, administrators.

The public needs no account. Who may see what is decided in :mod:`huiqi.accounts.authz`."""
