import Foundation
import XCTest

/// The module layering that Package.swift declares, checked against Package.swift itself and
/// against the `import`s of every source file: modules are listed bottom-up and depend only
/// on modules listed above them; reports never link the training engine.
final class LayeringTests: XCTestCase {
    /// Targets in Package.swift order with their declared dependencies (target names; products
    /// of other packages by product name).
    static let targets: [(name: String, dependencies: Set<String>)] = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = (try? String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)) ?? ""
        // `.target(name: "X", dependencies: [ ... ])`, `.executableTarget(...)`, `.systemLibrary(name: "X", ...)`.
        let pattern = try! NSRegularExpression(
            pattern: #"\.(?:target|executableTarget|systemLibrary)\(name: "([A-Za-z0-9]+)"(?:, dependencies: \[(.*?)\])?"#,
            options: [.dotMatchesLineSeparators])
        let names = try! NSRegularExpression(pattern: #""([A-Za-z0-9-]+)"(?!, package)|name: "([A-Za-z0-9]+)", package"#)
        let range = NSRange(text.startIndex..., in: text)
        return pattern.matches(in: text, range: range).map { match in
            let name = String(text[Range(match.range(at: 1), in: text)!])
            guard let listRange = Range(match.range(at: 2), in: text) else { return (name, []) }
            let list = String(text[listRange])
            let dependencies = names.matches(in: list, range: NSRange(list.startIndex..., in: list)).map { m -> String in
                let group = m.range(at: 1).location != NSNotFound ? 1 : 2
                return String(list[Range(m.range(at: group), in: list)!])
            }
            return (name, Set(dependencies))
        }
    }()

    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Every target reachable from `name` through declared dependencies.
    static func closure(of name: String) -> Set<String> {
        let byName = Dictionary(targets.map { ($0.name, $0.dependencies) }, uniquingKeysWith: { a, _ in a })
        var seen: Set<String> = [], stack = [name]
        while let next = stack.popLast() {
            for dependency in byName[next] ?? [] where seen.insert(dependency).inserted { stack.append(dependency) }
        }
        return seen
    }

    func testPackageListsTheModules() {
        let names = Self.targets.map(\.name)
        for module in ["TensorKit", "Storage", "NeuralNet", "DatasetKit", "RunFile", "Methods", "Experiments", "Reporting",
                       "deeprank"] {
            XCTAssert(names.contains(module), "Package.swift: no target \(module) found (parsed: \(names))")
        }
    }

    func testReportingDoesNotLinkTheTrainingEngine() {
        let closure = Self.closure(of: "Reporting")
        for engine in ["NeuralNet", "Methods", "Experiments"] {
            XCTAssertFalse(closure.contains(engine), "Reporting depends on \(engine) through \(closure.sorted())")
        }
        XCTAssert(closure.contains("RunFile"))
    }

    func testRunFileKnowsNoMethodOrNetwork() {
        let closure = Self.closure(of: "RunFile")
        for upper in ["NeuralNet", "Methods", "Experiments", "Reporting"] {
            XCTAssertFalse(closure.contains(upper), "RunFile depends on \(upper) through \(closure.sorted())")
        }
    }

    /// Package.swift lists the modules bottom-up: each target's dependencies among this
    /// package's targets come before it.
    func testTargetsDependOnlyOnTargetsAboveThem() {
        var above: Set<String> = []
        let own = Set(Self.targets.map(\.name))
        for target in Self.targets {
            let local = target.dependencies.intersection(own)
            XCTAssert(local.isSubset(of: above),
                      "Package.swift: \(target.name) depends on \(local.subtracting(above).sorted()), listed below it")
            above.insert(target.name)
        }
    }

    /// Each module's source files import only what Package.swift lets the module depend on.
    func testImportsAreDeclaredDependencies() throws {
        let system: Set<String> = ["Foundation", "FoundationXML", "Glibc", "Dispatch", "Crypto", "Yams", "ArgumentParser"]
        let sources = Self.root.appendingPathComponent("Sources")
        for target in Self.targets {
            let folder = sources.appendingPathComponent(target.name)
            guard let files = FileManager.default.enumerator(atPath: folder.path) else { continue }
            for case let file as String in files where file.hasSuffix(".swift") {
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                for line in text.split(separator: "\n") where line.hasPrefix("import ") {
                    let module = String(line.dropFirst("import ".count)).trimmingCharacters(in: .whitespaces)
                    XCTAssert(system.contains(module) || target.dependencies.contains(module),
                              "Sources/\(target.name)/\(file) imports \(module), which Package.swift does not give \(target.name)")
                }
            }
        }
    }
}
