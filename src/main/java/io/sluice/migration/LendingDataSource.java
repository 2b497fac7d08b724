package io.sluice.migration;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * A data source whose connections are lent ({@link ReusedConnections}); everything else is the underlying data
 * source's. A connection with other credentials than the target's is never lent: that one is opened new.
 */
final class LendingDataSource implements DataSource {

    private final DataSource fresh;
    private final ReusedConnections.Opener lend;

    LendingDataSource(DataSource fresh, ReusedConnections.Opener lend) {
        this.fresh = fresh;
        this.lend = lend;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return lend.open();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return fresh.getConnection(username, password);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return fresh.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        fresh.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        fresh.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return fresh.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return fresh.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : fresh.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || fresh.isWrapperFor(type);
    }
}
