/// What starts each printed line, as tcpdump's `-t` count picks it (`ts_print` in `util-print.c`).
enum TimestampStyle: Int {
    /// `HH:MM:SS.uuuuuu` in local time (no `-t`).
    case localTime = 0
    /// Nothing (`-t`).
    case none = 1
    /// Seconds since the epoch, `1700000000.123456` (`-tt`).
    case unixTime = 2
    /// ` HH:MM:SS.uuuuuu` since the previous packet, `-` first when it went backwards (`-ttt`).
    case sincePrevious = 3
    /// `YYYY-MM-DD HH:MM:SS.uuuuuu` in local time (`-tttt`).
    case dateAndLocalTime = 4
    /// ` HH:MM:SS.uuuuuu` since the first packet (`-ttttt`).
    case sinceFirst = 5
}
