import CPcap

/// An interface libpcap can capture on, as `pcap_findalldevs` lists them for `tcpdump -D`: network interfaces,
/// `any`, and libpcap's other sources (netfilter log and queue, D-Bus, Bluetooth monitor) where it has them.
public struct CaptureDevice: Hashable, Sendable {
    /// The name `-i` takes, e.g. `veth0`.
    public var name: String
    /// libpcap's description, e.g. `Pseudo-device that captures on all interfaces`; `nil` for most interfaces.
    public var description: String?
    /// libpcap's `PCAP_IF_*` flags: loopback 0x1, up 0x2, running 0x4, wireless 0x8, connection status 0x30.
    public var flags: UInt32

    public init(name: String, description: String?, flags: UInt32) {
        self.name = name
        self.description = description
        self.flags = flags
    }

    /// Every device of this network namespace, in libpcap's order (`pcap_findalldevs`).
    /// - Throws: ``CaptureDeviceListError`` with libpcap's message.
    public static func all() throws(CaptureDeviceListError) -> [CaptureDevice] {
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        var list: UnsafeMutablePointer<pcap_if_t>?
        guard pcap_findalldevs(&list, &errorBuffer) == 0 else {
            throw CaptureDeviceListError(message: String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        defer { pcap_freealldevs(list) }
        var devices: [CaptureDevice] = []
        var next = list
        while let device = next {
            devices.append(CaptureDevice(name: String(cString: device.pointee.name),
                                         description: device.pointee.description.map { String(cString: $0) },
                                         flags: device.pointee.flags))
            next = device.pointee.next
        }
        return devices
    }

    /// The device's line in `tcpdump -D` after its number: `veth0 [Up, Running, Connected]`,
    /// `any (Pseudo-device that captures on all interfaces) [Up, Running]`, `nflog (…) [none]`.
    public var tcpdumpDescription: String {
        var text = name
        if let description { text += " (\(description))" }
        guard flags != 0 else { return text }
        let names = [(UInt32(PCAP_IF_UP), "Up"), (UInt32(PCAP_IF_RUNNING), "Running"),
                     (UInt32(PCAP_IF_LOOPBACK), "Loopback"), (UInt32(PCAP_IF_WIRELESS), "Wireless")]
            .filter { flags & $0.0 != 0 }.map(\.1)
        text += " [" + (names.isEmpty ? "none" : names.joined(separator: ", "))
        let wireless = flags & UInt32(PCAP_IF_WIRELESS) != 0
        switch flags & UInt32(PCAP_IF_CONNECTION_STATUS) {
        case UInt32(PCAP_IF_CONNECTION_STATUS_UNKNOWN): text += wireless ? ", Association status unknown" : ", Connection status unknown"
        case UInt32(PCAP_IF_CONNECTION_STATUS_CONNECTED): text += wireless ? ", Associated" : ", Connected"
        case UInt32(PCAP_IF_CONNECTION_STATUS_DISCONNECTED): text += wireless ? ", Not associated" : ", Disconnected"
        default: break
        }
        return text + "]"
    }

    /// The whole `tcpdump -D` listing for `devices`: `1.veth0 [Up, Running, Connected]`, one per line.
    public static func tcpdumpListing(_ devices: [CaptureDevice]) -> String {
        devices.enumerated().map { "\($0.offset + 1).\($0.element.tcpdumpDescription)\n" }.joined()
    }
}

/// `pcap_findalldevs` failed; the message is libpcap's.
public struct CaptureDeviceListError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
