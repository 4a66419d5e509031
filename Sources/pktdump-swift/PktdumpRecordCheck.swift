/// tcpdump's sanity check of a record's lengths before printing it (`pretty_print_packet`): a record with no
/// captured bytes, no length, fewer bytes on the wire than captured, or lengths past 262144 is printed as
/// `[Invalid header: caplen==0, len==0]` alone (no timestamp), and the next record follows.
enum PktdumpRecordCheck {
    static let maximumSnapLength = 262_144

    /// The line tcpdump prints instead of the packet, or `nil` for a record it prints normally.
    static func invalidHeaderLine(capturedLength: Int, originalLength: Int) -> String? {
        var problems: [String] = []
        if capturedLength == 0 { problems.append("caplen==0") }
        if originalLength == 0 {
            problems.append("len==0")
        } else if originalLength < capturedLength {
            problems.append("len(\(originalLength)) < caplen(\(capturedLength))")
        }
        if capturedLength > maximumSnapLength { problems.append("caplen(\(capturedLength)) > \(maximumSnapLength)") }
        if originalLength > maximumSnapLength { problems.append("len(\(originalLength)) > \(maximumSnapLength)") }
        guard !problems.isEmpty else { return nil }
        // tcpdump writes "[Invalid header:" then each problem after a space, the later ones after a comma.
        return "[Invalid header: " + problems.joined(separator: ", ") + "]\n"
    }
}
