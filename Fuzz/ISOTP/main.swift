// The ISO-TP frame decoder and the reassembler, on frame sequences. Input: one byte choosing the addressing, then
// frames (FuzzInput.canFrame: data id 0x7E0, flow control id 0x7E8, classic or FD). Every frame is decoded on its
// own and fed to the reassembler; a PDU it yields is never longer than its limit.
import CANSocket
import FuzzSupport

fuzz { bytes in
    var input = FuzzInput(bytes)
    let addressing = [ISOTPFrame.Addressing.normal, .extended, .mixed][Int(input.byte() % 3)]
    var conversation = ISOTPReassembler(dataID: 0x7E0, flowControlID: 0x7E8, addressing: addressing, maximumLength: 4096)
    while let frame = input.canFrame(ids: [0x7E0, 0x7E8]) {
        if let decoded = try? ISOTPFrame(decoding: frame, addressing: addressing) { _ = decoded.description; _ = decoded.payload }
        if let pdu = try? conversation.accept(frame) { require(pdu.count <= 4096, "PDU of \(pdu.count) bytes") }
    }
}
