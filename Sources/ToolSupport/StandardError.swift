#if canImport(Glibc)
import Glibc
#endif

/// Prints a line to stderr at once.
package func printError(_ message: String) {
    let line = message + "\n"
    _ = line.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
}
