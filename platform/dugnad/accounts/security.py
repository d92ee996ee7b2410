"""Passwords and signed password-reset links (login throttling: ``dugnad.accounts.throttle``)."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from dugnad.accounts.models import User
from dugnad.extensions import db

_hasher = PasswordHasher()
# Verified against when the account does not exist, so timing does not reveal accounts.
_DUMMY_HASH = _hasher.hash("not a real password")

RESET_MAX_AGE = 60 * 60  # seconds
MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(user: User | None, password: str) -> bool:
    try:
        _hasher.verify(user.password_hash if user and user.password_hash else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False
    if user is None or not user.password_hash:
        return False
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return True


def clear_login_failures(email: str) -> None:
    """After a password reset: the account's throttling counters start afresh."""
    from dugnad.accounts import throttle

    throttle.clear_account(email)


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="dugnad-password-reset")


def make_reset_token(user: User) -> str:
    # The hash tail makes the link single-use: it stops matching once the password changes.
    # The nonce makes every link its own, even two asked for in the same second.
    return _reset_serializer().dumps({"u": user.id, "h": (user.password_hash or "")[-12:], "n": secrets.token_hex(4)})


def user_from_reset_token(token: str) -> tuple[User | None, str | None]:
    """The user the link is for, or None and why ("expired" or "invalid")."""
    try:
        data = _reset_serializer().loads(token, max_age=RESET_MAX_AGE)
    except SignatureExpired:
        return None, "expired"
    except BadSignature:
        return None, "invalid"
    user = db.session.get(User, data.get("u"))
    if user is None or (user.password_hash or "")[-12:] != data.get("h"):
        return None, "invalid"
    return user, None
