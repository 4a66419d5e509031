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
//   ToolSupport   what the tools share: buffered output files, signals that end a run cleanly
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
    ],
    dependencies: [
        // The CLIs' command lines (see NOTES in README: the only dependency).
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // FileDescriptor for pcap files: part of the toolchain's own libraries, links nothing else.
        .package(url: "https://github.com/apple/swift-system", from: "1.8.0"),
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

        // MARK: Libraries
        .target(name: "SocketBase", dependencies: ["CSocketShims"]),
        .target(name: "CANSocket", dependencies: ["SocketBase", "CCANShims", "CSocketCAN"]),
        .target(name: "PcapFile", dependencies: ["SocketBase", .product(name: "SystemPackage", package: "swift-system")]),
        .target(name: "PacketSocket", dependencies: ["SocketBase", "PcapFile", "CPacketShims", "CPcap"]),

        // MARK: Executables
        // What the command-line tools share: buffered output, signal handling that flushes, stderr lines.
        .target(name: "ToolSupport", dependencies: ["SocketBase"]),
        .executableTarget(
            name: "candump-swift",
            dependencies: [
                "CANSocket", "PcapFile", "ToolSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .executableTarget(
            name: "isotp-swift",
            dependencies: ["CANSocket", "ToolSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "pktdump-swift",
            dependencies: ["PacketSocket", "ToolSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),

        // MARK: Tests
        // What the test targets share: starting the C tools and this package's executables.
        .target(name: "ToolkitTestSupport", path: "Tests/ToolkitTestSupport"),
        // Pure and host tests: run anywhere (`scripts/test`, host phase).
        .testTarget(name: "SocketBaseTests", dependencies: ["SocketBase"]),
        .testTarget(name: "CANSocketTests", dependencies: ["CANSocket", "SocketBase"]),
        .testTarget(name: "PcapFileTests", dependencies: ["PcapFile", "SocketBase", "ToolkitTestSupport"]),
        .testTarget(name: "PacketSocketTests", dependencies: ["PacketSocket", "SocketBase", "ToolkitTestSupport"]),
        // Tests that need root, veth pairs and network namespaces (AF_PACKET): host phase, as root.
        .testTarget(name: "PacketIntegrationTests", dependencies: ["PacketSocket", "SocketBase", "ToolkitTestSupport"]),
        // Tests that need AF_CAN and vcan: run inside the VM by `scripts/test` (CAN phase).
        .testTarget(name: "CANIntegrationTests", dependencies: ["CANSocket", "SocketBase", "ToolkitTestSupport"]),
    ]
)
