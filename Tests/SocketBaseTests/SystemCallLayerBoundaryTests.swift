import Testing
import ToolkitTestSupport

extension SocketBaseTests {
@Suite("Sys: the one system-call layer")
struct SystemCallLayerBoundaryTests {
    @Test("no file of Sources/ calls libc I/O, poll, signal, socket, clock or process functions outside Syscalls.swift")
    func noLibcCallsOutsideTheLayer() throws {
        let result = try Subprocess.run(["sh", PackageFiles.root + "/scripts/lib/check-libc-calls"])
        #expect(result.status == 0, "libc calls outside Sources/SocketBase/Internals/Syscalls.swift:\n\(result.stdout)")
        #expect(result.stdout.isEmpty)
    }
}
}
