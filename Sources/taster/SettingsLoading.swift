import TasterCore

/// Builds the environment (process variables, then flags on top), validates every setting and
/// starts logging in the configured format. Throws a `ConfigurationError` (exit 2) before
/// anything is touched.
func loadSettings(_ apply: (inout Environment) -> Void) throws -> Settings {
    var environment = Environment.process
    apply(&environment)
    let settings = try Settings.load(from: environment)
    TasterLogHandler.bootstrap(format: settings.logFormat)
    return settings
}
