import ArgumentParser
import Foundation
import Platform

/// `spaceplan users`: the people who log in to `serve --store` (docs/platform.md).
struct UsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "The platform's people: add one (password from standard input), list them, disable one.",
        discussion: """
            Roles: bureau (everything: people, matching rounds, configuration), operator (keeps its \
            own carriers current: --carriers), applicant (a firm: applies for space). Passwords are \
            kept only as bcrypt hashes; every change is logged with who ran the command and why.
            """,
        subcommands: [UsersAddCommand.self, UsersListCommand.self, UsersDisableCommand.self])

    /// Who ran the command, for the platform's log: the system login.
    static var actor: String { "cli:" + (ProcessInfo.processInfo.environment["USER"] ?? getpwuid(geteuid()).map { String(cString: $0.pointee.pw_name) } ?? "unknown") }
}

struct UsersAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a person; the password is read from standard input (one line).",
        discussion: """
            Example:
              printf '%s\\n' "$PASSWORD" | spaceplan users add --store district.gpkg --name lianhua-ops --role operator --carriers C001,C002
            """)

    @Option(name: .long, help: ArgumentHelp("The store: a .gpkg file or a postgresql://…?schema=NAME URL.", valueName: "STORE"))
    var store: String

    @Option(name: .long, help: ArgumentHelp("The login name (no spaces or colons).", valueName: "NAME"))
    var name: String

    @Option(name: .long, help: ArgumentHelp("bureau, operator or applicant.", valueName: "ROLE"))
    var role: String

    @Option(name: .long, help: ArgumentHelp("An operator's carriers, by id.", valueName: "ID,…"))
    var carriers: String?

    @Option(name: .long, help: ArgumentHelp("Why (kept in the platform's log).", valueName: "TEXT"))
    var reason = "added with spaceplan users add"

    func validate() throws {
        guard Role(rawValue: role) != nil else { throw ValidationError("--role must be bureau, operator or applicant, found \"\(role)\"") }
    }

    func run() throws {
        let password = try Self.readPassword()
        let ids = (carriers ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let person = try People(store: store).add(
            name: name, role: Role(rawValue: role)!, carriers: ids, password: password, actor: UsersCommand.actor, reason: reason)
        print("\(person.name): \(person.role.rawValue)" + (person.carriers.isEmpty ? "" : " of \(person.carriers.joined(separator: ", "))") + " added to \(store)")
    }

    /// One line from standard input, without its line end; a terminal is asked without echo.
    static func readPassword() throws -> String {
        if isatty(0) == 1, let typed = getpass("Password: ") { return String(cString: typed) }
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw ValidationError("give the password on standard input (one line)")
        }
        return line
    }
}

struct UsersListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the people of a store.")

    @Option(name: .long, help: ArgumentHelp("The store: a .gpkg file or a postgresql://…?schema=NAME URL.", valueName: "STORE"))
    var store: String

    func run() throws {
        let people = try People(store: store).list()
        if people.isEmpty { print("no one has a login to \(store) yet: add one with spaceplan users add") }
        for p in people {
            let carriers = p.carriers.isEmpty ? "" : "\t" + p.carriers.joined(separator: ",")
            print("\(p.name)\t\(p.role.rawValue)\t\(p.disabled ? "disabled" : "active")\t\(p.createdAt)\(carriers)")
        }
    }
}

struct UsersDisableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable", abstract: "Disable a login; its sessions end at once. The person and their history stay.")

    @Option(name: .long, help: ArgumentHelp("The store: a .gpkg file or a postgresql://…?schema=NAME URL.", valueName: "STORE"))
    var store: String

    @Option(name: .long, help: ArgumentHelp("The login name.", valueName: "NAME"))
    var name: String

    @Option(name: .long, help: ArgumentHelp("Why (kept in the platform's log).", valueName: "TEXT"))
    var reason = "disabled with spaceplan users disable"

    func run() throws {
        try People(store: store).disable(name, actor: UsersCommand.actor, reason: reason)
        print("\(name): disabled; their sessions ended")
    }
}
