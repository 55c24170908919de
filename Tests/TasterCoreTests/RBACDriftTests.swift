import Foundation
import Testing

@testable import TasterKubernetes
@testable import TasterSupport

/// The Roles shipped in `kustomize/` grant exactly the API calls the code declares in
/// `KubernetesPermissions`: a call the Role lacks is a 403 in the middle of a sync, a grant the
/// code never uses is privilege nobody needs.
@Suite struct RBACDriftTests {
    static let root = Fixture.repository

    /// The Role an app's overlay applies: the base's rules with the workload rules restricted by
    /// name (`kustomize/components/workload-1/role.yaml`, which every app's `app/` component lists;
    /// workload-2 .. workload-N only add names to it).
    static let overlayRoles = ["kustomize/components/workload-1/role.yaml"]

    /// One rule of a Role, as written.
    struct Rule {
        var apiGroups: [String]
        var resources: [String]
        var verbs: [String]
        var resourceNames: [String]

        /// Every (verb, group, resource) the rule grants.
        var grants: [KubernetesPermission] {
            apiGroups.flatMap { group in
                resources.flatMap { resource in verbs.map { KubernetesPermission($0, group, resource) } }
            }
        }
    }

    /// The rules of the one Role in a YAML file (a manifest or a kustomize patch).
    static func rules(of path: String) throws -> [Rule] {
        let text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
        let roles = try YAMLParser.composeAll(text).map(YAMLCoreSchema.plainValue).compactMap { $0 as? [String: Any] }.filter {
            $0["kind"] as? String == "Role"
        }
        try #require(roles.count == 1, "\(path) should hold one Role, holds \(roles.count)")
        let rules = try #require(roles[0]["rules"] as? [[String: Any]], "\(path): the Role has no rules")
        return rules.map { rule in
            Rule(
                apiGroups: rule["apiGroups"] as? [String] ?? [],
                resources: rule["resources"] as? [String] ?? [],
                verbs: rule["verbs"] as? [String] ?? [],
                resourceNames: rule["resourceNames"] as? [String] ?? [])
        }
    }

    /// Compares what the rules grant with what the code declares, both ways, ignoring
    /// `namedWorkloadsOnly` (checked separately).
    static func expectSameGrants(_ rules: [Rule], _ declared: [KubernetesPermission], in path: String) {
        for rule in rules {
            let words = rule.apiGroups + rule.resources + rule.verbs + rule.resourceNames
            #expect(!words.contains("*"), "\(path): wildcard in \(rule)")
        }
        let granted = Set(rules.flatMap(\.grants).map(key))
        let needed = Set(declared.map(key))
        let missing = needed.subtracting(granted).sorted()
        let extra = granted.subtracting(needed).sorted()
        #expect(missing.isEmpty, "\(path) lacks what the code calls (a 403 mid-sync): \(missing)")
        #expect(extra.isEmpty, "\(path) grants what the code never calls: \(extra)")
    }

    static func key(_ permission: KubernetesPermission) -> String { permission.description }

    @Test func baseRoleGrantsExactlyWhatTheHooksCall() throws {
        let path = "kustomize/base/role.yaml"
        let rules = try Self.rules(of: path)
        Self.expectSameGrants(rules, KubernetesPermissions.hooks, in: path)
        // The base serves any app: the workload names belong to an overlay.
        let named = rules.filter { !$0.resourceNames.isEmpty }.flatMap(\.resources)
        #expect(named.isEmpty, "\(path): resourceNames on \(named) belong in an overlay")
    }

    @Test(arguments: overlayRoles)
    func overlayRoleGrantsExactlyWhatTheHooksCall(path: String) throws {
        let rules = try Self.rules(of: path)
        Self.expectSameGrants(rules, KubernetesPermissions.hooks, in: path)
        let namedOnly = Set(KubernetesPermissions.hooks.filter(\.namedWorkloadsOnly).map(Self.key))
        for rule in rules {
            for grant in rule.grants.map(Self.key) {
                if namedOnly.contains(grant) {
                    #expect(!rule.resourceNames.isEmpty, "\(path): \(grant) is not restricted to the app's workloads")
                } else {
                    // Pods have generated names and an Event is created: a name restriction
                    // would deny the call.
                    #expect(rule.resourceNames.isEmpty, "\(path): \(grant) cannot be restricted by name")
                }
            }
        }
    }

    @Test func everyOverlayRoleExists() {
        for path in Self.overlayRoles {
            #expect(FileManager.default.fileExists(atPath: Self.root.appendingPathComponent(path).path), "\(path) is missing")
        }
    }

    /// The Role a CI pipeline's identity needs for `taster await-job`.
    @Test func ciRoleGrantsExactlyWhatAwaitJobCalls() throws {
        let path = "kustomize/ci/role.yaml"
        let rules = try Self.rules(of: path)
        Self.expectSameGrants(rules, KubernetesPermissions.awaitJob, in: path)
        let named = rules.filter { !$0.resourceNames.isEmpty }.flatMap(\.resources)
        #expect(named.isEmpty, "\(path): resourceNames on \(named); Job and pod names are not known in advance")
    }

    /// The Role in Argo CD's namespace that an app's `argocd/` makes; it names the one Application.
    @Test func argoCDRoleGrantsExactlyReadingTheApplication() throws {
        let path = "kustomize/components/argocd-application/role.yaml"
        Self.expectSameGrants(try Self.rules(of: path), KubernetesPermissions.argoApplication, in: path)
        let unnamed = try Self.rules(of: path).filter(\.resourceNames.isEmpty).flatMap(\.resources)
        #expect(unnamed.isEmpty, "\(path): \(unnamed) must name the one Application")
    }
}
