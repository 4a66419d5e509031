/// What this socket asks a sender for in its flow control frames (`struct can_isotp_fc_options`, set with
/// `CAN_ISOTP_RECV_FC`).
public struct ISOTPFlowControlOptions: Hashable, Sendable {
    /// Block size: consecutive frames per flow control frame; 0 = no further flow control (`bs`).
    public var blockSize: UInt8
    /// Minimum gap between consecutive frames the sender must keep (`stmin`).
    public var separationTime: ISOTPSeparationTime
    /// Most wait frames this socket sends before giving up; 0 = none (`wftmax`).
    public var maximumWaitFrames: UInt8

    /// The kernel's defaults: bs 0, stmin 0, wftmax 0.
    public init(blockSize: UInt8 = 0, separationTime: ISOTPSeparationTime = .zero, maximumWaitFrames: UInt8 = 0) {
        self.blockSize = blockSize
        self.separationTime = separationTime
        self.maximumWaitFrames = maximumWaitFrames
    }

    /// The 3 bytes of `struct can_isotp_fc_options`: bs, stmin, wftmax.
    public var kernelBytes: [UInt8] { [blockSize, separationTime.rawValue, maximumWaitFrames] }
}
