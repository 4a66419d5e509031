import CANLog
import CANSocket
import Testing
import ToolkitTestSupport

/// The CANLogFile fuzz target's findings (Fixtures/CANLogFile), kept as regression tests.
@Suite struct CANLogFileFuzzFindingsTests {
    /// ASC time offsets count from the first frame and ASCReader takes at most 100 years of them: ASCWriter
    /// refuses a frame beyond that with an error instead of writing a line the reader would pass over.
    @Test func ascOffsetsBeyondWhatTheReaderTakesAreRefused() throws {
        let read = LogSamples.read(try fixture("CANLogFile/offset-beyond-100-years.asc"), .asc)
        #expect(read.count == 26)
        var writer = CANLogWriter(format: .asc)
        var written: [UInt8] = []
        var refused: [CANLogError] = []
        for line in read {
            do { try writer.append(line, to: &written) } catch { refused.append(error) }
        }
        #expect(refused.count == 2)
        #expect(refused.allSatisfy { $0.message.contains("more than 100 years after the log's first frame") }, "\(refused)")
        let again = LogSamples.read(written, .asc)
        #expect(again.map(\.frame) == read.dropLast(2).map(\.frame))
    }

    /// The last offset the reader takes is written and read back.
    @Test func ascOffsetOfExactly100YearsRoundTrips() throws {
        let first = try CandumpLogLine(parsing: "(0000000001.000000) can0 123#11")
        let last = try CandumpLogLine(parsing: "(3155760001.000000) can0 123#22")
        let read = LogSamples.read(try LogSamples.write([first, last], .asc), .asc)
        #expect(read.map(\.timestamp) == [first.timestamp, last.timestamp])
        var writer = CANLogWriter(format: .asc)
        var output: [UInt8] = []
        try writer.append(first, to: &output)
        #expect(throws: CANLogError.self) { try writer.append(try CandumpLogLine(parsing: "(3155760002.000000) can0 123#33"), to: &output) }
    }

    /// A BLF log container that declares more uncompressed bytes than its compressed bytes can inflate to is an
    /// error at the size field, before any room is made for it (it was a 2 GB allocation).
    @Test func blfContainerSizeBeyondWhatZlibInflatesIsAnError() throws {
        let results = Array(CANLogReader(bytes: try fixture("CANLogFile/uncompressed-size-2-gb.blf"), format: .blf, file: "x.blf"))
        #expect(results.count == 1)
        guard case .failure(let error) = results.first else { Issue.record("no error: \(results)"); return }
        #expect(error.offset == 144 + 16 + 8, "\(error)")
        #expect(error.message == "log container declares 2052328392 bytes uncompressed, more than its 593 compressed bytes can hold", "\(error)")
    }

    /// A header date with a wild hour (and the same for minutes, seconds and milliseconds out of range) is not a
    /// date: the frames read with the default start time instead of trapping on the seconds' arithmetic.
    @Test func ascDateFieldsOutOfRangeAreIgnored() throws {
        // The fuzzer's file (mangled beyond its header, no frame in it) reads to its end: it trapped before.
        for case .failure(let error) in CANLogReader(bytes: try fixture("CANLogFile/negative-hour.asc"), format: .asc) {
            Issue.record("\(error)")
        }
        for date in ["Wed Dec 02 -1:31:01 2026", "Wed Dec 02 10:-5:01 2026", "Wed Dec 02 10:31:-7 2026", "Wed Dec 02 10:31:01.-50 2026",
                     "Wed Dec 02 99999999999999999:31:01 2026"] {
            let text = "date \(date)\nbase hex  timestamps absolute\n   1.000000 1  123             Rx   d 1 11\n"
            let lines = LogSamples.read(Array(text.utf8), .asc)
            #expect(lines.map(\.timestamp.seconds) == [1], "\(date)")
        }
    }
}
