/// tcpdump's `-C`, `-G` and `-W`: when to start the next `-w` file and how its name is made (tcpdump.c 4.99.3,
/// `MakeFilename` and `dump_packet_and_trunc`).
struct FileRotation: Equatable {
    /// `-C`: start a new file before a packet once the current one is larger than this many bytes; 0: never.
    var bytes: Int64 = 0
    /// `-G`: start a new file before a packet once this many seconds have passed since the last one; 0: never.
    var seconds: Int = 0
    /// `-W`: with `-C`, the number of file names used in turn; with `-G` alone, the files written before exiting.
    var files: Int = 0

    /// Whether the `-w` name is rotated at all (tcpdump's `dump_packet_and_trunc`).
    var isActive: Bool { bytes != 0 || seconds != 0 }

    /// The width the file numbers are zero-padded to: the digits of `files - 1` (tcpdump's `getWflagChars`).
    var digits: Int {
        var count = 0, rest = files - 1
        while rest > 0 { count += 1; rest /= 10 }
        return count
    }
}
