/// The photographs of the `photo-crops` data set: every image in the Debian 12 wallpaper
/// packages of `WallpaperPackages` that is a photograph, each looked at by eye; drawings,
/// renders, abstract art, gradients and photo-montages are left out (README.md in this
/// directory lists what was left out and why). 48 photographs: 11 from
/// plasma-workspace-wallpapers, 12 from mate-backgrounds, 13 from lomiri-wallpapers-16.04,
/// 1 from lomiri-wallpapers-20.04, 11 from lxqt-themes. Where a package ships one picture
/// at several resolutions, the largest landscape file that is not a symbolic link is listed.
public enum PhotoCatalog {
    /// The packages, in the order a spec's `packages` default lists them.
    public static let packages = ["plasma-workspace-wallpapers", "mate-backgrounds", "lomiri-wallpapers-16.04",
                                  "lomiri-wallpapers-20.04", "lxqt-themes"]

    public static let photographs: [Photograph] = plasma + mate + lomiri1604 + lomiri2004 + lxqt

    /// The catalog's photograph with this identifier (`<package>/<path>`), if any.
    public static func photograph(_ identifier: String) -> Photograph? {
        photographs.first { $0.identifier == identifier }
    }

    static let plasma = [
        ("BytheWater/contents/images/2560x1600.jpg", "wooden jetty planks by a lake, shallow focus"),
        ("ColdRipple/contents/images/2560x1600.jpg", "black-and-white pier into a misty lake"),
        ("ColorfulCups/contents/images/2560x1600.jpg", "coloured plastic cups seen from above"),
        ("DarkestHour/contents/images/2560x1600.jpg", "lake and tree line in blue fog"),
        ("EveningGlow/contents/images/2560x1600.jpg", "rowing boats on a lake shore at sunset"),
        ("FallenLeaf/contents/images/2560x1600.jpg", "autumn maple leaves on the ground, shallow focus"),
        ("Grey/contents/images/2560x1600.jpg", "black-and-white woven facade of a building"),
        ("Kite/contents/images/2560x1600.jpg", "rainbow kite in a blue sky with clouds"),
        ("OneStandsOut/contents/images/2560x1600.jpg", "star moss from above, one orange tuft"),
        ("Path/contents/images/2560x1600.jpg", "footpath through a pine forest"),
        ("summer_1am/contents/images/2560x1600.jpg", "lake with reeds at dusk under a pink sky"),
    ].map { Photograph(package: "plasma-workspace-wallpapers", path: $0.0, caption: $0.1) }

    static let mate = [
        ("nature/Aqua.jpg", "splash of a water drop, close-up"),
        ("nature/Blinds.jpg", "back-lit green leaf with parallel veins"),
        ("nature/Dune.jpg", "dune grass with the sea behind"),
        ("nature/FreshFlower.jpg", "orange flower petals, close-up"),
        ("nature/Garden.jpg", "red and yellow marigold, shallow focus"),
        ("nature/GreenMeadow.jpg", "young green grass blades"),
        ("nature/LadyBird.jpg", "ladybird on a grass stem among forget-me-nots"),
        ("nature/RainDrops.jpg", "raindrops on green leaves"),
        ("nature/Storm.jpg", "storm clouds over a road, motion blur"),
        ("nature/TwoWings.jpg", "two dandelion seeds before orange flowers"),
        ("nature/Wood.jpg", "weathered wooden boards, shallow focus"),
        ("nature/YellowFlower.jpg", "yellow flower, close-up"),
    ].map { Photograph(package: "mate-backgrounds", path: $0.0, caption: $0.1) }

    static let lomiri1604 = [
        ("Bridge_by_Sander_Klootwijk.jpg", "bridge cables over tidal flats"),
        ("Dragonfly_by_Bolly.jpg", "dragonfly on a twig before leaves and sky"),
        ("Picture_0B_by_freespace.jpg", "half a fig in a red bowl on concrete"),
        ("Picture_1A_by_freespace.jpg", "paint brushes with coloured bristles"),
        ("Wine_by_Jakkub_Mede.jpg", "drum on a beanbag, wine bottle and glass on a table (portrait)"),
        ("aitzgorri_by_Aitzol_Berasategi.jpg", "meadow, autumn forest and a mountain ridge"),
        ("free_by_Peter_Nerlich.jpg", "bird figure hanging under a ceiling lamp"),
        ("friends_by_Aitzol_Berasategi.jpg", "two spaniels looking out of a window (portrait)"),
        ("greentock_by_Peter_Nerlich.jpg", "wall clock seen at an angle"),
        ("life_by_Aitzol_Berasategi.jpg", "stream over rocks in a forest"),
        ("picosdeeuropa_by_Aitzol_Berasategi.jpg", "track across a pasture below rocky peaks"),
        ("seeding_by_Clements_Engelhardt.jpg", "dandelion clocks in a meadow against the sun"),
        ("sunset_by_Aitzol_Berasategi.jpg", "sunset over hills seen from a summit"),
    ].map { Photograph(package: "lomiri-wallpapers-16.04", path: $0.0, caption: $0.1) }

    static let lomiri2004 = [
        ("Kleiber_by_Lukas_Baubkus.jpg", "nuthatch on a tree trunk"),
    ].map { Photograph(package: "lomiri-wallpapers-20.04", path: $0.0, caption: $0.1) }

    static let lxqt = [
        ("Butterfly-Kenneth-Wimer.jpg", "fritillary butterfly on a seed head"),
        ("Valendas.png", "mountain ridges under clouds"),
        ("after-the-rain.jpg", "clouds lit by the sunset over a dark ridge"),
        ("appleflower.png", "apple blossom on a twig, shallow focus"),
        ("beam.png", "sunbeam through clouds over misty hills"),
        ("butterfly.png", "swallowtail butterfly on a purple flower"),
        ("cloud.png", "small clouds in a blue sky"),
        ("drop.png", "water drop at the tip of a grass blade"),
        ("flowers.png", "anemones in a meadow"),
        ("fog.jpg", "fog over a hillside and a field"),
        ("this-is-not-windows.jpg", "green hills with bare trees under a blue sky"),
    ].map { Photograph(package: "lxqt-themes", path: $0.0, caption: $0.1) }
}
