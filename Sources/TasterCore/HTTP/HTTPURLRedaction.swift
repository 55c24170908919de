/// Makes a request URL safe to print: user info and the values of query parameters that carry
/// a signature, credential or token (presigned S3 URLs, `?access_token=`) are masked.
public enum HTTPURLRedaction {
    /// Parameter names whose values are never printed (compared lower-cased, by substring).
    static let sensitiveNameParts = ["signature", "credential", "token", "secret", "password", "key-id", "sig"]

    public static func redact(_ url: String) -> String {
        var rest = Substring(url)
        var out = ""
        if let schemeEnd = rest.firstRange(of: "://") {
            out += rest[..<schemeEnd.upperBound]
            rest = rest[schemeEnd.upperBound...]
            let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
            var authority = rest[..<authorityEnd]
            if let at = authority.lastIndex(of: "@") {
                out += SecretRedactor.mask + "@"
                authority = authority[authority.index(after: at)...]
            }
            out += authority
            rest = rest[authorityEnd...]
        }
        if let fragment = rest.firstIndex(of: "#") { rest = rest[..<fragment] }
        guard let question = rest.firstIndex(of: "?") else { return out + rest }
        out += rest[...question]
        let parameters = rest[rest.index(after: question)...].split(separator: "&", omittingEmptySubsequences: false)
        out += parameters.map { parameter -> String in
            let pair = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = pair[0].lowercased()
            if pair.count == 2, sensitiveNameParts.contains(where: { name.contains($0) }) {
                return "\(pair[0])=\(SecretRedactor.mask)"
            }
            return String(parameter)
        }.joined(separator: "&")
        return out
    }
}
