/// The inline SVG timeline of a report: one lane per route, one mark per access coloured by its outcome.

import EvidenceAnalysis
import TableModel

/// Draws the accesses of one report over its window.
enum TimelineSVG {
    /// Fill colour of each access outcome.
    static let outcomeColours: [(outcome: String, colour: String)] = [
        ("proven", "#2f855a"), ("violated", "#c53030"), ("waived", "#b7791f"), ("undecided", "#718096"),
    ]
    /// Lane colour of each route.
    static let routeColours: [String: String] = [
        "privateEndpoint": "#3182ce", "delegatedSubnet": "#6b46c1", "trustedService": "#319795",
        "serviceEndpoint": "#d69e2e", "public": "#e53e3e", "unknown": "#a0aec0",
    ]

    static let width = 920.0
    static let left = 140.0
    static let right = 20.0
    static let laneHeight = 34.0
    static let top = 10.0

    static func render(_ report: Report) -> String {
        let routes = lanes(report)
        let height = top + Double(routes.count) * laneHeight + 44
        let start = TimeText.parse(report.window.from) ?? DateTime(ticks: 0)
        var end = TimeText.parse(report.window.to) ?? start
        if end <= start { end = DateTime(ticks: start.ticks + DateTime.ticksPerSecond) }
        let span = Double(end.ticks - start.ticks)
        func x(_ text: String) -> Double? {
            guard let time = TimeText.parse(text) else { return nil }
            let fraction = min(max(Double(time.ticks - start.ticks) / span, 0), 1)
            return left + fraction * (width - left - right)
        }
        var svg = "<svg class=\"timeline\" role=\"img\" "
        svg += "viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"100%\">"
        svg += "<title>Key accesses from \(MarkupText.escape(report.window.from)) to "
        svg += "\(MarkupText.escape(report.window.to)) by route and outcome</title>"
        for (lane, route) in routes.enumerated() {
            let y = top + Double(lane) * laneHeight
            let colour = routeColours[route] ?? "#a0aec0"
            svg += "<rect x=\"\(left)\" y=\"\(y)\" width=\"\(width - left - right)\" height=\"\(laneHeight - 4)\" "
            svg += "fill=\"\(colour)\" fill-opacity=\"0.15\" stroke=\"\(colour)\"/>"
            svg += "<text x=\"\(left - 8)\" y=\"\(y + laneHeight / 2 + 2)\" text-anchor=\"end\" "
            svg += "font-size=\"12\" fill=\"\(colour)\">\(MarkupText.escape(route))</text>"
        }
        for decision in report.decisions {
            guard let cx = x(decision.time), let lane = routes.firstIndex(of: decision.route.rawValue) else {
                continue
            }
            let cy = top + Double(lane) * laneHeight + (laneHeight - 4) / 2
            let colour = outcomeColours.first { $0.outcome == decision.outcome }?.colour ?? "#718096"
            let radius = decision.outcome == "proven" ? 4.0 : 6.5
            svg += "<circle class=\"access \(MarkupText.escape(decision.outcome))\" cx=\"\(rounded(cx))\" "
            svg += "cy=\"\(cy)\" r=\"\(radius)\" fill=\"\(colour)\" stroke=\"#1a202c\" stroke-width=\"0.5\">"
            svg += "<title>\(MarkupText.escape("\(decision.time) \(decision.vault) \(decision.operation) "))"
            svg += "\(MarkupText.escape("\(decision.route.rawValue) \(decision.outcome) \(decision.identity)"))"
            svg += "</title></circle>"
        }
        for attempt in report.blockedAttempts {
            guard let cx = x(attempt.record.time), let lane = routes.firstIndex(of: attempt.record.route.rawValue)
            else { continue }
            let cy = top + Double(lane) * laneHeight + (laneHeight - 4) / 2
            svg += "<path class=\"blocked\" d=\"M\(rounded(cx - 5)) \(cy - 5) l10 10 m0 -10 l-10 10\" "
            svg += "stroke=\"#1a202c\" stroke-width=\"2\"><title>"
            svg += MarkupText.escape("\(attempt.record.time) \(attempt.kind): \(attempt.detail)")
            svg += "</title></path>"
        }
        svg += axis(start: start, end: end, y: top + Double(routes.count) * laneHeight)
        svg += "</svg>"
        return svg
    }

    /// The routes to draw, in a fixed order, only those that occur.
    static func lanes(_ report: Report) -> [String] {
        let used = Set(report.decisions.map(\.route.rawValue) + report.blockedAttempts.map(\.record.route.rawValue))
        let order = ["privateEndpoint", "delegatedSubnet", "trustedService", "serviceEndpoint", "public", "unknown"]
        let lanes = order.filter(used.contains) + used.subtracting(order).sorted()
        return lanes.isEmpty ? ["unknown"] : lanes
    }

    private static func axis(start: DateTime, end: DateTime, y: Double) -> String {
        var svg = "<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(width - right)\" y2=\"\(y)\" stroke=\"#1a202c\"/>"
        let ticks = 4
        for step in 0...ticks {
            let fraction = Double(step) / Double(ticks)
            let time = DateTime(ticks: start.ticks + Int64(Double(end.ticks - start.ticks) * fraction))
            let tx = rounded(left + fraction * (width - left - right))
            let anchor = step == 0 ? "start" : step == ticks ? "end" : "middle"
            svg += "<line x1=\"\(tx)\" y1=\"\(y)\" x2=\"\(tx)\" y2=\"\(y + 5)\" stroke=\"#1a202c\"/>"
            svg += "<text x=\"\(tx)\" y=\"\(y + 18)\" font-size=\"11\" text-anchor=\"\(anchor)\">"
            svg += "\(MarkupText.escape(label(time, first: step == 0, start: start)))</text>"
        }
        return svg
    }

    /// `2026-11-02 08:00Z` for the first tick; `10:00` on the same day; `11-03 10:00` on another.
    private static func label(_ time: DateTime, first: Bool, start: DateTime) -> String {
        let parts = time.components
        let clock = "\(twoDigits(parts.hour)):\(twoDigits(parts.minute))"
        if first { return "\(parts.year)-\(twoDigits(parts.month))-\(twoDigits(parts.day)) \(clock)Z" }
        let startParts = start.components
        if (parts.year, parts.month, parts.day) == (startParts.year, startParts.month, startParts.day) { return clock }
        return "\(twoDigits(parts.month))-\(twoDigits(parts.day)) \(clock)"
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    private static func rounded(_ value: Double) -> Double { (value * 10).rounded() / 10 }
}
