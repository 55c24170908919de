import TasterCore
import TasterSettings
import TasterSupport

/// Builds the environment (process variables, then flags on top), validates every setting and
/// starts logging in the configured format. Throws a `ConfigurationError` (exit 2) before
/// anything is touched.
///
/// Only the problems of `sections` (and of the run's own settings) count: a command is not
/// stopped by settings it does not use. For a hook (`hook` names it), the error is also its
/// termination message: Argo CD shows that on the failed hook, and a missing Secret or a
/// malformed variable is the commonest failure.
func loadSettings(
    hook: HookRunner.Hook? = nil, sections: Settings.Sections = .all,
    _ apply: (inout Environment) -> Void
) throws -> Settings {
    var environment = Environment.process
    apply(&environment)
    do {
        let settings = try Settings.load(from: environment, sections: sections)
        TasterLogHandler.bootstrap(format: settings.logFormat)
        return settings
    } catch {
        if let hook { TerminationMessage.write(failure: error, command: hook.rawValue) }
        throw error
    }
}
