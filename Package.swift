// swift-tools-version:6.0
//
// CANToolkit: SocketCAN (CAN_RAW, CAN_BCM, CAN_ISOTP) and AF_PACKET sockets for Swift on Linux.
//
// Module map (lower modules never import higher ones):
//   SocketBase    descriptor ownership, addresses, options, errors, timeouts, the generic constructors
//   CANSocket     CAN ids, frames, filters, error decoding, RAW/BCM/ISO-TP sockets, candump formats
//   PcapFile      pcap files (reader, writer, link types): links nothing, so candump-swift needs no libpcap
//   PacketSocket  AF_PACKET sockets, TPACKET_V3 ring, link-layer and IP codecs (re-exports PcapFile)
//   candump-swift the candump-compatible sniffer
//   isotp-swift   isotpsend / isotprecv with the same command lines and text
//   pktdump-swift a small tcpdump: AF_PACKET capture into pcap files
//   CANLog        log files beyond candump's: Vector ASC (as log2asc/asc2log) and BLF (as python-can); the replay player
//   canlog-swift  converts between candump logs, ASC and BLF; replays them (play, as canplayer)
//   ToolSupport   what the tools share: buffered output files, signals that end a run cleanly
//   ToolCommandLine  the ArgumentParser tools' entry point: usage errors exit 1, as the C tools' do
// C shims (C*) export what Swift cannot import directly: CMSG macros, kernel UAPI structs, libsocketcan, libpcap.
import PackageDescription

let package = Package(
    name: "CANToolkit",
    products: [
        .library(name: "SocketBase", targets: ["SocketBase"]),
        .library(name: "CANSocket", targets: ["CANSocket"]),
        .library(name: "PcapFile", targets: ["PcapFile"]),
        .library(name: "PacketSocket", targets: ["PacketSocket"]),
        .executable(name: "candump-swift", targets: ["candump-swift"]),
        .executable(name: "isotp-swift", targets: ["isotp-swift"]),
        .executable(name: "pktdump-swift", targets: ["pktdump-swift"]),
        .library(name: "CANLog", targets: ["CANLog"]),
        .executable(name: "canlog-swift", targets: ["canlog-swift"]),
        .library(name: "CANDatabase", targets: ["CANDatabase"]),
        .executable(name: "candecode-swift", targets: ["candecode-swift"]),
        .library(name: "UDS", targets: ["UDS"]),
        .executable(name: "uds-swift", targets: ["uds-swift"]),
    ],
    dependencies: [
        // The CLIs' command lines (see NOTES in README: the only dependency).
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // `swift package generate-documentation` for the DocC catalogs (Sources/<Module>/<Module>.docc); a plugin
        // only: nothing of it is linked into the libraries or the tools.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
    ],
    targets: [
        // MARK: C shims and system libraries
        .target(name: "CSocketShims"),
        .target(name: "CCANShims"),
        .target(name: "CPacketShims"),
        .systemLibrary(
            name: "CSocketCAN",
            pkgConfig: "libsocketcan",
            providers: [.apt(["libsocketcan-dev"])]
        ),
        // libpcap only compiles tcpdump filter expressions to classic BPF; capture stays the toolkit's own.
        .systemLibrary(
            name: "CPcap",
            pkgConfig: "libpcap",
            providers: [.apt(["libpcap-dev"])]
        ),

        // The system zlib: BLF's compressed LOG_CONTAINER objects.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),

        // MARK: Libraries
        .target(name: "SocketBase", dependencies: ["CSocketShims"]),
        .target(name: "CANSocket", dependencies: ["SocketBase", "CCANShims", "CSocketCAN"]),
        // pcap files (read and write): links nothing beyond SocketBase, so candump-swift needs no libpcap.
        .target(name: "PcapFile", dependencies: ["SocketBase"]),
        .target(name: "PacketSocket", dependencies: ["SocketBase", "PcapFile", "CPacketShims", "CPcap"]),
        .target(name: "CANLog", dependencies: ["CANSocket", "CZlib"]),
        // DBC databases: parse, decode and encode signals (issue 11). Depends only on the CAN frame types.
        .target(name: "CANDatabase", dependencies: ["CANSocket"]),

        // UDS (ISO 14229-1) client and ECU simulator over ISO-TP.
        .target(name: "UDS", dependencies: ["CANSocket", "SocketBase"]),

        // MARK: Executables
        // What the command-line tools share: buffered output, signal handling that flushes, stderr lines.
        .target(name: "ToolSupport", dependencies: ["SocketBase"]),
        // The ArgumentParser tools' entry point: usage errors end as the C tools' do (exit 1).
        .target(name: "ToolCommandLine", dependencies: ["ToolSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // isotpsend's addressing options (-s -d -x -p -P -L IFACE), shared by isotp-swift and uds-swift.
        .target(
            name: "ISOTPCommandLine",
            dependencies: ["CANSocket", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "candump-swift",
            dependencies: [
                "CANSocket", "PcapFile", "ToolSupport", "CANDatabase",
            ],
            // Its command line is parsed by hand, as candump's getopt parses it (CandumpArguments): reflecting over
            // an ArgumentParser command cost most of a start (issue 9).
            // Release: a static executable (the Swift runtime, glibc and libsocketcan.a linked in), so start-up has
            // no dynamic loading (issue 9; README, Benchmarks). Debug, what the tests run, stays dynamic, and so does
            // a release build with CANTOOLKIT_DYNAMIC=1: valgrind counts no mallocs in a static executable
            // (scripts/bench's allocation counts).
            // Release: no runtime exclusivity checks in its per-frame code (the session's and the receive thread's
            // state is each owned by one thread; callgrind put the checks at a fifth of the instructions per frame).
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))],
            linkerSettings: Context.environment["CANTOOLKIT_DYNAMIC"] == "1"
                ? [] : [.unsafeFlags(["-static-executable"], .when(configuration: .release))]
        ),

        .executableTarget(
            name: "isotp-swift",
            dependencies: ["CANSocket", "ISOTPCommandLine", "ToolSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "pktdump-swift",
            dependencies: ["PacketSocket", "ToolSupport", "ToolCommandLine", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            // Release: no runtime exclusivity checks in the per-packet code, as for candump-swift (a session, and each
            // ring reader of --threads, owns its state on one thread; perf put the checks at 9% of its CPU per packet).
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),

        .executableTarget(
            name: "canlog-swift",
            dependencies: ["CANLog", "CANSocket", "ToolSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "candecode-swift",
            dependencies: ["CANDatabase", "CANSocket", "ToolSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "uds-swift",
            dependencies: ["UDS", "CANSocket", "ISOTPCommandLine", "ToolSupport", "ToolCommandLine", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),

        // MARK: Tests
        // What the test targets share: starting the C tools and this package's executables.
        .target(name: "ToolkitTestSupport", path: "Tests/ToolkitTestSupport"),
        // Pure and host tests: run anywhere (`scripts/test`, host phase).
        .testTarget(name: "SocketBaseTests", dependencies: ["SocketBase", "ToolkitTestSupport"]),
        .testTarget(name: "CANSocketTests", dependencies: ["CANSocket", "ToolkitTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "UDSTests", dependencies: ["UDS", "ToolkitTestSupport"]),
        .testTarget(name: "PcapFileTests", dependencies: ["PcapFile", "SocketBase", "ToolkitTestSupport"]),
        // ASC and BLF against log2asc/asc2log and python-can (host: no CAN needed).
        .testTarget(name: "CANLogTests", dependencies: ["CANLog", "CANSocket", "ToolkitTestSupport"], exclude: ["Fixtures"]),
        // The DBC module against cantools (PyPI, run by the tests) and candecode-swift against `cantools decode`.
        // Counts the test thread's heap allocations (the test binary's malloc forwards to glibc's).
        .target(name: "CAllocationCounter", path: "Tests/CAllocationCounter"),
        .testTarget(name: "CANDatabaseTests", dependencies: ["CANDatabase", "CANSocket", "ToolkitTestSupport", "CAllocationCounter"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "PacketSocketTests", dependencies: ["PacketSocket", "ToolkitTestSupport"], exclude: ["Fixtures"]),
        // Tests that need root, veth pairs and network namespaces (AF_PACKET): host phase, as root.
        .testTarget(name: "PacketIntegrationTests", dependencies: ["PacketSocket", "SocketBase", "ToolkitTestSupport"]),
        // Tests that need AF_CAN and vcan: run inside the VM by `scripts/test` (CAN phase).
        .testTarget(name: "CANIntegrationTests", dependencies: ["CANSocket", "SocketBase", "ToolkitTestSupport", "UDS", "CAllocationCounter", "CANLog", "PcapFile"],
                    exclude: ["Fixtures"]),
        // Every ```swift block of README.md and the DocC articles, compiled (never run) by a build-tool plugin.
        .testTarget(
            name: "DocumentationExamplesTests",
            dependencies: ["SocketBase", "CANSocket", "PacketSocket", "CANLog", "CANDatabase", "UDS"],
            swiftSettings: [.enableUpcomingFeature("MemberImportVisibility")],
            plugins: ["DocumentationExamples"]
        ),

        // MARK: Plugins
        .plugin(name: "DocumentationExamples", capability: .buildTool(), dependencies: ["documentation-examples"]),
        .executableTarget(name: "documentation-examples", path: "Plugins/documentation-examples"),
    ]
)

// MARK: Fuzz targets (issue 14), only with CANTOOLKIT_FUZZ=1: `scripts/fuzz` builds them into .build-fuzz with
// `-sanitize=fuzzer,address`. Each `Fuzz/<Name>/main.swift` is a few lines over one parser's public API; the
// driver (libFuzzer's LLVMFuzzerRunDriver) and the input carving live in Fuzz/FuzzSupport.
if Context.environment["CANTOOLKIT_FUZZ"] == "1" {
    let fuzzTargets: [(name: String, module: Target.Dependency)] = [
        ("CANFrameText", "CANSocket"), ("CandumpLog", "CANSocket"), ("CANFilterSpec", "CANSocket"),
        ("BCMMessage", "CANSocket"), ("ISOTP", "CANSocket"), ("PcapReader", "PacketSocket"),
        ("PacketSummary", "PacketSocket"), ("BPFProgram", "PacketSocket"), ("DBC", "CANDatabase"), ("UDS", "UDS"),
        ("CANLogFile", "CANLog"),
    ]
    package.targets += [
        .target(name: "CFuzzSupport", path: "Fuzz/CFuzzSupport"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzSupport", "CANSocket"], path: "Fuzz/FuzzSupport"),
    ]
    for target in fuzzTargets {
        package.targets.append(.executableTarget(name: "fuzz-\(target.name)", dependencies: [target.module, "FuzzSupport"],
                                                 path: "Fuzz/\(target.name)"))
        package.products.append(.executable(name: "fuzz-\(target.name)", targets: ["fuzz-\(target.name)"]))
    }
}
