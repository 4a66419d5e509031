import ArgumentParser
import PacketSocket

/// `--fanout`: how the kernel spreads packets over the `--threads` rings.
enum FanoutModeArgument: String, ExpressibleByArgument, CaseIterable {
    /// By flow hash: one flow stays on one ring (`PACKET_FANOUT_HASH`).
    case hash
    /// By the receiving CPU (`PACKET_FANOUT_CPU`).
    case cpu
    /// Round robin (`PACKET_FANOUT_LB`).
    case lb

    var mode: PacketFanout.Mode {
        switch self {
        case .hash: .hash
        case .cpu: .cpu
        case .lb: .loadBalance
        }
    }
}
