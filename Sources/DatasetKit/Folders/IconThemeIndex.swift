import Foundation

/// A freedesktop icon theme's `index.theme` (Icon Theme Specification 0.13), reduced to
/// what the icon-themes dataset needs: the directories of `Directories=` in the listed
/// order, each with its `Size`, `Scale`, `Context`, and the sizes it serves (`Type`,
/// `MinSize`, `MaxSize`, `Threshold`; a PNG is kept by its pixel size, an SVG by
/// `matches(size:)`).
///
/// The file is a desktop-entry style key file: `[Section]` headers, `Key=Value` lines,
/// `#` comments and blank lines; localised keys (`Name[de]=`) are read like any other key
/// and ignored. `ScaledDirectories=` (a KDE extension listing HiDPI directories) is not
/// read. Two slips that Debian's themes ship are read as GTK reads them (GLib's key-file
/// parser), since desktops draw those themes without complaint: a directory listed in
/// `Directories=` without a section of its own is skipped (deepin's Vintage lists
/// `apps/256`), and a `MinSize`, `MaxSize` or `Threshold` that is not a number reads as 0,
/// GLib's `g_key_file_get_integer` value on failure (deepin's bloom writes `MinSize=12px`).
/// Anything else, a line that is neither a section nor a key, a section without an integer
/// `Size`, a `Size` or `Scale` that is not a positive integer, or a negative `MinSize`,
/// `MaxSize` or `Threshold`, is an `IconThemeIndexError` naming the file and line.
struct IconThemeIndex: Equatable {
    struct Directory: Equatable {
        /// Relative to the theme directory, e.g. `32x32/apps` or `base/32x32/apps`.
        var path: String
        /// The nominal size in pixels (`Size=`).
        var size: Int
        /// `Scale=`, 1 when absent; 2 marks a HiDPI directory.
        var scale: Int
        /// `Context=` as written (e.g. `Applications`), nil when absent.
        var context: String?
        /// `Type=`, compared ignoring case (themes write `scalable`); absent or unknown is
        /// `threshold`, the specification's default.
        var type: SizeType
        /// `MinSize=` and `MaxSize=` (for `scalable`), `Size` when absent.
        var minimumSize: Int
        var maximumSize: Int
        /// `Threshold=` (for `threshold`), `defaultThreshold` when absent.
        var threshold: Int
        static let defaultThreshold = 2

        enum SizeType: String, Equatable { case fixed, scalable, threshold }

        /// The specification's DirectoryMatchesSize: whether an icon of this directory is
        /// drawn for `size` pixels. `fixed`: `Size == size`; `scalable`: `MinSize <= size <=
        /// MaxSize`; `threshold`: `|Size - size| <= Threshold`.
        func matches(size: Int) -> Bool {
            switch type {
            case .fixed: return self.size == size
            case .scalable: return minimumSize <= size && size <= maximumSize
            case .threshold: return abs(self.size - size) <= threshold
            }
        }
    }

    var directories: [Directory]

    init(path: String) throws {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw IconThemeIndexError(path: path, line: 0, reason: "cannot read the file as UTF-8 text")
        }
        let sections = try Self.sections(of: text, path: path)
        guard let theme = sections["Icon Theme"] else {
            throw IconThemeIndexError(path: path, line: 0, reason: "no [Icon Theme] section")
        }
        guard let listed = theme.values["Directories"] else {
            throw IconThemeIndexError(path: path, line: theme.line, reason: "no Directories= key in [Icon Theme]")
        }
        directories = try listed.value.split(separator: ",").compactMap { name in
            let name = name.trimmingCharacters(in: .whitespaces)
            guard let section = sections[name] else { return nil }
            /// `Size` and `Scale` must be positive integers; the bounds (`minimum` 0) read a
            /// value that is not a number as 0, like GLib.
            func integer(_ key: String, minimum: Int = 1) throws -> Int? {
                guard let entry = section.values[key] else { return nil }
                guard let value = Int(entry.value) ?? (minimum == 0 ? 0 : nil), value >= minimum else {
                    let kind = minimum == 1 ? "a positive integer" : "an integer >= \(minimum)"
                    throw IconThemeIndexError(path: path, line: entry.line, reason: "\(key)=\(entry.value) is not \(kind)")
                }
                return value
            }
            guard let size = try integer("Size") else {
                throw IconThemeIndexError(path: path, line: section.line, reason: "[\(name)] has no Size= key")
            }
            let type = section.values["Type"].flatMap { Directory.SizeType(rawValue: $0.value.lowercased()) } ?? .threshold
            return Directory(path: name, size: size, scale: try integer("Scale") ?? 1,
                             context: section.values["Context"]?.value, type: type,
                             minimumSize: try integer("MinSize", minimum: 0) ?? size,
                             maximumSize: try integer("MaxSize", minimum: 0) ?? size,
                             threshold: try integer("Threshold", minimum: 0) ?? Directory.defaultThreshold)
        }
    }

    private struct Entry { var value: String; var line: Int }
    private struct Section { var line: Int; var values: [String: Entry] = [:] }

    /// Sections by name (the first of a repeated name wins, as does the first of a repeated key).
    private static func sections(of text: String, path: String) throws -> [String: Section] {
        var sections: [String: Section] = [:]
        var current: String?
        // "\r\n" is one Character in Swift, so CRLF needs its own case.
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        for (offset, raw) in lines.enumerated() {
            let line = offset + 1
            let content = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if content.isEmpty || content.hasPrefix("#") { continue }
            if content.hasPrefix("[") && content.hasSuffix("]") {
                let name = String(content.dropFirst().dropLast())
                current = sections[name] == nil ? name : nil
                if current != nil { sections[name] = Section(line: line) }
                continue
            }
            guard let equals = content.firstIndex(of: "=") else {
                throw IconThemeIndexError(path: path, line: line, reason: "neither [Section] nor Key=Value")
            }
            guard let section = current else {
                if sections.isEmpty { throw IconThemeIndexError(path: path, line: line, reason: "a key before the first [Section]") }
                continue  // inside a repeated section
            }
            let key = content[..<equals].trimmingCharacters(in: .whitespaces)
            let value = content[content.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if sections[section]!.values[key] == nil { sections[section]!.values[key] = Entry(value: value, line: line) }
        }
        return sections
    }
}

/// A malformed `index.theme`: the file, the 1-based line (0 for the whole file) and what
/// is wrong.
public struct IconThemeIndexError: Error, Equatable, CustomStringConvertible, Sendable {
    public var path: String
    public var line: Int
    public var reason: String

    public init(path: String, line: Int, reason: String) {
        self.path = path
        self.line = line
        self.reason = reason
    }

    public var description: String { "\(path):\(line): \(reason)" }
}
