/// An unordered pair of image indices, the key of a symmetric relevance table:
/// `ImagePair(a, b) == ImagePair(b, a)`.
struct ImagePair: Hashable {
    let low: Int
    let high: Int

    init(_ a: Int, _ b: Int) {
        low = min(a, b)
        high = max(a, b)
    }
}
