/// Which Debian package installs an icon theme under `/usr/share/icons/<theme>/`, for the
/// error that names what to install (`DatasetError.missingIconTheme`). Theme names are the
/// directory names (case matters). Checked against Debian 12 (bookworm) packages.
///
/// Themes found here (Debian 12) with PNG icons at 32 px: Tango, gnome, mate, menta,
/// oxygen, nuoveXT2, elementary-xfce (its -dark variants hold only a few overrides);
/// Tango has none at 48 px. Adwaita 43 is of little use: at 32 px it has 66 full-colour
/// PNGs (devices, mimetypes, places) next to 647 symbolic ones, whose `-symbolic` names
/// match no other theme, and at 48 px most of its full-colour icons sit in a `Legacy`
/// context that no other theme uses. SVG-only themes cannot be used: PNG and JPEG are the
/// decoded formats.
public enum IconThemePackages {
    public static let debianPackage: [String: String] = [
        "Tango": "tango-icon-theme",
        "gnome": "gnome-icon-theme",
        "mate": "mate-icon-theme",
        "menta": "mate-icon-theme",
        "oxygen": "oxygen-icon-theme",
        "nuoveXT2": "lxde-icon-theme",
        "elementary-xfce": "elementary-xfce-icon-theme",
        "elementary-xfce-dark": "elementary-xfce-icon-theme",
        "elementary-xfce-darker": "elementary-xfce-icon-theme",
        "Adwaita": "adwaita-icon-theme",
        "hicolor": "hicolor-icon-theme",
    ]
}
