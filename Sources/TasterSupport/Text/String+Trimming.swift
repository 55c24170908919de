extension String {
    /// Trims ASCII spaces, tabs and newlines at both ends without Foundation.
    package func trimmingSpaces() -> String {
        // "\r\n" is one Character in Swift: compare it too.
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }),
            let last = lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(self[first...last])
    }

    /// Trims `character` at both ends.
    package func trimmingCharacters(_ character: Character) -> String {
        var slice = Substring(self)
        while slice.first == character { slice = slice.dropFirst() }
        while slice.last == character { slice = slice.dropLast() }
        return String(slice)
    }
}
