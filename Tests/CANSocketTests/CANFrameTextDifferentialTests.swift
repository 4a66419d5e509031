import CANSocket
import Testing
import ToolkitTestSupport

/// The frame-text parser against can-utils' `parse_canframe` (lib.c, 2020.11), through the installed cansend:
/// 600 texts of every form and their mutations (Fixtures/cansend-2020.11, captured in the VM by
/// scripts/capture-cansend-fixtures), each sent or refused by cansend, the frames as candump -L logged them.
@Suite struct CANFrameTextDifferentialTests {
    static func lines(_ name: String) throws -> [String] {
        String(decoding: try fixture("cansend-2020.11/\(name)"), as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// An FD frame's flags nibble without FDF (0x4), which the kernel sets on what candump receives.
    static func withoutFDF(_ text: String) -> String {
        guard let hashes = text.range(of: "##"), hashes.upperBound < text.endIndex,
              let flags = text[hashes.upperBound].hexDigitValue else { return text }
        return text[..<hashes.upperBound] + String(flags & ~4, radix: 16, uppercase: true) + text[text.index(after: hashes.upperBound)...]
    }

    /// What cansend does after parse_canframe: an FD frame's length rounded up to the next DLC's (zeros added).
    static func asCansendSends(_ frame: CANFrame) -> CANFrame {
        guard frame.isFD, let length = [0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 20, 24, 32, 48, 64].first(where: { $0 >= frame.count }),
              length != frame.count else { return frame }
        return try! CANFrame(fd: frame.id, data: frame.data + [UInt8](repeating: 0, count: length - frame.count), flags: frame.fdFlags)
    }

    /// Where the parser refuses what can-utils would send as something else (README, CANFrameText.parse): a
    /// 3-digit id above 7FF (can-utils masks it), data past 8 or 64 bytes (cut), text after a remote request's
    /// DLC or a raw DLC (ignored), a remote DLC that is not a digit 0-8 (dropped), a bad raw DLC (ignored).
    static let stricter = ["exceeds 7FF", "more than 8 data bytes", "more than 64 data bytes", "after remote request",
                           "remote request length must be one digit 0-8", "raw DLC after '_'", "after the raw DLC"]

    @Test func sameFramesAsCansend() throws {
        let texts = try Self.lines("texts"), results = try Self.lines("results")
        try #require(texts.count == results.count && texts.count >= 500)
        var same = 0, bothRefuse = 0, refusedHere: [String: Int] = [:]
        for (text, result) in zip(texts, results) {
            let ours = Result { () throws(CANTextParseError) in try CANFrameText.parse(text) }
            switch (result, ours) {
            case ("refused", .failure): bothRefuse += 1
            case ("refused", .success(let frame)):
                Issue.record("cansend refuses \(text); parsed as \(CANFrameText.compact(frame, rawDLC: true))")
            case (_, .success(let frame)):
                // 2020.11 reads no raw DLC (`_9`, since v2021.06): its frame is ours without it.
                let sent = Self.withoutFDF(String(result.dropFirst(5)))
                #expect(Self.withoutFDF(CANFrameText.compact(Self.asCansendSends(frame))) == sent, "\(text)")
                same += 1
            case (_, .failure(let error)):
                if let reason = Self.stricter.first(where: { error.message.contains($0) }) {
                    refusedHere[reason, default: 0] += 1
                } else {
                    Issue.record("cansend sends \(text) as \(result.dropFirst(5)); refused: \(error)")
                }
            }
        }
        // The corpus reaches every kind of outcome, each many times.
        #expect(same >= 100 && bothRefuse >= 300, "\(same) sent alike, \(bothRefuse) refused by both")
        #expect(refusedHere.count >= 5, "\(refusedHere)")
    }
}
