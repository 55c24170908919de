import FoundationEssentials
import TasterSupport

/// How large a check's change is next to its baseline value, for the verdict page: the percentage
/// as a person reads it, and the length of a bar that grows one step per tenfold so that 3 orders
/// lost out of 1,200 is as visible as 300.
struct RelativeChange: Sendable, Equatable {
    let pre: Decimal
    let post: Decimal

    var delta: Decimal { post - pre }

    /// post − pre as a percentage of |pre|; nil when pre is 0 (every change is then infinite).
    var percent: Double? {
        guard pre != 0 else { return nil }
        let base = pre < 0 ? -pre : pre
        return SVGChart.double(delta * 100 / base)
    }

    /// `no change`, `+0.50 %`, `-2.5 %`, `+300 %`, `<0.01 %`, or `from 0`.
    var label: String {
        if delta == 0 { return "no change" }
        guard let percent else { return "from 0" }
        let magnitude = abs(percent)
        if magnitude < 0.005 { return "<0.01 %" }
        let digits = magnitude >= 9.95 ? 0 : magnitude >= 0.995 ? 1 : 2
        return (percent > 0 ? "+" : "") + TextFormatting.fixed(percent, digits) + " %"
    }

    /// The bar's length as a share of its half of the chart: 0 for no change, then 0.25 for each
    /// tenfold from 0.01 % (0.25 at 0.1 %, 0.5 at 1 %, 0.75 at 10 %, 1 at 100 % and above), never
    /// less than 0.08 so that a change always shows; 1 for a change from 0.
    var magnitude: Double {
        if delta == 0 { return 0 }
        guard let percent, abs(percent).isFinite else { return 1 }
        return min(1, max(0.08, (Self.decades(abs(percent)) + 2) / 4))
    }

    /// log10 of a positive number, exact at powers of ten and linear in between: enough for a bar.
    static func decades(_ value: Double) -> Double {
        guard value > 0, value.isFinite else { return 0 }
        var mantissa = value, exponent = 0.0
        while mantissa >= 10 { mantissa /= 10; exponent += 1 }
        while mantissa < 1 { mantissa *= 10; exponent -= 1 }
        return exponent + (mantissa - 1) / 9
    }
}
