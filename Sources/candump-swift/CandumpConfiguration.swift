import CANDatabase
import CANSocket

/// Everything candump's command line sets, checked.
struct CandumpConfiguration {
    /// The output options candump's formatter takes: -t, -c, -a, -i, -S, -e, -x, -L, -8, -N.
    var output = CandumpFormatter.Options()
    var hardwareTimestamps = false
    var silent = 0
    /// -l or -f: write log lines to a file.
    var logFile = false
    /// -f FILE: the log file's name (else -l's `candump-DATE_TIME.log`).
    var logFileName: String?
    var count: Int?
    var receiveBufferSize: Int?
    /// `--queue`: the most frames held in memory between receiving and writing.
    var queueLimit: Int?
    var exitWhenDown = true
    var dropMonitor = false
    var idleTimeout: Duration?
    var pcapPath: String?
    var json = false
    /// `--dbc` (and `--single-line`): the databases, decoding after each printed frame.
    var decoder: SignalDecoder?
    var interfaces: [CANInterfaceFilterSpec] = []
}
