/// A YAML document as a tree, keeping what checks files and kubeconfigs need: mapping order,
/// whether a scalar was plain (so the caller resolves its type) or quoted, and line numbers.
public indirect enum YAMLNode: Sendable, Equatable {
    case scalar(Scalar)
    case mapping(Mapping)
    case sequence([YAMLNode], line: Int)

    public struct Scalar: Sendable, Equatable {
        public var value: String
        /// Plain (unquoted) scalars are typed by the YAML 1.2 core schema; quoted, literal and
        /// folded ones are always strings.
        public var isPlain: Bool
        /// 1-based.
        public var line: Int
    }

    public struct Pair: Sendable, Equatable {
        public var key: YAMLNode
        public var value: YAMLNode
    }

    /// A mapping, in the order it was written.
    public struct Mapping: Sendable, Equatable, RandomAccessCollection {
        public var pairs: [Pair]
        /// 1-based.
        public var line: Int

        public var startIndex: Int { pairs.startIndex }
        public var endIndex: Int { pairs.endIndex }
        public subscript(position: Int) -> (key: YAMLNode, value: YAMLNode) { (pairs[position].key, pairs[position].value) }

        public var keys: [YAMLNode] { pairs.map(\.key) }

        /// The value of the scalar key `key`.
        public subscript(key: String) -> YAMLNode? { pairs.first { $0.key.string == key }?.value }
    }

    /// 1-based line where the node starts.
    public var line: Int {
        switch self {
        case .scalar(let scalar): scalar.line
        case .mapping(let mapping): mapping.line
        case .sequence(_, let line): line
        }
    }

    /// The scalar's text (nil for collections).
    public var string: String? {
        if case .scalar(let scalar) = self { return scalar.value }
        return nil
    }

    /// The value of `key` in a mapping.
    public subscript(key: String) -> YAMLNode? {
        guard case .mapping(let mapping) = self else { return nil }
        return mapping[key]
    }
}

/// A YAML syntax error, with its line when libyaml knows it.
public struct YAMLError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    /// 1-based.
    public let line: Int?

    public var description: String { line.map { "line \($0): \(message)" } ?? message }
}
