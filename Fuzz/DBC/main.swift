// DBC databases with signal decoding: the input's text up to its first NUL byte is parsed as a DBC file; when it
// parses, the bytes after the NUL are the data of one frame per message. Each frame is decoded and printed twice,
// by the one-pass plans (keepsValues off, candecode-swift's path) and by the general path, which must print the
// same text; a parse error must name a line and a column.
import CANDatabase
import CANSocket
import FuzzSupport

fuzz { bytes in
    let split = bytes.firstIndex(of: 0) ?? bytes.count
    let database: SignalDatabase
    do {
        database = try SignalDatabase(dbcBytes: Array(bytes[..<split]))
    } catch let error as DBCParseError {
        require(error.line >= 1 && error.column >= 1, "parse error without a place: \(error)")
        return
    } catch {
        require(false, "not a DBCParseError: \(error)")
        return
    }
    var payload = FuzzInput(UnsafeRawBufferPointer(rebasing: bytes[min(split + 1, bytes.count)...]))
    var onePass = SignalDecoder(database: database)
    onePass.keepsValues = false
    var general = SignalDecoder(database: database)
    var fast: [UInt8] = [], slow: [UInt8] = []
    for message in database.messages.prefix(64) {
        let data = payload.take(message.length)
        fast.removeAll(keepingCapacity: true)
        slow.removeAll(keepingCapacity: true)
        onePass.appendText(rawID: message.id.kernelID, data: data, unknownIDs: true, to: &fast)
        general.appendText(rawID: message.id.kernelID, data: data, unknownIDs: true, to: &slow)
        require(fast == slow, "\(message.name): one pass printed \(String(decoding: fast, as: UTF8.self)), "
                + "the general path \(String(decoding: slow, as: UTF8.self))")
    }
}
