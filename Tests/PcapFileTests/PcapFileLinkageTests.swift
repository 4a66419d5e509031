#if canImport(Glibc)
import Glibc
#endif
import Testing

import ToolkitTestSupport

/// The reason PcapFile is a target of its own: candump-swift writes pcap files without linking libpcap (and
/// libdbus, libsystemd, libgcrypt behind it), which cost it most of its start-up.
@Suite struct PcapFileLinkageTests {
    static let buildDirectory: String = {
        if let dir = getenv("CANTOOLKIT_BUILD_DIR") { return String(cString: dir) }
        let file = #filePath
        let root = file.hasSuffix("/Tests/PcapFileTests/PcapFileLinkageTests.swift")
            ? String(file.dropLast("/Tests/PcapFileTests/PcapFileLinkageTests.swift".count)) : "."
        return "\(root)/.build/debug"
    }()

    /// The libraries `ldd` lists for a built product.
    static func libraries(of product: String) throws -> String {
        let path = "\(buildDirectory)/\(product)"
        let result = try Subprocess.run(["ldd", path])
        #expect(result.status == 0, "ldd \(path): \(result.stderr)")
        return result.stdout
    }

    @Test func candumpSwiftLinksNoLibpcap() throws {
        let candump = try Self.libraries(of: "candump-swift")
        #expect(candump.contains("libsocketcan"), "\(candump)")
        #expect(!candump.contains("libpcap"), "\(candump)")
        // The check can see libpcap where it is linked: pktdump-swift compiles filters with it.
        #expect(try Self.libraries(of: "pktdump-swift").contains("libpcap"))
    }
}
