import TasterSupport

/// pre-taste stored a complete `pre.json` but could not confirm that `latest-pre.json` now points
/// at it. The store may have applied the write before its answer was lost, so the pointer names
/// either the previous baseline or this complete one — never a partial run. Exit code of the
/// underlying failure (3 for S3).
package struct PointerWriteError: TasterError {
    package let runID: String
    package let baselineURI: String
    package let pointerURI: String
    package let underlying: any Error

    package init(runID: String, baselineURI: String, pointerURI: String, underlying: any Error) {
        self.runID = runID
        self.baselineURI = baselineURI
        self.pointerURI = pointerURI
        self.underlying = underlying
    }

    package var exitCode: TasterExitCode { (underlying as? any TasterError)?.exitCode ?? .dependency }

    package var description: String {
        "the baseline of run \(runID) is stored and complete at \(baselineURI), but moving \(pointerURI) to it failed: \(underlying) — "
            + "the store may have applied the write before the answer was lost, so the pointer names the previous baseline or this one, "
            + "never a partial run; sync again once the store is reachable (post-taste --run-id \(runID) "
            + "uses this baseline explicitly)"
    }
}
