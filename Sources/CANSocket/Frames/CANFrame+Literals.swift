// Literal ids and frames without `try`: a literal is checked when it runs, and a wrong one stops the program
// with a message naming it, as an out-of-range array literal index would. Values known only at run time go
// through the throwing initializers (`CANID(standard:)`, `CANFrame(id:data:)`, `CANFrameText.parse`).

extension CANID {
    /// A standard 11-bit id written as an integer literal, without `try`: `CANID.standard(0x123)`, or
    /// `.standard(0x123)` where a `CANID` is expected. The parameter takes literals only (`StaticBigInt`);
    /// for a runtime value use the throwing ``init(standard:)``.
    /// - Precondition: the literal is 0...0x7FF (`CAN_SFF_MASK`).
    public static func standard(_ literal: StaticBigInt) -> CANID {
        let value = literalValue(literal, maximum: standardMax, kind: "standard")
        // In range: checked above.
        return try! CANID(standard: value)
    }

    /// An extended 29-bit id written as an integer literal, without `try`: `CANID.extended(0x1ABCDEF0)`.
    /// The parameter takes literals only (`StaticBigInt`); for a runtime value use the throwing
    /// ``init(extended:)``.
    /// - Precondition: the literal is 0...0x1FFFFFFF (`CAN_EFF_MASK`).
    public static func extended(_ literal: StaticBigInt) -> CANID {
        let value = literalValue(literal, maximum: extendedMax, kind: "extended")
        return try! CANID(extended: value)
    }

    private static func literalValue(_ literal: StaticBigInt, maximum: UInt32, kind: StaticString) -> UInt32 {
        precondition(literal.signum() >= 0 && literal.bitWidth <= UInt.bitWidth && literal[0] <= UInt(maximum),
                     "CANID.\(kind)(_:): literal out of range (0...0x\(String(maximum, radix: 16, uppercase: true)))")
        return UInt32(literal[0])
    }
}

extension CANFrame: ExpressibleByStringLiteral {
    /// A frame written in cansend / candump-log syntax as a string literal, without `try`:
    /// `let frame: CANFrame = "123#DEADBEEF"`, `"456##3AABB"` (FD, BRS + ESI), `"1ABCDEF0#R"`.
    /// The same text as ``CANFrameText/parse(_:)`` reads, so the frame equals the parsed one.
    /// - Precondition: the literal parses; a wrong one stops the program with the parser's message.
    public init(stringLiteral text: String) {
        do {
            self = try CANFrameText.parse(text)
        } catch {
            preconditionFailure("CANFrame literal \"\(text)\": \(error)")
        }
    }
}
