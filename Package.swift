// swift-tools-version:6.0
//
// CANToolkit: SocketCAN (CAN_RAW, CAN_BCM, CAN_ISOTP) and AF_PACKET sockets for Swift on Linux.
//
// Module map (lower modules never import higher ones):
//   SocketBase    descriptor ownership, addresses, options, errors, timeouts, the generic constructors
//   CANSocket     CAN ids, frames, filters, error decoding, RAW/BCM/ISO-TP sockets, candump formats
//   PacketSocket  AF_PACKET sockets, TPACKET_V3 ring, link-layer and IP codecs, pcap files
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
        .library(name: "PacketSocket", targets: ["PacketSocket"]),
        .executable(name: "candump-swift", targets: ["candump-swift"]),
        .executable(name: "isotp-swift", targets: ["isotp-swift"]),
        .executable(name: "pktdump-swift", targets: ["pktdump-swift"]),
        .library(name: "UDS", targets: ["UDS"]),
        .executable(name: "uds-swift", targets: ["uds-swift"]),
    ],
    dependencies: [
        // The CLIs' command lines (see NOTES in README: the only dependency).
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
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
        .target(name: "PacketSocket", dependencies: ["SocketBase", "CPacketShims", "CPcap"]),

        // UDS (ISO 14229-1) client and ECU simulator over ISO-TP.
        .target(name: "UDS", dependencies: ["CANSocket", "SocketBase"]),

        // MARK: Executables
        // What the command-line tools share: buffered output, signal handling that flushes, stderr lines.
        .target(name: "ToolSupport", dependencies: ["SocketBase"]),
        // isotpsend's addressing options (-s -d -x -p -P -L IFACE), shared by isotp-swift and uds-swift.
        .target(
            name: "ISOTPCommandLine",
            dependencies: ["CANSocket", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "candump-swift",
            dependencies: [
                "CANSocket", "PacketSocket", "ToolSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .executableTarget(
            name: "isotp-swift",
            dependencies: ["CANSocket", "ISOTPCommandLine", "ToolSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "pktdump-swift",
            dependencies: ["PacketSocket", "ToolSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),

        .executableTarget(
            name: "uds-swift",
            dependencies: ["UDS", "CANSocket", "ISOTPCommandLine", "ToolSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),

        // MARK: Tests
        // What the test targets share: starting the C tools and this package's executables.
        .target(name: "ToolkitTestSupport", path: "Tests/ToolkitTestSupport"),
        // Pure and host tests: run anywhere (`scripts/test`, host phase).
        .testTarget(name: "SocketBaseTests", dependencies: ["SocketBase"]),
        .testTarget(name: "CANSocketTests", dependencies: ["CANSocket"]),
        .testTarget(name: "UDSTests", dependencies: ["UDS"]),
        .testTarget(name: "PacketSocketTests", dependencies: ["PacketSocket", "ToolkitTestSupport"]),
        // Tests that need root, veth pairs and network namespaces (AF_PACKET): host phase, as root.
        .testTarget(name: "PacketIntegrationTests", dependencies: ["PacketSocket", "SocketBase", "ToolkitTestSupport"]),
        // Tests that need AF_CAN and vcan: run inside the VM by `scripts/test` (CAN phase).
        .testTarget(name: "CANIntegrationTests", dependencies: ["CANSocket", "SocketBase", "ToolkitTestSupport", "UDS"]),
    ]
)
