extension StandardStream {
    /// Writes text for people — a table, a summary — with every line that holds a secret
    /// withheld (`SecretRedactor.scrub`). Results meant for programs (JSON reports) are written
    /// with `write`: their free text was scrubbed when they were made (`ReportCodec`).
    package func writeScrubbed(_ text: String) {
        write(SecretRedactor.shared.scrub(text))
    }
}
