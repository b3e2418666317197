import DatasetKit
import RunFile
import Imaging

/// A retrieval grid of one run (`grids/<group>-seed-<N>.png`): for each grid query (up to
/// `maxQueries`), one strip per table row: the row's name, the query image (dark frame),
/// then its nearest test images best first (up to `maxNeighbours`, `RowRecord.neighbours`),
/// framed green when of the query's category and red when not. Images are resized to
/// `cell` pixels (area/bilinear, `Resize`).
public struct RetrievalGrid {
    public var maxQueries = 6
    public var maxNeighbours = 8
    public var cell = 48

    public init(maxQueries: Int = 6, maxNeighbours: Int = 8, cell: Int = 48) {
        self.maxQueries = maxQueries; self.maxNeighbours = maxNeighbours; self.cell = cell
    }

    static let border = 2, gap = 3, stripGap = 2, blockGap = 14, margin = 8, fontScale = 2, labelCharacters = 20
    static let queryColor: RGBCanvas.Color = (40, 40, 40)
    static let sameColor: RGBCanvas.Color = (30, 160, 60)
    static let otherColor: RGBCanvas.Color = (215, 40, 40)

    /// The grid, or nil when the run stores no neighbours. `dataset` must be the run's
    /// (`Report.Options.datasets`); an index outside it is an error naming the run file.
    public func render(_ run: ReportRun, dataset: any ImageDataset) throws -> Image? {
        let queries = Array(run.record.evaluation.gridQueries.prefix(maxQueries))
        let rows = run.record.rows.filter { row in row.neighbours.contains { !$0.isEmpty } }
        guard !queries.isEmpty, !rows.isEmpty else { return nil }
        let columns = min(maxNeighbours, rows.flatMap(\.neighbours).map(\.count).max() ?? 0)
        let labelWidth = min(Self.labelCharacters, rows.map(\.row.count).max() ?? 0) * BitmapFont.advance * Self.fontScale + 8
        let strips = queries.indices.map { q in rows.filter { q < $0.neighbours.count && !$0.neighbours[q].isEmpty } }
        let width = 2 * Self.margin + labelWidth + cell + 3 * Self.gap + columns * (cell + Self.gap)
        let height = 2 * Self.margin + strips.map { $0.count * (cell + Self.stripGap) }.reduce(0, +)
            + max(0, strips.filter { !$0.isEmpty }.count - 1) * Self.blockGap
        var canvas = RGBCanvas(width: width, height: height)
        var cache: [Int: PlanarImage] = [:]
        let resize = try Resize(height: cell - 2 * Self.border, width: cell - 2 * Self.border)
        func thumbnail(_ index: Int) throws -> PlanarImage {
            if let image = cache[index] { return image }
            guard (0..<dataset.count).contains(index) else {
                throw ReportError.invalidValue(file: run.path, path: "/evaluation/grid_queries or neighbours",
                                               reason: "image \(index) is outside the data set's 0..<\(dataset.count)")
            }
            let image = resize.apply(try dataset.image(at: index))
            cache[index] = image
            return image
        }
        func frame(_ index: Int, x: Int, y: Int, color: RGBCanvas.Color) throws {
            canvas.border(x: x, y: y, size: cell, thickness: Self.border, color: color)
            canvas.draw(try thumbnail(index), x: x + Self.border, y: y + Self.border)
        }
        var y = Self.margin
        for (q, query) in queries.enumerated() where !strips[q].isEmpty {
            for row in strips[q] {
                let label = String(row.row.prefix(Self.labelCharacters))
                canvas.text(label, x: Self.margin, y: y + (cell - BitmapFont.capHeight * Self.fontScale) / 2, scale: Self.fontScale)
                var x = Self.margin + labelWidth
                try frame(query, x: x, y: y, color: Self.queryColor)
                x += cell + 3 * Self.gap
                for neighbour in row.neighbours[q].prefix(columns) {
                    _ = try thumbnail(neighbour)  // checks the index before its category is asked for
                    let same = dataset.category(of: neighbour) == dataset.category(of: query)
                    try frame(neighbour, x: x, y: y, color: same ? Self.sameColor : Self.otherColor)
                    x += cell + Self.gap
                }
                y += cell + Self.stripGap
            }
            y += Self.blockGap
        }
        return canvas.image
    }
}
