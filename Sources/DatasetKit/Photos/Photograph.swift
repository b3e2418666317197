/// One photograph of a Debian wallpaper package: the source the `photo-crops` data set
/// cuts its crops from (README.md in this directory).
public struct Photograph: Equatable, Hashable, Sendable {
    /// The Debian package that installs it, e.g. `mate-backgrounds`; its install directory
    /// is `WallpaperPackages.installDirectory[package]`.
    public var package: String
    /// The file below the package's install directory, e.g. `nature/Aqua.jpg`.
    public var path: String
    /// What it shows, in a few words (for people reading the catalog).
    public var caption: String

    public init(package: String, path: String, caption: String) {
        self.package = package; self.path = path; self.caption = caption
    }

    /// `<package>/<path>`, e.g. `mate-backgrounds/nature/Aqua.jpg`: the name in specs, the
    /// category name, and the start of every crop identifier.
    public var identifier: String { package + "/" + path }
}
