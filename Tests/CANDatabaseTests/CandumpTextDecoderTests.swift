import Foundation
import Testing
import CAllocationCounter
import CANSocket
@testable import CANDatabase

/// The library's `cantools decode`: whole lines only from a block, the same text whatever the block boundaries,
/// lines that hold no frame passed through, and the JSON form. (candecode-swift's output is held to `cantools
/// decode` itself in CandecodeComparisonTests.)
@Suite struct CandumpTextDecoderTests {
    static let dbc = """
        VERSION ""
        BU_: ECU
        BO_ 291 Engine: 2 ECU
         SG_ Speed : 0|8@1+ (0.5,0) [0|127.5] "rpm" ECU
         SG_ Gear : 8|2@1+ (1,0) [0|3] "" ECU
        VAL_ 291 Gear 0 "Park" 1 "Drive" ;
        """
    static let input = Array("""
        (1700000000.000000) can0 123#0501
        (1700000000.001000) can0 123#FF03
        a comment line\r
        (1700000000.002000) can0 456#00
        (1700000000.003000) can0 123#01

        """.utf8)

    func decoded(_ output: CandumpTextDecoder.Output, blocks: Int) throws -> String {
        var decoder = CandumpTextDecoder(database: try SignalDatabase(dbc: Self.dbc), output: output)
        var out: [UInt8] = []
        var pending: [UInt8] = []
        let step = (Self.input.count + blocks - 1) / blocks
        for start in stride(from: 0, to: Self.input.count, by: step) {
            pending += Self.input[start..<min(start + step, Self.input.count)]
            let consumed = pending.withUnsafeBufferPointer { decoder.decodeLines(in: $0, to: &out) }
            #expect(consumed == (pending.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0))
            pending.removeFirst(consumed)
        }
        #expect(pending.isEmpty)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func textWhateverTheBlocks() throws {
        let expected = """
            (1700000000.000000) can0 123#0501 :: Engine(Speed: 2.5 rpm, Gear: Drive)
            (1700000000.001000) can0 123#FF03 :: Engine(Speed: 127.5 rpm, Gear: 3)
            a comment line
            (1700000000.002000) can0 456#00 :: Unknown frame id 1110 (0x456)
            (1700000000.003000) can0 123#01 :: Wrong data size: 1 instead of 2 bytes

            """
        for blocks in [1, 2, 3, 7, Self.input.count] {
            #expect(try decoded(.singleLine, blocks: blocks) == expected, "\(blocks) blocks")
        }
        #expect(try decoded(.text, blocks: 5).hasPrefix("(1700000000.000000) can0 123#0501 ::\nEngine(\n    Speed: 2.5 rpm,\n    Gear: Drive\n)\n"))
    }

    @Test func json() throws {
        let lines = try decoded(.json, blocks: 4).split(separator: "\n")
        #expect(lines.count == 4)  // the comment line is no frame
        #expect(lines[0] == #"{"id":"123","extended":false,"fd":false,"len":2,"data":"0501","name":"Engine","signals":{"Speed":2.5,"Gear":1},"labels":{"Gear":"Drive"}}"#)
        #expect(lines[2] == #"{"id":"456","extended":false,"fd":false,"len":1,"data":"00"}"#)
    }

    @Test func aLastLineWithoutItsEnd() throws {
        var decoder = CandumpTextDecoder(database: try SignalDatabase(dbc: Self.dbc), output: .singleLine)
        var out: [UInt8] = []
        let line = Array("(1.000000) can0 123#0400".utf8)
        #expect(line.withUnsafeBufferPointer { decoder.decodeLines(in: $0, to: &out) } == 0 && out.isEmpty)
        line.withUnsafeBufferPointer { decoder.decode(line: $0, to: &out) }
        #expect(String(decoding: out, as: UTF8.self) == "(1.000000) can0 123#0400 :: Engine(Speed: 2.0 rpm, Gear: Park)\n")
    }
}

/// candecode-swift's loop, counted: once its buffers have grown, decoding the same block of log lines again
/// allocates nothing, in both text forms (frames of every message of corners.dbc, multiplexed ones on the general
/// path, an unknown id and a wrong length among them). A multiplexer value that selects nothing is left out: its
/// error (cantools' `expected multiplexer id …`) is built as a String.
@Suite struct CandumpTextDecoderAllocationTests {
    @Test(.enabled(if: callocation_counter_available() != 0, "a sanitizer build owns malloc: nothing to count with"))
    func decodingAgainAllocatesNothing() throws {
        let db = try SignalDatabase(contentsOfFile: CantoolsReference.fixtures + "/corners.dbc")
        var text = ""
        for (i, m) in db.messages.enumerated() {
            let id = m.id.isExtended ? String(format: "%08X", m.id.rawValue) : String(format: "%03X", m.id.rawValue)
            // The first byte 0: every multiplexer of the file selects its 0 branch.
            let data = (0..<m.length).map { String(format: "%02X", $0 == 0 ? 0 : ($0 * 37 + i) & 0xFF) }.joined()
            text += "(1700000000.\(100_000 + i)) can0 \(id)\(m.isFD ? "##0" : "#")\(data)\n"
        }
        text += "(1700000001.000000) can0 7FE#00\n(1700000001.000001) can0 \(String(format: "%03X", db.messages[0].id.rawValue))#00\n"
        let block = Array(text.utf8)
        for output in [CandumpTextDecoder.Output.text, .singleLine] {
            var decoder = CandumpTextDecoder(database: db, output: output)
            var out: [UInt8] = []
            _ = block.withUnsafeBufferPointer { decoder.decodeLines(in: $0, to: &out) }  // warms up
            let lines = out.split(separator: 0x0A).count
            var consumed = 0
            let before = callocation_counter_thread_count()
            for _ in 0..<50 {
                out.removeAll(keepingCapacity: true)
                consumed += block.withUnsafeBufferPointer { decoder.decodeLines(in: $0, to: &out) }
            }
            let allocations = callocation_counter_thread_count() - before
            #expect(consumed == 50 * block.count && lines >= db.messages.count + 2)
            #expect(allocations == 0, "\(output): \(allocations) heap allocations in 50 passes over \(db.messages.count + 2) lines")
        }
    }
}
