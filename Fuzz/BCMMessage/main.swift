// The BCM message decoder (`struct bcm_msg_head` + frames, as read from a CAN_BCM socket): BCMMessage(kernelBytes:)
// on any bytes. A decoded message that validates encodes back to bytes that decode to the same message.
import CANSocket
import FuzzSupport

fuzz { bytes in
    guard let message = try? BCMMessage(kernelBytes: bytes), (try? message.validate()) != nil else { return }
    require((try? message.encoded()).flatMap { try? BCMMessage(kernelBytes: $0) } == message, "\(message) does not round-trip")
}
