import PacketSocket

/// Everything the command line decided.
struct PktdumpConfiguration {
    var interface: String?
    var count: Int?
    var writeFile: String?
    var readFile: String?
    var linkLevelHeader: Bool
    var promiscuous: Bool
    var snapLength: Int
    var bufferBytes: Int
    var useRing: Bool
    var nanosecondFile: Bool
    var expression: String
    /// `-C`, `-G`, `-W`.
    var rotation = FileRotation()
    /// `--pcapng`: `-w` writes pcapng.
    var pcapng = false
    var printing = PrintOptions()
    /// `-Q`: which packets by direction.
    var direction: PktdumpDirection = .inout
    /// `-l`: stdout written after every line.
    var lineBuffered = false
    /// `-U`: the `-w` file written after every packet.
    var packetBuffered = false
    /// `--immediate-mode`: no TPACKET_V3 block buffering (libpcap then uses TPACKET_V2; here recvmmsg).
    var immediate = false
    /// `--threads`: rings in one fanout group, each drained by its own thread (1: the single ring).
    var threads = 1
    var fanoutMode: PacketFanout.Mode = .hash
    /// `--file-per-thread`: each ring writes NAME.0, NAME.1, … instead of one merged file.
    var filePerThread = false
}
