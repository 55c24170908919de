import TasterCore

/// Builds the environment (process variables, then flags on top), validates every setting and
/// starts logging in the configured format. Throws a `ConfigurationError` (exit 2) before
/// anything is touched.
///
/// For a hook (`hook` names it), the error is also its termination message: Argo CD shows that
/// on the failed hook, and a missing Secret or a malformed variable is the commonest failure.
func loadSettings(hook: String? = nil, _ apply: (inout Environment) -> Void) throws -> Settings {
    var environment = Environment.process
    apply(&environment)
    do {
        let settings = try Settings.load(from: environment)
        TasterLogHandler.bootstrap(format: settings.logFormat)
        return settings
    } catch {
        if let hook { TerminationMessage.write(failure: error, command: hook) }
        throw error
    }
}
