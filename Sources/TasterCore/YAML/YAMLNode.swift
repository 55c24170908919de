/// A YAML document as a tree, keeping what checks files and kubeconfigs need: mapping order,
/// whether a scalar was plain (so the caller resolves its type) or quoted, and line numbers.
public indirect enum YAMLNode: Sendable, Equatable {
    case scalar(Scalar)
    case mapping([Pair], line: Int)
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

    /// 1-based line where the node starts.
    public var line: Int {
        switch self {
        case .scalar(let scalar): scalar.line
        case .mapping(_, let line), .sequence(_, let line): line
        }
    }

    /// The scalar's text (nil for collections).
    public var string: String? {
        if case .scalar(let scalar) = self { return scalar.value }
        return nil
    }

    /// The value of `key` in a mapping.
    public subscript(key: String) -> YAMLNode? {
        guard case .mapping(let pairs, _) = self else { return nil }
        return pairs.first { $0.key.string == key }?.value
    }
}

/// A YAML syntax error, with its line when libyaml knows it.
public struct YAMLError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    /// 1-based.
    public let line: Int?

    public var description: String { line.map { "line \($0): \(message)" } ?? message }
}
