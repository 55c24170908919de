import TasterSupport

/// How a URL is shown in logs, errors and settings: by an allow-list of what cannot carry a
/// secret, never by masking the parts known to carry one (a list of those is never complete:
/// `?key=…&token=…`, a presigned URL's signature, user info).
///
/// - `show`: scheme, host, port and path, and of the query only the parameters known to be safe
///   (`watch`, `prefix`, `X-Amz-Date`…) with their values; every other value is the mask, user info
///   is the mask and a `#fragment` is dropped. For URLs taster builds itself (S3 objects,
///   Kubernetes API paths), whose paths are bucket, key and resource names.
/// - `origin`: scheme, host and port only; a path or query is one mask. For a URL that is a
///   secret as a whole (a chat webhook carries its token in the path or the query) and for a
///   setting that may not even parse (an S3 endpoint given with a path).
package enum URLDisplay {
    /// Query parameters shown with their values (compared lower-cased): S3's and Kubernetes'
    /// parameters that name, page or time a request, never one that proves who sends it.
    static let safeParameters: Set<String> = [
        // S3 (ListObjectsV2, presigned URLs' non-secret parts, versioning, multipart)
        "prefix", "list-type", "delimiter", "max-keys", "start-after", "encoding-type", "fetch-owner", "versionid",
        "partnumber", "uploads", "x-amz-algorithm", "x-amz-date", "x-amz-expires", "x-amz-signedheaders",
        // Kubernetes
        "watch", "labelselector", "fieldselector", "resourceversion", "resourceversionmatch", "timeoutseconds",
        "allowwatchbookmarks", "limit", "fieldmanager", "dryrun", "propagationpolicy", "graceperiodseconds",
        "pretty", "sendinitialevents", "follow", "container", "sincetime", "sinceseconds", "tailLines".lowercased(),
        "timestamps", "campaign",
    ]

    package static func show(_ url: String) -> String {
        var (out, rest) = authority(of: url)
        if let fragment = rest.firstIndex(of: "#") { rest = rest[..<fragment] }
        guard let question = rest.firstIndex(of: "?") else { return out + rest }
        out += rest[...question]
        out += rest[rest.index(after: question)...].split(separator: "&", omittingEmptySubsequences: false).map { parameter -> String in
            let pair = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2 else { return String(parameter) }
            return safeParameters.contains(pair[0].lowercased()) ? String(parameter) : "\(pair[0])=\(SecretRedactor.mask)"
        }.joined(separator: "&")
        return out
    }

    package static func origin(_ url: String) -> String {
        let (out, rest) = authority(of: url)
        return rest.isEmpty || rest == "/" ? out : out + "/" + SecretRedactor.mask
    }

    /// `scheme://` (when there is one), `****@` for user info, then host and port; and the rest.
    private static func authority(of url: String) -> (String, Substring) {
        var rest = Substring(url)
        var out = ""
        if let schemeEnd = rest.firstRange(of: "://") {
            out += rest[..<schemeEnd.upperBound]
            rest = rest[schemeEnd.upperBound...]
        }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") {
            out += SecretRedactor.mask + "@"
            authority = authority[authority.index(after: at)...]
        }
        return (out + authority, rest[authorityEnd...])
    }
}
