import ArgumentParser
import TasterSupport

/// The root command: `taster <subcommand>`.
struct Taster: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "taster",
        abstract:
            "Guard Argo CD syncs with data-integrity checks: snapshot MongoDB before and after an upgrade, keep the reports in S3, fail the sync when data changed.",
        discussion: """
            As Argo CD hooks:
              pre-taste    PreSync: record replicas, scale up, wait until ready,
                           snapshot, upload the baseline
              post-taste   PostSync: snapshot again, compare with the baseline,
                           upload the verdict, restore the replicas
              restore      SyncFail: scale back to the replicas in the baseline

            For people and CI:
              snapshot     measure the database now and print it (no upload, no scaling)
              compare      compare two reports (files or s3:// URIs)
              check        test connectivity and permissions to Kubernetes, MongoDB and S3
              await-job    wait for a Kubernetes Job, stream its logs, fail when it fails

            Settings come from environment variables (a Job's Secret and
            ConfigMap); flags override them. `taster help settings` lists every
            variable: meaning, default, flag, the commands that use it.
            `taster check --show-settings` prints the effective values.

            \(TasterExitCode.helpText)
            """,
        version: TasterVersion.current,
        subcommands: [PreTaste.self, PostTaste.self, Snapshot.self, Compare.self, Check.self, Restore.self, AwaitJob.self]
    )
}
