import ArgumentParser
import CANSocket

/// The ids isotpsend and isotprecv take (-s, -d). Shared by isotp-swift and uds-swift, each command with
/// ``LinkOptions`` beside it.
///
/// The two are sibling option groups of each command, not one inside the other (nor inside uds-swift's
/// ClientOptions): a debug build of ArgumentParser validates every group again for each enclosing one, and the
/// nesting made a start cost 218 M instructions (isotp-swift) and 772 M (uds-swift), seconds per process under
/// the VM tests' emulation. Side by side they cost 100 M and 133 M.
package struct AddressingOptions: ParsableArguments {
    @Option(name: .customShort("s", allowingJoined: true),
            help: ArgumentHelp("source can_id. Use 8 digits for extended IDs", valueName: "can_id"))
    package var source: String

    @Option(name: .customShort("d", allowingJoined: true),
            help: ArgumentHelp("destination can_id. Use 8 digits for extended IDs", valueName: "can_id"))
    package var destination: String

    package init() {}

    /// The ids: -s is the transmit id, -d the receive id, as in isotpsend/isotprecv.
    package func ids() throws -> (transmit: CANID, receive: CANID) {
        (try ArgumentSyntax.canID(source, option: "-s"), try ArgumentSyntax.canID(destination, option: "-d"))
    }
}

/// -x, -p, -P, -L and the interface: everything of isotpsend's addressing but the ids.
package struct LinkOptions: ParsableArguments {
    @Option(name: .customShort("x", allowingJoined: true),
            help: ArgumentHelp("extended addressing / opt. separate rxaddr", valueName: "addr[:rxaddr]"))
    package var extendedAddress: String?

    @Option(name: .customShort("p", allowingJoined: true),
            help: ArgumentHelp("set and enable tx/rx padding bytes", valueName: "[tx]:[rx]"))
    package var padding: String?

    @Option(name: .customShort("P", allowingJoined: true),
            help: ArgumentHelp("check rx padding for (l)ength (c)ontent (a)ll", valueName: "mode"))
    package var paddingCheck: String?

    @Option(name: .customShort("L", allowingJoined: true),
            help: ArgumentHelp("link layer options for CAN FD", valueName: "mtu:tx_dl:tx_flags"))
    package var linkLayer: String?

    @Argument(help: ArgumentHelp("CAN interface", valueName: "CAN interface"))
    package var interface: String

    package init() {}

    /// The socket options of -x, -p, -P and -L plus the command's own (`configure`), checked as a whole by
    /// ``ISOTPOptions/validate()``.
    /// - Throws: `ValidationError` naming the option that is wrong.
    package func options(adding configure: (inout ISOTPOptions) throws -> Void = { _ in }) throws -> ISOTPOptions {
        var options = ISOTPOptions()
        try apply(to: &options)
        try configure(&options)
        do {
            try options.validate()
        } catch {
            throw ValidationError("\(error)")
        }
        return options
    }

    /// Options from -x, -p, -P and -L.
    package func apply(to options: inout ISOTPOptions) throws {
        if let extendedAddress {
            let (tx, rx) = try ArgumentSyntax.bytePair(extendedAddress, option: "-x", what: "extended addr values")
            guard let tx else { throw ValidationError("-x '\(extendedAddress)': incorrect extended addr values (expected <addr>[:<rxaddr>] in hex)") }
            options.extendedAddress = tx
            options.receiveExtendedAddress = rx
        }
        if let padding {
            let (tx, rx) = try ArgumentSyntax.bytePair(padding, option: "-p", what: "padding values")
            if let tx {
                options.flags.insert(.transmitPadding)
                options.transmitPadding = tx
            }
            if let rx {
                options.flags.insert(.receivePadding)
                options.receivePadding = rx
            }
            if tx == nil && rx == nil { throw ValidationError("-p '\(padding)': incorrect padding values (expected [tx]:[rx] in hex)") }
        }
        if let paddingCheck {
            switch paddingCheck.first {
            case "l": options.flags.insert(.checkPaddingLength)
            case "c": options.flags.insert(.checkPaddingData)
            case "a": options.flags.formUnion([.checkPaddingLength, .checkPaddingData])
            default: throw ValidationError("-P '\(paddingCheck)': unknown padding check option (l, c or a)")
            }
        }
        if let linkLayer {
            let fields = linkLayer.split(separator: ":", omittingEmptySubsequences: false)
            let values = fields.compactMap { UInt8($0) }
            guard fields.count == 3, values.count == 3 else {
                throw ValidationError("-L '\(linkLayer)': unknown link layer options (expected <mtu>:<tx_dl>:<tx_flags>, decimal 0-255)")
            }
            options.linkLayer = ISOTPLinkLayerOptions(mtu: values[0], transmitDataLength: values[1],
                                                      transmitFlags: CANFDFlags(rawValue: values[2]))
        }
    }
}
