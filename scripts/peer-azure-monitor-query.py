#!/usr/bin/env python3
"""Test peer: the official azure-monitor-query SDK decodes query response bodies, cell by cell.

Each body is served, with its HTTP status, by a loopback HTTP server on 127.0.0.1 that this script
starts; the SDK's own LogsQueryClient (with a fixed fake token, retries off, https enforcement off
because the loopback has no TLS) sends its real POST /v1/workspaces/{id}/query to it, so the SDK's
whole response path runs: azure-core's HTTP pipeline, response.json(), the generated deserializer,
and LogsTable/LogsTableRow typing (datetime through its ISO parser, timespan/guid as str).

Input (stdin): a JSON array of {"path": FILE, "status": HTTP_STATUS}.
Output (stdout): one JSON object {"sdk": VERSION, "results": [...]}, a result per input in order:
  {"path", "outcome": "success" | "partial" | "http-error" | "failed", "tables": [...],
   "error": {...} or null}
with each table {"name", "columns", "types", "rows"} and each cell tagged by its Python type:
  null; {"bool": b}; {"int": "decimal digits"} (exact, any size); {"float": float.hex()} (exact bits,
  "nan"/"inf"/"-inf"); {"str": s}; {"datetime": isoformat, "micros": microseconds since
  0001-01-01T00:00:00Z}; {"json": value} for a dict or list.
"""
import datetime
import http.server
import json
import sys
import threading
import time

from azure.core.credentials import AccessToken, AccessTokenInfo
from azure.core.exceptions import HttpResponseError
from azure.monitor.query import LogsQueryClient, LogsQueryStatus
from azure.monitor.query import _version as sdk_version

EPOCH = datetime.datetime(1, 1, 1, tzinfo=datetime.timezone.utc)


class FakeCredential:
    """A token credential that never leaves the machine."""

    def get_token(self, *scopes, **kwargs):
        return AccessToken("peer-token", int(time.time()) + 3600)

    def get_token_info(self, *scopes, **kwargs):
        return AccessTokenInfo("peer-token", int(time.time()) + 3600)


class Replay:
    """What the loopback server answers next (one body at a time)."""

    status = 200
    body = b""


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's naming)
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        self.send_response(Replay.status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(Replay.body)))
        self.end_headers()
        self.wfile.write(Replay.body)

    def log_message(self, *args):
        pass


def cell(value):
    """A Python value the SDK produced, tagged by its type, exactly."""
    if value is None:
        return None
    if isinstance(value, bool):
        return {"bool": value}
    if isinstance(value, int):
        return {"int": str(value)}
    if isinstance(value, float):
        return {"float": value.hex()}
    if isinstance(value, str):
        return {"str": value}
    if isinstance(value, datetime.datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)
        micros = (aware - EPOCH) // datetime.timedelta(microseconds=1)
        return {"datetime": value.isoformat(), "micros": micros}
    if isinstance(value, (dict, list)):
        return {"json": value}
    return {"other": type(value).__name__, "repr": repr(value)}


def table(logs_table):
    return {
        "name": logs_table.name,
        "columns": list(logs_table.columns),
        "types": list(logs_table.columns_types),
        "rows": [[cell(value) for value in row] for row in logs_table.rows],
    }


def decode(client, item):
    with open(item["path"], "rb") as handle:
        Replay.body = handle.read()
    Replay.status = item.get("status", 200)
    result = {"path": item["path"], "tables": [], "error": None}
    try:
        answer = client.query_workspace("peer", "peer", timespan=None, enforce_https=False)
    except HttpResponseError as error:
        result["outcome"] = "http-error"
        result["error"] = {"status": error.status_code, "code": getattr(error.error, "code", None)}
        return result
    except Exception as error:  # the SDK could not read the body at all
        result["outcome"] = "failed"
        result["error"] = {"type": type(error).__name__, "message": str(error)[:300]}
        return result
    if answer.status == LogsQueryStatus.PARTIAL:
        result["outcome"] = "partial"
        result["tables"] = [table(t) for t in answer.partial_data or []]
        result["error"] = {"code": answer.partial_error.code}
    else:
        result["outcome"] = "success"
        result["tables"] = [table(t) for t in answer.tables or []]
    return result


def main():
    items = json.load(sys.stdin)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = LogsQueryClient(
            FakeCredential(), endpoint=f"http://127.0.0.1:{server.server_address[1]}", retry_total=0)
        results = [decode(client, item) for item in items]
    finally:
        server.shutdown()
    json.dump({"sdk": sdk_version.VERSION, "results": results}, sys.stdout, allow_nan=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
