import CHDF5

/// A dataset in an open HDF5 file: an N-d array of numbers (row-major, like numpy and
/// NCHW tensors) or a single string.
///
/// A dataset is a path and a reference to its file (which it keeps alive); nothing is held
/// open between calls.
public struct HDF5Dataset: HDF5Object {
    public let file: HDF5File
    /// The absolute path inside the file.
    public let path: String

    init(file: HDF5File, path: String) {
        self.file = file
        self.path = path
    }

    /// The dimensions, outermost first; `[]` for a scalar.
    public func shape() throws -> [Int] {
        try HDF5Library.serialized { try open().shape() }
    }

    /// All values in row-major order, and the shape. See `HDF5Scalar` for which stored
    /// types can be read as `T`.
    public func read<T: HDF5Scalar>(_ type: T.Type = T.self) throws -> (values: [T], shape: [Int]) {
        try HDF5Library.serialized { try open().read(type) }
    }

    /// Reads all values into `buffer` without an intermediate copy (for large tensors) and
    /// returns the shape; `buffer.count` must equal the number of stored values.
    @discardableResult
    public func read<T: HDF5Scalar>(into buffer: UnsafeMutableBufferPointer<T>) throws -> [Int] {
        try HDF5Library.serialized {
            let dataset = try open()
            let shape = try dataset.shape()
            try dataset.read(into: buffer, shape: shape)
            return shape
        }
    }

    /// The single value of a scalar dataset (or of a dataset holding one value).
    public func readScalar<T: HDF5Scalar>(_ type: T.Type = T.self) throws -> T {
        let (values, shape) = try read(type)
        guard values.count == 1 else {
            throw HDF5Error.shapeMismatch(file: file.path, path: path, shape: shape, count: 1)
        }
        return values[0]
    }

    /// The string of a string dataset (variable-length as h5py writes `str`, or fixed-length).
    public func readString() throws -> String {
        try HDF5Library.serialized { try open().readString() }
    }

    private func open() throws -> StoredArray {
        try StoredArray.openDataset(path, in: file)
    }
}
