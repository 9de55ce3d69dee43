#!/usr/bin/env python3
"""DSSE peer for the EvidenceSigning tests: securesystemslib verifies PathProof's envelopes and
signs envelopes for PathProof to verify. Shares no code with PathProof.

  verify PUBLIC.pem ENVELOPE.json... - securesystemslib Envelope.verify of each envelope with the
                                      key; the keyid is SHA-256 of the key's DER
                                      SubjectPublicKeyInfo, as PathProof writes it. Prints one
                                      line per envelope; exit 0 when all verified, else 1.
  pae TYPE PAYLOAD_FILE             - prints securesystemslib's PAE bytes (hex).
  statement ENVELOPE.json            - checks the envelope's payload with in-toto-attestation's
                                      Statement v1 validator. Exit 0 valid, 1 refused.
  sign ed25519|ecdsa TYPE PAYLOAD_FILE OUT_DIR
                                    - makes a key with `cryptography`, signs with
                                      securesystemslib, writes envelope.json and public.pem.
"""
import base64
import hashlib
import json
import sys

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from securesystemslib import dsse
from securesystemslib.signer import CryptoSigner, SSlibKey


def spki_keyid(public_key) -> str:
    der = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()


def verify(public_path: str, *envelope_paths: str) -> int:
    with open(public_path, "rb") as handle:
        public_key = serialization.load_pem_public_key(handle.read())
    key = SSlibKey.from_crypto(public_key, keyid=spki_keyid(public_key))
    all_verified = True
    for envelope_path in envelope_paths:
        with open(envelope_path, "rb") as handle:
            envelope = dsse.Envelope.from_dict(json.load(handle))
        try:
            accepted = envelope.verify([key], 1)
            print(f"{envelope_path}: verified by {','.join(accepted)} scheme {key.scheme}")
        except Exception as error:  # securesystemslib raises VerificationError
            print(f"{envelope_path}: refused: {type(error).__name__}: {error}")
            all_verified = False
    return 0 if all_verified else 1


def statement(envelope_path: str) -> int:
    from google.protobuf import json_format
    from in_toto_attestation.v1.statement import Statement
    from in_toto_attestation.v1.statement_pb2 import Statement as StatementMessage

    with open(envelope_path, "rb") as handle:
        envelope = json.load(handle)
    if envelope["payloadType"] != "application/vnd.in-toto+json":
        print("refused: payloadType is " + envelope["payloadType"])
        return 1
    try:
        message = json_format.Parse(base64.b64decode(envelope["payload"]), StatementMessage())
        Statement.copy_from_pb(message).validate()
    except Exception as error:  # protobuf ParseError or the validator's ValueError
        print(f"refused: {error}")
        return 1
    print("valid in-toto Statement v1")
    return 0


def pae(payload_type: str, payload_path: str) -> int:
    with open(payload_path, "rb") as handle:
        envelope = dsse.Envelope(handle.read(), payload_type, {})
    print(envelope.pae().hex())
    return 0


def sign(algorithm: str, payload_type: str, payload_path: str, out_dir: str) -> int:
    private_key = ed25519.Ed25519PrivateKey.generate() if algorithm == "ed25519" else ec.generate_private_key(
        ec.SECP256R1())
    public_key = private_key.public_key()
    signer = CryptoSigner(private_key, SSlibKey.from_crypto(public_key, keyid=spki_keyid(public_key)))
    with open(payload_path, "rb") as handle:
        envelope = dsse.Envelope(handle.read(), payload_type, {})
    envelope.sign(signer)
    with open(out_dir + "/envelope.json", "w") as handle:
        json.dump(envelope.to_dict(), handle)
    with open(out_dir + "/public.pem", "wb") as handle:
        handle.write(public_key.public_bytes(serialization.Encoding.PEM,
                                             serialization.PublicFormat.SubjectPublicKeyInfo))
    print(spki_keyid(public_key))
    return 0


def main() -> int:
    command, arguments = sys.argv[1], sys.argv[2:]
    if command == "verify":
        return verify(*arguments)
    if command == "statement":
        return statement(*arguments)
    if command == "pae":
        return pae(*arguments)
    if command == "sign":
        return sign(*arguments)
    print(f"unknown command {command}", file=sys.stderr)
    return 64


if __name__ == "__main__":
    sys.exit(main())
