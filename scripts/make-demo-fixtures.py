#!/usr/bin/env python3
"""Writes the SYNTHETIC demo fixtures under Fixtures/demo/ (deterministic; re-run to regenerate).

The records imitate Key Vault AuditEvent records as diagnostic settings write them to storage
(PT1H.json, JSON Lines), for Power Platform customer-managed-key (CMK) traffic. Nothing here is
real service output.
"""
import json
import os
import random
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "demo")
SUB = "00000000-0000-0000-0000-00000000a001"
TENANT = "00000000-0000-0000-0000-00000000a0f1"
RG = "RG-PP-CMK"
VAULT = "KV-CONTOSO-CMK"
RESOURCE_ID = f"/SUBSCRIPTIONS/{SUB.upper()}/RESOURCEGROUPS/{RG}/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/{VAULT}"
POLICY = (f"/subscriptions/{SUB}/resourcegroups/rg-pp-cmk/providers/"
          "Microsoft.PowerPlatform/enterprisePolicies/ep-contoso-cmk-weu")
POLICY_OID = "00000000-0000-0000-0000-00000000b001"
PERIMETER = "6a1f3c52-7d0e-4b8a-9c31-2f4e5d6a7b80"
UAMI = (f"/subscriptions/{SUB}/resourcegroups/rg-plugins/providers/"
        "Microsoft.ManagedIdentity/userAssignedIdentities/uami-plugin-connector")
UAMI_OID = "00000000-0000-0000-0000-00000000c001"
KEY_URI = f"https://{VAULT.lower()}.vault.azure.net/keys/pp-cmk-key/0123456789abcdef0123456789abcdef"


def record(time, op, status, signature, *, mirid=POLICY, oid=POLICY_OID, perimeter=(PERIMETER,),
           ip="", addr_auth="TrustedService", trusted="Microsoft PowerPlatform", description="",
           with_perimeter_claim=True, correlation=None):
    claim = {
        "oid": oid,
        "appid": "00000000-0000-0000-0000-00000000d001",
        "appidacr": "2",
        "idtyp": "app",
        "iss": f"https://sts.windows.net/{TENANT}/",
        "xms_mirid": mirid,
    }
    if with_perimeter_claim:
        claim["xms_az_nwperimid"] = list(perimeter)
    properties = {
        "id": KEY_URI if op.startswith("Key") else f"https://{VAULT.lower()}.vault.azure.net/",
        "clientInfo": "PowerPlatform-CMK/1.0",
        "requestUri": (KEY_URI + f"/{op[3:].lower()}key?api-version=7.4") if op.startswith("Key")
        else f"https://management.azure.com{RESOURCE_ID.lower()}?api-version=2023-07-01",
        "httpStatusCode": status,
        "tlsVersion": "TLS1_3",
        "isRbacAuthorized": True,
        "addrAuthType": addr_auth,
        "isAddressAuthorized": status < 400,
    }
    if trusted:
        properties["trustedService"] = trusted
    return {
        "time": time,
        "category": "AuditEvent",
        "operationName": op,
        "resultType": "Success",
        "correlationId": correlation or "",
        "callerIpAddress": ip,
        "identity": {"claim": claim},
        "properties": properties,
        "resourceId": RESOURCE_ID,
        "operationVersion": "7.4",
        "resultSignature": signature,
        "resultDescription": description,
        "durationMs": str(random.randint(8, 60)),
    }


def stamp(day, hour, minute, second=0, fraction=""):
    return f"2026-11-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}{fraction}Z"


def hourly_blob(base, hour_records, day, hour):
    path = os.path.join(base, f"resourceId={RESOURCE_ID}", "y=2026", "m=11", f"d={day:02d}", f"h={hour:02d}",
                        "m=00", "PT1H.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as out:
        for item in hour_records:
            out.write(json.dumps(item, separators=(",", ":")) + "\n")


def cmk_hour(day, hour, **overrides):
    """One hour of ordinary CMK traffic: a VaultGet sign of life and key operations every 10 minutes."""
    with_claim = overrides.get("with_perimeter_claim", True)
    items = [record(stamp(day, hour, 0, 5), "VaultGet", 200, "OK", trusted="", addr_auth="PublicIP",
                    mirid="", oid="00000000-0000-0000-0000-00000000e001", ip="198.51.100.20", perimeter=(),
                    with_perimeter_claim=with_claim)]
    for minute in range(2, 60, 10):
        op = ["KeyGet", "KeyUnwrap", "KeyWrap"][(minute // 10) % 3]
        items.append(record(stamp(day, hour, minute, 17, ".1234567"), op, 200, "OK",
                            correlation=f"00000000-0000-4000-8000-{day:02d}{hour:02d}{minute:02d}000000",
                            **overrides))
    return items


def main():
    random.seed(7)
    demo = os.path.join(ROOT, "contoso-cmk")
    # Window 1, 2026-11-02 08:00-12:00 UTC: every access by the enterprise policy, trusted-service route,
    # perimeter claim present.
    for hour in range(8, 12):
        hourly_blob(demo, cmk_hour(2, hour), 2, hour)
    # Window 2, 2026-11-02 12:00-16:00 UTC: ordinary traffic plus the planted faults.
    for hour in range(12, 16):
        items = cmk_hour(2, hour)
        if hour == 13:
            # Fault 1: an unwrap with an empty perimeter claim ("[]") from a public IP.
            items.append(record(stamp(2, 13, 41, 9), "KeyUnwrap", 200, "OK", perimeter=(), ip="203.0.113.50",
                                addr_auth="PublicIP", trusted="", correlation="fault-1-empty-perimeter"))
            # Fault 2: an unwrap refused with 403 but logged with ResultType Success (a blocked attempt).
            items.append(record(stamp(2, 13, 44, 30), "KeyUnwrap", 403, "Forbidden", ip="203.0.113.51",
                                addr_auth="PublicIP", trusted="", correlation="fault-2-forbidden",
                                description="Client address is not authorized and caller is not a trusted "
                                            "service."))
        if hour == 14:
            # Fault 3: a wrap by a user-assigned identity that the policy does not name.
            items.append(record(stamp(2, 14, 27, 51), "KeyWrap", 200, "OK", mirid=UAMI, oid=UAMI_OID,
                                ip="10.20.1.37", addr_auth="PrivateEndpoint", trusted="",
                                correlation="fault-3-foreign-identity"))
        hourly_blob(demo, items, 2, hour)

    # Fault 4, a workspace of its own: the tokens never carried the perimeter claim, so the
    # identity_claim_xms_az_nwperimid_s column does not exist in AzureDiagnostics at all.
    legacy = os.path.join(ROOT, "no-perimeter-column")
    for hour in range(8, 10):
        hourly_blob(legacy, cmk_hour(2, hour, with_perimeter_claim=False), 2, hour)

    policy = {
        "enterprisePolicies": [POLICY.replace("resourcegroups", "resourceGroups")],
        "perimeters": [PERIMETER.upper()],
        "vaults": [VAULT.lower()],
        "operations": ["KeyGet", "KeyWrap", "KeyUnwrap"],
    }
    with open(os.path.join(ROOT, "policy.json"), "w") as out:
        json.dump(policy, out, indent=2)
        out.write("\n")


if __name__ == "__main__":
    sys.exit(main())
