/// Which Debian package installs an icon theme under `/usr/share/icons/<theme>/`, for the
/// error that names what to install (`DatasetError.missingIconTheme`). Theme names are the
/// directory names (case matters). Checked against Debian 12 (bookworm) packages.
///
/// Themes found here (Debian 12) with PNG icons at 32 px: Tango, gnome, mate, menta,
/// oxygen, nuoveXT2, elementary-xfce (its -dark variants hold only a few overrides), Yaru;
/// Tango has none at 48 px. Themes drawn only as SVG, rendered at the data set's size:
/// Papirus, breeze, Numix, elementary (whose icons mostly render like elementary-xfce's),
/// suru, deepin's bloom, Sea and Vintage (whose index.theme files carry slips that
/// `IconThemeIndex` reads as GTK does), gartoon, Nuovo, yasis and sugar (some of whose SVGs
/// librsvg cannot read: `skip_unreadable_svgs`). The reserved themes
/// (`IconThemesDataset.Options.reservedThemes`) are not listed: no data set may name them.
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
        "Yaru": "yaru-theme-icon",
        "Papirus": "papirus-icon-theme",
        "breeze": "breeze-icon-theme",
        "Numix": "numix-icon-theme",
        "elementary": "elementary-icon-theme",
        "suru": "suru-icon-theme",
        "bloom": "deepin-icon-theme",
        "Vintage": "deepin-icon-theme",
        "Sea": "deepin-icon-theme",
        "gartoon": "gnome-icon-theme-gartoon",
        "Nuovo": "gnome-icon-theme-nuovo",
        "yasis": "gnome-icon-theme-yasis",
        "sugar": "sugar-icon-theme",
        "hicolor": "hicolor-icon-theme",
    ]
}
