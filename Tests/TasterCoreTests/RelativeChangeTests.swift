import Foundation
import Testing

@testable import TasterCore

/// A check's change next to its baseline, as the verdict page says and draws it.
@Suite("Relative change")
struct RelativeChangeTests {
    @Test("a percentage a person reads and a bar a step per tenfold, visible however small")
    func labelsAndBars() {
        func change(_ pre: String, _ post: String) -> RelativeChange {
            RelativeChange(pre: Decimal(string: pre) ?? 0, post: Decimal(string: post) ?? 0)
        }
        #expect(change("1200", "1197").label == "-0.25 %")
        #expect(change("200", "201").label == "+0.50 %")
        #expect(change("30", "31").label == "+3.3 %")
        #expect(change("10", "5").label == "-50 %")
        #expect(change("10", "40").label == "+300 %")
        #expect(change("40524.95", "40524.96").label == "<0.01 %")
        #expect(change("0", "3").label == "from 0")
        #expect(change("-200", "-199").label == "+0.50 %", "relative to the baseline's magnitude")
        #expect(change("7", "7").label == "no change")
        #expect(change("7", "7").magnitude == 0)
        #expect(change("100", "100.01").magnitude == 0.08)
        #expect(change("100", "100.1").magnitude == 0.25)
        #expect(change("100", "101").magnitude == 0.5)
        #expect(change("100", "110").magnitude == 0.75)
        #expect(change("100", "200").magnitude == 1)
        #expect(change("100", "10000").magnitude == 1)
        #expect(change("1", "1.0000000001").magnitude == 0.08)
        #expect(change("0", "1").magnitude == 1)
        #expect(change("1200", "1197").magnitude > change("1200", "1199").magnitude)
        #expect(RelativeChange.decades(1000) == 3 && RelativeChange.decades(0.01) == -2 && RelativeChange.decades(5) == 4.0 / 9)
    }
}
