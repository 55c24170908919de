import FoundationEssentials
import TasterSupport

/// The small inline SVG charts of the verdict page: a check's change next to its baseline, and its
/// history over earlier runs. Each chart has a fixed aspect ratio and shrinks with its column.
enum SVGChart {
    /// One run of a check in a history chart.
    struct Point: Sendable, Equatable {
        /// Said in the point's tooltip: the run, when, the value and the result.
        let label: String
        let value: CheckValue?
        let result: CheckComparison.Result
        /// The run's page or verdict, when there is a link to it.
        let href: String?
    }

    static func number(_ value: Double) -> String { TextFormatting.fixed(value, 1) }

    /// A chart's coordinate for an exact value (precision beyond a pixel does not matter here).
    static func double(_ value: Decimal) -> Double { Double(value.description) ?? 0 }

    static func color(_ result: CheckComparison.Result) -> String {
        switch result {
        case .pass: "#2e7d32"
        case .fail: "#c62828"
        case .warn: "#ef6c00"
        }
    }

    /// A bar from a centre line, left for a decrease and right for an increase, as long as
    /// `change.magnitude` says (a step per tenfold); coloured by the check's result. Nil when
    /// nothing changed.
    static func change(_ change: RelativeChange, result: CheckComparison.Result) -> String? {
        guard change.delta != 0 else { return nil }
        let width = 48.0, height = 12.0, centre = width / 2, half = centre - 2
        let length = max(2, half * change.magnitude)
        let x = change.delta < 0 ? centre - length : centre
        return
            "<svg class=\"change\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(HTML.escape(change.label))\">"
            + "<line x1=\"2\" y1=\"6\" x2=\"\(number(width - 2))\" y2=\"6\" stroke=\"#cfd8dc\" stroke-width=\"1\"/>"
            + "<rect x=\"\(number(x))\" y=\"2\" width=\"\(number(length))\" height=\"8\" fill=\"\(color(result))\"/>"
            + "<line x1=\"\(number(centre))\" y1=\"0\" x2=\"\(number(centre))\" y2=\"\(Int(height))\" stroke=\"#455a64\" stroke-width=\"1\"/>"
            + "</svg>"
    }

    /// A check's history, oldest first: a line of its values when they are numbers (at least
    /// two; a run without a value is a hollow mark at the bottom), otherwise a strip with a
    /// square per run (fingerprints, text values); every mark coloured by that run's result for
    /// this check and linked to its run.
    static func history(points: [Point]) -> String {
        let numbers = points.compactMap { $0.value?.decimal }
        if numbers.count >= 2 && points.allSatisfy({ $0.value == nil || $0.value?.decimal != nil }) {
            return line(points)
        }
        return strip(points)
    }

    private static let width = 160.0, height = 40.0, pad = 5.0

    private static func open(_ kind: String) -> String {
        "<svg class=\"history \(kind)\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"history\">"
    }

    private static func line(_ points: [Point]) -> String {
        let values = points.map { $0.value?.decimal.map(double) }
        let present = values.compactMap { $0 }
        let low = present.min() ?? 0, high = present.max() ?? 0
        let span = high - low
        func x(_ index: Int) -> Double { pad + (width - 2 * pad) * Double(index) / Double(max(1, points.count - 1)) }
        func y(_ value: Double) -> Double { span == 0 ? height / 2 : height - pad - (height - 2 * pad) * (value - low) / span }
        let polyline = values.enumerated().compactMap { index, value in value.map { "\(number(x(index))),\(number(y($0)))" } }
        var svg = open("line") + "<polyline points=\"\(polyline.joined(separator: " "))\" fill=\"none\" stroke=\"#546e7a\" stroke-width=\"1.5\"/>"
        for (index, point) in points.enumerated() {
            let paint = values[index] == nil ? "fill=\"#fff\" stroke=\"\(color(point.result))\" stroke-width=\"1.5\"" : "fill=\"\(color(point.result))\""
            let mark =
                "<circle class=\"mark \(point.result.rawValue)\" cx=\"\(number(x(index)))\" cy=\"\(number(values[index].map(y) ?? height - 3.5))\" r=\"3.5\" \(paint)>"
                + "<title>\(HTML.escape(point.label))</title></circle>"
            svg += linked(mark, point.href)
        }
        return svg + "</svg>"
    }

    private static func strip(_ points: [Point]) -> String {
        let slot = (width - 2 * pad) / Double(max(points.count, 8))
        let side = max(2, min(12, slot - 2))
        var svg =
            open("strip")
            + "<line x1=\"\(number(pad))\" y1=\"\(number(height / 2))\" x2=\"\(number(pad + slot * Double(points.count)))\" y2=\"\(number(height / 2))\" stroke=\"#cfd8dc\" stroke-width=\"1\"/>"
        for (index, point) in points.enumerated() {
            let x = pad + slot * Double(index) + (slot - side) / 2
            let mark =
                "<rect class=\"mark \(point.result.rawValue)\" x=\"\(number(x))\" y=\"\(number((height - side) / 2))\" width=\"\(number(side))\" height=\"\(number(side))\" rx=\"1.5\" fill=\"\(color(point.result))\">"
                + "<title>\(HTML.escape(point.label))</title></rect>"
            svg += linked(mark, point.href)
        }
        return svg + "</svg>"
    }

    private static func linked(_ mark: String, _ href: String?) -> String {
        guard let href else { return mark }
        return "<a href=\"\(HTML.escape(href))\">\(mark)</a>"
    }
}
