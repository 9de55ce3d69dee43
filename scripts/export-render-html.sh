#!/usr/bin/env bash
# Renders an export bundle's report.html with headless Chromium to a PNG (and a PDF, as printed)
# and checks from Chromium's network log that the page made no request other than its own file.
# Usage: scripts/export-render-html.sh [BUNDLE_DIR] [OUT_DIR]
# Without BUNDLE_DIR it builds one: verify twice on the demo workspace into a scratch archive, then
# export. Chromium runs with a dead proxy and a resolver that resolves nothing, so even a page that
# tried to reach the network could not; any http(s)/ws(s)/ftp request in the log fails the check.
set -euo pipefail
cd "$(dirname "$0")/.."

chromium_bin="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
if [ -z "$chromium_bin" ]; then
    echo "== installing chromium (Debian package)" >&2
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq chromium
    chromium_bin="$(command -v chromium)"
fi

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
bundle="${1:-}"
out="${2:-out/export-render}"
mkdir -p "$out"
if [ -z "$bundle" ]; then
    swift build --product pathproof >&2
    export PATHPROOF_HOME="$scratch/home"
    for to in 2026-11-02T16:00:00Z 2026-11-02T12:00:00Z; do
        .build/debug/pathproof verify --workspace Fixtures/demo/contoso-cmk --policy Fixtures/demo/policy.json \
            --from 2026-11-02T08:00:00Z --to "$to" --now 2026-11-03T00:00:00Z >/dev/null || true
    done
    .build/debug/pathproof verify --workspace Fixtures/demo/no-perimeter-column \
        --policy Fixtures/demo/policy.json --from 2026-11-02T08:00:00Z --to 2026-11-02T16:00:00Z \
        --now 2026-11-03T00:00:00Z >/dev/null || true
    bundle="$scratch/bundle"
    .build/debug/pathproof export --archive "$PATHPROOF_HOME/archive.sqlite" --from 2026-11-02T00:00:00Z \
        --to 2026-11-03T00:00:00Z --out "$bundle" --since-checkpoint 1 >&2
fi
page="$(cd "$bundle" && pwd)/report.html"
[ -f "$page" ] || { echo "no report.html in $bundle" >&2; exit 1; }

flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --no-default-browser-check
    --disable-background-networking --disable-component-update --disable-sync --disable-default-apps
    --disable-extensions --metrics-recording-only --disable-features=Translate,MediaRouter,OptimizationHints
    --proxy-server=127.0.0.1:9 --host-resolver-rules="MAP * ~NOTFOUND"
    --user-data-dir="$scratch/profile")
"$chromium_bin" "${flags[@]}" --window-size=1100,1800 --screenshot="$out/report.png" \
    --log-net-log="$scratch/net.json" "file://$page" >"$scratch/chromium.log" 2>&1
"$chromium_bin" "${flags[@]}" --no-pdf-header-footer --print-to-pdf="$out/report.pdf" \
    --log-net-log="$scratch/net-print.json" "file://$page" >>"$scratch/chromium.log" 2>&1

# The check itself is checked: a planted page that loads one image from a TEST-NET address must be
# caught, or the network-log reading below proves nothing.
printf '<html><body><img src="http://198.51.100.7/canary.png"></body></html>' >"$scratch/canary.html"
"$chromium_bin" "${flags[@]}" --screenshot="$scratch/canary.png" --log-net-log="$scratch/net-canary.json" \
    "file://$scratch/canary.html" >>"$scratch/chromium.log" 2>&1

python3 - "$out/report.png" "$out/report.pdf" "$scratch/net.json" "$scratch/net-print.json" \
    "$scratch/net-canary.json" <<'PY'
import json, re, struct, sys
png, pdf, logs, canary = sys.argv[1], sys.argv[2], sys.argv[3:5], sys.argv[5]


def page_requests(path):
    """External URLs requested on behalf of the file:// page (not Chromium's own background traffic)."""
    text = open(path).read().rstrip().rstrip(",")
    if not text.endswith("}"):
        text += "]}"
    log = json.loads(text)
    start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    page, background = set(), set()
    for event in log["events"]:
        params = event.get("params", {})
        if event["type"] != start_job or not re.match(r"(?i)(https?|wss?|ftp):", params.get("url", "")):
            continue
        from_page = params.get("network_isolation_key", "").startswith("file://")
        (page if from_page else background).add(params["url"])
    return page, background


rows, failed = [], False
data = open(png, "rb").read()
width, height = struct.unpack(">II", data[16:24]) if data[:8] == b"\x89PNG\r\n\x1a\n" else (0, 0)
rows.append(("PNG screenshot", "%dx%d, %d bytes" % (width, height, len(data)), width > 0 and len(data) > 20000))
pages = len(re.findall(rb"/Type\s*/Page[^s]", open(pdf, "rb").read()))
rows.append(("PDF as printed", "%d page(s)" % pages, pages >= 1))
for log in logs:
    page, background = page_requests(log)
    for url in sorted(page):
        print("external request from report.html: " + url)
    rows.append(("page requests, " + log.rsplit("/", 1)[-1], "%d external" % len(page), not page))
    rows.append(("  browser background (ignored)", "%d, to a dead proxy" % len(background), True))
caught, _ = page_requests(canary)
rows.append(("planted canary is caught", "%d external" % len(caught), len(caught) == 1))
print("%-34s %-26s %s" % ("check", "result", "ok"))
for name, result, good in rows:
    print("%-34s %-26s %s" % (name, result, "yes" if good else "NO"))
    failed |= not good
sys.exit(1 if failed else 0)
PY
echo "wrote $out/report.png and $out/report.pdf"
