#!/usr/bin/env bash
# Runs PathProof's main job on the bundled SYNTHETIC sample: builds the release executable
# (scripts/build-release.sh, which installs the C libraries it links when missing), and verifies the
# demo workspace against the demo policy.
set -euo pipefail
cd "$(dirname "$0")/.."

pathproof="$(./scripts/build-release.sh)"
echo "+ .build/release/pathproof verify --workspace Fixtures/demo/contoso-cmk --policy Fixtures/demo/policy.json \\
    --from 2026-11-02T08:00:00Z --to 2026-11-02T16:00:00Z --out out/demo $*" >&2
status=0
"$pathproof" verify --workspace Fixtures/demo/contoso-cmk --policy Fixtures/demo/policy.json \
    --from 2026-11-02T08:00:00Z --to 2026-11-02T16:00:00Z --out out/demo "$@" || status=$?
echo >&2
if [ "$status" -eq 1 ]; then
    echo "exit 1 = VIOLATED, as expected: the sample's planted faults were caught (Fixtures/demo/README.md)." >&2
    echo "The signed report is in out/demo/report.json and out/demo/report.dsse.json." >&2
    exit 0
fi
echo "unexpected exit $status (0 PROVEN, 1 VIOLATED, 2 UNPROVEN, 3 error)" >&2
exit "$status"
