import FoundationEssentials

/// What the server says about itself: its version (`buildInfo`) and its clock (`hello`'s
/// `localTime`), which dates a snapshot independently of the pod's clock.
package struct MongoServerInfo: Sendable, Equatable {
    package var version: String?
    package var localTime: Date?

    /// Asks the server through `client` (blocking). Neither command needs more than the `read` role.
    package static func read(_ client: MongoClient) throws(MongoError) -> MongoServerInfo {
        let hello: BSONDocument
        do {
            hello = try client.command(BSONDocument(appending: "hello", 1), database: "admin", operation: "hello")
        } catch  where error.kind == .server || error.kind == .rejected {
            // Servers before 4.4.2 know the command as isMaster.
            hello = try client.command(BSONDocument(appending: "isMaster", 1), database: "admin", operation: "isMaster")
        }
        var info = MongoServerInfo()
        if case .dateTime(let milliseconds) = hello["localTime"] {
            info.localTime = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        }
        let build = try client.command(BSONDocument(appending: "buildInfo", 1), database: "admin", operation: "buildInfo")
        if case .string(let version) = build["version"] { info.version = version }
        return info
    }
}
