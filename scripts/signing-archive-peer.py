#!/usr/bin/env python3
"""Independent auditor check of a PathProof evidence archive, sharing no code with PathProof.

  signing-archive-peer.py ARCHIVE.sqlite PUBLIC.pem [PROOFS.json]

Reads the SQLite file with Python's sqlite3 module, recomputes every RFC 6962 leaf hash from the
stored envelope bytes, recomputes the Merkle root for every checkpoint, checks each checkpoint's
DSSE signature over its C2SP body with `cryptography` (PAE rebuilt here), and runs
PRAGMA integrity_check. With PROOFS.json ({"inclusion": [...], "consistency": [...]} in the form
PathProof exports), also verifies those proofs with an RFC 9162 verifier written here.
Prints "ok ..." and exits 0, or prints each problem and exits 1.
"""
import base64
import hashlib
import json
import sqlite3
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def mth(hashes_: list) -> bytes:
    """RFC 6962 2.1 Merkle Tree Hash over already leaf-hashed entries."""
    if not hashes_:
        return hashlib.sha256(b"").digest()
    if len(hashes_) == 1:
        return hashes_[0]
    k = 1
    while k * 2 < len(hashes_):
        k *= 2
    return node_hash(mth(hashes_[:k]), mth(hashes_[k:]))


def verify_inclusion(index: int, size: int, leaf: bytes, proof: list, root: bytes) -> bool:
    """RFC 9162 2.1.3.2."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn % 2 == 1 or fn == sn:
            r = node_hash(p, r)
            if fn % 2 == 0:
                while fn % 2 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(size1: int, size2: int, root1: bytes, root2: bytes, proof: list) -> bool:
    """RFC 9162 2.1.4.2."""
    if size1 == 0 or size1 > size2:
        return False
    if size1 == size2:
        return not proof and root1 == root2
    if not proof:
        return False
    if size1 & (size1 - 1) == 0:
        proof = [root1] + proof
    fn, sn = size1 - 1, size2 - 1
    while fn % 2 == 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn % 2 == 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if fn % 2 == 0:
                while fn % 2 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == root1 and sr == root2


def dsse_verified_payload(envelope_bytes: bytes, public_key, payload_type: str):
    envelope = json.loads(envelope_bytes)
    payload = base64.b64decode(envelope["payload"])
    if envelope["payloadType"] != payload_type:
        return None
    kind = envelope["payloadType"].encode()
    pae = b"DSSEv1 %d %s %d %s" % (len(kind), kind, len(payload), payload)
    for signature in envelope["signatures"]:
        sig = base64.b64decode(signature["sig"])
        try:
            if isinstance(public_key, ed25519.Ed25519PublicKey):
                public_key.verify(sig, pae)
            else:
                public_key.verify(sig, pae, ec.ECDSA(hashes.SHA256()))
            return payload
        except InvalidSignature:
            continue
    return None


def signed_note_valid(note: str, body: str, name: str, public_key) -> bool:
    """C2SP signed-note, Ed25519 (type 0x01): body, blank line, '— name base64(hash4 || sig)'."""
    if not isinstance(public_key, ed25519.Ed25519PublicKey) or not note.startswith(body + "\n"):
        return False
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    key_hash = hashlib.sha256(name.encode() + b"\n\x01" + raw).digest()[:4]
    for line in note[len(body) + 1:].splitlines():
        dash, line_name, blob = line.split(" ")
        signature = base64.b64decode(blob)
        if dash != "\u2014" or line_name != name or signature[:4] != key_hash:
            continue
        try:
            public_key.verify(signature[4:], body.encode())
            return True
        except InvalidSignature:
            continue
    return False


def main() -> int:
    archive, public_path = sys.argv[1], sys.argv[2]
    with open(public_path, "rb") as handle:
        public_key = serialization.load_pem_public_key(handle.read())
    db = sqlite3.connect(f"file:{archive}?mode=ro", uri=True)
    problems = []
    integrity = [row[0] for row in db.execute("PRAGMA integrity_check")]
    if integrity != ["ok"]:
        problems.append("integrity_check: " + "; ".join(integrity))
    rows = db.execute("SELECT idx, leaf_hash, envelope FROM leaves ORDER BY idx").fetchall()
    leaves = []
    for position, (idx, stored, envelope) in enumerate(rows):
        if idx != position:
            problems.append(f"leaf index {idx} at position {position}")
        computed = leaf_hash(envelope)
        if computed != stored:
            problems.append(f"leaf {idx}: stored hash differs from SHA-256(0x00 || envelope)")
        leaves.append(computed)
    roots = {}
    notes = 0
    for size, body, envelope, note in db.execute("SELECT size, body, envelope, note FROM checkpoints ORDER BY size"):
        payload = dsse_verified_payload(envelope, public_key, "application/vnd.pathproof.tlog-checkpoint+text")
        if payload is None or payload.decode() != body:
            problems.append(f"checkpoint {size}: signature does not verify over its body")
            continue
        origin, signed_size, root_b64 = body.rstrip("\n").split("\n")
        if note is not None:
            notes += 1
            if not signed_note_valid(note, body, origin, public_key):
                problems.append(f"checkpoint {size}: the C2SP signed note does not verify")
        root = base64.b64decode(root_b64)
        roots[int(signed_size)] = root
        if int(signed_size) > len(leaves) or mth(leaves[: int(signed_size)]) != root:
            problems.append(f"checkpoint {signed_size}: root does not match the archived leaves")
    if len(sys.argv) > 3:
        with open(sys.argv[3]) as handle:
            proofs = json.load(handle)
        decode = lambda items: [base64.b64decode(item) for item in items]  # noqa: E731
        for proof in proofs.get("inclusion", []):
            root = base64.b64decode(proof["root"])
            ok = verify_inclusion(proof["leaf_index"], proof["tree_size"], base64.b64decode(proof["leaf_hash"]),
                                  decode(proof["audit_path"]), root)
            if not ok or roots.get(proof["tree_size"]) != root:
                problems.append(f"inclusion proof for leaf {proof['leaf_index']} fails")
        for proof in proofs.get("consistency", []):
            root1, root2 = base64.b64decode(proof["from_root"]), base64.b64decode(proof["to_root"])
            ok = verify_consistency(proof["from_size"], proof["to_size"], root1, root2, decode(proof["proof"]))
            if not ok or roots.get(proof["from_size"]) != root1 or roots.get(proof["to_size"]) != root2:
                problems.append(f"consistency proof {proof['from_size']} -> {proof['to_size']} fails")
    if problems:
        print("\n".join(problems))
        return 1
    print(f"ok {len(leaves)} leaves, {len(roots)} signed checkpoints, {notes} signed notes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
