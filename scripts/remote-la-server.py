#!/usr/bin/env python3
"""A loopback stand-in for the Log Analytics query API, Entra token endpoint and managed identity
endpoints, used by PathProof's LogAnalytics tests and benchmarks (standard library only).

It binds 127.0.0.1 on a free port, prints "PORT <n>" and serves until killed. Every path starts with
/<kind>/<run>/<spec>/...: <run> isolates one test's requests (GET /log/<run> returns them as JSON),
<spec> is a comma-separated list of steps; each request takes the next step and the last one repeats.

Query steps (POST /q/<run>/<spec>/v1/workspaces/<id>/query):
  ok.F  gzip.F  chunked.F  slowchunked.F  drop.F  dropchunked.F   replay fixture F (a recorded
              response body; slowchunked sends 7-byte chunks over about 1.5 s)
  auth.F      like ok.F, but 401 for a token containing "expired", 403 InvalidAuthenticationTokenAudience
              for a JWT whose aud is not https://api.loganalytics.io
  s429 / s429raN   429 without / with Retry-After: N        s504   the recorded 504 body
  status.C.F  status C with fixture F        empty   200, empty body        s204   204 No Content
  slices.T.L[.O]   a synthetic table of T rows, one per second from 2024-01-01T00:00:00Z: answers
              "... | count" with the count in the request's timespan, other queries with the rows in
              it, cut to L rows with a PartialError; 504 for a slice of more than O rows
  file        the file given with --body-file, sent chunked
Token steps: POST /token/<run>/<spec>/<tenant>/oauth2/v2.0/token (ok, fail, expired-then-ok is
"expired,ok"); GET /imds/<run>/<spec>/metadata/identity/oauth2/token (ok, s410, s500);
GET /appsvc/<run>/<spec> (ok). GET /stats/<run> gives the most query requests seen in flight at once.
"""
import base64
import gzip
import json
import os
import signal
import sys
import threading
import time
import urllib.parse
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FIXTURES = sys.argv[1] if len(sys.argv) > 1 else "."
BODY_FILE = None
if "--body-file" in sys.argv:
    BODY_FILE = sys.argv[sys.argv.index("--body-file") + 1]

LOCK = threading.Lock()
LOGS = {}
COUNTERS = {}
IN_FLIGHT = {}
MAX_IN_FLIGHT = {}
BASE = datetime(2024, 1, 1, tzinfo=timezone.utc)


def fixture(name):
    with open(os.path.join(FIXTURES, name + ".json"), "rb") as handle:
        return handle.read()


def parse_instant(text):
    text = text.rstrip("Z")
    whole, _, fraction = text.partition(".")
    instant = datetime.strptime(whole, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
    if fraction:
        instant += timedelta(microseconds=int((fraction + "000000")[:6]))
    return instant


def jwt_audience(token):
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
        return payload.get("aud")
    except ValueError:
        return None


def make_jwt(audience, expires):
    def part(obj):
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")
    return part({"alg": "none", "typ": "JWT"}) + "." + part({"aud": audience, "exp": expires}) + ".c2ln"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def next_step(self, run, spec):
        steps = spec.split(",")
        with LOCK:
            index = COUNTERS.get((run, spec), 0)
            COUNTERS[(run, spec)] = index + 1
        return steps[min(index, len(steps) - 1)]

    def record(self, run, body):
        entry = {"method": self.command, "path": self.path, "headers": dict(self.headers.items()),
                 "body": body.decode("utf-8", "replace")}
        with LOCK:
            LOGS.setdefault(run, []).append(entry)

    def reply(self, status, body=b"", headers=None):
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if "Content-Type" not in (headers or {}):
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def chunked(self, body, size=7, delay=0.0005, cut=False, every=64):
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        limit = len(body) // 2 if cut else len(body)
        for number, offset in enumerate(range(0, limit, size)):
            piece = body[offset:min(offset + size, limit)]
            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.flush()
            if delay and number % every == 0:
                time.sleep(delay)
        if cut:
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(b"0\r\n\r\n")

    def do_GET(self):
        parts = self.path.split("?")[0].strip("/").split("/")
        if parts[0] == "log":
            with LOCK:
                body = json.dumps(LOGS.get(parts[1], [])).encode()
            return self.reply(200, body)
        if parts[0] == "stats":
            with LOCK:
                body = json.dumps({"max_in_flight": MAX_IN_FLIGHT.get(parts[1], 0)}).encode()
            return self.reply(200, body)
        run, spec = parts[1], parts[2]
        self.record(run, b"")
        step = self.next_step(run, spec)
        if parts[0] == "imds":
            if self.headers.get("Metadata") != "true":
                return self.reply(400, b'{"error":"invalid_request","error_description":"Required metadata header not specified"}')
            if step in ("s410", "s500"):
                return self.reply(int(step[1:]), b'{"error":"unavailable"}')
            expires = str(int(time.time()) + 3600)
            body = {"access_token": make_jwt("https://api.loganalytics.io", int(expires)), "expires_on": expires,
                    "expires_in": "3599", "resource": "https://api.loganalytics.io", "token_type": "Bearer"}
            return self.reply(200, json.dumps(body).encode())
        if parts[0] == "appsvc":
            if self.headers.get("X-IDENTITY-HEADER") != "secret-header":
                return self.reply(401, b'{"error":"unauthorized"}')
            body = {"access_token": "appsvc-token", "expires_on": "11/05/2030 15:18:31 +00:00",
                    "resource": "https://api.loganalytics.io", "token_type": "Bearer"}
            return self.reply(200, json.dumps(body).encode())
        self.reply(404, b'{"error":{"code":"PathNotFoundError","message":"no such path"}}')

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length) if length else b""
        parts = self.path.split("?")[0].strip("/").split("/")
        run, spec = parts[1], parts[2]
        self.record(run, body)
        step = self.next_step(run, spec)
        if parts[0] == "token":
            return self.token(step, body)
        with LOCK:
            IN_FLIGHT[run] = IN_FLIGHT.get(run, 0) + 1
            MAX_IN_FLIGHT[run] = max(MAX_IN_FLIGHT.get(run, 0), IN_FLIGHT[run])
        try:
            return self.query(step, body)
        finally:
            with LOCK:
                IN_FLIGHT[run] -= 1

    def token(self, step, body):
        if step == "fail":
            return self.reply(401, fixture("entra-token-error-401"))
        form = urllib.parse.parse_qs(body.decode())
        scope = form.get("scope", [""])[0]
        audience = scope.replace("/.default", "")
        token = "expired-token" if step == "expired" else make_jwt(audience, int(time.time()) + 3600)
        reply = {"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": token}
        self.reply(200, json.dumps(reply).encode())

    def query(self, step, body):
        kind, _, rest = step.partition(".")
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        if kind == "ok":
            return self.reply(200, fixture(rest))
        if kind == "auth":
            if "expired" in token:
                error = {"error": {"code": "InvalidAuthenticationToken", "message": "The access token has expired.",
                                   "correlationId": "00000000-0000-4000-8000-00000000e401"}}
                return self.reply(401, json.dumps(error).encode(),
                                  {"WWW-Authenticate": 'Bearer error="invalid_token", error_description="expired"'})
            audience = jwt_audience(token)
            if audience is not None and audience != "https://api.loganalytics.io":
                error = {"error": {"code": "InvalidAuthenticationTokenAudience",
                                   "message": "The provided authentication token is not valid for this resource.",
                                   "correlationId": "00000000-0000-4000-8000-00000000e403"}}
                return self.reply(403, json.dumps(error).encode())
            return self.reply(200, fixture(rest))
        if kind == "gzip":
            return self.reply(200, gzip.compress(fixture(rest)), {"Content-Encoding": "gzip"})
        if kind == "chunked":
            return self.chunked(fixture(rest))
        if kind == "slowchunked":
            # 7-byte chunks spread over about 1.5 s: a body that trickles in.
            body = fixture(rest)
            return self.chunked(body, size=7, delay=1.5 / max(1, len(body) // 7 // 8), every=8)
        if kind == "dropchunked":
            return self.chunked(fixture(rest), size=64, delay=0, cut=True)
        if kind == "drop":
            data = fixture(rest)
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[:len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        if kind.startswith("s429"):
            headers = {"Retry-After": kind[6:]} if kind.startswith("s429ra") else {}
            return self.reply(429, b'{"error":{"code":"TooManyRequests","message":"throttled"}}', headers)
        if kind == "s504":
            return self.reply(504, fixture("gateway-timeout-504"), {"Preference-Applied": "wait=1"})
        if kind == "status":
            code, _, name = rest.partition(".")
            return self.reply(int(code), fixture(name))
        if kind == "empty":
            return self.reply(200, b"")
        if kind == "s204":
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if kind == "slices":
            return self.slices(rest, json.loads(body))
        if kind == "file":
            return self.file()
        self.reply(500, b'{"error":{"code":"UnknownStep","message":"unknown test step"}}')

    def slices(self, rest, request):
        numbers = [int(n) for n in rest.split(".")]
        total, limit = numbers[0], numbers[1]
        timeout_above = numbers[2] if len(numbers) > 2 else None
        start, end = (parse_instant(t) for t in request["timespan"].split("/"))
        first = max(0, int((start - BASE).total_seconds() + 0.999999))
        last = min(total, int((end - BASE).total_seconds() + 0.999999))
        indices = range(first, max(first, last))
        time.sleep(0.01)  # long enough for concurrent requests to overlap
        if request["query"].rstrip().endswith("| count"):
            table = {"name": "PrimaryResult", "columns": [{"name": "Count", "type": "long"}], "rows": [[len(indices)]]}
            return self.reply(200, json.dumps({"tables": [table]}).encode())
        if timeout_above is not None and len(indices) > timeout_above:
            return self.reply(504, fixture("gateway-timeout-504"))
        rows = [[(BASE + timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%SZ"), i] for i in indices[:limit]]
        table = {"name": "PrimaryResult", "columns": [{"name": "TimeGenerated", "type": "datetime"},
                                                      {"name": "Seq", "type": "long"}], "rows": rows}
        response = {"tables": [table]}
        if len(indices) > limit:
            response["error"] = {"code": "PartialError", "message": "There were some errors when processing your query.",
                                 "details": [{"code": "EngineError", "message": "Something went wrong.",
                                              "innererror": {"code": "-2133196797", "severity": 2,
                                                             "message": f"Query result set has exceeded the internal record count limit {limit} (E_QUERY_RESULT_SET_TOO_LARGE)"}}]}
        self.reply(200, json.dumps(response, separators=(",", ":")).encode())

    def file(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        with open(BODY_FILE, "rb") as handle:
            while True:
                piece = handle.read(1 << 16)
                if not piece:
                    break
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
        self.wfile.write(b"0\r\n\r\n")


def watch_parent():
    """Exits when stdin closes: the test that started us stopped or died."""
    try:
        while sys.stdin.buffer.read(4096):
            pass
    finally:
        os._exit(0)


def main():
    # A parent that blocks signals in its threads passes the mask on; take SIGTERM/SIGINT back.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if "--watch-stdin" in sys.argv:
        threading.Thread(target=watch_parent, daemon=True).start()
    # Never outlive a forgotten test run by more than ten minutes.
    threading.Timer(600, lambda: os._exit(0)).start()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
