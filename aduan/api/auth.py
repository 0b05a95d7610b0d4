"""Bearer-token authentication for the officials' endpoints (no session auth on the API)."""

from ninja.security import HttpBearer

from aduan.accounts.selectors import is_official
from aduan.api.tokens import token_user


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`: the token's official, if active and an official;
    anything else is a 401 (aduan.api.errors)."""

    openapi_description = "An API token an official creates at /meja/token/."

    def authenticate(self, request, token: str):
        user = token_user(secret=token)
        if user is None or not is_official(user=user):
            return None
        request.user = user
        return user


token_auth = TokenAuth()
