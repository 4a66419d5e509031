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
}
