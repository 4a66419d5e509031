#if canImport(Glibc)
import Glibc
#endif

/// A file under the calling test target's `Fixtures` folder (inputs kept as data, e.g. fuzz findings): the folder
/// beside the calling file, found through `#filePath`, which a default argument takes from the caller.
/// - Throws: ``FixtureError`` when it cannot be read.
public func fixture(_ name: String, file: StaticString = #filePath) throws -> [UInt8] {
    let directory = "\(file)".split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
    let path = directory + "/Fixtures/" + name
    guard let stream = fopen(path, "rb") else { throw FixtureError(path: path) }
    defer { fclose(stream) }
    var bytes: [UInt8] = [], chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = fread(&chunk, 1, chunk.count, stream)
        if count == 0 { break }
        bytes += chunk[..<count]
    }
    return bytes
}

public struct FixtureError: Error, CustomStringConvertible {
    public var path: String
    public var description: String { "cannot read the fixture \(path)" }
}
