"""Validates an ID token from the authorization-code flow as authlib's relying party does
(CodeIDToken: OIDC Core §3.1.3.7, and at_hash against the access token, §3.1.3.6), with the
signature checked against the published JWKS. Prints one JSON object: {"claims": ...} when
authlib accepts the token, {"refused": {"error", "claim", "description"}} when it refuses it."""
import json
import sys
import urllib.request

from authlib.jose import JsonWebKey, jwt
from authlib.jose.errors import JoseError
from authlib.oidc.core import CodeIDToken

try:
    # authlib 1.6 and later raise joserfc's claim errors from authlib.oidc.core.
    from joserfc.errors import JoseError as JoserfcError

    REFUSALS = (JoseError, JoserfcError)
except ImportError:
    REFUSALS = (JoseError,)

jwks_uri, issuer, client_id, nonce, id_token, access_token = sys.argv[1:7]

with urllib.request.urlopen(jwks_uri, timeout=10) as answer:
    jwks = JsonWebKey.import_key_set(json.load(answer))

try:
    claims = jwt.decode(
        id_token,
        jwks,
        claims_cls=CodeIDToken,
        claims_options={"iss": {"essential": True, "values": [issuer]}},
        claims_params={"nonce": nonce, "client_id": client_id, "access_token": access_token},
    )
    claims.validate(leeway=120)
except REFUSALS as error:
    claim = getattr(error, "claim", None) or getattr(error, "claim_name", None)
    print(json.dumps({"refused": {"error": error.error, "claim": claim, "description": error.description}}))
else:
    print(json.dumps({"claims": dict(claims)}))
