/// Header fields in the order they were added; names compare case-insensitively.
///
/// A name may repeat (response headers do). Never log a request's headers: they carry
/// `Authorization`.
package struct HTTPHeaders: Sendable, Sequence, ExpressibleByDictionaryLiteral {
    package private(set) var entries: [(name: String, value: String)] = []

    package init() {}

    package init(dictionaryLiteral elements: (String, String)...) {
        for (name, value) in elements { add(name: name, value: value) }
    }

    package init(_ entries: [(name: String, value: String)]) {
        self.entries = entries
    }

    /// The first value of `name`; setting replaces every value (nil removes the header).
    package subscript(name: String) -> String? {
        get { entries.first { $0.name.lowercased() == name.lowercased() }?.value }
        set {
            remove(name)
            if let newValue { add(name: name, value: newValue) }
        }
    }

    /// Every value of `name`, in order.
    package func values(_ name: String) -> [String] {
        entries.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    package mutating func add(name: String, value: String) {
        entries.append((name, value))
    }

    package mutating func remove(_ name: String) {
        entries.removeAll { $0.name.lowercased() == name.lowercased() }
    }

    package func contains(_ name: String) -> Bool { self[name] != nil }

    package var count: Int { entries.count }

    package func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
        entries.makeIterator()
    }
}
