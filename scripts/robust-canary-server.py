#!/usr/bin/env python3
"""Loopback token endpoints and Log Analytics stand-in for the secret canary test (test peer only).

Listens on 127.0.0.1 (never another address), prints "PORT n" and serves until its standard input
closes. Every endpoint takes a MODE as the first path segment:

  POST /token/MODE/{tenant}/oauth2/v2.0/token   Entra v2 token endpoint
  GET  /imds/MODE/metadata/identity/oauth2/token IMDS
  GET  /appsvc/MODE                              App Service identity endpoint
  POST /la/MODE/v1/workspaces/{id}/query         the Log Analytics query API

Token modes: ok (a token whose text holds a canary), echo (401 whose JSON error echoes the whole
request: form body, query and headers), echotext (400, plain text echo), wrongaud (a token for
another audience), malformed (200 with cut-off JSON holding the token), hang (no answer for 30 s),
drop (the connection is closed without an answer).
Query API modes: ok (one small table; a token for another audience gets the service's audience error
with the token echoed), notables (400 SEM0100: the table does not exist, the request echoed in an
inner error), echo401, echo403 and echo400 (errors echoing the whole request).
"""
import base64
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CANARY = {
    "token": "canaryIssuedEntraToken7f3a91",
    "imds": "canaryIssuedImdsToken2c8e55",
    "appsvc": "canaryIssuedAppSvcToken9b1d07",
}
LA_AUDIENCE = "https://api.loganalytics.io"


def b64(obj):
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")


def jwt(audience, canary):
    """A JWT-shaped token (unsigned) whose signature part is the canary."""
    header = b64({"alg": "RS256", "typ": "JWT"})
    return header + "." + b64({"aud": audience, "exp": int(time.time()) + 3600}) + "." + canary


def audience(token):
    try:
        payload = token.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["aud"]
    except Exception:
        return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body, content_type="application/json"):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def echo(self):
        """Everything the request carried, as a server that echoes requests would show it."""
        headers = "; ".join(f"{k}: {v}" for k, v in self.headers.items())
        return f"request {self.command} {self.path} headers [{headers}] body [{self.body}]"

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.body = self.rfile.read(length).decode("utf-8", "replace") if length else ""

    def do_GET(self):
        self.read_body()
        self.route()

    def do_POST(self):
        self.read_body()
        self.route()

    def route(self):
        parts = self.path.split("?")[0].strip("/").split("/")
        kind, mode = parts[0], parts[1] if len(parts) > 1 else "ok"
        if kind in ("token", "imds", "appsvc"):
            self.token(kind, mode)
        elif kind == "la":
            self.query(mode)
        else:
            self.reply(404, '{"error":"no such route"}')

    def token(self, kind, mode):
        canary = CANARY[kind]
        if mode == "ok":
            body = {"token_type": "Bearer", "expires_in": 3599, "access_token": jwt(LA_AUDIENCE, canary)}
            self.reply(200, json.dumps(body))
        elif mode == "wrongaud":
            body = {"token_type": "Bearer", "expires_in": 3599,
                    "access_token": jwt("https://management.azure.com", canary)}
            self.reply(200, json.dumps(body))
        elif mode == "echo":
            body = {"error": "invalid_client",
                    "error_description": "AADSTS7000215: Invalid client secret provided. " + self.echo(),
                    "error_codes": [7000215]}
            self.reply(401, json.dumps(body))
        elif mode == "echotext":
            self.reply(400, "Bad Request: " + self.echo(), "text/plain")
        elif mode == "malformed":
            self.reply(200, '{"token_type":"Bearer","access_token":"' + jwt(LA_AUDIENCE, canary) + '","expires_in":')
        elif mode == "hang":
            time.sleep(30)
            self.reply(504, "{}")
        elif mode == "drop":
            self.close_connection = True
            self.connection.close()
        else:
            self.reply(404, '{"error":"no such mode"}')

    def query(self, mode):
        authorization = self.headers.get("Authorization", "")
        token = authorization[len("Bearer "):] if authorization.startswith("Bearer ") else authorization
        if mode == "ok" and audience(token) not in (None, LA_AUDIENCE):
            body = {"error": {"code": "InvalidAuthenticationTokenAudience",
                              "message": f"The access token has the wrong audience: {authorization}"}}
            self.reply(401, json.dumps(body))
        elif mode == "ok":
            body = {"tables": [{"name": "PrimaryResult",
                                "columns": [{"name": "x", "type": "long"}], "rows": [[1]]}]}
            self.reply(200, json.dumps(body))
        elif mode == "notables":
            table = "AZKVAuditLogs" if "AZKVAuditLogs" in self.body else "AzureDiagnostics"
            body = {"error": {"code": "BadArgumentError", "message": "The request had some invalid properties",
                              "innererror": {"code": "SemanticError", "message": self.echo(),
                                             "innererror": {"code": "SEM0100", "message":
                                                            "'where' operator: Failed to resolve table or column "
                                                            f"expression named '{table}'"}}}}
            self.reply(400, json.dumps(body))
        elif mode in ("echo401", "echo403", "echo400"):
            status = int(mode[4:])
            body = {"error": {"code": "InvalidTokenError" if status != 400 else "BadArgumentError",
                              "message": "The request was refused: " + self.echo(),
                              "innererror": {"code": "Echo", "message": authorization}}}
            self.reply(status, json.dumps(body))
        else:
            self.reply(404, '{"error":{"code":"PathNotFoundError","message":"no such mode"}}')


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(f"PORT {server.server_address[1]}", flush=True)

    def watch():
        sys.stdin.read()
        server.shutdown()

    threading.Thread(target=watch, daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
