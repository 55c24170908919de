import TasterSupport

/// A document taster stores or prints whose free text — errors, warnings, summaries, reasons,
/// words a library or a server may have supplied — passes through `SecretRedactor` on the way
/// out, while its data (names, counts, keys, timestamps) is kept as measured: a collection that
/// happens to be named like a password is the same word with any password, and withholding it
/// would both break the comparison and point at the secret. `ReportCodec.encode` applies it to
/// every report, verdict and notification it encodes.
package protocol FreeTextScrubbing: Encodable {
    /// A copy whose free text is scrubbed.
    func scrubbingFreeText() -> Self
}

extension TasteReport: FreeTextScrubbing {
    package func scrubbingFreeText() -> TasteReport {
        var copy = self
        copy.errors = errors.map(SecretRedactor.shared.scrub)
        copy.warnings = warnings?.map(SecretRedactor.shared.scrub)
        copy.inventory = inventory?.scrubbingProblems()
        return copy
    }
}

extension Verdict: FreeTextScrubbing {
    package func scrubbingFreeText() -> Verdict {
        var copy = self
        copy.summary = SecretRedactor.shared.scrub(summary)
        copy.notes = notes?.map(SecretRedactor.shared.scrub)
        copy.checks = checks.map { check in
            var check = check
            check.reason = check.reason.map(SecretRedactor.shared.scrub)
            check.warning = check.warning.map(SecretRedactor.shared.scrub)
            if let reason = check.evidence?.unavailable { check.evidence?.unavailable = SecretRedactor.shared.scrub(reason) }
            if let reason = check.evidence?.limited { check.evidence?.limited = SecretRedactor.shared.scrub(reason) }
            return check
        }
        copy.structure = structure?.map { row in
            var row = row
            row.change = SecretRedactor.shared.scrub(row.change)
            return row
        }
        return copy
    }
}

extension DatabaseInventory {
    /// A copy whose problems — what the server refused, in its words — are scrubbed; the names
    /// and specs are data.
    package func scrubbingProblems() -> DatabaseInventory {
        var copy = self
        copy.problems = problems?.map(SecretRedactor.shared.scrub)
        copy.collections = collections?.map { collection in
            var collection = collection
            collection.problems = collection.problems?.map(SecretRedactor.shared.scrub)
            return collection
        }
        return copy
    }
}
