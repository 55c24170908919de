import TasterSupport

/// `taster help settings`: every variable, its meaning, default, flag and the commands that use
/// it — what docs/settings.md's tables say, reachable from a shell in the hook's pod.
extension SettingVariable {
    package static var helpText: String {
        var lines = TextFormatting.wrap(
            """
            Settings come from environment variables (a Job's Secret and ConfigMap); a flag overrides \
            the variable it names. Every value is validated before anything is touched (exit 2 names \
            the variable). An empty value counts as unset; where a setting has several spellings, the \
            first one set wins. `taster check --show-settings` prints the effective values and where \
            each came from, secrets masked. Durations are written 500ms, 90s, 2m, 1h30m.
            """, width: 80)
        let margin = "      "
        for section in Section.allCases {
            lines += ["", section.rawValue]
            for entry in all where entry.section == section {
                lines.append("  " + entry.names.joined(separator: ", ") + (entry.flag.map { " (\($0))" } ?? ""))
                lines += TextFormatting.wrap(entry.meaning, width: 80 - margin.count).map { margin + $0 }
                lines.append(margin + "default: " + (entry.defaultValue == "—" ? "none" : entry.defaultValue))
                lines += TextFormatting.wrap("used by: " + entry.commands.joined(separator: ", "), width: 80 - margin.count).map { margin + $0 }
                if !entry.shownAs.isEmpty {
                    let shown = "check --show-settings: " + entry.shownAs.joined(separator: ", ")
                    lines += TextFormatting.wrap(shown, width: 80 - margin.count).map { margin + $0 }
                }
            }
        }
        return lines.joined(separator: "\n")
    }
}
