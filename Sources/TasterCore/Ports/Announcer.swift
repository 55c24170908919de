/// Tells people where they look (a Kubernetes Event on the hook's Job, a notification). Best
/// effort with budgets of their own: an announcer never throws, never changes the exit code and
/// never holds up the verdict, which is already stored when it runs.
package protocol Announcer: Sendable {
    func announce(_ announcement: Announcement) async
}

/// What a hook announces: its verdict, or the error that ended it.
package enum Announcement: Sendable {
    case verdict(Verdict, reportURIs: [String: String])
    case error(summary: String, runID: String?)

    /// Whether the run passed (a report-only verdict counts as passed: it does not fail the sync).
    package var passed: Bool {
        if case .verdict(let verdict, _) = self { return verdict.result == .pass || verdict.reportOnly }
        return false
    }

    /// The verdict announced, if it is one.
    package var verdict: Verdict? {
        if case .verdict(let verdict, _) = self { return verdict }
        return nil
    }

    /// The one-line summary.
    package var summary: String {
        switch self {
        case .verdict(let verdict, let uris): Self.linked(verdict.summary, reportURIs: uris)
        case .error(let summary, _): summary
        }
    }
}

extension Announcement {
    /// `summary`, followed by the link to the verdict page when there is one.
    package static func linked(_ summary: String, reportURIs: [String: String]) -> String {
        guard let link = reportURIs[PostTasteWorkflow.Outcome.linkRole] else { return summary }
        return summary + " — verdict page: " + link
    }
}

/// Several announcers at once (the Event and the notification), each on its own.
package struct Announcers: Announcer {
    package let all: [any Announcer]

    package init(_ all: [any Announcer]) { self.all = all }

    package func announce(_ announcement: Announcement) async {
        await withTaskGroup(of: Void.self) { group in
            for announcer in all {
                group.addTask { await announcer.announce(announcement) }
            }
        }
    }
}
