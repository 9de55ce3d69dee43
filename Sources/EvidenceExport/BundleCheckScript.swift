/// The auditor's checking tool shipped in every bundle: tools/check_bundle.py (Python standard library).

/// The Python checker written to `tools/check_bundle.py`; VERIFY.md explains it and the openssl loop after it.
///
/// It is independent of PathProof: it recomputes digests, Merkle proofs (RFC 9162) and DSSE
/// pre-authentication encodings from the files alone, and leaves the signature checks to openssl.
enum BundleCheckScript {
    static let text = #"""
        #!/usr/bin/env python3
        """Checks a PathProof export bundle with the Python standard library only (no PathProof needed).

        Usage: python3 tools/check_bundle.py BUNDLE_DIR OUT_DIR

        Checks: every file's size and SHA-256 against MANIFEST.json; no file missing or unlisted; that
        MANIFEST.dsse.json signs exactly MANIFEST.json; that each report.dsse.json's in-toto Statement names
        the SHA-256 of report.json and of every raw result file in results/ (and nothing else is there); that
        log/checkpoint.dsse.json signs exactly log/checkpoint.txt; every
        inclusion proof (leaf = the exact report.dsse.json bytes) and the consistency proof (RFC 9162).
        The signatures themselves are checked by openssl: for each envelope this writes the DSSE
        pre-authentication encoding (PAE) and the signature bytes to OUT_DIR and lists them, with the key
        to use, in OUT_DIR/signatures.tsv for the openssl loop in VERIFY.md. Exit status 0 when all holds.
        """
        import base64
        import glob
        import hashlib
        import json
        import os
        import sys


        def sha256(data):
            return hashlib.sha256(data).digest()


        def leaf_hash(data):
            return sha256(b"\x00" + data)


        def node_hash(left, right):
            return sha256(b"\x01" + left + right)


        def pae(payload_type, payload):
            kind = payload_type.encode()
            return b"DSSEv1 %d %s %d %s" % (len(kind), kind, len(payload), payload)


        def root_from_inclusion(index, size, leaf, path):
            """RFC 9162 section 2.1.3.2."""
            if index >= size:
                raise ValueError("leaf index %d is not below tree size %d" % (index, size))
            fn, sn, r = index, size - 1, leaf
            for p in path:
                if sn == 0:
                    raise ValueError("the audit path is too long")
                if fn & 1 or fn == sn:
                    r = node_hash(p, r)
                    while not fn & 1 and fn != 0:
                        fn >>= 1
                        sn >>= 1
                else:
                    r = node_hash(r, p)
                fn >>= 1
                sn >>= 1
            if sn != 0:
                raise ValueError("the audit path is too short")
            return r


        def check_consistency(size1, size2, root1, root2, proof):
            """RFC 9162 section 2.1.4.2."""
            if size1 == size2:
                return not proof and root1 == root2
            if size1 < 1 or size1 > size2 or not proof:
                return False
            if size1 & (size1 - 1) == 0:
                proof = [root1] + proof
            fn, sn = size1 - 1, size2 - 1
            while fn & 1:
                fn >>= 1
                sn >>= 1
            fr = sr = proof[0]
            for c in proof[1:]:
                if sn == 0:
                    return False
                if fn & 1 or fn == sn:
                    fr = node_hash(c, fr)
                    sr = node_hash(c, sr)
                    while not fn & 1 and fn != 0:
                        fn >>= 1
                        sn >>= 1
                else:
                    sr = node_hash(sr, c)
                fn >>= 1
                sn >>= 1
            return fr == root1 and sr == root2 and sn == 0


        def read(bundle, relative):
            with open(os.path.join(bundle, relative), "rb") as handle:
                return handle.read()


        def check_raw_results(bundle, directory, names, problems):
            """Each results/... subject of the signed Statement is a file with that SHA-256; nothing else."""
            for name, digest in sorted(names.items()):
                if not name or not name.startswith("results/"):
                    continue
                path = directory + "/" + name
                file_name = name[len("results/"):]
                if not file_name or "/" in file_name or file_name.startswith("."):
                    problems.append("%s: the signed subject name is not a safe file name" % path)
                    continue
                try:
                    data = read(bundle, path)
                except OSError:
                    problems.append("%s: the raw result the signed Statement names is missing" % path)
                    continue
                if hashlib.sha256(data).hexdigest() != digest:
                    problems.append("%s: its SHA-256 is not the signed subject's" % path)
            folder = os.path.join(bundle, directory, "results")
            if os.path.isdir(folder):
                for file_name in sorted(os.listdir(folder)):
                    if "results/" + file_name not in names:
                        problems.append("%s/results/%s: not a raw result the signed Statement names"
                                        % (directory, file_name))


        def main(bundle, out_dir):
            problems = []
            os.makedirs(out_dir, exist_ok=True)
            keys = {}
            for path in sorted(glob.glob(os.path.join(bundle, "keys", "*.pem"))):
                text = open(path).read()
                body = "".join(line for line in text.splitlines() if not line.startswith("-----"))
                der = base64.b64decode(body)
                algorithm = "ed25519" if b"\x06\x03\x2b\x65\x70" in der else "ecdsa-p256"
                keys[hashlib.sha256(der).hexdigest()] = (path, algorithm)
            signatures = []

            def envelope(relative, expected_payload=None):
                data = json.loads(read(bundle, relative))
                payload = base64.b64decode(data["payload"])
                if expected_payload is not None and payload != expected_payload:
                    problems.append("%s: the signed payload differs from the file it should sign" % relative)
                for number, signature in enumerate(data["signatures"]):
                    stem = relative.replace("/", "_") + ".%d" % number
                    with open(os.path.join(out_dir, stem + ".pae"), "wb") as handle:
                        handle.write(pae(data["payloadType"], payload))
                    with open(os.path.join(out_dir, stem + ".sig"), "wb") as handle:
                        handle.write(base64.b64decode(signature["sig"]))
                    key = keys.get(signature.get("keyid", ""))
                    if key is None:
                        problems.append("%s: no key in keys/ has keyid %s" % (relative, signature.get("keyid")))
                        continue
                    signatures.append("\t".join([relative, os.path.join(out_dir, stem + ".pae"),
                                                 os.path.join(out_dir, stem + ".sig"), key[0], key[1]]))
                return data["payloadType"], payload

            manifest_bytes = read(bundle, "MANIFEST.json")
            manifest = json.loads(manifest_bytes)
            kind, _ = envelope("MANIFEST.dsse.json", manifest_bytes)
            if kind != "application/vnd.pathproof.export-manifest+json":
                problems.append("MANIFEST.dsse.json: unexpected payloadType %s" % kind)
            listed = set()
            for entry in manifest["files"]:
                listed.add(entry["path"])
                try:
                    data = read(bundle, entry["path"])
                except OSError:
                    problems.append("%s: listed in MANIFEST.json but missing" % entry["path"])
                    continue
                if len(data) != entry["size"]:
                    problems.append("%s: size %d, MANIFEST.json says %d" % (entry["path"], len(data), entry["size"]))
                if hashlib.sha256(data).hexdigest() != entry["sha256"]:
                    problems.append("%s: SHA-256 differs from MANIFEST.json" % entry["path"])
            for root, _, names in os.walk(bundle):
                for name in names:
                    relative = os.path.relpath(os.path.join(root, name), bundle)
                    if relative not in listed and relative not in ("MANIFEST.json", "MANIFEST.dsse.json"):
                        problems.append("%s: not listed in MANIFEST.json" % relative)

            checkpoint_text = read(bundle, "log/checkpoint.txt")
            envelope("log/checkpoint.dsse.json", checkpoint_text)
            origin, size_text, root_text = checkpoint_text.decode().splitlines()[:3]
            tree_size, tree_root = int(size_text), base64.b64decode(root_text)

            for report in manifest["reports"]:
                directory = report["directory"]
                envelope_bytes = read(bundle, directory + "/report.dsse.json")
                _, statement_bytes = envelope(directory + "/report.dsse.json")
                if os.path.exists(os.path.join(bundle, directory, "report.json")):
                    digest = hashlib.sha256(read(bundle, directory + "/report.json")).hexdigest()
                    statement = json.loads(statement_bytes)
                    names = {s.get("name"): s.get("digest", {}).get("sha256") for s in statement["subject"]}
                    if names.get("report.json") != digest:
                        problems.append("%s/report.json: its SHA-256 is not the signed subject" % directory)
                    check_raw_results(bundle, directory, names, problems)
                proof = json.loads(read(bundle, directory + "/inclusion.json"))
                leaf = leaf_hash(envelope_bytes)
                if base64.b64decode(proof["leaf_hash"]) != leaf:
                    problems.append("%s/inclusion.json: leaf hash is not that of report.dsse.json" % directory)
                try:
                    path = [base64.b64decode(h) for h in proof["audit_path"]]
                    root = root_from_inclusion(proof["leaf_index"], proof["tree_size"], leaf, path)
                    if root != tree_root or proof["tree_size"] != tree_size:
                        problems.append("%s/inclusion.json: does not lead to the checkpoint root" % directory)
                except ValueError as error:
                    problems.append("%s/inclusion.json: %s" % (directory, error))

            if os.path.exists(os.path.join(bundle, "log/consistency.json")):
                proof = json.loads(read(bundle, "log/consistency.json"))
                hashes = [base64.b64decode(h) for h in proof["proof"]]
                from_root = base64.b64decode(proof["from_root"])
                if proof["to_size"] != tree_size or base64.b64decode(proof["to_root"]) != tree_root:
                    problems.append("log/consistency.json: does not end at the checkpoint")
                if not check_consistency(proof["from_size"], proof["to_size"], from_root, tree_root, hashes):
                    problems.append("log/consistency.json: the consistency proof does not verify")
                if os.path.exists(os.path.join(bundle, "log/since-checkpoint.txt")):
                    earlier = read(bundle, "log/since-checkpoint.txt")
                    envelope("log/since-checkpoint.dsse.json", earlier)
                    lines = earlier.decode().splitlines()
                    if int(lines[1]) != proof["from_size"] or base64.b64decode(lines[2]) != from_root:
                        problems.append("log/since-checkpoint.txt: differs from the consistency proof's start")

            with open(os.path.join(out_dir, "signatures.tsv"), "w") as handle:
                handle.write("".join(line + "\n" for line in signatures))
            print("log %s, checkpoint size %d; %d files listed; %d signatures to check with openssl"
                  % (origin, tree_size, len(listed), len(signatures)))
            print("signing keys (compare with the fingerprint published to you): " + ", ".join(sorted(keys)))
            for problem in problems:
                print("PROBLEM: " + problem)
            print("digests and proofs: " + ("OK" if not problems else "FAILED"))
            return 0 if not problems else 1


        if __name__ == "__main__":
            if len(sys.argv) != 3:
                sys.exit("usage: check_bundle.py BUNDLE_DIR OUT_DIR")
            sys.exit(main(sys.argv[1], sys.argv[2]))

        """#
}
