import PacketSocket
import SocketBase

/// The `-w` output with tcpdump's `-C`/`-G`/`-W` rotation (tcpdump.c 4.99.3, `dump_packet_and_trunc`): before
/// each packet, `-G` starts a new file when its seconds have passed since the last one, then `-C` starts one when
/// the current file is larger than its bytes. Each file is complete, with its own headers. Without rotation it
/// is one plain file.
final class RotatingCaptureFile {
    private let template: String
    private let rotation: FileRotation
    private let format: CaptureFileFormat
    private let interfaces: [PcapNGInterface]
    private let precision: PcapPrecision
    private var file: CaptureFileWriter
    /// tcpdump's `Cflag_count`: the number of the current `-C` file.
    private var sizeCount = 0
    /// tcpdump's `Gflag_count`: files closed by `-G`.
    private var timeCount = 0
    /// tcpdump's `Gflag_time`: when the current `-G` file was started, the time its name is formatted with.
    private var startedAt: Int64
    /// The file being written.
    private(set) var currentPath: String
    /// `-G` with `-W` and no `-C`: the last file is complete, nothing more is written.
    private(set) var limitReached = false

    /// Opens the first file: the `-w` name (strftime-formatted with `-G`), numbered 0 when `-C` has `-W` digits.
    /// - Parameter startedAt: tcpdump's `Gflag_time`, taken when it reads `-G`.
    /// - Throws: ``SystemCallError`` naming the file, `RotationError` for a name strftime cannot make.
    init(template: String, rotation: FileRotation, format: CaptureFileFormat, interfaces: [PcapNGInterface],
         precision: PcapPrecision, startedAt: Int64 = WallClock.now().seconds) throws {
        self.template = template
        self.rotation = rotation
        self.format = format
        self.interfaces = interfaces
        self.precision = precision
        self.startedAt = startedAt
        currentPath = try Self.name(template, rotation: rotation, at: startedAt, count: 0,
                                    digits: rotation.bytes != 0 ? rotation.digits : 0)
        file = try CaptureFileWriter(path: currentPath, format: format, interfaces: interfaces, precision: precision,
                                     application: "pktdump-swift")
    }

    /// Without `-C` and `-G`, one pcap file for the whole run: its writer, for a capture loop to write to directly
    /// (no rotation check, nor this type's and ``CaptureFileWriter``'s indirection, per packet). Nil with rotation
    /// or for pcapng.
    var unrotatedPcapWriter: PcapWriter? {
        rotation.isActive ? nil : file.pcapWriter
    }

    /// Writes one packet, first starting the next file as tcpdump would. Once ``limitReached``, writes nothing.
    /// - Throws: ``SystemCallError`` when a file cannot be written, closed or created.
    @inline(__always)
    func write(timestamp: KernelTimestamp, bytes: UnsafeRawBufferPointer, originalLength: Int,
               interface: Int = 0, flags: PcapNGPacketFlags? = nil) throws {
        if limitReached { return }
        if rotation.isActive { try rotateIfDue() }
        if limitReached { return }
        try file.write(timestamp: timestamp, bytes: bytes, originalLength: originalLength, interface: interface, flags: flags)
    }

    private func rotateIfDue() throws {
        if rotation.seconds != 0 {
            let now = WallClock.now().seconds
            if now - startedAt >= Int64(rotation.seconds) {
                startedAt = now
                timeCount += 1
                try file.close()
                if rotation.bytes == 0 && rotation.files > 0 && timeCount >= rotation.files {
                    limitReached = true
                    return
                }
                sizeCount = 0
                try open(count: 0, digits: rotation.bytes != 0 ? rotation.digits : 0)
            }
        }
        // ftell of tcpdump's stdio file: everything written, buffered or not.
        if rotation.bytes != 0 && Int64(file.fileSize) > rotation.bytes {
            try file.close()
            sizeCount += 1
            if rotation.files > 0 && sizeCount >= rotation.files { sizeCount = 0 }
            try open(count: sizeCount, digits: rotation.digits)
        }
    }

    private func open(count: Int, digits: Int) throws {
        currentPath = try Self.name(template, rotation: rotation, at: startedAt, count: count, digits: digits)
        file = try CaptureFileWriter(path: currentPath, format: format, interfaces: interfaces, precision: precision,
                                     application: "pktdump-swift")
    }

    func flush() throws { try file.flush() }

    /// Completes the current file; later calls do nothing.
    func close() throws { try file.close() }

    /// tcpdump's `MakeFilename`: the template, through strftime at `time` with `-G`, then `count` zero-padded to
    /// `digits` (nothing when both are 0).
    static func name(_ template: String, rotation: FileRotation, at time: Int64, count: Int, digits: Int) throws -> String {
        var base = template
        if rotation.seconds != 0 {
            guard let formatted = WallClock.format(template, seconds: time) else { throw RotationError(template: template) }
            base = formatted
        }
        if count == 0 && digits == 0 { return base }
        let number = String(count)
        return base + String(repeating: "0", count: max(0, digits - number.count)) + number
    }
}

/// A `-w` name that strftime formats to nothing or to more than PATH_MAX bytes.
struct RotationError: Error, CustomStringConvertible {
    let template: String
    var description: String { "-w \(template): strftime gives an empty or too long file name" }
}
