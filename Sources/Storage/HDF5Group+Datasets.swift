import CHDF5

/// Writing and reading datasets by name. Writing to `"a/b/name"` creates the groups `a`
/// and `a/b` as needed. Writing where a dataset already exists is an error
/// (`HDF5Error.alreadyExists`) unless `overwrite` is set, which replaces it (so a checkpoint
/// can be rewritten in place; the old data's space is not reclaimed).
extension HDF5Group {
    /// Writes `values` (row-major) as a dataset of `shape`; `shape` defaults to
    /// `[values.count]`, and `[]` writes a scalar.
    @discardableResult
    public func write<T: HDF5Scalar>(_ values: [T], shape: [Int]? = nil, to name: String,
                                     overwrite: Bool = false) throws -> HDF5Dataset {
        try values.withUnsafeBufferPointer { buffer in
            try write(buffer, shape: shape, to: name, overwrite: overwrite)
        }
    }

    /// Writes straight from memory, without copying (for large tensors).
    @discardableResult
    public func write<T: HDF5Scalar>(_ buffer: UnsafeBufferPointer<T>, shape: [Int]? = nil,
                                     to name: String, overwrite: Bool = false) throws -> HDF5Dataset {
        try HDF5Library.serialized {
            let target = resolve(name)
            let shape = shape ?? [buffer.count]
            guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == buffer.count else {
                throw HDF5Error.shapeMismatch(file: file.path, path: target, shape: shape,
                                              count: buffer.count)
            }
            let dataset = try StoredArray.createDataset(
                target, in: file, type: T.hdf5ElementType.nativeType, shape: shape, overwrite: overwrite)
            try dataset.write(buffer)
            return HDF5Dataset(file: file, path: target)
        }
    }

    /// Writes one value as a scalar dataset (shape `[]`).
    @discardableResult
    public func write<T: HDF5Scalar>(scalar value: T, to name: String,
                                     overwrite: Bool = false) throws -> HDF5Dataset {
        try write([value], shape: [], to: name, overwrite: overwrite)
    }

    /// Writes a scalar variable-length UTF-8 string dataset, which h5py reads as `bytes`
    /// (`.asstr()[()]` gives `str`) and h5dump shows as `H5T_STRING`.
    @discardableResult
    public func write(string: String, to name: String, overwrite: Bool = false) throws -> HDF5Dataset {
        try HDF5Library.serialized {
            let target = resolve(name)
            let location = Location(file: file.path, path: target)
            let type = try StoredArray.utf8StringType(at: location)
            let dataset = try StoredArray.createDataset(
                target, in: file, type: type.id, shape: [], overwrite: overwrite)
            try dataset.write(string: string)
            return HDF5Dataset(file: file, path: target)
        }
    }

    /// The values and shape of the dataset `name`; see `HDF5Scalar` for conversions.
    public func read<T: HDF5Scalar>(_ type: T.Type, from name: String) throws -> (values: [T], shape: [Int]) {
        try dataset(name).read(type)
    }

    /// The single value of the scalar dataset `name`.
    public func readScalar<T: HDF5Scalar>(_ type: T.Type, from name: String) throws -> T {
        try dataset(name).readScalar(type)
    }

    /// The string stored in the dataset `name`.
    public func readString(from name: String) throws -> String {
        try dataset(name).readString()
    }
}
