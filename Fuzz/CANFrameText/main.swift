// cansend/candump frame text (`123#DEADBEEF`, `123##1AA`, `123#R`): CANFrameText.parse on any text. What parses
// prints (compact, and candump's long form in one of its 32 views) without trapping, and the compact form parses back to itself.
import CANSocket
import FuzzSupport

fuzz { bytes in
    guard let frame = try? CANFrameText.parse(bytes.text) else { return }
    let printed = CANFrameText.compact(frame)
    require((try? CANFrameText.parse(printed)).map { CANFrameText.compact($0) } == printed, "\(printed) does not parse back")
    var view = CANFrameText.View()
    let bits = bytes.count  // the length picks one of the 32 views, so all are reached across the corpus
    (view.ascii, view.binary, view.swap, view.errorDecode, view.indentStandardIDs) =
        (bits & 1 != 0, bits & 2 != 0, bits & 4 != 0, bits & 8 != 0, bits & 16 != 0)
    var line: [UInt8] = [], warnings: [UInt8] = []  // warnings (candump's stderr lines) kept, not written
    CANFrameText.appendLong(frame, view: view, to: &line, warnings: &warnings)
}
