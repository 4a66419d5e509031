#if canImport(Glibc)
import Glibc
#endif
import Testing
import CAllocationCounter
import CANSocket
@testable import CANDatabase

/// The per-frame path a live decoder runs (look the frame's id up, decode into reused storage), repeated
/// `CANDATABASE_PROBE_ITERATIONS` times (default 200) over every message of corners.dbc, counting this thread's
/// heap allocations (CAllocationCounter): after the first round warms the storage up, there must be none.
/// CANDATABASE_PROBE_DETAIL=1 prints the count per message; with CANDATABASE_PROBE_TRACE=1 a backtrace per allocation.
@Suite struct DecodeHotPathProbeTests {
    @Test(.enabled(if: callocation_counter_available() != 0, "a sanitizer build owns malloc: nothing to count with"))
    func lookUpAndDecodeRepeatedly() throws {
        let iterations = getenv("CANDATABASE_PROBE_ITERATIONS").flatMap { Int(String(cString: $0)) } ?? 200
        let db = try SignalDatabase(contentsOfFile: CantoolsReference.fixtures + "/corners.dbc")
        // One frame per message, multiplexer values valid (0x00 selects Top = 0 and Selector = 0).
        var frames: [CANFrame] = []
        for m in db.messages {
            let data = [UInt8](repeating: 0, count: m.length)
            frames.append(m.isFD ? try CANFrame(fd: m.id, data: data) : try CANFrame(id: m.id, data: data))
        }
        var decoded = DecodedSignals()
        var signals = 0, perRound = 0
        var before: UInt = 0
        for round in 0...iterations {
            if round == 1 { perRound = signals; signals = 0; before = callocation_counter_thread_count() }  // round 0 warms up
            // Index loops: debug builds' unspecialized IndexingIterator allocates per element (the loop's, not ours).
            var f = 0
            while f < frames.count {
                let frame = frames[f]
                f += 1
                guard let index = db.messageIndex(for: frame) else { continue }
                try db.messages[index].decode(frame, into: &decoded)
                var i = 0
                while i < decoded.count { if decoded.isPresent[i] { signals += 1 }; i += 1 }
            }
        }
        let allocations = callocation_counter_thread_count() - before
        if getenv("CANDATABASE_PROBE_DETAIL") != nil {
            for frame in frames {
                let m = db.messages[db.messageIndex(for: frame)!]
                let a = callocation_counter_thread_count()
                if getenv("CANDATABASE_PROBE_TRACE") != nil { callocation_counter_trace(1) }
                try m.decode(frame, into: &decoded)
                callocation_counter_trace(0)
                let b = callocation_counter_thread_count()
                try frame.withUnsafeData { try m.decode(data: $0, into: &decoded) }
                let c = callocation_counter_thread_count()
                _ = db.messageIndex(for: frame)
                let d = callocation_counter_thread_count()
                print("probe \(m.name): decode(frame) \(b - a), decode(data) \(c - b), lookup \(d - c)")
            }
        }
        #expect(perRound >= 20 && signals == iterations * perRound)
        print("decode probe: \(allocations) heap allocations for \(iterations * frames.count) frames, \(iterations * perRound) signals")
        #expect(allocations == 0, "\(allocations) heap allocations in \(iterations * frames.count) decoded frames")
        // The counter does count: building an array allocates.
        let probe = callocation_counter_thread_count()
        let array = [Int](repeating: iterations, count: 100 + iterations)
        #expect(callocation_counter_thread_count() > probe && array.count > 100)
    }

    @Test func lookupKeepsStandardExtendedAndFDApart() throws {
        let db = try SignalDatabase(contentsOfFile: CantoolsReference.fixtures + "/corners.dbc")
        let extended = try #require(db.message(for: try CANID(extended: 0x18FECA15)))
        #expect(extended.name == "ExtendedId")
        #expect(db.message(for: try CANID(standard: 0x100))?.name == "BigEndianCrossing")
        #expect(db.message(for: try CANID(extended: 0x100)) == nil, "an extended 0x100 is another id")
        let fd = try CANFrame(fd: try CANID(standard: 0x400), data: [UInt8](repeating: 1, count: 64))
        #expect(db.message(for: fd)?.isFD == true)
        #expect(db.message(for: try CANFrame(id: try CANID(standard: 0x7FF), data: [1])) == nil)
        #expect(db.message(for: try CANID(extended: 0x800))?.name == "ExtendedFD")
    }

    @Test func encodingRefusesValuesThatDoNotFit() throws {
        let db = try SignalDatabase(contentsOfFile: CantoolsReference.fixtures + "/corners.dbc")
        let m = try #require(db.message(named: "SignedExtremes"))
        let ok: [String: SignalValue] = ["S1": .integer(-1), "S8": .integer(100), "S16be": .real(1.5), "S31": .integer(-7)]
        #expect(throws: Never.self) { try m.encode(ok) }
        var high = ok; high["S8"] = .integer(128)
        #expect(throws: SignalEncodeError.outOfRange(signal: "S8", value: 128, minimum: -128, maximum: 127)) { try m.encode(high) }
        var wide = ok; wide["S1"] = .integer(1)
        #expect(throws: SignalEncodeError.rawDoesNotFit(signal: "S1", raw: "1", bits: 1, signed: true)) { try m.encode(wide) }
        var missing = ok; missing["S31"] = nil
        #expect(throws: SignalEncodeError.missingSignal("S31")) { try m.encode(missing) }
        var name = ok; name["S8"] = .label("Nope")
        #expect(throws: SignalEncodeError.unknownChoice(signal: "S8", name: "Nope")) { try m.encode(name) }
    }

    /// What candump-swift --dbc and candecode-swift do per frame: SignalDecoder's text (both modes) and JSON
    /// members into a reused buffer. After a warm-up round, no heap allocation. (Payloads that do not decode,
    /// a multiplexer value that selects nothing or a short payload in JSON, build their error's text: those
    /// allocate, and are left out here; a wrong length in the text form is in.)
    @Test(.enabled(if: callocation_counter_available() != 0, "a sanitizer build owns malloc: nothing to count with"))
    func decoderTextAndJSONAllocateNothing() throws {
        let db = try SignalDatabase(contentsOfFile: CantoolsReference.fixtures + "/corners.dbc")
        var frames: [CANFrame] = []
        for m in db.messages {
            // 0x5A: value names, floats, fractions; zeros where a multiplexer must select something.
            let data = [UInt8](repeating: m.isMultiplexed ? 0 : 0x5A, count: m.length)
            frames.append(m.isFD ? try CANFrame(fd: m.id, data: data) : try CANFrame(id: m.id, data: data))
        }
        frames.append(try CANFrame(id: CANID(standard: 0x7FE), data: [1, 2]))  // unknown id
        let short = try CANFrame(id: CANID(standard: 0x101), data: [1, 2])    // SixtyFour, 2 of 8 bytes
        var decoder = SignalDecoder(database: db)
        var out: [UInt8] = []
        out.reserveCapacity(1 << 16)
        var written = 0
        var before: UInt = 0
        for round in 0...50 {
            if round == 1 { before = callocation_counter_thread_count() }  // round 0 warms up
            var f = 0
            while f < frames.count {
                decoder.singleLine = f % 2 == 0
                decoder.keepsValues = f % 4 < 2  // off: the one-pass TextPlan path candecode-swift takes
                decoder.appendText(frames[f], unknownIDs: true, to: &out)
                decoder.appendJSONMembers(frames[f], to: &out)
                f += 1
            }
            decoder.appendText(short, unknownIDs: true, to: &out)
            written += out.count
            out.removeAll(keepingCapacity: true)
        }
        let allocations = callocation_counter_thread_count() - before
        #expect(written > 50 * 1000, "the decoder wrote \(written) bytes")
        #expect(allocations == 0, "\(allocations) heap allocations in \(50 * frames.count) frames' text and JSON")
    }
}
