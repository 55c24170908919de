import Logging
import TasterSupport

/// Makes a phase's evidence key from `EvidencePolicy.secret`, once a check keeps a document index:
/// `TASTER_EVIDENCE_KEY` as it is; a database password stretched with a new random salt at
/// pre-taste, and at post-taste with the salt and rounds the baseline recorded (the one salt and
/// 100,000 rounds of baselines before schemaVersion 3). A baseline whose record is damaged gets a
/// new salt instead, and the reason, which names no document of any check.
struct EvidenceKeyResolver: Sendable {
    let logger: Logger
    let deadline: Deadline

    struct Resolved: Sendable {
        /// The key the phase's field digests are made with; nil when it could not be made.
        var key: EvidenceKey?
        /// Why the baseline's digests cannot be reproduced (a damaged `evidenceKey` record).
        var baselineProblem: String?
    }

    func resolve(_ secret: EvidenceSecret, baseline: TasteReport?) throws -> Resolved {
        switch secret {
        case .key(let key):
            return Resolved(key: EvidenceKey(secret: key))
        case .password(let password):
            var stretching = EvidenceKey.Stretching.fresh()
            var problem: String?
            var whose = ""
            if let baseline {
                if baseline.schemaVersion < 3 {
                    stretching = .legacy
                    whose = ", the baseline's of schemaVersion \(baseline.schemaVersion)"
                } else if let record = baseline.evidenceKey {
                    do {
                        if let recorded = try record.stretching() {
                            stretching = recorded
                            whose = ", the baseline's"
                        }
                    } catch {
                        problem = "\(error)"
                    }
                } else if baseline.snapshot.checks.contains(where: { $0.index?.keyID != nil }) {
                    problem = "\(EvidenceKeyRecord.Damage(problem: "it is missing, yet the baseline's indexes were made with a key"))"
                }
                if let problem { logger.warning("\(problem)") }
            }
            try deadline.check("deriving the evidence key")
            let clock = ContinuousClock()
            let started = clock.now
            do {
                let key = try EvidenceKey(password: password, stretching: stretching)
                logger.info(
                    "deriving the evidence key from the database password (\(stretching.rounds) rounds\(whose))… done in \(StepLog.format(started.duration(to: clock.now)))"
                )
                return Resolved(key: key, baselineProblem: problem)
            } catch {
                logger.warning(
                    "the evidence key could not be derived from the database password (\(error)): the document indexes hold _ids only; set TASTER_EVIDENCE_KEY in the app's Secret (openssl rand -base64 32)"
                )
                return Resolved(key: nil, baselineProblem: problem)
            }
        }
    }
}
