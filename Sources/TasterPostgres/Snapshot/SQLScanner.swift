/// Reads SQL text the way PostgreSQL's lexer splits it, far enough to tell what is code from
/// what is quoted: string constants (`'it''s'`, `E'it\'s'`, `$tag$ ... $tag$`), quoted
/// identifiers (`"a ""b"""`) and comments (`-- ...`, nested `/* ... */`). What it finds in the
/// code: statement separators (`;`) and how parentheses nest.
///
/// - SeeAlso: https://www.postgresql.org/docs/15/sql-syntax-lexical.html
struct SQLScanner {
    /// A `;` outside quotes and comments.
    private(set) var hasSeparator = false
    /// A `)` closed a parenthesis the text did not open.
    private(set) var closesOutside = false
    /// Parentheses still open at the end.
    private(set) var openAtEnd = 0
    /// A quote or comment runs to the end of the text.
    private(set) var unterminated = false

    init(_ text: String) {
        let characters = Array(text.unicodeScalars)
        var index = 0
        var depth = 0
        func at(_ offset: Int) -> Unicode.Scalar? { index + offset < characters.count ? characters[index + offset] : nil }
        func isIdentifierCharacter(_ scalar: Unicode.Scalar?) -> Bool {
            guard let scalar else { return false }
            return Self.isIdentifierCharacter(scalar)
        }
        // From just after an opening `quote` to its closing one (a doubled quote, or with `escapes`
        // a backslash, keeps it open); marks the text unterminated when it never closes.
        func skipQuoted(_ quote: Unicode.Scalar, escapes: Bool) {
            while index < characters.count {
                if escapes && characters[index] == "\\" {
                    index += 2
                } else if characters[index] == quote {
                    guard at(1) == quote else { return }
                    index += 2
                } else {
                    index += 1
                }
            }
            unterminated = true
        }
        while index < characters.count {
            let character = characters[index]
            switch character {
            case "-" where at(1) == "-":
                while index < characters.count && characters[index] != "\n" { index += 1 }
            case "/" where at(1) == "*":
                var nesting = 0
                while index < characters.count {
                    if characters[index] == "/" && at(1) == "*" {
                        nesting += 1
                        index += 2
                    } else if characters[index] == "*" && at(1) == "/" {
                        nesting -= 1
                        index += 2
                        if nesting == 0 { break }
                    } else {
                        index += 1
                    }
                }
                if nesting > 0 { unterminated = true }
                continue
            case "'":
                // E'...' (or e'...') reads backslash escapes; a plain string only doubled quotes
                // (standard_conforming_strings, on since PostgreSQL 9.1).
                let escapes =
                    index > 0 && (characters[index - 1] == "E" || characters[index - 1] == "e")
                    && !isIdentifierCharacter(index > 1 ? characters[index - 2] : nil)
                index += 1
                skipQuoted("'", escapes: escapes)
            case "\"":
                index += 1
                skipQuoted("\"", escapes: false)
            case "$" where !isIdentifierCharacter(index > 0 ? characters[index - 1] : nil):
                // $tag$ ... $tag$ (the tag may be empty); `$1` is a parameter, not a quote.
                var end = index + 1
                while end < characters.count && characters[end] != "$" && isIdentifierCharacter(characters[end])
                    && !(end == index + 1 && ("0"..."9").contains(characters[end]))
                {
                    end += 1
                }
                guard end < characters.count, characters[end] == "$" else { break }
                let tag = Array(characters[index...end])
                index = end + 1
                var closed = false
                while index < characters.count {
                    if characters[index] == "$" && index + tag.count <= characters.count && Array(characters[index..<index + tag.count]) == tag {
                        index += tag.count - 1
                        closed = true
                        break
                    }
                    index += 1
                }
                if !closed { unterminated = true }
            case ";":
                hasSeparator = true
            case "(":
                depth += 1
            case ")":
                depth -= 1
                if depth < 0 { closesOutside = true }
            default:
                break
            }
            index += 1
        }
        openAtEnd = max(depth, 0)
    }

    /// Whether PostgreSQL's lexer reads `scalar` as part of an identifier: an ASCII letter, a
    /// digit, `_`, `$`, or any byte from 0x80 up (`ident_cont` in `scan.l`), so every scalar
    /// beyond ASCII — `é`, but also `€`, a no-break space or an emoji. `€$$` is one identifier,
    /// not `€` and a dollar quote.
    static func isIdentifierCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x80...: true
        case 0x61...0x7A, 0x41...0x5A, 0x30...0x39: true
        default: scalar == "_" || scalar == "$"
        }
    }
}
