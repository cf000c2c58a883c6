"""Signed, expiring bearer tokens for users and apps of the reference host.

Saleor issues JWTs; the reference host only needs something with the same
behaviour at the door: a token names a user or an app, and it expires.
"""

from datetime import timedelta

from django.core import signing

SALT = "devhost.account.tokens"
DEFAULT_LIFETIME = timedelta(hours=12)


class TokenError(Exception):
    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


def issue_user_token(user_id: int) -> str:
    return signing.dumps({"user": user_id}, salt=SALT)


def issue_app_token(app_id: int) -> str:
    return signing.dumps({"app": app_id}, salt=SALT)


def read_token(token: str, max_age: timedelta = DEFAULT_LIFETIME) -> dict[str, int]:
    """Return the token's claims, or raise TokenError (invalid or expired)."""
    try:
        claims = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise TokenError("The token has expired; sign in again.", "token_expired")
    except signing.BadSignature:
        raise TokenError("The token is not valid.", "authentication_failed")
    if not isinstance(claims, dict):
        raise TokenError("The token is not valid.", "authentication_failed")
    return claims
