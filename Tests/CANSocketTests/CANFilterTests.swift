import CCANShims
import Testing

@testable import CANSocket

@Suite("CANFilter")
struct CANFilterTests {
    @Test func kernelMatchRule() {
        let filter = CANFilter(id: 0x120, mask: 0x7F0)
        #expect(filter.matches(0x123) && filter.matches(0x12F))
        #expect(!filter.matches(0x130))
        // Without EFF/RTR in the mask, extended and remote frames with those bits match too.
        #expect(filter.matches(0x8000_0123) && filter.matches(0x4000_0123))
        #expect(filter.kernelID == 0x120 && filter.kernelMask == 0x7F0)
    }

    @Test func inverted() {
        let filter = CANFilter(id: 0x100, mask: 0x700, inverted: true)
        #expect(filter.kernelID == 0x100 | UInt32(CAN_INV_FILTER))
        #expect(!filter.matches(0x1AB) && filter.matches(0x200))
        #expect(filter.description == "100~700")
    }

    @Test func identifierFilterSeparatesStandardAndExtended() throws {
        let standard = CANFilter(try CANID(standard: 0x123))
        #expect(standard.matches(0x123) && standard.matches(0x4000_0123))
        #expect(!standard.matches(0x8000_0123))
        let extended = CANFilter(try CANID(extended: 0x123))
        #expect(extended.matches(0x8000_0123) && !extended.matches(0x123))
    }

    @Test func errorFramesNeverMatchIDFilters() {
        #expect(!CANFilter(id: 0, mask: 0).matches(0x2000_0004))
        // A mask with CAN_ERR_FLAG is an error-class filter to the kernel.
        let classes = CANFilter(id: 0, mask: 0x2000_0004)
        #expect(classes.matches(0x2000_0004) && !classes.matches(0x2000_0008) && !classes.matches(0x004))
    }
}

@Suite("candump interface/filter argument")
struct CANInterfaceFilterSpecTests {
    @Test func plainInterface() throws {
        let spec = try CANInterfaceFilterSpec(parsing: "vcan0")
        #expect(spec == CANInterfaceFilterSpec(interface: "vcan0"))
        #expect(try CANInterfaceFilterSpec(parsing: "any").isAnyInterface)
    }

    @Test func candumpsUsageExample() throws {
        let spec = try CANInterfaceFilterSpec(parsing: "can0,123:7FF,400:700,#000000FF")
        #expect(spec.interface == "can0")
        #expect(spec.filters == [CANFilter(id: 0x123, mask: 0x7FF), CANFilter(id: 0x400, mask: 0x700)])
        #expect(spec.errorMask == 0xFF && !spec.joinFilters)
        let inverted = try CANInterfaceFilterSpec(parsing: "can2,400~7F0")
        #expect(inverted.filters == [CANFilter(id: 0x400, mask: 0x7F0, inverted: true)])
        #expect(inverted.filters[0].kernelID == 0x2000_0400)
    }

    @Test func eightDigitIDsAreExtended() throws {
        let spec = try CANInterfaceFilterSpec(parsing: "vcan2,12345678:DFFFFFFF")
        #expect(spec.filters == [CANFilter(id: 0x9234_5678, mask: 0xDFFF_FFFF)])
        #expect(try CANInterfaceFilterSpec(parsing: "vcan2,00000123~7FF").filters[0].id == 0x8000_0123)
        // candump looks at the 9th character only: `0x123456` is 8 characters too.
        #expect(try CANInterfaceFilterSpec(parsing: "vcan2,0x123456:7FF").filters[0].id == 0x8012_3456)
        #expect(try CANInterfaceFilterSpec(parsing: "vcan2,0123:7FF").filters[0].id == 0x123)
    }

    @Test func masksLoseTheErrorFlag() throws {
        #expect(try CANInterfaceFilterSpec(parsing: "vcan0,0:FFFFFFFF").filters[0].mask == 0xDFFF_FFFF)
    }

    @Test func joinAndErrorMask() throws {
        let spec = try CANInterfaceFilterSpec(parsing: "any,0~0,#FFFFFFFF,J,1:1")
        #expect(spec.joinFilters && spec.errorMask == 0xFFFF_FFFF && spec.filters.count == 2)
        #expect(try CANInterfaceFilterSpec(parsing: "vcan0,join").joinFilters)  // anything starting with j
    }

    @Test func scanfNumberSyntax() throws {
        #expect(try CANInterfaceFilterSpec(parsing: "vcan0, 12: 7f").filters == [CANFilter(id: 0x12, mask: 0x7F)])
        #expect(try CANInterfaceFilterSpec(parsing: "vcan0,-1:0").filters[0].id == 0xFFFF_FFFF)
        #expect(try CANInterfaceFilterSpec(parsing: "vcan0,#0x10").errorMask == 0x10)
        #expect(try CANInterfaceFilterSpec(parsing: "vcan0,1:123456789").filters[0].mask == 0x0345_6789 & ~0x2000_0000)
    }

    @Test func errorsNameThePart() {
        #expect(throws: CANFilterSpecError.badFilter("xyz,1:2", column: 7)) { try CANInterfaceFilterSpec(parsing: "vcan0,xyz,1:2") }
        #expect(throws: CANFilterSpecError.badFilter("123:", column: 11)) { try CANInterfaceFilterSpec(parsing: "vcan0,1:2,123:") }
        #expect(throws: CANFilterSpecError.badFilter("", column: 7)) { try CANInterfaceFilterSpec(parsing: "vcan0,") }
        #expect(throws: CANFilterSpecError.nameTooLong("abcdefghijklmnop,1:2")) { try CANInterfaceFilterSpec(parsing: "abcdefghijklmnop,1:2") }
        #expect(CANFilterSpecError.badFilter("xyz", column: 7).description == "Error in filter option parsing: 'xyz' (column 7)")
        #expect(CANFilterSpecError.badFilter("xyz", column: 7).candumpMessage == "Error in filter option parsing: 'xyz'")
        #expect((try? CANInterfaceFilterSpec(parsing: "abcdefghijklmno")) != nil)  // 15 characters fit IFNAMSIZ
    }

    @Test func acceptsAsTheKernelDelivers() throws {
        let all = try CANInterfaceFilterSpec(parsing: "vcan0")
        #expect(all.accepts(0x123) && all.accepts(0x8000_0001) && !all.accepts(0x2000_0004))
        let errors = try CANInterfaceFilterSpec(parsing: "vcan0,0~0,#4")
        #expect(!errors.accepts(0x123) && errors.accepts(0x2000_0004) && !errors.accepts(0x2000_0008))
        #expect(!errors.accepts(0x2000_0000))  // class 0 meets no mask
        let joined = try CANInterfaceFilterSpec(parsing: "vcan0,100:100,001:001,j,#FFFFFFFF")
        #expect(joined.accepts(0x101) && !joined.accepts(0x100) && !joined.accepts(0x001))
        #expect(!joined.accepts(0x2000_0004))  // joined filters drop error frames (raw_rcv's count check)
        let either = try CANInterfaceFilterSpec(parsing: "vcan0,100:100,001:001")
        #expect(either.accepts(0x100) && either.accepts(0x001) && !either.accepts(0x010))
    }
}
