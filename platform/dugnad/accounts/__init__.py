"""Accounts: people, login, invitations, roles in a municipality, API tokens."""
