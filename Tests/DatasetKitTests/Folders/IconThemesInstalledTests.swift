import DatasetKit
import Foundation
import XCTest

/// The icon-themes dataset on the Debian packages installed under /usr/share/icons
/// (tango-icon-theme, elementary-xfce-icon-theme, gnome-icon-theme, mate-icon-theme,
/// lxde-icon-theme, oxygen-icon-theme); skipped when any of them is missing.
final class IconThemesInstalledTests: XCTestCase {
    func testRecommendedThemesAt32Pixels() throws {
        let themes = IconThemesDataset.Options.recommendedThemes
        let missing = themes.filter { !FileManager.default.fileExists(atPath: "/usr/share/icons/\($0)/index.theme") }
        guard missing.isEmpty else {
            throw NSError(domain: "a missing prerequisite fails the test (it is never skipped)", code: 1, userInfo: [
                NSLocalizedDescriptionKey: "icon themes not installed: \(missing.joined(separator: ", ")) (bash .ci/install-deps, or "
                    + "apt-get install \(Set(missing.compactMap { IconThemePackages.debianPackage[$0] }).sorted().joined(separator: " ")))"])
        }

        let data = try IconThemesDataset(options: .init(themes: themes))
        let members = data.membersByCategory()
        let icons = Set((0..<data.count).map { "\(data.categoryNames[data.category(of: $0)])/\(data.iconName(of: $0))" })
        print("icon-themes at 32 px, \(themes.joined(separator: ", ")): \(data.count) images, \(icons.count) icons, "
              + zip(data.categoryNames, members).map { "\($0) \($1.count)" }.joined(separator: ", ")
              + "; excluded: " + data.exclusions.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))

        XCTAssertGreaterThan(data.count, 1000)
        XCTAssertTrue(Set(["actions", "apps", "devices", "mimetypes", "places", "status"]).isSubset(of: data.categoryNames))
        XCTAssertEqual(Set((0..<data.count).map(data.theme(of:))), Set(themes))
        for i in 0..<data.count where i == 0 || data.iconName(of: i) != data.iconName(of: i - 1) {
            XCTAssertTrue(i + 1 < data.count && data.relevance(i, i + 1) == 1, "\(data.identifier(of: i)) has a positive")
        }
        for theme in themes {
            let i = try XCTUnwrap((0..<data.count).first { data.theme(of: $0) == theme })
            let image = try data.image(at: i)
            XCTAssertEqual([image.channels, image.height, image.width], [3, 32, 32], data.identifier(of: i))
        }
    }
}
