// A build-tool plugin: every ```swift block of README.md and of the DocC articles under Sources/*/*.docc
// becomes a file of its own in the target that uses the plugin, holding the block as the body of an uncalled
// `async throws` function. An example that stops compiling fails the build, and with it `scripts/test`.
import Foundation
import PackagePlugin

@main
struct DocumentationExamples: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let documents = [root.appendingPathComponent("README.md")] + articles(under: root.appendingPathComponent("Sources"))
        // The generated files must be named here, before the tool runs: count the blocks the way it does.
        var blocks = 0
        for document in documents {
            let text = (try? String(contentsOf: document, encoding: .utf8)) ?? ""
            blocks += text.split(separator: "\n").filter { $0.trimmingCharacters(in: .whitespaces) == "```swift" }.count
        }
        let folder = context.pluginWorkDirectoryURL
        let outputs = [folder.appendingPathComponent("ExampleCounts.swift")]
            + (0..<blocks).map { folder.appendingPathComponent("Example\($0 + 1).swift") }
        return [.buildCommand(
            displayName: "Generating the Swift examples of README.md and the DocC articles",
            executable: try context.tool(named: "documentation-examples").url,
            arguments: [folder.path, root.path] + documents.map(\.path),
            inputFiles: documents,
            outputFiles: outputs)]
    }

    /// The Markdown articles of every `Sources/<Module>/<Module>.docc` catalog.
    func articles(under sources: URL) -> [URL] {
        let files = FileManager.default
        return ((try? files.contentsOfDirectory(atPath: sources.path)) ?? []).sorted().flatMap { module -> [URL] in
            let catalog = sources.appendingPathComponent(module).appendingPathComponent("\(module).docc")
            let names = (try? files.contentsOfDirectory(atPath: catalog.path)) ?? []
            return names.filter { $0.hasSuffix(".md") }.sorted().map { catalog.appendingPathComponent($0) }
        }
    }
}
