import ArgumentParser
import PacketSocket
import SocketBase
import ToolSupport

/// `-D`: the numbered device list tcpdump prints, from the same `pcap_findalldevs`.
enum PktdumpDeviceList {
    static func print() throws {
        do {
            let listing = CaptureDevice.tcpdumpListing(try CaptureDevice.all())
            try FileDescriptor.standardOutput.writeAll(listing.utf8)
        } catch let error as CaptureDeviceListError {
            printError("pktdump-swift: \(error.message)")
            throw ExitCode(1)
        }
    }
}
