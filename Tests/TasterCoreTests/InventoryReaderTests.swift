import Foundation
import Testing

@testable import TasterCore
@testable import TasterMongo
@testable import TasterSupport

@Suite("Inventory reader")
struct InventoryReaderTests {
    // listCollections named it, then it was dropped before its listIndexes: the inventory must
    // not record a collection whose every index was dropped (a FAIL row for `_id_`), but no
    // collection, as the next listCollections would. The reader answers a name no collection has
    // exactly as it answers one that just went away.
    @Test("a collection dropped between listCollections and listIndexes is absent, not stripped of its indexes")
    func droppedWhileRead() throws {
        let pool = try MongoConnector(uri: try TestStack.mongoURI, deadline: Deadline(budget: .seconds(30))).makePool()
        let database = try TestStack.database
        try pool.withClient { client in
            let gone = InventoryReader.ListedCollection(name: "gone-\(UUID().uuidString.prefix(8))", type: .collection)
            let described = try InventoryReader.describe(gone, database: database, client: client)
            #expect(described == nil)
            // A view has no indexes of its own, and stays.
            let view = InventoryReader.ListedCollection(name: "a-view-\(UUID().uuidString.prefix(8))", type: .view)
            let viewDescribed = try InventoryReader.describe(view, database: database, client: client)
            #expect(viewDescribed?.indexes?.isEmpty == true)
        }
    }
}
