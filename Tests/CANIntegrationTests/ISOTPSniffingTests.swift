#if canImport(Glibc)
import Glibc
#endif
import Testing
import CANSocket
import SocketBase
import ToolkitTestSupport

extension CANBus {
@Suite("ISO-TP sniffing on CAN_RAW (VM)", .needsCAN, .serialized)
struct ISOTPSniffingTests {
    @Test("ISOTPReassembler rebuilds what isotpsend sends to isotprecv, seen on a CAN_RAW socket", arguments: [
        (length: 20, linkLayer: nil as String?), (length: 300, linkLayer: nil), (length: 200, linkLayer: "72:64:0"),
    ])
    func sniffsIsotpsend(length: Int, linkLayer: String?) throws {
        var options = CANRawSocket.Options()
        options.filters = [CANFilter(id: 0x7E0, mask: 0x7FF | CANFrame.extendedFlag), CANFilter(id: 0x7E8, mask: 0x7FF | CANFrame.extendedFlag)]
        let raw = try CANRawSocket(interface: "vcan0", options: options)
        try raw.socket.setTimeout(.seconds(3))
        let ll = linkLayer.map { ["-L", $0] } ?? []
        let receiver = try Subprocess(["isotprecv", "-s", "7e8", "-d", "7e0", "-b", "4", "-m", "1"] + ll + ["vcan0"])
        #expect(receiver.waitForSocket())
        pause(.milliseconds(200))
        let pdu = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 7 + 1) }
        let hex = pdu.map { String($0, radix: 16) }.joined(separator: " ")
        let sender = try Subprocess(["/bin/sh", "-c", "echo '\(hex)' | isotpsend -s 7e0 -d 7e8 \(ll.joined(separator: " ")) vcan0"])
        #expect(sender.wait() == 0, "\(sender.stderr)")
        #expect(receiver.wait(timeout: .seconds(10)) == 0)
        let received = receiver.stdout.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { UInt8($0, radix: 16) }
        #expect(received == pdu, "isotprecv got the PDU")

        var conversation = ISOTPReassembler(dataID: 0x7E0, flowControlID: 0x7E8)
        var pdus: [[UInt8]] = []
        var flowControls = 0
        while pdus.isEmpty {
            let frame = try raw.receive().frame
            if frame.rawID == 0x7E8, case .flowControl(.continueToSend, let bs, let st)? = try? ISOTPFrame(decoding: frame).kind {
                #expect(bs == 4 && st == 1, "isotprecv -b 4 -m 1")
                flowControls += 1
            }
            if let done = try conversation.accept(frame) { pdus.append(done) }
        }
        #expect(pdus == [pdu])
        let perBlock = 4 * ((linkLayer == nil ? 8 : 64) - 1)
        let firstPayload = linkLayer == nil ? 6 : 62
        let expected = (length - firstPayload + perBlock - 1) / perBlock
        #expect(flowControls == expected, "one flow control after the first frame and after each block of 4")
    }
}
}
