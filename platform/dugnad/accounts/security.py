"""Passwords, login throttling and signed password-reset links."""

from __future__ import annotations

from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete, func, select

from dugnad.accounts.models import LoginFailure, User
from dugnad.extensions import db
from dugnad.clock import utcnow

_hasher = PasswordHasher()
# Verified against when the account does not exist, so timing does not reveal accounts.
_DUMMY_HASH = _hasher.hash("not a real password")

THROTTLE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20
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


def _keys(email: str, address: str) -> tuple[str, str]:
    return f"account:{email.strip().lower()}", f"address:{address}"


def login_throttled(email: str, address: str) -> bool:
    """True when this account or this address has failed too often lately."""
    account_key, address_key = _keys(email, address)
    since = utcnow() - THROTTLE_WINDOW
    counts = dict(
        db.session.execute(
            select(LoginFailure.key, func.count())
            .where(LoginFailure.key.in_([account_key, address_key]), LoginFailure.created_at > since)
            .group_by(LoginFailure.key)
        ).all()
    )
    return (
        counts.get(account_key, 0) >= MAX_FAILURES_PER_ACCOUNT
        or counts.get(address_key, 0) >= MAX_FAILURES_PER_ADDRESS
    )


def record_login_failure(email: str, address: str) -> None:
    for key in _keys(email, address):
        db.session.add(LoginFailure(key=key))
    db.session.execute(delete(LoginFailure).where(LoginFailure.created_at < utcnow() - THROTTLE_WINDOW))
    db.session.commit()


def clear_login_failures(email: str) -> None:
    account_key, _ = _keys(email, "")
    db.session.execute(delete(LoginFailure).where(LoginFailure.key == account_key))


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="dugnad-password-reset")


def make_reset_token(user: User) -> str:
    # The hash tail makes the link single-use: it stops matching once the password changes.
    return _reset_serializer().dumps({"u": user.id, "h": (user.password_hash or "")[-12:]})


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
