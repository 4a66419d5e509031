import CANLog
import CANSocket
import Testing
import ToolkitTestSupport

/// canlog-swift play's command line, end to end through the built binary, where no frame has to be sent: bad
/// options, bad assignments, bad input and a missing interface (this host's kernel may have no CAN at all; the
/// interface name is checked first). Sending is compared with canplayer in the VM (ReplayComparisonTests).
@Suite("canlog-swift play")
struct PlayCommandTests {
    static let binary = Products.path("canlog-swift")

    @Test func numericOptionsPastTheirBoundsAreUsageErrors() throws {
        for options in [["-g", "3600001"], ["-g", "-5"], ["-s", "0"], ["-s", "99999999999999999999"], ["-l", "0"],
                        ["-l", "x"], ["-l", "9999999999"]] {
            let result = try Subprocess.run([Self.binary, "play", "-I", "/dev/null"] + options)
            #expect(result.status == 64, "\(options): \(result.stderr)")
            #expect(result.stderr.contains("Error:"), "\(options)")
        }
    }

    @Test func aBadAssignmentIsRefusedAsCanplayerDoes() throws {
        let result = try Subprocess.run([Self.binary, "play", "-I", "/dev/null", "vcan0"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("'=' missing in assignment 'vcan0'"))
    }

    @Test func aMissingInterfaceIsNamedWithCanplayersWords() throws {
        let folder = ScratchFolder()
        let log = folder.write("one.log", Array("(1700000000.000000) can0 123#11\n".utf8))
        for argv in [["-I", log, "vcan9=can0"], ["-I", log, "vcan9=can7"]] {
            // An assigned interface is checked before the first frame, whether the log uses it or not.
            let result = try Subprocess.run([Self.binary, "play"] + argv)
            #expect(result.status == 1)
            #expect(result.stderr.hasPrefix("canlog-swift play: write-if interface name 'vcan9' is wrong!"), "\(result.stderr)")
        }
    }

    @Test func aBadLineIsNamedByFileAndLine() throws {
        let folder = ScratchFolder()
        // The bad line comes before any frame, so no interface is opened (an empty line is passed over).
        let log = folder.write("bad.log", Array("\n(1700000000.001000) can0 12G#11\n".utf8))
        let result = try Subprocess.run([Self.binary, "play", "-t", "-I", log])
        #expect(result.status == 1)
        #expect(result.stderr.contains("bad.log:2:"), "\(result.stderr)")
        #expect(result.stderr.contains("'G' is not a hex digit"), "\(result.stderr)")
    }
}
