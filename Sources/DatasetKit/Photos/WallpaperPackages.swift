/// Where each Debian wallpaper package of `PhotoCatalog` installs its images, so that a
/// photograph is found at `<root><installDirectory[package]>/<path>` and a missing one
/// can name the package to install (`DatasetError.missingPhotograph`). Checked against
/// Debian 12 (bookworm): plasma-workspace-wallpapers 4:5.27.5-2, mate-backgrounds
/// 1.26.0-1, lomiri-wallpapers-16.04 and -20.04 20.04.0-2, lxqt-themes 1.2.0-1.
public enum WallpaperPackages {
    public static let installDirectory: [String: String] = [
        "plasma-workspace-wallpapers": "/usr/share/wallpapers",
        "mate-backgrounds": "/usr/share/backgrounds/mate",
        "lomiri-wallpapers-16.04": "/usr/share/backgrounds",
        "lomiri-wallpapers-20.04": "/usr/share/backgrounds",
        "lxqt-themes": "/usr/share/lxqt/wallpapers",
    ]
}
