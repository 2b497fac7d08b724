package io.sluice.canary;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The one row a catalog query of a check returns (aggregates always return one), as numbers and text by position. */
public final class Row {

    private final double[] numbers;
    private final String[] texts;

    private Row(double[] numbers, String[] texts) {
        this.numbers = numbers;
        this.texts = texts;
    }

    /**
     * Runs {@code sql} (fixed text, no input) and keeps its single row. A prepared statement: the driver prepares it on
     * the server after a few runs, and a connection kept between warm calls then skips parsing and planning it.
     */
    public static Row of(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
            rs.next();
            int columns = rs.getMetaData().getColumnCount();
            double[] numbers = new double[columns];
            String[] texts = new String[columns];
            for (int i = 0; i < columns; i++) {
                texts[i] = rs.getString(i + 1);
                numbers[i] = texts[i] == null ? 0 : rs.getDouble(i + 1);
            }
            return new Row(numbers, texts);
        }
    }

    /** Column {@code column} (1-based) as a number; 0 for NULL. */
    public double number(int column) {
        return numbers[column - 1];
    }

    /** Column {@code column} (1-based) as text, or null. */
    public String text(int column) {
        return texts[column - 1];
    }
}
