/// A broadcast-manager operation: the `opcode` of `struct bcm_msg_head` (`<linux/can/bcm.h>`).
///
/// Requests go from user space to the kernel (`TX_SETUP` … `RX_READ`); replies and notifications come back
/// (`TX_STATUS` … `RX_CHANGED`).
@frozen
public struct BCMOpcode: RawRepresentable, Hashable, Sendable, CustomStringConvertible, NamedConstant {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Creates or updates a (cyclic) transmission job. The corresponding C constant is `TX_SETUP`.
    public static let txSetup = BCMOpcode(rawValue: 1)
    /// Removes a transmission job. The corresponding C constant is `TX_DELETE`.
    public static let txDelete = BCMOpcode(rawValue: 2)
    /// Reads a transmission job back (answered by `TX_STATUS`). The corresponding C constant is `TX_READ`.
    public static let txRead = BCMOpcode(rawValue: 3)
    /// Sends one frame once. The corresponding C constant is `TX_SEND`.
    public static let txSend = BCMOpcode(rawValue: 4)
    /// Creates or updates a receive filter job. The corresponding C constant is `RX_SETUP`.
    public static let rxSetup = BCMOpcode(rawValue: 5)
    /// Removes a receive filter job. The corresponding C constant is `RX_DELETE`.
    public static let rxDelete = BCMOpcode(rawValue: 6)
    /// Reads a receive job back (answered by `RX_STATUS`). The corresponding C constant is `RX_READ`.
    public static let rxRead = BCMOpcode(rawValue: 7)
    /// Reply to `TX_READ`. The corresponding C constant is `TX_STATUS`.
    public static let txStatus = BCMOpcode(rawValue: 8)
    /// A counted transmission finished (sent with `TX_COUNTEVT`). The corresponding C constant is `TX_EXPIRED`.
    public static let txExpired = BCMOpcode(rawValue: 9)
    /// Reply to `RX_READ`. The corresponding C constant is `RX_STATUS`.
    public static let rxStatus = BCMOpcode(rawValue: 10)
    /// A monitored frame did not arrive within interval 1. The corresponding C constant is `RX_TIMEOUT`.
    public static let rxTimeout = BCMOpcode(rawValue: 11)
    /// A received frame changed (in the masked bits) or arrived first. The corresponding C constant is `RX_CHANGED`.
    public static let rxChanged = BCMOpcode(rawValue: 12)

    /// The C names.
    package static let names: [Self: String] = [
        .txSetup: "TX_SETUP",
        .txDelete: "TX_DELETE",
        .txRead: "TX_READ",
        .txSend: "TX_SEND",
        .rxSetup: "RX_SETUP",
        .rxDelete: "RX_DELETE",
        .rxRead: "RX_READ",
        .txStatus: "TX_STATUS",
        .txExpired: "TX_EXPIRED",
        .rxStatus: "RX_STATUS",
        .rxTimeout: "RX_TIMEOUT",
        .rxChanged: "RX_CHANGED",
    ]

    /// The C name, e.g. `TX_SETUP`, or `opcode 42` for an unknown value.
    public var description: String { knownName ?? "opcode \(rawValue)" }
}
