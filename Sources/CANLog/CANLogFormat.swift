/// The log formats the toolkit reads and writes.
public enum CANLogFormat: String, Sendable, Hashable, CaseIterable {
    /// candump's log (`candump -l`/`-L`, canplayer's input): `(1700000000.123456) can0 123#DEADBEEF`.
    case candump = "log"
    /// Vector ASC text, as can-utils' `log2asc` writes it and `asc2log` reads it.
    case asc
    /// Vector BLF binary (zlib-compressed containers), as python-can's `BLFWriter` writes it.
    case blf

    /// The format a file name's extension names (`.log`, `.asc`, `.blf`, any case), nil for any other.
    public init?(path: String) {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        self.init(rawValue: path[path.index(after: dot)...].lowercased())
    }
}
