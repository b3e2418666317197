import Foundation

/// Float32 arrays in numpy's `.npy` format, version 1.0 (the file `np.save` writes and
/// `np.load` reads), so a Python reference script reads exactly the pixels we used:
///
///     bytes 0-5   magic "\x93NUMPY"
///     bytes 6-7   version 1, 0
///     bytes 8-9   header length L, little-endian UInt16
///     10..<10+L   ASCII dict "{'descr': '<f4', 'fortran_order': False, 'shape': (N, H, W), }",
///                 padded with spaces and ended by "\n" so that 10 + L is a multiple of 64
///     then        the values, little-endian float32, C (row-major) order
public enum NumpyArrayFile {
    /// Writes `values` with `shape` (row-major) to `path`.
    public static func write(_ values: [Float], shape: [Int], to path: String) throws(FeatureError) {
        guard shape.reduce(1, *) == values.count, shape.allSatisfy({ $0 >= 0 }) else {
            throw .badImageFile(path: path, reason: "shape \(shape) does not hold \(values.count) values")
        }
        let dims = shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? "," : "")
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(dims)), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xff), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        values.withUnsafeBufferPointer { buffer in
            for value in buffer {
                let bits = value.bitPattern.littleEndian
                withUnsafeBytes(of: bits) { data.append(contentsOf: $0) }
            }
        }
        do { try data.write(to: URL(fileURLWithPath: path)) } catch {
            throw .badImageFile(path: path, reason: "cannot write: \(error.localizedDescription)")
        }
    }

    /// Reads a version-1 `.npy` file of little-endian float32 in C order.
    public static func read(from path: String) throws(FeatureError) -> (values: [Float], shape: [Int]) {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .badImageFile(path: path, reason: "cannot read: \(error.localizedDescription)")
        }
        let bytes = [UInt8](data)
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8), bytes[6] == 1 else {
            throw .badImageFile(path: path, reason: "not a version-1 .npy file")
        }
        let length = Int(bytes[8]) | Int(bytes[9]) << 8
        guard bytes.count >= 10 + length, let header = String(bytes: bytes[10..<(10 + length)], encoding: .ascii) else {
            throw .badImageFile(path: path, reason: "truncated .npy header")
        }
        guard header.contains("'descr': '<f4'"), header.contains("'fortran_order': False"),
              let open = header.range(of: "'shape': ("), let close = header[open.upperBound...].firstIndex(of: ")") else {
            throw .badImageFile(path: path, reason: "header \(header.trimmingCharacters(in: .whitespacesAndNewlines)) "
                                + "is not little-endian float32 in C order")
        }
        let dims = header[open.upperBound..<close].split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let shape = dims.compactMap { Int($0) }
        guard shape.count == dims.count, shape.allSatisfy({ $0 >= 0 }) else {
            throw .badImageFile(path: path, reason: "bad shape in header \(header)")
        }
        let count = shape.reduce(1, *)
        guard bytes.count == 10 + length + 4 * count else {
            throw .badImageFile(path: path, reason: "\(bytes.count - 10 - length) data bytes for shape \(shape)")
        }
        var values = [Float](repeating: 0, count: count)
        for i in 0..<count {
            let o = 10 + length + 4 * i
            let bits = UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 | UInt32(bytes[o + 2]) << 16 | UInt32(bytes[o + 3]) << 24
            values[i] = Float(bitPattern: bits)
        }
        return (values, shape)
    }
}
