#!/usr/bin/env python3
"""Independent peer for the EvidenceAnalysis tests: decides accesses and claim violations from
the same rows with its own code (Python standard library only) and prints what it found.

  analyzer-peer.py CASE.json

CASE.json: {"policy": {"vaults", "operations", "enterprisePolicies", "perimeters"},
            "window": {"from", "to"}, "rows": [{"time", "vault", "operation", "status",
            "callerIp", "correlationId", "requestUri", "objectId", "enterprisePolicy",
            "perimeter"}, ...]}
Prints {"accesses": N, "duplicates": N, "blocked": N, "violations": [[correlationId, rule], ...]}.
Rules: an access is an in-scope operation on an in-scope vault in [from, to) answered 2xx; the
perimeter claim must parse to a non-empty JSON list of expected GUIDs; xms_mirid must name an
expected enterprise policy (ARM ids compared case-insensitively, empty segments ignored).
"""
import json
import sys
import uuid
from datetime import datetime


def when(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def arm(text):
    return "/".join(part for part in text.strip().lower().split("/") if part)


def guid(text):
    try:
        return str(uuid.UUID(text.strip()))
    except ValueError:
        return text.strip().lower()


def perimeter_rule(text, expected):
    if text.strip() == "":
        return "perimeter-claim-absent"
    try:
        value = json.loads(text)
    except ValueError:
        return "perimeter-claim-unparsable"
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return "perimeter-claim-unparsable"
    if not value:
        return "perimeter-claim-empty"
    if any(guid(item) not in expected for item in value):
        return "perimeter-not-expected"
    return None


def policy_rule(text, expected):
    if text.strip() == "":
        return "enterprise-policy-claim-absent"
    if arm(text) not in expected:
        return "enterprise-policy-unexpected"
    return None


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        case = json.load(handle)
    policy = case["policy"]
    vaults = {vault.lower() for vault in policy["vaults"]}
    operations = {operation.lower() for operation in policy["operations"]}
    policies = {arm(item) for item in policy["enterprisePolicies"]}
    perimeters = {guid(item) for item in policy["perimeters"]}
    start, end = when(case["window"]["from"]), when(case["window"]["to"])

    seen = set()
    duplicates = accesses = blocked = 0
    violations = []
    for row in case["rows"]:
        key = (row["vault"].lower(), row["operation"].lower(), when(row["time"]), row["correlationId"].lower(),
               row["requestUri"], row["callerIp"], row["objectId"].lower(), row["status"])
        if key in seen:
            duplicates += 1
            continue
        seen.add(key)
        if not (start <= when(row["time"]) < end):
            continue
        if row["operation"].lower() not in operations or row["vault"].lower() not in vaults:
            continue
        status = row["status"]
        if status is None:
            continue
        if status in (401, 403):
            blocked += 1
        if not 200 <= status <= 299:
            continue
        accesses += 1
        for rule in (perimeter_rule(row["perimeter"], perimeters), policy_rule(row["enterprisePolicy"], policies)):
            if rule:
                violations.append([row["correlationId"].lower(), rule])
    violations.sort()
    print(json.dumps({"accesses": accesses, "duplicates": duplicates, "blocked": blocked,
                      "violations": violations}))


if __name__ == "__main__":
    main()
