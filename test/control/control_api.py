"""A suite in another language drives oauth-mock's control API: Python's standard library only.

Usage: python3 control_api.py READY_FILE
READY_FILE is the --ready-file of `oauth-mock start --control`. Prints one line per check and
exits 0 when all pass, 1 at the first failure.
"""

import base64
import hashlib
import json
import sys
import urllib.error
import urllib.parse
import urllib.request

CLIENT_ID = "client_123"
CLIENT_SECRET = "client_123-secret-change-me"
REDIRECT_URI = "https://client.example.com/callback"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def call(method, url, body=None, token=None):
    """(status, headers, parsed JSON body or raw text)."""
    headers = {}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token is not None:
        headers["Authorization"] = "Bearer " + token
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        response = OPENER.open(request, timeout=10)
    except urllib.error.HTTPError as error:
        response = error
    raw = response.read().decode()
    try:
        parsed = json.loads(raw)
    except ValueError:
        parsed = raw
    return response.status, response.headers, parsed


def check(condition, what):
    if not condition:
        print("FAIL " + what)
        sys.exit(1)
    print("ok   " + what)


def claims(jwt):
    payload = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def main():
    with open(sys.argv[1]) as f:
        ready = json.load(f)
    url, control, token = ready["url"], ready["controlUrl"], ready["controlToken"]

    status, _, body = call("GET", control + "/status", token=token)
    check(status == 200 and body["faults"] == [] and body["clock"]["offsetMs"] == 0, "status: real time, nothing pending")

    for bad in (None, "not-the-token"):
        status, headers, _ = call("POST", control + "/clock/advance", {"by": "1h"}, token=bad)
        check(status == 401 and headers["WWW-Authenticate"].startswith("Bearer"), "401 without the control token")
    check(call("GET", control + "/status", token=token)[2]["clock"]["offsetMs"] == 0, "and the clock did not move")

    # Log in as alice without a user token: the next login is queued.
    status, _, body = call("POST", control + "/logins", {"user": "alice"}, token=token)
    check(status == 201 and body["logins"] == [{"user": "alice"}], "login queued")
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    query = urllib.parse.urlencode({
        "response_type": "code", "client_id": CLIENT_ID, "redirect_uri": REDIRECT_URI, "scope": "openid profile",
        "state": "s1", "code_challenge": challenge, "code_challenge_method": "S256",
    })
    status, headers, _ = call("GET", url + "/oauth/authorize?" + query)
    check(status == 302, "authorize redirects with a code")
    code = urllib.parse.parse_qs(urllib.parse.urlparse(headers["Location"]).query)["code"][0]
    status, _, body = call("POST", url + "/oauth/token", {
        "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI, "code_verifier": verifier,
        "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
    })
    check(status == 200 and claims(body["data"]["id_token"])["sub"] == "alice", "tokens for alice")
    tokens = body["data"]
    check(call("GET", url + "/oauth/userinfo", token=tokens["access_token"])[0] == 200, "userinfo accepts the access token")

    # Two hours later, without waiting.
    status, _, body = call("POST", control + "/clock/advance", {"by": "2h"}, token=token)
    check(status == 200 and body["clock"]["offsetMs"] == 7200000, "clock advanced 2h")
    status, _, body = call("GET", url + "/oauth/userinfo", token=tokens["access_token"])
    check(status == 401 and body["error"]["code"] == "invalid_token", "userinfo refuses the expired access token")

    refresh = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"], "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
    status, _, _ = call("POST", control + "/faults", {"endpoint": "token", "status": 503, "times": 1, "retryAfter": 2}, token=token)
    check(status == 201, "fault queued")
    status, headers, body = call("POST", url + "/oauth/token", refresh)
    check(status == 503 and headers["Retry-After"] == "2" and body["error"]["code"] == "temporarily_unavailable", "the token endpoint fails once with 503")

    status, _, _ = call("POST", control + "/misbehaviours", {"name": "id_token.wrong_issuer"}, token=token)
    check(status == 201, "misbehaviour queued")
    status, _, body = call("POST", url + "/oauth/token", refresh)
    check(status == 200, "then the refresh works")
    check(claims(body["data"]["id_token"])["iss"] != ready["issuer"], "and its id_token has the wrong issuer")
    check(claims(body["data"]["access_token"])["iat"] >= claims(tokens["access_token"])["iat"] + 7200, "stamped two hours later")

    status, _, body = call("POST", control + "/faults", {"endpoint": "nowhere", "status": 503}, token=token)
    check(status == 400 and "endpoint must be one of" in body["error"]["message"], "400 says what to fix")

    status, _, body = call("POST", control + "/reset", token=token)
    check(status == 200 and body["clock"]["offsetMs"] == 0 and body["faults"] == [] and body["misbehaviours"] == [], "reset")


if __name__ == "__main__":
    main()
