import CHDF5

/// A group in an open HDF5 file: a folder of datasets and other groups.
///
/// A group is a path and a reference to its file (which it keeps alive); nothing is held
/// open between calls. Paths given to its methods are relative to the group, may have
/// several components (`"weights/conv1/W"`), and are absolute when they start with `/`.
public struct HDF5Group: HDF5Object {
    public let file: HDF5File
    /// The absolute path inside the file, `/` for the root group.
    public let path: String

    init(file: HDF5File, path: String) {
        self.file = file
        self.path = path
    }

    /// The existing group at `path`.
    public func group(_ path: String) throws -> HDF5Group {
        try HDF5Library.serialized {
            let target = resolve(path)
            try file.requireKind(.group, at: target)
            return HDF5Group(file: file, path: target)
        }
    }

    /// The group at `path`, created along with any missing groups on the way (like
    /// `mkdir -p`); an existing group is returned as it is.
    @discardableResult
    public func createGroup(_ path: String) throws -> HDF5Group {
        try HDF5Library.serialized {
            let target = resolve(path)
            let fileID = try file.openID()
            var current = ""
            for component in pathComponents(target) {
                current += "/" + component
                let location = Location(file: file.path, path: current)
                switch try file.kind(at: current) {
                case .group?:
                    continue
                case let other?:
                    throw HDF5Error.wrongKind(file: file.path, path: current,
                                              expected: "group", found: other.rawValue)
                case nil:
                    let creation = try creationPropertiesWithoutTimes(deeprank_H5P_GROUP_CREATE(), at: location)
                    _ = try Handle(H5Gcreate2(fileID, current, defaultID, creation.id, defaultID),
                                   close: H5Gclose, else: location.failed("create group"))
                }
            }
            return HDF5Group(file: file, path: target)
        }
    }

    /// Whether a group or dataset exists at `path`.
    public func contains(_ path: String) throws -> Bool {
        try HDF5Library.serialized { try file.kind(at: resolve(path)) != nil }
    }

    /// The names of the group's members (groups and datasets), sorted.
    public func childNames() throws -> [String] {
        try HDF5Library.serialized {
            let location = Location(file: file.path, path: path)
            try file.requireKind(.group, at: path)
            let group = try Handle(H5Gopen2(try file.openID(), path, defaultID), close: H5Gclose,
                                   else: location.failed("open group"))
            var info = H5G_info_t()
            try check(H5Gget_info(group.id, &info), else: location.failed("read group info"))
            var names: [String] = []
            for index in 0..<info.nlinks {
                let name = readName { buffer, size in
                    H5Lget_name_by_idx(group.id, ".", H5_INDEX_NAME, H5_ITER_INC, index,
                                       buffer, size, defaultID)
                }
                guard let name else { throw location.failed("read member name") }
                names.append(name)
            }
            return names.sorted()
        }
    }

    /// Removes the group or dataset at `path` (with everything below it). HDF5 does not
    /// give the space back: the file keeps its size until rewritten.
    public func delete(_ path: String) throws {
        try HDF5Library.serialized {
            let target = resolve(path)
            guard try file.kind(at: target) != nil else {
                throw HDF5Error.notFound(file: file.path, path: target)
            }
            try check(H5Ldelete(try file.openID(), target, defaultID),
                      else: Location(file: file.path, path: target).failed("delete"))
        }
    }

    /// The existing dataset at `path`.
    public func dataset(_ path: String) throws -> HDF5Dataset {
        try HDF5Library.serialized {
            let target = resolve(path)
            try file.requireKind(.dataset, at: target)
            return HDF5Dataset(file: file, path: target)
        }
    }

    /// The absolute path of `relative`, which may itself be absolute.
    func resolve(_ relative: String) -> String {
        precondition(!relative.isEmpty, "an HDF5 path must not be empty")
        let base = relative.hasPrefix("/") ? [] : pathComponents(path)
        return "/" + (base + pathComponents(relative)).joined(separator: "/")
    }
}

/// The components of an HDF5 path, without empty and `.` components.
func pathComponents(_ path: String) -> [String] {
    path.split(separator: "/").map(String.init).filter { $0 != "." }
}

/// The parent of an absolute path (`/a/b` → `/a`, `/a` → `/`).
func parentPath(_ path: String) -> String {
    "/" + pathComponents(path).dropLast().joined(separator: "/")
}

/// Calls an HDF5 "get name" function twice, first for the length, then to fill a buffer.
func readName(_ get: (UnsafeMutablePointer<CChar>?, Int) -> Int) -> String? {
    let length = get(nil, 0)
    guard length >= 0 else { return nil }
    var buffer = [CChar](repeating: 0, count: length + 1)
    guard get(&buffer, length + 1) >= 0 else { return nil }
    return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// What an HDF5 path names.
enum ObjectKind: String {
    case group, dataset
    case other = "named datatype"
}

extension HDF5File {
    /// What is at the absolute `path`, or nil if nothing (or a dangling link) is there.
    /// Call while holding the HDF5 lock.
    func kind(at path: String) throws -> ObjectKind? {
        let fileID = try openID()
        let components = pathComponents(path)
        guard !components.isEmpty else { return .group }
        var prefix = ""
        for component in components {
            prefix += "/" + component
            // Negative when a component on the way is not a group: nothing is there either.
            guard H5Lexists(fileID, prefix, defaultID) > 0 else {
                H5Eclear2(hid_t(H5E_DEFAULT))
                return nil
            }
        }
        guard let object = try? Handle(H5Oopen(fileID, path, defaultID), close: H5Oclose,
                                       else: HDF5Error.notFound(file: self.path, path: path)) else {
            return nil
        }
        switch H5Iget_type(object.id) {
        case H5I_GROUP: return .group
        case H5I_DATASET: return .dataset
        default: return .other
        }
    }

    /// Throws unless a `kind` exists at the absolute `path`. Call while holding the HDF5 lock.
    func requireKind(_ kind: ObjectKind, at path: String) throws {
        guard let found = try self.kind(at: path) else {
            throw HDF5Error.notFound(file: self.path, path: path)
        }
        guard found == kind else {
            throw HDF5Error.wrongKind(file: self.path, path: path,
                                      expected: kind.rawValue, found: found.rawValue)
        }
    }
}
