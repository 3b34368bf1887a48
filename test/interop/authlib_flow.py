"""The authorization-code flow with PKCE and nonce, driven by authlib (an independent Python
implementation), with client_secret_basic. The end user logs in over HTTP only: the
authorization URL is fetched with the user's bearer token, as oauth-mock allows for test
suites. Prints one JSON object: the verified id_token claims, the token response and userinfo."""
import json
import sys

import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.common.security import generate_token
from authlib.jose import JsonWebKey, jwt
from authlib.oidc.core import CodeIDToken

issuer, client_id, client_secret, redirect_uri, user_token = sys.argv[1:6]

metadata = requests.get(issuer + "/.well-known/openid-configuration", timeout=10).json()
assert metadata["issuer"] == issuer, metadata["issuer"]

session = OAuth2Session(
    client_id,
    client_secret,
    scope="openid profile email",
    redirect_uri=redirect_uri,
    token_endpoint_auth_method="client_secret_basic",
    code_challenge_method="S256",
)
nonce = generate_token(20)
verifier = generate_token(48)
url, state = session.create_authorization_url(metadata["authorization_endpoint"], nonce=nonce, code_verifier=verifier)

answer = requests.get(url, headers={"Authorization": "Bearer " + user_token}, allow_redirects=False, timeout=10)
assert answer.status_code == 302, (answer.status_code, answer.text)
callback = answer.headers["Location"]

token = session.fetch_token(metadata["token_endpoint"], authorization_response=callback, code_verifier=verifier)

jwks = JsonWebKey.import_key_set(requests.get(metadata["jwks_uri"], timeout=10).json())
claims = jwt.decode(
    token["id_token"],
    jwks,
    claims_cls=CodeIDToken,
    claims_options={"iss": {"essential": True, "values": [issuer]}},
    claims_params={"nonce": nonce, "client_id": client_id, "access_token": token["access_token"]},
)
claims.validate(leeway=120)

userinfo = session.get(metadata["userinfo_endpoint"]).json()
print(json.dumps({
    "state_checked": state is not None,
    "claims": dict(claims),
    "token_keys": sorted(token.keys()),
    "token_type": token["token_type"],
    "userinfo": userinfo,
}))
