"""Flask's signed-cookie session, read once per cookie rather than once per request.

A browser sends the same session cookie on request after request until the session
changes. Checking its signature, inflating and decoding it cost a good part of a page
served from the cache; here a cookie that verified once is kept in this process (by its
exact value, so only a cookie this server signed is ever found) with the time it was
signed, and the age limit is checked again on every use. Sessions holding a list or a
dict (flashed messages) are read afresh each time, so no request shares a mutable value
with another. A new or changed session is signed and sent exactly as before.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer
from itsdangerous.encoding import want_bytes

from dugnad.web import replay

KEPT = 10_000


class KeyedSigner(TimestampSigner):
    """itsdangerous' signer, deriving each key once per process: it derives the signing
    key from the secret again on every signature made or checked (an HMAC each time),
    while the result depends only on the secret, the salt and the method."""

    _derived: dict[tuple, bytes] = {}

    def derive_key(self, secret_key: str | bytes | None = None) -> bytes:
        secret = self.secret_keys[-1] if secret_key is None else want_bytes(secret_key)
        key = (secret, self.salt, self.key_derivation, self.digest_method)
        derived = self._derived.get(key)
        if derived is None:
            derived = self._derived[key] = super().derive_key(secret)
        return derived


class KeptCookieSessionInterface(SecureCookieSessionInterface):
    def __init__(self) -> None:
        self._kept: OrderedDict[str, tuple[dict, float]] = OrderedDict()
        self._lock = threading.Lock()
        self._serializers: dict[tuple, URLSafeTimedSerializer] = {}

    def get_signing_serializer(self, app) -> URLSafeTimedSerializer | None:
        """Flask's serializer (the same keys, salt, payload and signature), made once per set
        of keys rather than for every cookie read and every cookie sent: it keeps nothing
        of a cookie."""
        if not app.secret_key:
            return None
        keys = (*(app.config["SECRET_KEY_FALLBACKS"] or ()), app.secret_key)  # the current key last
        serializer = self._serializers.get(keys)
        if serializer is None:
            serializer = self._serializers[keys] = URLSafeTimedSerializer(
                list(keys), salt=self.salt, serializer=self.serializer, signer=KeyedSigner,
                signer_kwargs={"key_derivation": self.key_derivation, "digest_method": self.digest_method})
        return serializer

    def open_session(self, app, request):
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return super().open_session(app, request)
        if not app.secret_key:  # as get_signing_serializer, without building one per request
            return None
        return self.session_class(self.read(app, value) or {})

    def read(self, app, value: str) -> dict | None:
        """The session in a cookie's value (a fresh dict), or None when it is not one this
        server signed within the age limit (also for the card vote's lean path)."""
        max_age = int(app.permanent_session_lifetime.total_seconds())
        found = self._kept.get(value)
        if found is not None and time.time() - found[1] <= max_age:
            replay.not_after(found[1] + max_age)
            return dict(found[0])
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        try:
            data, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return None
        if not isinstance(data, dict):
            return None
        replay.not_after(signed_at.timestamp() + max_age)
        if all(isinstance(v, (str, int, float, bool, type(None))) for v in data.values()):
            with self._lock:
                self._kept[value] = (data, signed_at.timestamp())
                if len(self._kept) > KEPT:
                    self._kept.popitem(last=False)
        return dict(data)
