"""moto's server (S3, IAM, STS) with IAM enforced, as AWS behaves for web identities.

    python -m motosts -H 127.0.0.1 -p PORT      (INITIAL_NO_AUTH_ACTION_COUNT=N: the first N
                                                 actions set up users and roles unsigned)

Two things moto does not do the way AWS does, and taster's tests need:

- With IAM enforced, moto wants every action signed; AWS's `AssumeRoleWithWebIdentity` is an
  unsigned call (the web identity token is the proof), so it is let through unsigned here.
- moto issues credentials for any web identity token; AWS checks the token with the role's OIDC
  provider. Here the tokens the test's "OIDC provider" issued are the lines of the file
  $TESTENV_OIDC_TOKENS, and any other token is refused with AWS's `InvalidIdentityToken`.

Everything else — the temporary credentials, their signature check on every S3 request, the
role's policy — is moto's own.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from moto.core.authorization import ActionAuthenticatorMixin
from moto.server import main
from moto.sts.exceptions import STSClientError
from moto.sts.responses import TokenResponse

_authorize = ActionAuthenticatorMixin._authenticate_and_authorize_action
_assume = TokenResponse.assume_role_with_web_identity


def _authorize_but_web_identity(self, iam_request_cls, resource="*"):
    if self._get_action() == "AssumeRoleWithWebIdentity":
        return None
    return _authorize(self, iam_request_cls, resource)


def _assume_with_a_known_token(self):
    tokens = os.environ.get("TESTENV_OIDC_TOKENS")
    accepted = Path(tokens).read_text().split() if tokens else []
    if self._get_param("WebIdentityToken") not in accepted:
        raise STSClientError("InvalidIdentityToken", "Couldn't verify the token with the OIDC provider's keys.")
    return _assume(self)


ActionAuthenticatorMixin._authenticate_and_authorize_action = _authorize_but_web_identity
TokenResponse.assume_role_with_web_identity = _assume_with_a_known_token

if __name__ == "__main__":
    main(sys.argv[1:])
