/// Type OIDs (`pg_type.oid`) values and keys are read by.
enum TypeID {
    static let int2: UInt32 = 21
    static let int4: UInt32 = 23
    static let int8: UInt32 = 20
    static let text: UInt32 = 25
    static let varchar: UInt32 = 1043
    static let uuid: UInt32 = 2950
    static let float4: UInt32 = 700
    static let float8: UInt32 = 701
    static let numeric: UInt32 = 1700
    static let date: UInt32 = 1082
    static let timestamp: UInt32 = 1114
    static let timestamptz: UInt32 = 1184
    static let times: Set<UInt32> = [date, timestamp, timestamptz]
}
