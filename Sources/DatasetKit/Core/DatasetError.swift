/// Why a dataset could not be opened or read. Every case names the file or directory
/// and, for CSV files, the line.
public enum DatasetError: Error, Equatable, CustomStringConvertible, Sendable {
    case missingDirectory(path: String)
    case emptyDataset(path: String, reason: String)
    case badCSV(path: String, line: Int, reason: String)
    case unknownImage(path: String, line: Int, name: String)
    case missingIconTheme(theme: String, debianPackage: String?, searched: [String])
    case invalidParameter(name: String, value: String, allowed: String)
    case unreadableImage(path: String, reason: String)
    /// A photograph of the photo-crops data set is not there: its Debian package is missing.
    case missingPhotograph(path: String, debianPackage: String)

    public var description: String {
        switch self {
        case .missingDirectory(let path):
            return "\(path): no such directory"
        case .emptyDataset(let path, let reason):
            return "\(path): no usable images (\(reason))"
        case .badCSV(let path, let line, let reason):
            return "\(path):\(line): \(reason)"
        case .unknownImage(let path, let line, let name):
            return "\(path):\(line): '\(name)' is not an image of the dataset"
        case .missingIconTheme(let theme, let package, let searched):
            let install = package.map { " (install it with: apt-get install \($0))" } ?? ""
            return "icon theme '\(theme)' not found in \(searched.joined(separator: ", "))\(install)"
        case .invalidParameter(let name, let value, let allowed):
            return "dataset parameter \(name) = \(value) is invalid: \(allowed)"
        case .unreadableImage(let path, let reason):
            return "\(path): \(reason)"
        case .missingPhotograph(let path, let package):
            return "\(path): no such file; the Debian package \(package) installs it (apt-get install \(package))"
        }
    }
}
