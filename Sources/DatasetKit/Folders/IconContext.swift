/// The category of an icon: its directory's `Context=` from `index.theme`, normalised to
/// the freedesktop directory names so that themes agree.
///
/// Known spellings (compared case-insensitively) map to: `Actions` -> `actions`,
/// `Animations` -> `animations`, `Applications` -> `apps`, `Categories` -> `categories`,
/// `Devices` -> `devices`, `Emblems` -> `emblems`, `Emotes` -> `emotes`, `FileSystems` ->
/// `filesystems`, `International` -> `intl`, `MimeTypes` -> `mimetypes`, `Places` ->
/// `places`, `Status` -> `status`, `Stock` -> `stock`, `Legacy` -> `legacy`, `UI` -> `ui`;
/// also the misspellings `Filesytems` and `Stxatus` found in the nuoveXT2 theme (Debian
/// lxde-icon-theme 0.5.1). Any other context is lower-cased; a directory without
/// `Context=` is `other`.
enum IconContext {
    static let missing = "other"

    static let knownSpellings: [String: String] = [
        "actions": "actions", "animations": "animations", "applications": "apps", "apps": "apps",
        "categories": "categories", "devices": "devices", "emblems": "emblems", "emotes": "emotes",
        "filesystems": "filesystems", "filesytems": "filesystems", "international": "intl", "intl": "intl",
        "mimetypes": "mimetypes", "places": "places", "status": "status", "stxatus": "status",
        "stock": "stock", "legacy": "legacy", "ui": "ui",
    ]

    static func normalised(_ context: String?) -> String {
        guard let context, !context.isEmpty else { return missing }
        let lower = context.lowercased()
        return knownSpellings[lower] ?? lower
    }
}
