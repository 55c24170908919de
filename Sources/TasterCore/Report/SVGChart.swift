import FoundationEssentials

/// The small inline SVG charts of the verdict page: a bar pair (pre vs post) and a history line.
enum SVGChart {
    static func number(_ value: Double) -> String { TextFormatting.fixed(value, 1) }

    /// A chart's coordinate for an exact value (precision beyond a pixel does not matter here).
    static func double(_ value: Decimal) -> Double { Double(value.description) ?? 0 }

    /// Two horizontal bars scaled to the larger of the two values.
    static func barPair(pre: Decimal?, post: Decimal?, failed: Bool) -> String {
        let width = 120.0, height = 30.0
        let preValue = pre.map(double) ?? 0
        let postValue = post.map(double) ?? 0
        let largest = max(abs(preValue), abs(postValue), 1e-9)
        let preWidth = width * abs(preValue) / largest
        let postWidth = width * abs(postValue) / largest
        let postColor = failed ? "#c62828" : "#2e7d32"
        return """
        <svg class="bars" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" role="img" aria-label="pre and post">\
        <rect x="0" y="2" width="\(number(preWidth))" height="11" fill="#90a4ae"><title>pre</title></rect>\
        <rect x="0" y="17" width="\(number(postWidth))" height="11" fill="\(postColor)"><title>post</title></rect>\
        </svg>
        """
    }

    /// A line of a check's post values over earlier runs, plus this run; failed runs in red.
    static func history(points: [(label: String, value: Decimal, failed: Bool)]) -> String {
        guard points.count >= 2 else { return "<span class=\"muted\">no history yet</span>" }
        let width = 180.0, height = 44.0, pad = 4.0
        let values = points.map { double($0.value) }
        let low = values.min()!, high = values.max()!
        let span = high - low
        func x(_ index: Int) -> Double { pad + (width - 2 * pad) * Double(index) / Double(points.count - 1) }
        func y(_ value: Double) -> Double { span == 0 ? height / 2 : height - pad - (height - 2 * pad) * (value - low) / span }
        let line = values.enumerated().map { "\(number(x($0.offset))),\(number(y($0.element)))" }.joined(separator: " ")
        var svg = "<svg class=\"history\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"history\">"
        svg += "<polyline points=\"\(line)\" fill=\"none\" stroke=\"#546e7a\" stroke-width=\"1.5\"/>"
        for (index, point) in points.enumerated() {
            let color = point.failed ? "#c62828" : "#2e7d32"
            svg += "<circle cx=\"\(number(x(index)))\" cy=\"\(number(y(values[index])))\" r=\"3\" fill=\"\(color)\">"
            svg += "<title>\(HTML.escape(point.label)): \(HTML.escape("\(point.value)"))</title></circle>"
        }
        return svg + "</svg>"
    }
}
