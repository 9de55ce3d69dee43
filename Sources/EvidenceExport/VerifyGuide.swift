/// VERIFY.md: how an auditor checks the bundle with the openssl CLI and Python, without PathProof.

/// Renders VERIFY.md.
enum VerifyGuide {
    /// What the bundle says about raw query results.
    static let rawResultsStatement =
        "each report's raw query results are in its results/ folder, byte for byte as archived (for Log "
        + "Analytics, the response bodies the service returned), and each one is a subject of the report's "
        + "signed in-toto Statement; a report archived before PathProof kept raw results has none and its "
        + "Statement names none"

    /// The Python checker's text.
    static var script: String { BundleCheckScript.text }

    /// The directory of the first exported report, for the worked example of step 4.
    static func exampleLeaf(_ context: RenderContext) -> String {
        context.reports.first.map { "reports/leaf-\($0.index)" } ?? "reports/leaf-N"
    }

    static func render(_ context: RenderContext) -> String {
        """
        # Checking this PathProof evidence bundle

        This bundle holds \(context.reports.count) signed verification report(s) whose window intersects
        \(context.window.from.apiText) to \(context.window.to.apiText) (end exclusive), copied from a
        tamper-evident archive (an RFC 6962 Merkle log) whose latest signed checkpoint covers
        \(context.checkpointSize) leaves. You need only `openssl` (1.1.1 or 3.x) and `python3` (standard
        library); nothing here asks you to run PathProof.

        ## What is here

        | file | what it is |
        |---|---|
        | `MANIFEST.json` | every other file with its size and SHA-256 (RFC 8785 canonical JSON) |
        | `MANIFEST.dsse.json` | DSSE envelope whose payload is exactly `MANIFEST.json`, signed by the export key |
        | `keys/signing-key.pub.pem`, `keys/keyid.txt` | the export key (SPKI PEM) and its keyid |
        | `keys/<keyid>.pub.pem` | other keys that signed archived reports or checkpoints, if any |
        | `reports/leaf-N/report.json` | the report at archive leaf N (canonical JSON, as signed) |
        | `reports/leaf-N/report.dsse.json` | its DSSE envelope (in-toto Statement v1), byte for byte the archive leaf |
        | `reports/leaf-N/inclusion.json` | inclusion proof of that leaf in the checkpoint below |
        | `reports/leaf-N/queries/*.kql` | the exact KQL text each query ran (also inside report.json) |
        | `reports/leaf-N/results/*.json` | the rows each query returned, as a Log Analytics query API response |
        | `log/checkpoint.txt`, `log/checkpoint.dsse.json` | the latest checkpoint (C2SP text) and its signature |
        | `log/consistency.json` | with `--since-checkpoint`: proof that an earlier checkpoint is a prefix |
        | `log/since-checkpoint.txt`, `.dsse.json` | that earlier checkpoint and its signature, when stored |
        | `summary.md`, `report.html` | human-readable renderings (not evidence; derived from report.json) |
        | `findings.ocsf.ndjson` | OCSF 1.5.0 Compliance Findings (class_uid 2003), one per line |
        | `TEST-pathproof.xml` | JUnit XML: one testcase per access, failures for violations |
        | `tools/check_bundle.py` | the checker used below; read it, it is short |

        Raw query results: \(rawResultsStatement). Each file is
        `{"tables":[{"name","columns":[{"name","type"}],"rows":[...]}]}`; `queries[].results` in
        report.json lists its files with their SHA-256, size and row count. To re-derive a verdict
        from source, re-run the KQL in `queries/` against the same workspace and window and compare.

        ## 1. Decide which key you trust

        `keys/` comes with the bundle, so by itself it proves integrity, not authorship. Compare
        the keyid printed by step 2 (and in `keys/keyid.txt`) with the fingerprint your organisation
        published for its PathProof signing key. A keyid is the SHA-256 of the key's DER
        SubjectPublicKeyInfo, which you can recompute:

        ```sh
        openssl pkey -pubin -in keys/signing-key.pub.pem -outform DER | openssl dgst -sha256
        ```

        ## 2. Digests, Merkle proofs and what each signature covers

        ```sh
        python3 tools/check_bundle.py . /tmp/pathproof-check
        ```

        This checks every size and SHA-256 in `MANIFEST.json` (and that no file is missing or
        unlisted), that `MANIFEST.dsse.json` signs exactly `MANIFEST.json`, that each report's signed
        in-toto Statement names the SHA-256 of its `report.json` and of each raw result in its
        `results/` (which holds nothing else), that the checkpoint envelope signs
        exactly `log/checkpoint.txt`, and every inclusion proof (the leaf is SHA-256 of 0x00 followed by
        the bytes of `report.dsse.json`) and consistency proof, as RFC 9162 §2.1.3.2 and §2.1.4.2
        describe. It writes each envelope's DSSE pre-authentication encoding,
        `"DSSEv1" SP len(payloadType) SP payloadType SP len(payload) SP payload`, and its signature
        to `/tmp/pathproof-check` for step 3. It ends with `digests and proofs: OK`.

        ## 3. Every signature, with openssl

        ```sh
        while IFS="$(printf '\\t')" read -r name pae sig key algorithm; do
          if [ "$algorithm" = ed25519 ]; then
            openssl pkeyutl -verify -pubin -inkey "$key" -rawin -in "$pae" -sigfile "$sig"
          else
            openssl dgst -sha256 -verify "$key" -signature "$sig" "$pae"
          fi >/dev/null && echo "ok   $name" || echo "BAD  $name"
        done < /tmp/pathproof-check/signatures.tsv
        ```

        Every line must say `ok`. ECDSA P-256 signatures are ASN.1 DER over SHA-256 of the PAE;
        Ed25519 signatures are pure Ed25519 over the PAE.

        ## 4. Raw results against the signed Statement, by hand

        Step 2 does this for every report; to see it for one (here \(exampleLeaf(context)), repeat for
        the others), let `sha256sum` check the subjects the signed Statement names. The Statement is
        the payload of `report.dsse.json`, whose signature step 3 checked:

        ```sh
        cd \(exampleLeaf(context))
        python3 -c 'import base64,json; e=json.load(open("report.dsse.json"))
        for s in json.loads(base64.b64decode(e["payload"]))["subject"]:
            if s["name"] == "report.json" or s["name"].startswith("results/"):
                print(s["digest"]["sha256"] + "  " + s["name"])' | sha256sum -c -
        ```

        Each line must end in `OK`: `report.json: OK`, then one line per raw result file, e.g.
        `results/keyvault-key-access.json: OK` (a Log Analytics query sliced by time has one file per
        slice, `….part-001.json` onwards, in time order). A changed byte shows as `FAILED`.
        `sha256sum report.json results/*` prints the files' own digests if you prefer to compare by
        eye; the Statement's last subject is the policy file, which is not in the bundle.

        ## 5. Canonical JSON (optional)

        `report.json` and `MANIFEST.json` are RFC 8785 canonical JSON. With the `rfc8785` package
        from PyPI: `python3 -c 'import json,rfc8785,sys; b=open(sys.argv[1],"rb").read();
        print(rfc8785.dumps(json.loads(b)) == b)' reports/leaf-N/report.json` prints `True`.

        ## 6. Later exports: the archive only grew

        Keep `log/checkpoint.txt` somewhere the archive's owner cannot write. Ask for the next export
        with `--since-checkpoint` set to its size (the second line). Step 2 checks the new bundle's
        `log/consistency.json`, but that proof only links the new checkpoint to the bundle's own
        `log/since-checkpoint.txt`: it proves nothing until you compare that file with the one you kept.
        They must be identical, byte for byte:

        ```sh
        cmp /path/to/kept/checkpoint.txt log/since-checkpoint.txt && echo "same checkpoint"
        ```

        If they differ, or the new bundle has no `log/since-checkpoint.txt`, or its
        `log/checkpoint.txt` covers fewer leaves than the one you kept, the archive was rewritten or
        cut back (reports removed) since your last export. Whoever runs PathProof can check the
        archive itself against your kept checkpoint with
        `pathproof archive verify --checkpoint /path/to/kept/checkpoint.txt`.
        """
    }
}
