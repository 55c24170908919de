/// What a report records of the evidence key its document indexes were made with
/// (`pre.json`/`post.json` `evidenceKey`, schemaVersion 3): `{id}` for `TASTER_EVIDENCE_KEY`,
/// `{id, salt, rounds}` for a key derived from the database password, the salt as 32 lowercase
/// hex digits (16 bytes). Never the key, never the password.
///
/// Decoding never fails: a record of the wrong shape is kept as `unreadable`, so a damaged
/// record costs the checks their document names, never the baseline.
package struct EvidenceKeyRecord: Sendable, Equatable, Codable {
    package var id: String?
    package var salt: String?
    package var rounds: Int?
    /// Why the stored record could not be read as one (not an object, a rounds that is no whole
    /// number...); nil when it could. Not written.
    package var unreadable: String?

    package init(id: String, salt: String? = nil, rounds: Int? = nil) {
        self.id = id
        self.salt = salt
        self.rounds = rounds
    }

    enum CodingKeys: String, CodingKey { case id, salt, rounds }

    package init(from decoder: any Decoder) throws {
        guard let container = try? decoder.container(keyedBy: CodingKeys.self) else {
            unreadable = "it is not an object"
            return
        }
        var problems: [String] = []
        func field<T: Decodable>(_ type: T.Type, _ key: CodingKeys, _ what: String) -> T? {
            guard container.contains(key) else { return nil }
            guard let value = try? container.decodeIfPresent(type, forKey: key) else {
                problems.append("its \(key.stringValue) is not \(what)")
                return nil
            }
            return value
        }
        id = field(String.self, .id, "a string")
        salt = field(String.self, .salt, "a string")
        rounds = field(Int.self, .rounds, "a whole number")
        unreadable = problems.isEmpty ? nil : problems.joined(separator: ", ")
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(id, forKey: .id)
        try container.encodeIfPresent(salt, forKey: .salt)
        try container.encodeIfPresent(rounds, forKey: .rounds)
    }

    /// A record post-taste cannot derive the baseline's key from.
    package struct Damage: Error, Sendable, Equatable, CustomStringConvertible {
        package let problem: String
        package var description: String {
            "the baseline's evidenceKey record is damaged (\(problem)): its field digests cannot be reproduced, "
                + "so the documents are not named and the check is judged by its value; run pre-taste again for a new baseline"
        }
    }

    /// How the baseline's password was stretched: nil for a key from `TASTER_EVIDENCE_KEY`
    /// (neither salt nor rounds). Throws `Damage` for a record post-taste must not derive from —
    /// a salt that is not 16 bytes of hex, rounds outside `EvidenceKey.acceptedRounds` (no edited
    /// `pre.json` makes post-taste spend unbounded CPU), one without the other.
    package func stretching() throws(Damage) -> EvidenceKey.Stretching? {
        if let unreadable { throw Damage(problem: unreadable) }
        guard id != nil else { throw Damage(problem: "it has no id") }
        switch (salt, rounds) {
        case (nil, nil):
            return nil
        case (let salt?, let rounds?):
            let bounds = EvidenceKey.acceptedRounds
            guard bounds.contains(rounds) else {
                throw Damage(problem: "rounds \(rounds) is outside \(bounds.lowerBound)–\(bounds.upperBound)")
            }
            guard let bytes = Self.bytes(hex: salt), bytes.count == EvidenceKey.saltBytes else {
                throw Damage(problem: "its salt is not \(EvidenceKey.saltBytes) bytes of hex (\(EvidenceKey.saltBytes * 2) hex digits)")
            }
            return EvidenceKey.Stretching(salt: bytes, rounds: rounds)
        case (nil, _?):
            throw Damage(problem: "it has rounds but no salt")
        case (_?, nil):
            throw Damage(problem: "it has a salt but no rounds")
        }
    }

    /// The bytes of a hex string; nil when it is not one (odd length, another character).
    static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count.isMultiple(of: 2) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
