import CHDF5

/// An open dataset or attribute. Both hold an N-d array of elements described by a
/// dataspace (the shape) and a datatype (the element type), and are read and written alike.
struct StoredArray {
    enum Kind { case dataset, attribute }
    let handle: Handle
    let kind: Kind
    let location: Location

    /// Opens the dataset at the absolute `path`. Call while holding the HDF5 lock.
    static func openDataset(_ path: String, in file: HDF5File) throws -> StoredArray {
        try file.requireKind(.dataset, at: path)
        let location = Location(file: file.path, path: path)
        let handle = try Handle(H5Dopen2(try file.openID(), path, defaultID), close: H5Dclose,
                                else: location.failed("open dataset"))
        return StoredArray(handle: handle, kind: .dataset, location: location)
    }

    /// Creates a dataset at the absolute `path`, creating its parent groups. An existing
    /// dataset there is replaced when `overwrite` is set; anything else there is an error.
    /// Call while holding the HDF5 lock.
    static func createDataset(_ path: String, in file: HDF5File, type: hid_t, shape: [Int],
                              overwrite: Bool) throws -> StoredArray {
        let location = Location(file: file.path, path: path)
        let fileID = try file.openID()
        switch try file.kind(at: path) {
        case nil:
            try file.root.createGroup(parentPath(path))
        case .dataset? where overwrite:
            try check(H5Ldelete(fileID, path, defaultID), else: location.failed("delete old dataset"))
        case .some:
            throw HDF5Error.alreadyExists(file: file.path, path: path)
        }
        let space = try dataspace(shape: shape, at: location)
        let creation = try creationPropertiesWithoutTimes(deeprank_H5P_DATASET_CREATE(), at: location)
        let handle = try Handle(
            H5Dcreate2(fileID, path, type, space.id, defaultID, creation.id, defaultID),
            close: H5Dclose, else: location.failed("create dataset"))
        return StoredArray(handle: handle, kind: .dataset, location: location)
    }

    /// A dataspace of `shape`; `[]` is a scalar (one element).
    static func dataspace(shape: [Int], at location: Location) throws -> Handle {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        if shape.isEmpty {
            return try Handle(H5Screate(H5S_SCALAR), close: H5Sclose,
                              else: location.failed("create scalar dataspace"))
        }
        let dimensions = shape.map { hsize_t($0) }
        return try Handle(H5Screate_simple(Int32(shape.count), dimensions, nil), close: H5Sclose,
                          else: location.failed("create dataspace"))
    }

    /// The HDF5 type of variable-length UTF-8 strings, as h5py writes Python `str`.
    static func utf8StringType(at location: Location) throws -> Handle {
        let type = try Handle(H5Tcopy(deeprank_H5T_C_S1()), close: H5Tclose,
                              else: location.failed("create string type"))
        try check(H5Tset_size(type.id, variableLength), else: location.failed("set string size"))
        try check(H5Tset_cset(type.id, H5T_CSET_UTF8), else: location.failed("set string encoding"))
        return type
    }

    /// `H5T_VARIABLE`, `(size_t)-1`.
    private static let variableLength = Int(bitPattern: UInt.max)

    // MARK: - Shape and type

    func shape() throws -> [Int] {
        let space = try dataspace()
        let rank = H5Sget_simple_extent_ndims(space.id)
        guard rank >= 0 else { throw location.failed("read shape") }
        var dimensions = [hsize_t](repeating: 0, count: Int(rank))
        guard H5Sget_simple_extent_dims(space.id, &dimensions, nil) >= 0 else {
            throw location.failed("read shape")
        }
        return dimensions.map { Int($0) }
    }

    private func dataspace() throws -> Handle {
        let id = kind == .dataset ? H5Dget_space(handle.id) : H5Aget_space(handle.id)
        return try Handle(id, close: H5Sclose, else: location.failed("read dataspace"))
    }

    private func datatype() throws -> Handle {
        let id = kind == .dataset ? H5Dget_type(handle.id) : H5Aget_type(handle.id)
        return try Handle(id, close: H5Tclose, else: location.failed("read datatype"))
    }

    // MARK: - Numbers

    /// Reads all elements, converted to `T` under the rules in `HDF5Scalar`.
    func read<T: HDF5Scalar>(_: T.Type) throws -> (values: [T], shape: [Int]) {
        let shape = try shape()
        let count = shape.reduce(1, *)
        let values = try [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            try read(into: buffer, shape: shape)
            initialized = count
        }
        return (values, shape)
    }

    /// Reads all elements into `buffer`, which must hold exactly as many as `shape` says.
    func read<T: HDF5Scalar>(into buffer: UnsafeMutableBufferPointer<T>, shape: [Int]) throws {
        let type = try datatype()
        let stored = StoredType(type.id)
        let requested = T.hdf5ElementType
        guard stored.canBeRead(as: requested) else {
            throw HDF5Error.wrongType(file: location.file, path: location.path,
                                      expected: requested.rawValue, found: stored.description)
        }
        guard shape.reduce(1, *) == buffer.count else {
            throw HDF5Error.shapeMismatch(file: location.file, path: location.path,
                                          shape: shape, count: buffer.count)
        }
        guard let address = buffer.baseAddress, buffer.count > 0 else { return }
        try readRaw(memoryType: requested.nativeType, into: address)
    }

    /// Writes `buffer`, whose count the caller has checked against the dataspace.
    func write<T: HDF5Scalar>(_ buffer: UnsafeBufferPointer<T>) throws {
        guard let address = buffer.baseAddress, buffer.count > 0 else { return }
        try writeRaw(memoryType: T.hdf5ElementType.nativeType, from: address)
    }

    // MARK: - Strings

    /// Writes one variable-length UTF-8 string (the object must have a string type).
    func write(string: String) throws {
        let type = try Self.utf8StringType(at: location)
        try string.withCString { characters in
            let element: UnsafePointer<CChar>? = characters
            try withUnsafePointer(to: element) { try writeRaw(memoryType: type.id, from: $0) }
        }
    }

    /// Reads a single string, stored either variable-length (h5py's `str`) or fixed-length
    /// (numpy `S`/`bytes_`, trailing NULs removed).
    func readString() throws -> String {
        let type = try datatype()
        let stored = StoredType(type.id)
        guard case .string = stored.kind else {
            throw HDF5Error.wrongType(file: location.file, path: location.path,
                                      expected: "string", found: stored.description)
        }
        let space = try dataspace()
        let count = H5Sget_simple_extent_npoints(space.id)
        guard count == 1 else {
            throw HDF5Error.shapeMismatch(file: location.file, path: location.path,
                                          shape: try shape(), count: 1)
        }
        let memoryType = try Handle(H5Tcopy(type.id), close: H5Tclose,
                                    else: location.failed("copy string type"))
        switch H5Tis_variable_str(type.id) {
        case 1...:
            var element: UnsafeMutablePointer<CChar>? = nil
            try readRaw(memoryType: memoryType.id, into: &element)
            defer { H5Dvlen_reclaim(memoryType.id, space.id, defaultID, &element) }
            guard let element else { return "" }
            return String(cString: element)
        case 0:
            var bytes = [UInt8](repeating: 0, count: stored.byteCount)
            try bytes.withUnsafeMutableBytes { try readRaw(memoryType: memoryType.id, into: $0.baseAddress!) }
            return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        default:
            throw location.failed("read string type")
        }
    }

    // MARK: - Raw transfer

    private func readRaw(memoryType: hid_t, into buffer: UnsafeMutableRawPointer) throws {
        let status = kind == .dataset
            ? H5Dread(handle.id, memoryType, defaultID, defaultID, defaultID, buffer)
            : H5Aread(handle.id, memoryType, buffer)
        try check(status, else: location.failed("read"))
    }

    private func writeRaw(memoryType: hid_t, from buffer: UnsafeRawPointer) throws {
        let status = kind == .dataset
            ? H5Dwrite(handle.id, memoryType, defaultID, defaultID, defaultID, buffer)
            : H5Awrite(handle.id, memoryType, buffer)
        try check(status, else: location.failed("write"))
    }
}
