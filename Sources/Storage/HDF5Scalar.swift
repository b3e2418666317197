import CHDF5

/// The element types this module writes, named as numpy names them.
public enum HDF5ElementType: String, Sendable, CaseIterable {
    case float32, float64, int32, int64, uint8, uint64

    /// HDF5's native (in-memory) type for this element type.
    var nativeType: hid_t {
        switch self {
        case .float32: return deeprank_H5T_NATIVE_FLOAT()
        case .float64: return deeprank_H5T_NATIVE_DOUBLE()
        case .int32: return deeprank_H5T_NATIVE_INT32()
        case .int64: return deeprank_H5T_NATIVE_INT64()
        case .uint8: return deeprank_H5T_NATIVE_UINT8()
        case .uint64: return deeprank_H5T_NATIVE_UINT64()
        }
    }

    var isFloatingPoint: Bool { self == .float32 || self == .float64 }
    var isSigned: Bool { self != .uint8 && self != .uint64 }
    var byteCount: Int {
        switch self {
        case .uint8: return 1
        case .float32, .int32: return 4
        case .float64, .int64, .uint64: return 8
        }
    }
}

/// A Swift element type that maps one to one onto an HDF5 native type:
/// `Float`, `Double`, `Int32`, `Int64`, `UInt8`, `UInt64`, and `Int` (as int64).
///
/// Reading converts between stored and requested types only when nothing is lost, with one
/// deliberate exception:
/// - floating point reads floating point of any width: float64 data read as `Float` is
///   rounded to the nearest `Float` (h5py writes Python floats as float64);
/// - integers read integers whose range contains the stored range (int32 as `Int64`,
///   uint8 as `Int32`); int64 as `Int32`, or signed as unsigned, is refused;
/// - floating point is never read as an integer, nor an integer as floating point.
/// A refused read throws `HDF5Error.wrongType`.
public protocol HDF5Scalar: BitwiseCopyable, Sendable {
    static var hdf5ElementType: HDF5ElementType { get }
}

extension Float: HDF5Scalar { public static var hdf5ElementType: HDF5ElementType { .float32 } }
extension Double: HDF5Scalar { public static var hdf5ElementType: HDF5ElementType { .float64 } }
extension Int32: HDF5Scalar { public static var hdf5ElementType: HDF5ElementType { .int32 } }
extension Int64: HDF5Scalar { public static var hdf5ElementType: HDF5ElementType { .int64 } }
extension UInt8: HDF5Scalar { public static var hdf5ElementType: HDF5ElementType { .uint8 } }
extension UInt64: HDF5Scalar { public static var hdf5ElementType: HDF5ElementType { .uint64 } }
#if _pointerBitWidth(_64)
/// `Int` is stored as int64 (it is 64 bits wide on every platform this builds for), so
/// counts, steps and shapes need no conversion.
extension Int: HDF5Scalar { public static var hdf5ElementType: HDF5ElementType { .int64 } }
#endif

/// The element type of stored data, as far as the reading rules need it.
struct StoredType: CustomStringConvertible {
    enum Kind { case floatingPoint, integer, string, other(String) }
    let kind: Kind
    let byteCount: Int
    let isSigned: Bool

    init(_ type: hid_t) {
        byteCount = H5Tget_size(type)
        isSigned = H5Tget_sign(type) == H5T_SGN_2
        switch H5Tget_class(type) {
        case H5T_FLOAT: kind = .floatingPoint
        case H5T_INTEGER: kind = .integer
        case H5T_STRING: kind = .string
        case H5T_COMPOUND: kind = .other("compound")
        case H5T_ENUM: kind = .other("enum")
        case H5T_ARRAY: kind = .other("array")
        case H5T_VLEN: kind = .other("variable-length sequence")
        case H5T_BITFIELD: kind = .other("bitfield")
        case H5T_OPAQUE: kind = .other("opaque")
        case H5T_REFERENCE: kind = .other("reference")
        default: kind = .other("unknown type")
        }
    }

    var description: String {
        switch kind {
        case .floatingPoint: return "float\(byteCount * 8)"
        case .integer: return "\(isSigned ? "int" : "uint")\(byteCount * 8)"
        case .string: return "string"
        case .other(let name): return name
        }
    }

    /// Whether the rules in `HDF5Scalar` allow reading this stored type as `requested`.
    func canBeRead(as requested: HDF5ElementType) -> Bool {
        switch kind {
        case .floatingPoint:
            return requested.isFloatingPoint
        case .integer:
            guard !requested.isFloatingPoint else { return false }
            switch (isSigned, requested.isSigned) {
            case (true, false): return false
            case (false, true): return requested.byteCount > byteCount
            default: return requested.byteCount >= byteCount
            }
        case .string, .other:
            return false
        }
    }
}
