import SocketBase

/// Prints a line to stderr at once.
package func printError(_ message: String) {
    try? FileDescriptor.standardError.writeAll((message + "\n").utf8)
}
