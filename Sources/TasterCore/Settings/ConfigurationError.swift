/// One missing or malformed setting: which variable, what was wrong, and a good example.
public struct ConfigurationProblem: Sendable, Equatable, CustomStringConvertible {
    public let variable: String
    public let problem: String
    public let example: String

    public init(variable: String, problem: String, example: String) {
        self.variable = variable
        self.problem = problem
        self.example = example
    }

    public var description: String {
        "\(variable): \(problem) (for example \(example))"
    }
}

/// Settings failed validation before anything was touched. Exit code 2.
public struct ConfigurationError: TasterError {
    public let problems: [ConfigurationProblem]

    public init(_ problems: [ConfigurationProblem]) { self.problems = problems }
    public init(variable: String, problem: String, example: String) {
        self.problems = [ConfigurationProblem(variable: variable, problem: problem, example: example)]
    }

    public var exitCode: TasterExitCode { .usage }

    public var description: String {
        if problems.count == 1 { return "configuration error: \(problems[0])" }
        return "configuration errors:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
