/// One missing or malformed setting: which variable, what was wrong, and a good example.
package struct ConfigurationProblem: Sendable, Equatable, CustomStringConvertible {
    package let variable: String
    package let problem: String
    package let example: String

    package init(variable: String, problem: String, example: String) {
        self.variable = variable
        self.problem = problem
        self.example = example
    }

    package var description: String {
        "\(variable): \(problem) (for example \(example))"
    }
}

/// Settings failed validation before anything was touched. Exit code 2.
package struct ConfigurationError: TasterError {
    package let problems: [ConfigurationProblem]

    package init(_ problems: [ConfigurationProblem]) { self.problems = problems }
    package init(variable: String, problem: String, example: String) {
        self.problems = [ConfigurationProblem(variable: variable, problem: problem, example: example)]
    }

    package var exitCode: TasterExitCode { .usage }

    package var description: String {
        if problems.count == 1 { return "configuration error: \(problems[0])" }
        return "configuration errors:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
