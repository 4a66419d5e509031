#if canImport(Glibc)
import Glibc
#endif

/// A file under the calling test target's `Fixtures` folder (inputs kept as data, e.g. fuzz findings): the folder
/// beside the calling file, found through `#filePath`, which a default argument takes from the caller.
/// - Throws: ``FixtureError`` when it cannot be read.
public func fixture(_ name: String, file: StaticString = #filePath) throws -> [UInt8] {
    let directory = "\(file)".split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
    let path = directory + "/Fixtures/" + name
    guard let bytes = PackageFiles.bytes(path) else { throw FixtureError(path: path) }
    return bytes
}

public struct FixtureError: Error, CustomStringConvertible {
    public var path: String
    public var description: String { "cannot read the fixture \(path)" }
}
