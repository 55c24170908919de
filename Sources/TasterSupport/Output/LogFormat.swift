/// How log lines look: `text` for people (the default) or `json`, one object per line.
package enum LogFormat: String, Sendable, CaseIterable {
    case text
    case json
}
