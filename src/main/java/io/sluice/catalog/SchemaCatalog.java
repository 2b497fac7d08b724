package io.sluice.catalog;

import java.sql.Connection;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.sluice.config.SluiceConfig;
import io.sluice.event.SchemaName;

/** Reads live schemas and remembers them: the catalog reader and the snapshot store, configured once. */
@ApplicationScoped
public class SchemaCatalog {

    private final CatalogReader reader;
    private final SnapshotStore store;

    @Inject
    public SchemaCatalog(SluiceConfig config) {
        this(SchemaName.of(config.stateSchema()), config.catalog().includePrivileges());
    }

    public SchemaCatalog(SchemaName stateSchema, boolean includePrivileges) {
        this.reader = new CatalogReader(stateSchema.value(), includePrivileges);
        this.store = new SnapshotStore(stateSchema);
    }

    public Snapshot read(Connection connection) throws SQLException {
        return reader.read(connection);
    }

    public CatalogReader reader() {
        return reader;
    }

    public SnapshotStore store() {
        return store;
    }
}
