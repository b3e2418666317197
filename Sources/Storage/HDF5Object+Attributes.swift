import CHDF5

/// A group or a dataset: something in an HDF5 file that carries attributes.
public protocol HDF5Object {
    /// The file that holds the object.
    var file: HDF5File { get }
    /// The object's absolute path inside the file.
    var path: String { get }
}

/// Attributes: small named values attached to a group or dataset (run metadata, units,
/// versions). Setting an attribute that exists replaces it. Numeric attributes follow the
/// reading rules of `HDF5Scalar`.
extension HDF5Object {
    /// The attribute names, sorted.
    public func attributeNames() throws -> [String] {
        try HDF5Library.serialized {
            let object = try openObject()
            var names: [String] = []
            let status = withUnsafeMutablePointer(to: &names) { namesPointer in
                H5Aiterate2(object.id, H5_INDEX_NAME, H5_ITER_INC, nil, { _, name, _, clientData in
                    guard let name, let clientData else { return -1 }
                    clientData.assumingMemoryBound(to: [String].self).pointee.append(String(cString: name))
                    return 0
                }, namesPointer)
            }
            try check(status, else: Location(file: file.path, path: path).failed("list attributes"))
            return names.sorted()
        }
    }

    /// Whether the attribute `name` exists.
    public func hasAttribute(_ name: String) throws -> Bool {
        try HDF5Library.serialized {
            let object = try openObject()
            let exists = H5Aexists(object.id, name)
            try check(exists, else: attributeLocation(name).failed("look up attribute"))
            return exists > 0
        }
    }

    public func setAttribute(_ name: String, to value: String) throws {
        try HDF5Library.serialized {
            let type = try StoredArray.utf8StringType(at: attributeLocation(name))
            try createAttribute(name, type: type.id, shape: []).write(string: value)
        }
    }

    public func setAttribute<T: HDF5Scalar>(_ name: String, to value: T) throws {
        try setAttribute(name, values: [value], shape: [])
    }

    /// Sets a one-dimensional array attribute.
    public func setAttribute<T: HDF5Scalar>(_ name: String, to values: [T]) throws {
        try setAttribute(name, values: values, shape: [values.count])
    }

    /// The string attribute `name`.
    public func stringAttribute(_ name: String) throws -> String {
        try HDF5Library.serialized { try openAttribute(name).readString() }
    }

    /// The single value of the attribute `name` (a scalar or a one-element array).
    public func attribute<T: HDF5Scalar>(_ name: String, as type: T.Type = T.self) throws -> T {
        try HDF5Library.serialized {
            let attribute = try openAttribute(name)
            let (values, shape) = try attribute.read(type)
            guard values.count == 1 else {
                throw HDF5Error.shapeMismatch(file: file.path, path: attribute.location.path,
                                              shape: shape, count: 1)
            }
            return values[0]
        }
    }

    /// All values of the attribute `name`, flattened in row-major order.
    public func attributeArray<T: HDF5Scalar>(_ name: String, as type: T.Type = T.self) throws -> [T] {
        try HDF5Library.serialized { try openAttribute(name).read(type).values }
    }

    /// Removes the attribute `name`.
    public func deleteAttribute(_ name: String) throws {
        try HDF5Library.serialized {
            let object = try openObject()
            _ = try openAttribute(name)
            try check(H5Adelete(object.id, name), else: attributeLocation(name).failed("delete attribute"))
        }
    }

    // MARK: - Implementation

    private func setAttribute<T: HDF5Scalar>(_ name: String, values: [T], shape: [Int]) throws {
        try HDF5Library.serialized {
            let attribute = try createAttribute(name, type: T.hdf5ElementType.nativeType, shape: shape)
            try values.withUnsafeBufferPointer { try attribute.write($0) }
        }
    }

    /// For error messages: `/group/dataset attribute "name"`.
    private func attributeLocation(_ name: String) -> Location {
        Location(file: file.path, path: "\(path) attribute \"\(name)\"")
    }

    private func openObject() throws -> Handle {
        guard try file.kind(at: path) != nil else {
            throw HDF5Error.notFound(file: file.path, path: path)
        }
        let location = Location(file: file.path, path: path)
        return try Handle(H5Oopen(try file.openID(), path, defaultID), close: H5Oclose,
                          else: location.failed("open object"))
    }

    private func openAttribute(_ name: String) throws -> StoredArray {
        let object = try openObject()
        let location = attributeLocation(name)
        guard H5Aexists(object.id, name) > 0 else { throw location.notFound() }
        let handle = try Handle(H5Aopen(object.id, name, defaultID), close: H5Aclose,
                                else: location.failed("open attribute"))
        return StoredArray(handle: handle, kind: .attribute, location: location)
    }

    /// Creates the attribute `name`, replacing one that exists.
    private func createAttribute(_ name: String, type: hid_t, shape: [Int]) throws -> StoredArray {
        let object = try openObject()
        let location = attributeLocation(name)
        if H5Aexists(object.id, name) > 0 {
            try check(H5Adelete(object.id, name), else: location.failed("replace attribute"))
        }
        let space = try StoredArray.dataspace(shape: shape, at: location)
        let handle = try Handle(H5Acreate2(object.id, name, type, space.id, defaultID, defaultID),
                                close: H5Aclose, else: location.failed("create attribute"))
        return StoredArray(handle: handle, kind: .attribute, location: location)
    }
}
