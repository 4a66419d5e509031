import Foundation
import Testing

/// The ```swift blocks of README.md and the DocC articles are compiled into this target by the
/// DocumentationExamples plugin (a block that stops compiling fails the build). This checks that the plugin saw
/// every block of every document, so none is silently left out.
@Suite("DocumentationExamples")
struct DocumentationExamplesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func swiftBlocks(in document: String) throws -> Int {
        let text = try String(contentsOf: root.appendingPathComponent(document), encoding: .utf8)
        return text.split(separator: "\n").filter { $0.trimmingCharacters(in: .whitespaces) == "```swift" }.count
    }

    @Test func everyBlockOfTheREADMEIsCompiled() throws {
        let count = try #require(exampleBlockCounts["README.md"])
        #expect(count >= 5)
        #expect(count == (try Self.swiftBlocks(in: "README.md")))
    }

    @Test func everyBlockOfEveryArticleIsCompiled() throws {
        for (document, count) in exampleBlockCounts where document != "README.md" {
            #expect(count == (try Self.swiftBlocks(in: document)), "\(document)")
        }
    }
}
