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
    /// `summary`, followed by the link to the verdict page when there is one, in at most `limit`
    /// bytes: the summary is cut (ending in `…`) rather than the link, which cut would lead nowhere.
    package static func linked(_ summary: String, reportURIs: [String: String], limit: Int = .max) -> String {
        guard let link = reportURIs[PostTasteWorkflow.Outcome.linkRole] else { return summary }
        let tail = " — verdict page: " + link
        let room = limit - tail.utf8.count
        if summary.utf8.count <= room { return summary + tail }
        guard room > 3 else { return link }
        var cut = Substring(summary)
        while cut.utf8.count > room - 3 { cut = cut.dropLast() }
        return cut + "…" + tail
    }

    /// The summary in at most `limit` bytes, the link kept whole (a Kubernetes Event's message
    /// holds 1024).
    package func summary(limit: Int) -> String {
        switch self {
        case .verdict(let verdict, let uris): Self.linked(verdict.summary, reportURIs: uris, limit: limit)
        case .error(let summary, _): summary
        }
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
