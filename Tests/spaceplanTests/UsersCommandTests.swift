import Foundation
import Testing
import TestSupport

/// `spaceplan users` on both backends: the password from standard input, never on the command
/// line or in the store as text; refusals with their reason and a non-zero exit.
@Suite("spaceplan users")
struct UsersCommandTests {
    static func users(_ arguments: [String], password: String = "") throws -> (output: String, status: Int32) {
        // Standard error joined to the output, so a refusal's words can be read.
        try runTool("/bin/sh", ["-c", "\"$0\" \"$@\" 2>&1", SpacePlanCLI.binary.path] + ["users"] + arguments, input: password)
    }

    @Test("add, list, disable; refusals named; the password kept only as a bcrypt hash", arguments: StoreBackend.allCases)
    func users(_ backend: StoreBackend) throws {
        try StoreFixture.withSample(backend) { _, store in
            let password = "correct horse battery"
            let added = try Self.users(["add", "--store", store.name, "--name", "lianhua-ops", "--role", "operator", "--carriers", "C00001,C00002"], password: password + "\n")
            #expect(added.status == 0 && added.output.contains("lianhua-ops: operator of C00001, C00002 added"), "\(added.output)")
            let refusals: [([String], String, String)] = [
                (["add", "--store", store.name, "--name", "lianhua-ops", "--role", "bureau"], password, "already has a login"),
                (["add", "--store", store.name, "--name", "x", "--role", "bureau"], "short", "too short"),
                (["add", "--store", store.name, "--name", "x", "--role", "mayor"], password, "--role must be bureau, operator or applicant"),
                (["add", "--store", store.name, "--name", "x", "--role", "operator", "--carriers", "C99999"], password, "no carrier C99999"),
                (["add", "--store", store.name, "--name", "x", "--role", "bureau"], "", "give the password on standard input"),
                (["disable", "--store", store.name, "--name", "nobody"], "", "no one is called nobody"),
            ]
            for (arguments, input, words) in refusals {
                let r = try Self.users(arguments, password: input + "\n")
                #expect(r.status != 0 && r.output.contains(words), "\(arguments): \(r.output)")
            }
            let list = try Self.users(["list", "--store", store.name])
            #expect(list.output.split(separator: "\n").count == 1 && list.output.hasPrefix("lianhua-ops\toperator\tactive\t"))
            #expect(list.output.hasSuffix("\tC00001,C00002\n"))
            let stored = try store.sql("SELECT password_hash FROM platform_users")
            #expect(stored.count == 1 && stored[0][0].hasPrefix("$2b$11$") && !stored[0][0].contains(password))
            #expect(try Self.users(["disable", "--store", store.name, "--name", "lianhua-ops", "--reason", "contract ended"]).status == 0)
            #expect(try Self.users(["list", "--store", store.name]).output.contains("\tdisabled\t"))
            let log = try store.sql("SELECT action, reason FROM platform_log ORDER BY seq").map { $0.joined(separator: ": ") }
            #expect(log == ["add user: added with spaceplan users add", "disable user: contract ended"])
        }
    }
}
