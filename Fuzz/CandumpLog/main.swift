// candump log lines (`(1700000000.123456) vcan0 123#DEADBEEF T`): CandumpLogReader over any text, bad lines
// skipped. Every line that parses prints back (its description) to a line that parses to the same text.
import CANSocket
import FuzzSupport

fuzz { bytes in
    for case .success(let entry) in CandumpLogReader(text: bytes.text, onError: .skip) {
        let printed = entry.description
        require((try? CandumpLogLine(parsing: printed))?.description == printed, "\(printed) does not parse back")
        var line: [UInt8] = []
        entry.appendFormatted(to: &line, interfaceWidth: 5)
    }
}
