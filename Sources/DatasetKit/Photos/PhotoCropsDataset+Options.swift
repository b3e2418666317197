extension PhotoCropsDataset {
    /// What a photo-crops data set is cut from and how; the spec names these
    /// (Experiments/README.md, `photo-crops`).
    public struct Options: Equatable, Sendable {
        /// The photographs (at least one, each once; their order does not matter: images
        /// are ordered by photograph identifier). Usually from `PhotoCatalog`; any file of a
        /// package in `WallpaperPackages` may be given.
        public var photographs: [Photograph]
        /// Crops cut from each photograph (at least `minimumCropsPerPhotograph`).
        public var cropsPerPhotograph: Int
        /// Width and height of every crop after resizing, in pixels (`allowedSizes`).
        public var size: Int
        /// Smallest and largest crop side as a fraction of the photograph's shorter side,
        /// 0 < minScale <= maxScale <= 1 (see `PhotoCropLayout`).
        public var minScale: Double
        public var maxScale: Double
        /// How overlap becomes relevance.
        public var overlap: CropOverlap
        /// The seed of the crop streams; independent of the run seed.
        public var cropSeed: UInt64
        /// The directory the packages are installed under: `/` for the system, or a folder
        /// holding `dpkg -x` extractions (photographs are read from
        /// `<root><install directory>/<path>`).
        public var root: String

        /// 48 crops of each of the 48 catalog photographs: with the default test fraction
        /// (0.25) 12 test crops per photograph, enough distinct evaluation triplets for the
        /// default 5,000 (README.md in this directory, "Relevance").
        public static let defaultCropsPerPhotograph = 48
        /// Two, so that every crop has another crop of its photograph.
        public static let minimumCropsPerPhotograph = 2
        public static let allowedSizes = 8...1024
        public static let defaultSize = 64
        /// Scales 0.3 ... 0.9 with IoU give a relevance spread like the synthetic data set's
        /// (README.md in this directory, "Relevance").
        public static let defaultMinScale = 0.3
        public static let defaultMaxScale = 0.9
        public static let defaultOverlap = CropOverlap.intersectionOverUnion
        public static let defaultCropSeed: UInt64 = 1
        public static let defaultRoot = "/"

        public init(photographs: [Photograph] = PhotoCatalog.photographs,
                    cropsPerPhotograph: Int = defaultCropsPerPhotograph, size: Int = defaultSize,
                    minScale: Double = defaultMinScale, maxScale: Double = defaultMaxScale,
                    overlap: CropOverlap = defaultOverlap, cropSeed: UInt64 = defaultCropSeed,
                    root: String = defaultRoot) {
            self.photographs = photographs; self.cropsPerPhotograph = cropsPerPhotograph; self.size = size
            self.minScale = minScale; self.maxScale = maxScale; self.overlap = overlap; self.cropSeed = cropSeed
            self.root = root
        }

        /// Where `photograph` is read from.
        public func path(of photograph: Photograph) -> String {
            let directory = WallpaperPackages.installDirectory[photograph.package] ?? ""
            let base = root.hasSuffix("/") ? String(root.dropLast()) : root
            return base + directory + "/" + photograph.path
        }

        /// Throws `DatasetError.invalidParameter` for the first option out of range.
        func validate() throws {
            func invalid(_ name: String, _ value: Any, _ allowed: String) -> DatasetError {
                .invalidParameter(name: "photo-crops.\(name)", value: "\(value)", allowed: allowed)
            }
            guard !photographs.isEmpty else { throw invalid("photographs", "[]", "at least one photograph") }
            var seen = Set<String>()
            for p in photographs {
                guard seen.insert(p.identifier).inserted else { throw invalid("photographs", p.identifier, "each photograph once") }
                guard WallpaperPackages.installDirectory[p.package] != nil else {
                    throw invalid("photographs", p.identifier, "a photograph of one of the packages "
                                  + WallpaperPackages.installDirectory.keys.sorted().joined(separator: ", "))
                }
                guard !p.path.isEmpty, !p.path.hasPrefix("/"), !p.path.contains("\n"),
                      !p.path.split(separator: "/").contains("..") else {
                    throw invalid("photographs", p.identifier, "a relative path inside the package's directory, without '..'")
                }
            }
            guard cropsPerPhotograph >= Self.minimumCropsPerPhotograph else {
                throw invalid("cropsPerPhotograph", cropsPerPhotograph, "at least \(Self.minimumCropsPerPhotograph)")
            }
            guard Self.allowedSizes.contains(size) else { throw invalid("size", size, "\(Self.allowedSizes) pixels") }
            guard minScale > 0, minScale <= 1 else { throw invalid("minScale", minScale, "a fraction in (0, 1]") }
            guard maxScale >= minScale, maxScale <= 1 else {
                throw invalid("maxScale", maxScale, "a fraction in [minScale, 1] = [\(minScale), 1]")
            }
            guard !root.isEmpty else { throw invalid("root", "''", "a directory, / for the installed packages") }
        }
    }
}
