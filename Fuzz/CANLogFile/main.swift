// Vector ASC and BLF files: the input is a whole file, read as BLF when it starts with "LOGG" and as ASC otherwise,
// by CANLogReader to its end (an error ends the read). Every frame read, written back in the same format by
// CANLogWriter and read again, comes back as the same frame, in the same order, with the same direction.
import CANLog
import CANSocket
import FuzzSupport

fuzz { bytes in
    let file = Array(bytes)
    let format: CANLogFormat = file.starts(with: Array("LOGG".utf8)) ? .blf : .asc
    var lines: [CandumpLogLine] = []
    for result in CANLogReader(bytes: file, format: format, file: "fuzz") {
        guard case .success(let line) = result else { break }
        lines.append(line)
    }
    var writer = CANLogWriter(format: format)
    var written: [UInt8] = []
    var kept: [CandumpLogLine] = []
    for line in lines where (try? writer.append(line, to: &written)) != nil { kept.append(line) }
    if let header = writer.finish(to: &written) {   // over the placeholder (which an empty log lacks)
        written.replaceSubrange(0..<min(header.count, written.count), with: header)
    }
    var again: [CandumpLogLine] = []
    for result in CANLogReader(bytes: written, format: format) {
        switch result {
        case .success(let line): again.append(line)
        case .failure(let error): require(false, "our own \(format) of \(kept.count) frames does not read back: \(error)")
        }
    }
    require(again.count == kept.count, "\(kept.count) frames written, \(again.count) read back")
    for (line, back) in zip(kept, again) {
        require(back.frame == line.frame, "\(line) reads back as \(back)")
    }
}
