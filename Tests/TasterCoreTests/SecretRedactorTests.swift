import Foundation
import Testing

@testable import TasterMongo
@testable import TasterNotify
@testable import TasterSupport

/// The scrubber and the secret type on their own (a redactor of the test's own: the process-wide
/// one is shared by every test).
@Suite("Secrets")
struct SecretRedactorTests {
    @Test(
        "a secret is found as given, lower-cased, percent-encoded or decoded, JSON-escaped, and cut",
        arguments: [
            "login failed for Summer@2024-Secret",
            "login failed for summer@2024-secret",
            "Failed to resolve '2024-secret@127.0.0.1'",
            "mongodb://taster:Summer%402024-Secret@db",
            "mongodb://taster:summer%402024-secret@db",
            #"{"password":"Summer@2024-Secret\/x"}"#,
            "the first six: Summer, cut",
        ])
    func forms(text: String) {
        let redactor = SecretRedactor()
        redactor.register("Summer@2024-Secret", origin: "MONGODB_URI's password")
        #expect(redactor.findings(in: text) == ["MONGODB_URI's password"])
        #expect(redactor.scrub("before\n\(text)\nafter") == "before\n\(SecretRedactor.notice(["MONGODB_URI's password"]))\nafter")
    }

    @Test("JSON-escaped and non-ASCII forms")
    func jsonForms() {
        let redactor = SecretRedactor()
        redactor.register(#"pä"ss\wörd"#, origin: "X")
        #expect(redactor.holdsSecret(#"{"p":"pä\"ss\\wörd"}"#))
        #expect(redactor.holdsSecret(#"{"p":"p\u00e4\"ss\\w\u00f6rd"}"#))
        #expect(!redactor.holdsSecret("nothing like it"))
    }

    @Test("short secrets are looked for whole, registered without pieces too; shorter than 4 not at all")
    func shortSecrets() {
        let redactor = SecretRedactor()
        redactor.register("abc", origin: "TOO_SHORT")
        redactor.register("Qz7!", origin: "SHORT")
        redactor.register("https://hooks.example.com/services/T0/B0/x", origin: "URL", fragments: false)
        #expect(!redactor.holdsSecret("abc"))
        #expect(redactor.holdsSecret("x qz7! y"))
        #expect(!redactor.holdsSecret("Qz7"))
        #expect(!redactor.holdsSecret("posting to https://hooks.example.com"), "no pieces of a URL registered whole")
        #expect(redactor.holdsSecret("posting to https://hooks.example.com/services/T0/B0/x"))
    }

    @Test("a long secret's pieces are 8 characters: a random token does not meet ordinary words by chance")
    func longSecrets() {
        let redactor = SecretRedactor()
        let token = "eyJhbGciOiJSUzI1NiIsImtpZCI6IjQ2In0.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ"
        redactor.register(token, origin: "TOKEN")
        #expect(redactor.holdsSecret("Authorization failed: ...c2VydmljZWFj..."))
        #expect(!redactor.holdsSecret("c2VydmlvZ"))
    }

    @Test("a password that is an ordinary word withholds the lines that hold it, and masks none in place")
    func ordinaryWord() {
        let redactor = SecretRedactor()
        redactor.register("orders", origin: "MONGO_PASS")
        let scrubbed = redactor.scrub("count pxbbq.orders: 120\ncount pxbbq.registrations: 30")
        #expect(scrubbed == SecretRedactor.notice(["MONGO_PASS"]) + "\ncount pxbbq.registrations: 30")
        #expect(!scrubbed.contains(SecretRedactor.mask), "no mask inside legible text that would point at the word")
    }

    @Test("a Secret prints as the mask however it is printed; the value only when asked")
    func secretType() {
        let secret = Secret("hunter2-Qz", origin: "MONGO_PASS")
        #expect("\(secret)" == SecretRedactor.mask)
        #expect(String(describing: secret) == SecretRedactor.mask)
        #expect(String(reflecting: secret) == SecretRedactor.mask)
        var dumped = ""
        dump(secret, to: &dumped)
        #expect(!dumped.contains("hunter2"))
        #expect(!"\(MongoSettings.Connection.parts(host: "h", port: 1, user: "u", password: secret))".contains("hunter2"))
        #expect(!"\(Optional(secret) as Any)".contains("hunter2"))
        #expect(secret.revealed == "hunter2-Qz")
    }

    @Test("a webhook URL's token parts are registered, so a partly masked URL in a retry warning is still caught")
    func webhookParts() {
        let url = "https://chat.example.com/v1/spaces/AAAA/messages?key=AIzaSyQ7kx9Wd&token=Zq8Lm3Vt6Rw%3D"
        NotificationSettings.registerParts(of: url)
        #expect(SecretRedactor.shared.holdsSecret("POST https://chat.example.com/v1/spaces/AAAA/messages?key=****&token=Zq8Lm3Vt6Rw%3D failed"))
        #expect(SecretRedactor.shared.holdsSecret("POST ...?key=AIzaSyQ7kx9Wd&token=**** failed"))
        #expect(SecretRedactor.shared.holdsSecret("token Zq8Lm3Vt6Rw= refused"))
        #expect(!SecretRedactor.shared.holdsSecret("notification sent to https://chat.example.com/****"))
    }

    @Test("a URL that is only an origin holds no token: warnings naming the receiver stay readable")
    func originOnlyURL() {
        NotificationSettings.registerParts(of: "http://origin-only-receiver.example:8080/")
        NotificationSettings.registerParts(of: "http://origin-only-receiver.example:8081")
        #expect(!SecretRedactor.shared.holdsSecret("could not send the notification to http://origin-only-receiver.example:8080: HTTP 500"))
        #expect(!SecretRedactor.shared.holdsSecret("could not send the notification to http://origin-only-receiver.example:8081/"))
        NotificationSettings.registerParts(of: "http://hook-user:Pw8x2Lq9@origin-only-receiver.example:8082/")
        #expect(SecretRedactor.shared.holdsSecret("sent as hook-user:Pw8x2Lq9"))
    }
}
